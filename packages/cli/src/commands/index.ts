/**
 * Every command of `gridtier`, in the order the help lists them. A command is a folder with
 * command.ts (its declaration: name, summary, options, examples and a lazy `load`) and run.ts (its
 * implementation, imported only when it runs); adding one is adding a folder and a line here.
 */
import type { AnyCommand } from '../framework/spec.js';
import { auction } from './auction/command.js';
import { clients } from './clients/command.js';
import { devices } from './devices/command.js';
import { feederEngine } from './feeder-engine/command.js';
import { hems } from './hems/command.js';
import { inventory } from './inventory/command.js';
import { lem } from './lem/command.js';
import { p2p } from './p2p/command.js';
import { pf } from './pf/command.js';
import { replay } from './replay/command.js';
import { serve } from './serve/command.js';
import { settle } from './settle/command.js';
import { simulate } from './simulate/command.js';
import { study } from './study/command.js';
import { validate } from './validate/command.js';
import { vdg } from './vdg/command.js';
import { vpp } from './vpp/command.js';

export const commands: readonly AnyCommand[] = [
  simulate,
  replay,
  study,
  inventory,
  pf,
  validate,
  lem,
  auction,
  vdg,
  p2p,
  hems,
  vpp,
  devices,
  settle,
  serve,
  feederEngine,
  clients,
];

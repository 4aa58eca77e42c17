#!/usr/bin/env node
import { GridTierError } from '@gridtier/core';
import { runAuction } from './commands/auction.js';
import { runHems } from './commands/hems.js';
import { runLem } from './commands/lem.js';
import { runP2p } from './commands/p2p.js';
import { runPf } from './commands/pf.js';
import { runSettle } from './commands/settle.js';
import { runSimulate } from './commands/simulate.js';
import { runValidate } from './commands/validate.js';
import { runVpp } from './commands/vpp.js';

const usage = `gridtier — multi-tier transactive energy markets on a real feeder

Usage:
  gridtier simulate --scenario FILE [--seed N] [--out DIR] [--format text|json]
                                                             one day of the whole hierarchy on a feeder, with a report
  gridtier pf FILE [--format table|csv|json] [--out PATH]   run an OpenDSS script, print the power flow
  gridtier validate [--shared DIR]                           compare with OpenDSS reference solutions
  gridtier lem clear --feeder FILE --orders FILE --market dam|rtm [--iso-prices FILE]
                     [--format json|csv] [--out PATH] [--dump-model PATH.lp|.mps]
                                                             clear the local energy market, DLMPs per bus and phase
  gridtier auction --mechanism uniform|pab|mda|merit|cda --orders FILE [--k 0.5] [--format json|csv]
                                                             clear a peer-to-peer call market
  gridtier p2p simulate --scenario FILE [--seed N] [--format text|json]
                                                             one day of the three-layer peer-to-peer hierarchy
  gridtier hems simulate --households N --days D --seed N [--format text|json] [--out DIR]
                                                             households' appliance patterns and contract choices
  gridtier settle --trades FILE --readings FILE [--chain embedded|RPC_URL] [--format text|json]
                                                             settle an interval against signed meter readings
  gridtier vpp simulate --devices N --goal step|ramp|regd --seconds S [--seed N] [--format text|json] [--out DIR]
                                                             steer a behind-the-meter fleet as a virtual power plant
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'simulate':
      return runSimulate(rest);
    case 'pf':
      return runPf(rest);
    case 'validate':
      return runValidate(rest);
    case 'lem':
      return runLem(rest);
    case 'auction':
      return runAuction(rest);
    case 'p2p':
      return runP2p(rest);
    case 'hems':
      return runHems(rest);
    case 'settle':
      return runSettle(rest);
    case 'vpp':
      return runVpp(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(usage);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`gridtier: unknown command "${cmd}"\n\n${usage}`);
      return 2;
  }
}

// a reader that stops early (`| head`) is not an error of ours
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof GridTierError) {
      process.stderr.write(`gridtier: ${e.name}: ${e.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`gridtier: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 70;
    }
  },
);

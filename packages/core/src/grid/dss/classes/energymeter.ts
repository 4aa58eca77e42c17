import type { SourceLocation } from '../../../errors/index.js';
import { type DssClassDef, type DssObject, inertProps } from '../class-def.js';

/** An energy meter marks a zone; in a snapshot it does not change the solution. */
export interface EnergyMeterObj extends DssObject {
  element: string | undefined;
  terminal: number;
}

export const energyMeterClass: DssClassDef<EnergyMeterObj> = {
  name: 'EnergyMeter',
  props: [
    { name: 'element', set: (o, v) => void (o.element = v.raw.toLowerCase()) },
    { name: 'terminal', set: (o, v) => void (o.terminal = v.integer(1, 100)) },
    ...inertProps<EnergyMeterObj>([
      'action',
      'option',
      'kvanormal',
      'kvaemerg',
      'peakcurrent',
      'zonelist',
      'localonly',
      'mask',
      'losses',
      'linelosses',
      'xfmrlosses',
      'seqlosses',
      '3phaselosses',
      'vbaselosses',
      'phasevoltagereport',
      'int_rate',
      'int_duration',
      'saifi',
      'saifikw',
      'saidi',
      'caidi',
      'custinterrupts',
      'basefreq',
      'enabled',
    ]),
  ],
  create: (name: string, location: SourceLocation) => ({
    className: 'EnergyMeter',
    name,
    location,
    enabled: true,
    element: undefined,
    terminal: 1,
  }),
  like: (dst, src) => {
    dst.element = src.element;
    dst.terminal = src.terminal;
  },
};

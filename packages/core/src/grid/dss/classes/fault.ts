import { InvalidValueError, type SourceLocation, UnsupportedFeatureError } from '../../../errors/index.js';
import { baseFreqProp, type DssClassDef, type DssObject, inertProps } from '../class-def.js';
import type { BusSpec } from '../values.js';

export interface FaultObj extends DssObject {
  bus1: BusSpec | undefined;
  /** undefined: node 0 of bus1's every phase, a fault to ground */
  bus2: BusSpec | undefined;
  phases: number;
  rOhms: number;
}

/**
 * OpenDSS's Fault in a power flow: a resistance r (default 0.0001 Ω) per phase between bus1 and
 * bus2, which is node 0 of bus1 (ground) unless given. A fault that starts later (ontime > 0),
 * clears itself (temporary) or is given by a conductance matrix is refused.
 */
export const faultClass: DssClassDef<FaultObj> = {
  name: 'Fault',
  props: [
    { name: 'bus1', set: (o, v) => void (o.bus1 = v.bus()) },
    { name: 'bus2', set: (o, v) => void (o.bus2 = v.bus()) },
    { name: 'phases', set: (o, v) => void (o.phases = v.integer(1, 100)) },
    {
      name: 'r',
      set: (o, v, ctx) => {
        const r = v.number();
        if (!(r > 0))
          throw new InvalidValueError(`Fault.${o.name} r=${v.raw}: the fault resistance must be positive`, {
            location: ctx.location,
          });
        o.rOhms = r;
      },
    },
    // the spread of the resistance in Monte Carlo fault studies
    ...inertProps<FaultObj>(['%stddev']),
    {
      name: 'gmatrix',
      set: (_o, _v, ctx) => {
        throw new UnsupportedFeatureError('Fault gmatrix= is not supported; give r', {
          location: ctx.location,
        });
      },
    },
    {
      name: 'ontime',
      set: (_o, v, ctx) => {
        if (v.number() > 0)
          throw new UnsupportedFeatureError(
            `Fault ontime=${v.raw}: a fault that starts later needs a dynamic solution, which is not modelled`,
            { location: ctx.location },
          );
      },
    },
    {
      name: 'temporary',
      set: (_o, v, ctx) => {
        if (v.boolean())
          throw new UnsupportedFeatureError('Fault temporary=yes (clearing below minamps) is not modelled', {
            location: ctx.location,
          });
      },
    },
    ...inertProps<FaultObj>(['minamps', 'normamps', 'emergamps', 'faultrate', 'pctperm', 'repair']),
    baseFreqProp<FaultObj>('Fault'),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): FaultObj => ({
    className: 'Fault',
    name,
    location,
    enabled: true,
    bus1: undefined,
    bus2: undefined,
    phases: 1,
    rOhms: 0.0001,
  }),
  like: (dst, src) => Object.assign(dst, { ...src, name: dst.name, location: dst.location }),
};

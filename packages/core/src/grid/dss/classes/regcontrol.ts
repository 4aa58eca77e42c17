import { type SourceLocation, UnsupportedFeatureError } from '../../../errors/index.js';
import { type DssClassDef, type DssObject, type EditContext, inertProps } from '../class-def.js';
import type { BusSpec } from '../values.js';

export interface RegControlObj extends DssObject {
  transformer: string | undefined;
  /** the regulated bus and node (node 1 unless given), when the control senses a remote bus */
  bus: BusSpec | undefined;
  /** monitored winding, 1-based */
  winding: number;
  /** winding whose tap moves, 1-based; follows `winding` unless set */
  tapWinding: number;
  vreg: number;
  band: number;
  ptRatio: number;
  ctPrimAmps: number;
  rVolts: number;
  xVolts: number;
  delaySec: number;
  tapDelaySec: number;
  maxTapChange: number;
  /** 1-based phase, or 'max'/'min' */
  ptPhase: number | 'max' | 'min';
  vLimit: number;
  ldcZ: number;
  /** tap position fixed by `TapNum=`; applied to the transformer when the circuit is built */
  tapNum: number | undefined;
}

const notModelled = (name: string) => ({
  name,
  set: (_o: RegControlObj, v: { raw: string }, ctx: EditContext) => {
    const s = v.raw.toLowerCase();
    if (s === '' || s === 'no' || s === 'n' || s === 'false' || s === '0') return;
    throw new UnsupportedFeatureError(`RegControl ${name}=${v.raw} is not supported in this power flow`, {
      location: ctx.location,
    });
  },
});

export const regControlClass: DssClassDef<RegControlObj> = {
  name: 'RegControl',
  props: [
    {
      name: 'transformer',
      set: (o, v, ctx) =>
        void (o.transformer = ctx.lookup<DssObject>('Transformer', v.raw, 'transformer').name),
    },
    {
      name: 'winding',
      set: (o, v) => {
        o.winding = v.integer(1, 100);
        o.tapWinding = o.winding;
      },
    },
    { name: 'vreg', set: (o, v) => void (o.vreg = v.positive()) },
    { name: 'band', set: (o, v) => void (o.band = v.positive()) },
    { name: 'ptratio', set: (o, v) => void (o.ptRatio = v.positive()) },
    { name: 'ctprim', set: (o, v) => void (o.ctPrimAmps = v.positive()) },
    { name: 'r', set: (o, v) => void (o.rVolts = v.number()) },
    { name: 'x', set: (o, v) => void (o.xVolts = v.number()) },
    // a regulated bus: its node's voltage to ground is sensed instead of the winding, without LDC
    { name: 'bus', set: (o, v) => void (o.bus = v.raw.trim() === '' ? undefined : v.bus()) },
    { name: 'delay', set: (o, v) => void (o.delaySec = v.nonNegative()) },
    notModelled('reversible'),
    ...inertProps<RegControlObj>(['revvreg', 'revband', 'revr', 'revx']),
    { name: 'tapdelay', set: (o, v) => void (o.tapDelaySec = v.nonNegative()) },
    ...inertProps<RegControlObj>(['debugtrace']),
    { name: 'maxtapchange', set: (o, v) => void (o.maxTapChange = v.integer(0)) },
    notModelled('inversetime'),
    { name: 'tapwinding', set: (o, v) => void (o.tapWinding = v.integer(1, 100)) },
    { name: 'vlimit', set: (o, v) => void (o.vLimit = v.nonNegative()) },
    {
      name: 'ptphase',
      set: (o, v) => {
        const s = v.raw.toLowerCase();
        o.ptPhase = s === 'max' ? 'max' : s === 'min' ? 'min' : v.integer(1, 100);
      },
    },
    notModelled('revthreshold'),
    notModelled('revdelay'),
    notModelled('revneutral'),
    ...inertProps<RegControlObj>(['eventlog']),
    notModelled('remoteptratio'),
    { name: 'tapnum', set: (o, v) => void (o.tapNum = v.integer()) },
    ...inertProps<RegControlObj>(['reset']),
    { name: 'ldc_z', set: (o, v) => void (o.ldcZ = v.nonNegative()) },
    ...inertProps<RegControlObj>(['rev_z']),
    notModelled('cogen'),
    ...inertProps<RegControlObj>(['basefreq']),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): RegControlObj => ({
    className: 'RegControl',
    name,
    location,
    enabled: true,
    transformer: undefined,
    bus: undefined,
    winding: 1,
    tapWinding: 1,
    vreg: 120,
    band: 3,
    ptRatio: 60,
    ctPrimAmps: 300,
    rVolts: 0,
    xVolts: 0,
    delaySec: 15,
    tapDelaySec: 2,
    maxTapChange: 16,
    ptPhase: 1,
    vLimit: 0,
    ldcZ: 0,
    tapNum: undefined,
  }),
  like: (dst, src) => {
    const { name, location } = dst;
    Object.assign(dst, { ...src }, { name, location });
  },
};

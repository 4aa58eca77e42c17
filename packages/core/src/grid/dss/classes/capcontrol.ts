import { InvalidValueError, type SourceLocation, UnsupportedFeatureError } from '../../../errors/index.js';
import { type DssClassDef, type DssObject, inertProps, refusedProps } from '../class-def.js';

export type CapControlType = 'current' | 'voltage' | 'kvar' | 'time' | 'pf';

export interface CapControlObj extends DssObject {
  /** monitored element as "class.name", lower-case class */
  element: string | undefined;
  terminal: number;
  capacitor: string | undefined;
  type: CapControlType;
  ptRatio: number;
  ctRatio: number;
  onSetting: number;
  offSetting: number;
  delaySec: number;
  voltOverride: boolean;
  vMax: number;
  vMin: number;
  delayOffSec: number;
  deadTimeSec: number;
  /** see CapacitorControl.initialLastOpenSec */
  initialLastOpenSec: number;
  /** type=pf closes an open bank only above this % of its total kvar (OpenDSS pctMinkvar) */
  pctMinKvar: number;
  ctPhase: number | 'avg' | 'max' | 'min';
  ptPhase: number | 'avg' | 'max' | 'min';
}

function parseType(raw: string): CapControlType | undefined {
  const s = raw.toLowerCase();
  if (s.startsWith('c')) return 'current';
  if (s.startsWith('v')) return 'voltage';
  if (s.startsWith('k')) return 'kvar';
  if (s.startsWith('t')) return 'time';
  if (s.startsWith('p')) return 'pf';
  return undefined;
}

function parsePhase(raw: string, fallback: () => number): number | 'avg' | 'max' | 'min' {
  const s = raw.toLowerCase();
  if (s === 'avg' || s === 'max' || s === 'min') return s;
  return fallback();
}

export const capControlClass: DssClassDef<CapControlObj> = {
  name: 'CapControl',
  props: [
    { name: 'element', set: (o, v) => void (o.element = v.raw.toLowerCase()) },
    { name: 'terminal', set: (o, v) => void (o.terminal = v.integer(1, 100)) },
    {
      name: 'capacitor',
      set: (o, v, ctx) => void (o.capacitor = ctx.lookup<DssObject>('Capacitor', v.raw, 'capacitor').name),
    },
    {
      name: 'type',
      set: (o, v, ctx) => {
        const t = parseType(v.raw);
        if (!t)
          throw new InvalidValueError(`type=${v.raw}: expected current, voltage, kvar, time or pf`, {
            location: ctx.location,
          });
        if (t === 'pf') {
          o.onSetting = 0.95;
          o.offSetting = 1.05;
        }
        o.type = t;
      },
    },
    { name: 'ptratio', set: (o, v) => void (o.ptRatio = v.positive()) },
    { name: 'ctratio', set: (o, v) => void (o.ctRatio = v.positive()) },
    { name: 'onsetting', set: (o, v) => void (o.onSetting = pfStore(o, v.number())) },
    { name: 'offsetting', set: (o, v) => void (o.offSetting = pfStore(o, v.number())) },
    { name: 'delay', set: (o, v) => void (o.delaySec = v.nonNegative()) },
    { name: 'voltoverride', set: (o, v) => void (o.voltOverride = v.boolean()) },
    { name: 'vmax', set: (o, v) => void (o.vMax = v.positive()) },
    { name: 'vmin', set: (o, v) => void (o.vMin = v.positive()) },
    { name: 'delayoff', set: (o, v) => void (o.delayOffSec = v.nonNegative()) },
    { name: 'deadtime', set: (o, v) => void (o.deadTimeSec = v.nonNegative()) },
    { name: 'ctphase', set: (o, v) => void (o.ctPhase = parsePhase(v.raw, () => v.integer(1, 100))) },
    { name: 'ptphase', set: (o, v) => void (o.ptPhase = parsePhase(v.raw, () => v.integer(1, 100))) },
    {
      name: 'vbus',
      set: (_o, _v, ctx) => {
        throw new UnsupportedFeatureError('CapControl vbus is not supported', { location: ctx.location });
      },
    },
    ...inertProps<CapControlObj>(['eventlog']),
    ...refusedProps<CapControlObj>('CapControl', ['usermodel', 'userdata']),
    { name: 'pctminkvar', set: (o, v) => void (o.pctMinKvar = v.number()) },
    {
      name: 'reset',
      set: (o, v) => {
        // OpenDSS's Reset: the control forgets when its capacitor last opened
        if (v.boolean()) o.initialLastOpenSec = -o.deadTimeSec;
      },
    },
    ...refusedProps<CapControlObj>('CapControl', ['controlsignal']),
    ...inertProps<CapControlObj>(['basefreq']),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): CapControlObj => ({
    className: 'CapControl',
    name,
    location,
    enabled: true,
    element: undefined,
    terminal: 1,
    capacitor: undefined,
    type: 'current',
    ptRatio: 60,
    ctRatio: 60,
    onSetting: 300,
    offSetting: 200,
    delaySec: 15,
    voltOverride: false,
    vMax: 126,
    vMin: 115,
    delayOffSec: 15,
    deadTimeSec: 300,
    initialLastOpenSec: -300,
    pctMinKvar: 50,
    ctPhase: 1,
    ptPhase: 1,
  }),
  like: (dst, src) => {
    const { name, location } = dst;
    Object.assign(dst, { ...src }, { name, location });
  },
};

/** Power-factor settings below zero are stored as 2 + pf so that ordering works across unity. */
function pfStore(o: CapControlObj, v: number): number {
  return o.type === 'pf' && v < 0 && v >= -1 ? 2 + v : v;
}

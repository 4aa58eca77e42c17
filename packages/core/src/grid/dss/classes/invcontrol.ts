import { InvalidValueError, type SourceLocation } from '../../../errors/index.js';
import type { InverterControl, InverterMemory } from '../../model/index.js';
import {
  baseFreqProp,
  type DssClassDef,
  type DssObject,
  type EditContext,
  inertProps,
  type PropertyDef,
} from '../class-def.js';
import type { ValueReader } from '../values.js';

export type InvControlMode =
  | 'voltvar'
  | 'voltwatt'
  | 'dynamicreaccurr'
  | 'wattpf'
  | 'wattvar'
  | 'avr'
  | 'gfm';

/** OpenDSS's control modes in its own order; a prefix picks the first that matches. */
const modes: InvControlMode[] = ['voltvar', 'voltwatt', 'dynamicreaccurr', 'wattpf', 'wattvar', 'avr', 'gfm'];

/** the settings a built control takes over as they are */
type Settings = Pick<
  InverterControl,
  | 'deltaQFactor'
  | 'deltaPFactor'
  | 'voltageChangeTolerancePu'
  | 'varChangeTolerancePu'
  | 'activePChangeTolerancePu'
  | 'voltwattYAxis'
  | 'reactivePowerRef'
>;

export interface InvControlObj extends DssObject, Settings {
  /** controlled elements as "pvsystem.name" / "storage.name"; empty means every PV system and storage unit */
  derList: string[];
  mode: InvControlMode | undefined;
  combiMode: string | undefined;
  vvcCurve: string | undefined;
  voltwattCurve: string | undefined;
  hysteresisOffsetPu: number;
  voltageCurveXRef: 'rated' | 'avg' | 'ravg';
  rateOfChangeMode: 'inactive' | 'lpf' | 'risefall';
  monVoltage: 'avg' | 'max' | 'min' | number;
  monBus: string[];
  controlModel: number;
  /** per controlled element (by qualified name): what the control remembers across solves */
  memory: Map<string, InverterMemory>;
}

/** OpenDSS's CompareTextShortest: equal over the shorter of the two texts. */
function pick<T extends string>(raw: string, options: readonly T[]): T | undefined {
  const s = raw.toLowerCase();
  return options.find((o) => s.length > 0 && (o.startsWith(s) || s.startsWith(o)));
}

function choice<K extends keyof InvControlObj, T extends string>(
  name: string,
  key: K,
  options: readonly T[],
): PropertyDef<InvControlObj> {
  return {
    name,
    set: (o, v, ctx) => {
      const c = pick(v.raw, options);
      if (c === undefined)
        throw new InvalidValueError(`InvControl.${o.name} ${name}=${v.raw}: expected ${options.join(', ')}`, {
          location: ctx.location,
        });
      (o as unknown as Record<string, unknown>)[key] = c;
    },
  };
}

const num = (name: string, key: keyof InvControlObj): PropertyDef<InvControlObj> => ({
  name,
  set: (o, v) => void ((o as unknown as Record<string, unknown>)[key] = v.number()),
});

/** A curve property: the XYcurve must exist when the property is given, as OpenDSS checks then. */
const curve = (name: string, key: 'vvcCurve' | 'voltwattCurve'): PropertyDef<InvControlObj> => ({
  name,
  set: (o, v, ctx) => {
    o[key] = v.raw === '' ? undefined : ctx.lookup<DssObject>('XYcurve', v.raw, name).name;
  },
});

/** A new list of elements starts the control afresh, as OpenDSS rebuilds its per-element state. */
function derNames(o: InvControlObj, v: ValueReader, ctx: EditContext, prefix: string): string[] {
  o.memory = new Map();
  return v.stringArray().map((raw) => {
    const name = (prefix + raw).toLowerCase();
    const cls = name.slice(0, name.indexOf('.'));
    if (cls !== 'pvsystem' && cls !== 'storage')
      // OpenDSS skips such a name without a word; the control would then miss an element
      throw new InvalidValueError(`InvControl.${o.name}: "${raw}" is not a PVSystem or Storage element`, {
        location: ctx.location,
      });
    return name;
  });
}

/**
 * OpenDSS's InvControl (smart-inverter functions of PV systems and storage). The table follows
 * OpenDSS's property order; which modes and options GridTier can solve is checked when the
 * network is built, so that a later edit can still change them.
 */
export const invControlClass: DssClassDef<InvControlObj> = {
  name: 'InvControl',
  props: [
    { name: 'derlist', set: (o, v, ctx) => void (o.derList = derNames(o, v, ctx, '')) },
    {
      name: 'mode',
      set: (o, v, ctx) => {
        const m = pick(v.raw, modes);
        if (m === undefined)
          throw new InvalidValueError(`InvControl.${o.name} mode=${v.raw}: expected ${modes.join(', ')}`, {
            location: ctx.location,
          });
        o.mode = m;
        o.combiMode = undefined;
      },
    },
    {
      name: 'combimode',
      set: (o, v, ctx) => {
        const c = pick(v.raw, ['vv_vw', 'vv_drc']);
        if (c === undefined)
          throw new InvalidValueError(`InvControl.${o.name} combimode=${v.raw}: expected vv_vw or vv_drc`, {
            location: ctx.location,
          });
        o.combiMode = c;
        o.mode = undefined;
      },
    },
    curve('vvc_curve1', 'vvcCurve'),
    {
      name: 'hysteresis_offset',
      set: (o, v, ctx) => {
        const x = v.number();
        if (x > 0)
          throw new InvalidValueError(
            `InvControl.${o.name} hysteresis_offset=${v.raw}: must be 0 or negative`,
            {
              location: ctx.location,
            },
          );
        o.hysteresisOffsetPu = x;
      },
    },
    choice('voltage_curvex_ref', 'voltageCurveXRef', ['rated', 'avg', 'ravg'] as const),
    // the averaging window serves voltage_curvex_ref=avg/ravg only, which are refused at build
    ...inertProps<InvControlObj>(['avgwindowlen']),
    curve('voltwatt_curve', 'voltwattCurve'),
    // dynamic reactive current (DRC) settings; that mode is refused at build
    ...inertProps<InvControlObj>(['dbvmin', 'dbvmax', 'argralowv', 'argrahiv', 'dynreacavgwindowlen']),
    num('deltaq_factor', 'deltaQFactor'),
    num('voltagechangetolerance', 'voltageChangeTolerancePu'),
    num('varchangetolerance', 'varChangeTolerancePu'),
    choice('voltwattyaxis', 'voltwattYAxis', ['pavailablepu', 'pmpppu', 'pctpmpppu', 'kvaratingpu'] as const),
    choice('rateofchangemode', 'rateOfChangeMode', ['inactive', 'lpf', 'risefall'] as const),
    // a time constant or limit of zero or less switches the rate-of-change limit off, as in OpenDSS
    {
      name: 'lpftau',
      set: (o, v) => {
        if (v.number() <= 0) o.rateOfChangeMode = 'inactive';
      },
    },
    {
      name: 'risefalllimit',
      set: (o, v) => {
        if (v.number() <= 0) o.rateOfChangeMode = 'inactive';
      },
    },
    num('deltap_factor', 'deltaPFactor'),
    ...inertProps<InvControlObj>(['eventlog']),
    choice('refreactivepower', 'reactivePowerRef', ['varaval', 'varmax'] as const),
    num('activepchangetolerance', 'activePChangeTolerancePu'),
    {
      name: 'monvoltagecalc',
      set: (o, v) => {
        const c = pick(v.raw, ['avg', 'max', 'min'] as const);
        o.monVoltage = c ?? Math.max(1, v.integer());
      },
    },
    { name: 'monbus', set: (o, v) => void (o.monBus = v.stringArray()) },
    // the base voltages of monBus, which is refused at build
    ...inertProps<InvControlObj>(['monbusesvbase']),
    // storage charging, watt-pf and watt-var curves belong to modes refused at build
    ...inertProps<InvControlObj>(['voltwattch_curve', 'wattpf_curve', 'wattvar_curve']),
    {
      name: 'vv_refreactivepower',
      set: (o, v) => {
        // OpenDSS reads the text before an underscore (VARAVAL_WATTS is VARAVAL)
        const c = pick(v.raw.split('_')[0], ['varaval', 'varmax'] as const);
        if (c) o.reactivePowerRef = c;
      },
    },
    { name: 'pvsystemlist', set: (o, v, ctx) => void (o.derList = derNames(o, v, ctx, 'pvsystem.')) },
    // the voltage set point of active voltage regulation (AVR), a mode refused at build
    ...inertProps<InvControlObj>(['vsetpoint']),
    { name: 'controlmodel', set: (o, v) => void (o.controlModel = v.integer()) },
    baseFreqProp<InvControlObj>('InvControl'),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): InvControlObj => ({
    className: 'InvControl',
    name,
    location,
    enabled: true,
    derList: [],
    mode: undefined,
    combiMode: undefined,
    vvcCurve: undefined,
    voltwattCurve: undefined,
    hysteresisOffsetPu: 0,
    voltageCurveXRef: 'rated',
    deltaQFactor: -1,
    deltaPFactor: -1,
    voltageChangeTolerancePu: 0.0001,
    varChangeTolerancePu: 0.025,
    activePChangeTolerancePu: 0.01,
    voltwattYAxis: 'pmpppu',
    rateOfChangeMode: 'inactive',
    reactivePowerRef: 'varaval',
    monVoltage: 'avg',
    monBus: [],
    controlModel: 0,
    memory: new Map(),
  }),
  like: (dst, src) => {
    const { name, location } = dst;
    Object.assign(dst, { ...src, derList: [...src.derList], monBus: [...src.monBus] }, { name, location });
    dst.memory = new Map();
  },
};

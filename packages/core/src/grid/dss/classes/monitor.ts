import { InvalidValueError, type SourceLocation } from '../../../errors/index.js';
import { baseFreqProp, type DssClassDef, type DssObject } from '../class-def.js';

/** What a monitor records at each time step, in OpenDSS's CSV layout. */
export interface MonitorRecord {
  header: string[];
  /** hour, seconds within the hour, then the values */
  rows: number[][];
}

/**
 * OpenDSS's Monitor on one terminal of an element: mode 0 (voltages and currents, magnitude and
 * angle, or real and imaginary with VIPolar=no) and mode 1 (kW and kvar per conductor, or kVA and
 * angle with PPolar=yes). It samples after every time step of a daily, yearly or duty solution.
 */
export interface MonitorObj extends DssObject {
  element: string | undefined;
  terminal: number;
  /** OpenDSS's mode number; 0 and 1 are sampled, others refused when a time series runs */
  mode: number;
  residual: boolean;
  viPolar: boolean;
  pPolar: boolean;
  record: MonitorRecord;
}

export const monitorClass: DssClassDef<MonitorObj> = {
  name: 'Monitor',
  props: [
    { name: 'element', set: (o, v) => void (o.element = v.raw.toLowerCase()) },
    { name: 'terminal', set: (o, v) => void (o.terminal = v.integer(1, 100)) },
    { name: 'mode', set: (o, v) => void (o.mode = v.integer(0)) },
    {
      name: 'action',
      set: (o, v, ctx) => {
        const a = v.raw.toLowerCase();
        if (a.startsWith('c') || a.startsWith('r')) o.record = { header: [], rows: [] };
        else if (!a.startsWith('s') && !a.startsWith('t') && !a.startsWith('p'))
          throw new InvalidValueError(
            `Monitor.${o.name} action=${v.raw}: expected clear, reset, save or take`,
            {
              location: ctx.location,
            },
          );
      },
    },
    { name: 'residual', set: (o, v) => void (o.residual = v.boolean()) },
    { name: 'vipolar', set: (o, v) => void (o.viPolar = v.boolean()) },
    { name: 'ppolar', set: (o, v) => void (o.pPolar = v.boolean()) },
    baseFreqProp<MonitorObj>('Monitor'),
    { name: 'enabled', set: (o, v) => void (o.enabled = v.boolean()) },
  ],
  create: (name: string, location: SourceLocation): MonitorObj => ({
    className: 'Monitor',
    name,
    location,
    enabled: true,
    element: undefined,
    terminal: 1,
    mode: 0,
    residual: false,
    viPolar: true,
    pPolar: true,
    record: { header: [], rows: [] },
  }),
  like: (dst, src) =>
    Object.assign(dst, { ...src, name: dst.name, location: dst.location, record: { header: [], rows: [] } }),
};

/** The monitor as OpenDSS's Export Monitors writes it (values at six significant digits). */
export function monitorCsv(m: MonitorObj): string {
  const fmt = (x: number) => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(6)).toString());
  const lines = [
    ['hour', 't(sec)', ...m.record.header].join(','),
    ...m.record.rows.map((r) => r.map(fmt).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}

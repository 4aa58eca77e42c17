import { DssReferenceError, UnsupportedFeatureError } from '../../errors/index.js';
import type { DssCircuitState, MonitorObj } from '../dss/index.js';
import { elementVI } from './results.js';
import type { SnapshotSolver } from './snapshot.js';

const deg = (re: number, im: number) => (Math.atan2(im, re) * 180) / Math.PI;

/** One monitor bound to the built network: which conductors it reads. */
export interface MonitorProbe {
  monitor: MonitorObj;
  element: number;
  first: number;
  count: number;
}

/** Binds every enabled monitor to its element and terminal; a missing element names the monitor. */
export function monitorProbes(
  state: DssCircuitState,
  solver: SnapshotSolver,
  skip: (m: MonitorObj, why: string) => void,
): MonitorProbe[] {
  const index = new Map(solver.network.elements.map((el, e) => [el.id.toLowerCase(), e]));
  const probes: MonitorProbe[] = [];
  for (const m of state.all<MonitorObj>('Monitor')) {
    if (!m.enabled) continue;
    const e = m.element === undefined ? undefined : index.get(m.element);
    if (e === undefined)
      throw new DssReferenceError(
        `Monitor.${m.name}: element ${m.element ?? '(none)'} is not in the circuit`,
        {
          location: m.location,
        },
      );
    // a monitor only reports: one GridTier cannot record is listed, and the solution goes on
    if ((m.mode !== 0 && m.mode !== 1) || m.residual || !m.viPolar) {
      skip(
        m,
        `mode=${m.mode}${m.residual ? ' residual=yes' : ''}${m.viPolar ? '' : ' vipolar=no'} is not recorded (recorded: mode 0 voltages and currents, 1 powers)`,
      );
      continue;
    }
    const el = solver.network.elements[e];
    if (el.kind === 'load' || el.kind === 'generator')
      throw new UnsupportedFeatureError(
        `Monitor.${m.name}: monitors on loads and generators are not supported`,
        {
          location: m.location,
        },
      );
    if (m.terminal > el.terminals.length)
      throw new DssReferenceError(`Monitor.${m.name}: ${el.id} has no terminal ${m.terminal}`, {
        location: m.location,
      });
    const count = el.condsPerTerminal;
    probes.push({ monitor: m, element: e, first: (m.terminal - 1) * count, count });
    m.record.header = header(m, count);
  }
  return probes;
}

function header(m: MonitorObj, n: number): string[] {
  const cols: string[] = [];
  if (m.mode === 0) {
    for (let k = 1; k <= n; k++) cols.push(`V${k}`, `VAngle${k}`);
    for (let k = 1; k <= n; k++) cols.push(`I${k}`, `IAngle${k}`);
  } else
    for (let k = 1; k <= n; k++)
      cols.push(...(m.pPolar ? [`S${k} (kVA)`, `Ang${k}`] : [`P${k} (kW)`, `Q${k} (kvar)`]));
  return cols;
}

/** Appends one sample (hour, seconds, then the values) to each monitor. */
export function sampleMonitors(
  probes: MonitorProbe[],
  solver: SnapshotSolver,
  hour: number,
  sec: number,
): void {
  for (const p of probes) {
    const { vr, vi, ir, ii } = elementVI(solver, p.element);
    const row = [hour, sec];
    const range = Array.from({ length: p.count }, (_, k) => p.first + k);
    if (p.monitor.mode === 0) {
      for (const k of range) row.push(Math.hypot(vr[k], vi[k]), deg(vr[k], vi[k]));
      for (const k of range) row.push(Math.hypot(ir[k], ii[k]), deg(ir[k], ii[k]));
    } else
      for (const k of range) {
        const pKw = (vr[k] * ir[k] + vi[k] * ii[k]) / 1000;
        const qKvar = (vi[k] * ir[k] - vr[k] * ii[k]) / 1000;
        row.push(...(p.monitor.pPolar ? [Math.hypot(pKw, qKvar), deg(pKw, qKvar)] : [pKw, qKvar]));
      }
    p.monitor.record.rows.push(row);
  }
}

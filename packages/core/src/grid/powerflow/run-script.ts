import type { SourceLocation } from '../../errors/index.js';
import type { CapacitorObj, GeneratorObj } from '../dss/index.js';
import {
  buildControls,
  buildNetwork,
  type DssCircuitState,
  DssInterpreter,
  type ScriptHost,
  type TransformerObj,
} from '../dss/index.js';
import { type Network, PvGeneratorElement, TransformerElement } from '../model/index.js';
import { countOutsideLimits, type PowerFlowResult, summarize } from './results.js';
import { type SnapshotOptions, SnapshotSolver } from './snapshot.js';
import { solveTimeSeries } from './time-series.js';

export interface ScriptRun {
  state: DssCircuitState;
  /** the last Solve's result; undefined if the script never solved */
  result: PowerFlowResult | undefined;
  solver: SnapshotSolver | undefined;
  /** reading, parsing and executing commands, without solve time */
  parseMs: number;
  /** the last Solve: network build, Y build and factorization, iterations and controls */
  solveMs: number;
  /** commands that were read but cannot affect a solution (reports, monitors), with file:line */
  warnings: { message: string; location: SourceLocation }[];
}

/**
 * Runs an OpenDSS script as OpenDSS would: commands in order, each Solve on the circuit as
 * it stands; if the script has no Solve, solves once at the end.
 */
export interface RunOptions {
  cwd?: string;
  /** called before each Solve starts its clock; a benchmark collects garbage here */
  beforeSolve?: () => void;
}

export function runScript(host: ScriptHost, path: string, options: RunOptions = {}): ScriptRun {
  const cwd = options.cwd ?? '.';
  let result: PowerFlowResult | undefined;
  let solver: SnapshotSolver | undefined;
  let solveMs = 0;
  let solveTotalMs = 0;
  // the last solution of the same circuit: a new circuit (after Clear) starts afresh, as in OpenDSS
  let previous: { state: DssCircuitState; names: string[]; re: Float64Array; im: Float64Array } | undefined;
  let cached: { state: DssCircuitState; version: number; network: Network } | undefined;
  // a network stays valid until the script changes something electrical, as OpenDSS keeps its bus list
  const networkOf = (state: DssCircuitState): Network => {
    if (cached?.state !== state || cached.version !== state.version)
      cached = { state, version: state.version, network: buildNetwork(state) };
    else cached.network.setControls(buildControls(state, cached.network));
    cached.network.applyBusBases(state.busBaseKvLn);
    return cached.network;
  };

  const warnings: ScriptRun['warnings'] = [];
  const solve = (state: DssCircuitState, loc: SourceLocation) => {
    const tb = performance.now();
    options.beforeSolve?.();
    solveTotalMs += performance.now() - tb;
    const t0 = performance.now();
    const network = networkOf(state);
    // the same circuit's controls go on from where the last Solve left them
    const earlier = previous?.state === state ? solver : undefined;
    solver = new SnapshotSolver(network, earlier);
    if (previous?.state === state) warmStart(solver, previous, state);
    const o = state.options;
    const opts: SnapshotOptions = {
      maxIterations: o.maxIterations,
      minIterations: o.minIterations,
      tolerance: o.tolerance,
      maxControlIter: o.maxControlIter,
      controlMode: o.controlMode === 'off' ? 'off' : o.controlMode === 'time' ? 'time' : 'static',
    };
    const stats =
      o.mode === 'snapshot'
        ? solver.solve(opts)
        : o.mode === 'direct'
          ? solver.solveDirect()
          : solveTimeSeries(state, solver, opts, loc, (m, w) => warnings.push({ message: m, location: w }));
    solveMs = performance.now() - t0;
    state.startAfresh = false;
    writeBack(state, solver);
    result = summarize(solver, stats);
    result.outsideLimits = countOutsideLimits(result.voltages, o.voltageLimitsPu);
    solveTotalMs += performance.now() - t0;
    previous = {
      state,
      names: network.nodes.map((_, i) => network.nodeName(i)),
      re: solver.voltages.re.slice(),
      im: solver.voltages.im.slice(),
    };
  };

  const calcVoltageBases = (state: DssCircuitState) => {
    const network = networkOf(state);
    const zs = new SnapshotSolver(network);
    zs.solveZeroLoad();
    const bases = state.options.voltageBases;
    state.busBaseKvLn.clear();
    network.buses.forEach((bus, b) => {
      const first = network.busNodes[b][0];
      const vmag = first === undefined ? 0 : Math.hypot(zs.voltages.re[first], zs.voltages.im[first]);
      state.busBaseKvLn.set(bus, nearestBase(vmag * 0.001732, bases) / Math.sqrt(3));
    });
  };

  const t0 = performance.now();
  const interp = new DssInterpreter(host, { solve, calcVoltageBases }, cwd);
  interp.compileFile(path);
  const state = interp.requireState({ file: path });
  if (!result) solve(state, { file: path });
  const parseMs = performance.now() - t0 - solveTotalMs;
  return { state, result, solver, parseMs, solveMs, warnings: [...interp.warnings, ...warnings] };
}

/** OpenDSS picks the listed base nearest in ratio; ties go to the one listed first. */
export function nearestBase(kv: number, bases: number[]): number {
  let best = bases[0] ?? 0;
  let bestDiff = Number.POSITIVE_INFINITY;
  for (const b of bases) {
    if (b === 0) break;
    const d = Math.abs(1 - kv / b);
    if (d < bestDiff) {
      bestDiff = d;
      best = b;
    }
  }
  return best;
}

function warmStart(
  solver: SnapshotSolver,
  prev: { names: string[]; re: Float64Array; im: Float64Array },
  state: DssCircuitState,
): void {
  const index = new Map(prev.names.map((n, i) => [n, i]));
  const net = solver.network;
  let matched = 0;
  for (let i = 0; i < net.nodes.length; i++) {
    const j = index.get(net.nodeName(i));
    if (j === undefined) continue;
    solver.voltages.re[i] = prev.re[j];
    solver.voltages.im[i] = prev.im[j];
    matched++;
  }
  // a voltage-regulating generator new to the circuit makes OpenDSS initialize the solution afresh
  // (or one whose state Set mode cleared)
  const fresh = net.elements.some(
    (el) =>
      el instanceof PvGeneratorElement &&
      !state.get<GeneratorObj>('Generator', el.id.slice(el.id.indexOf('.') + 1))?.pvState,
  );
  solver.initialized = matched === net.nodes.length && !fresh && !state.startAfresh;
}

/** Controls moved taps and capacitor steps; the script's objects keep them for later commands. */
function writeBack(state: DssCircuitState, solver: SnapshotSolver): void {
  for (const el of solver.network.elements) {
    const name = el.id.slice(el.id.indexOf('.') + 1);
    if (el instanceof TransformerElement) {
      const obj = state.get<TransformerObj>('Transformer', name);
      if (obj)
        el.windings.forEach((w, i) => {
          obj.windings[i].tap = w.tap;
        });
    } else if (el instanceof PvGeneratorElement) {
      const obj = state.get<GeneratorObj>('Generator', name);
      if (obj) obj.pvState = { qVarPerPhase: el.qVar, dqdv: el.dqdv };
    } else if (el.kind === 'capacitor') {
      const obj = state.get<CapacitorObj>('Capacitor', name);
      if (obj) obj.states = [...(el as unknown as { states: number[] }).states];
    }
  }
}

import type { Highs } from 'highs';
import * as highsPackage from 'highs';
import { SolverError } from '../errors/index.js';
import type { LinearModel } from './linear-model.js';
import type { LpBasis, LpSolution, LpSolver, SolveOptions, SolveStatus } from './solver.js';

// the package ships CommonJS-flavoured typings for an ES module whose default export is the loader
const loadHighs = (highsPackage as unknown as { default: () => Promise<Highs> }).default;

let runtime: Promise<Highs> | undefined;

/**
 * HiGHS (WebAssembly build from npm `highs`) behind the LpSolver interface, on the calling
 * thread: the embedded default, capped at the WebAssembly build's 2 GiB. The model is
 * passed as arrays, never as LP text, and each solve uses a fresh native model that is
 * disposed afterwards, so memory does not accumulate across solves.
 */
export class HighsSolver implements LpSolver {
  readonly name = 'HiGHS';

  private constructor(private readonly highs: Highs) {}

  /** Loads the WebAssembly runtime once per process. */
  static async create(): Promise<HighsSolver> {
    runtime ??= loadHighs();
    const highs = await runtime;
    return new HighsSolver(highs);
  }

  /** Bytes the WebAssembly runtime holds; it only grows (capped at 2 GiB). */
  get memoryBytes(): number {
    return (this.highs as unknown as { memoryBytes: number }).memoryBytes;
  }

  get version(): string {
    return this.highs.version.string;
  }

  /** The model as HiGHS's arrays; names only where they are written out, as they cost time to pass. */
  private modelData(m: LinearModel, withNames: boolean) {
    const inf = this.highs.infinity;
    // HiGHS takes its own infinity; plain loops, as TypedArray.from with a map is slow
    const clamped = (a: Float64Array) => {
      const out = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        out[i] = x === Number.POSITIVE_INFINITY ? inf : x === Number.NEGATIVE_INFINITY ? -inf : x;
      }
      return out;
    };
    const integrality = () => {
      const out = new Int32Array(m.numCols);
      const { integer, continuous } = this.highs.constants.variableType;
      const flags = m.integer;
      for (let j = 0; j < out.length; j++) out[j] = flags[j] ? integer : continuous;
      return out;
    };
    return {
      numCols: m.numCols,
      numRows: m.numRows,
      offset: m.objectiveOffset,
      colCost: m.colCost.slice(),
      colLower: clamped(m.colLower),
      colUpper: clamped(m.colUpper),
      rowLower: clamped(m.rowLower),
      rowUpper: clamped(m.rowUpper),
      matrix: {
        format: 'csr' as const,
        numRows: m.numRows,
        numCols: m.numCols,
        starts: m.rowStart.slice(),
        indices: m.rowIndex.slice(),
        values: m.rowValue.slice(),
      },
      ...(m.isMip ? { integrality: integrality() } : {}),
      ...(withNames ? { colNames: lpNames(m.colNames), rowNames: lpNames(m.rowNames) } : {}),
    };
  }

  async solve(m: LinearModel, options: SolveOptions = {}): Promise<LpSolution> {
    return this.solveNow(m, options);
  }

  /** The solve itself, on this thread: the worker thread's entry calls it directly. */
  solveNow(m: LinearModel, options: SolveOptions = {}): LpSolution {
    const t0 = performance.now();
    const model = this.highs.createModel();
    try {
      model.passModel(this.modelData(m, false) as never);
      model.options.set('output_flag', false);
      if (options.timeLimitSec !== undefined) model.options.set('time_limit', options.timeLimitSec);
      if (options.mipGap !== undefined) model.options.set('mip_rel_gap', options.mipGap);
      if (options.basis && !m.isMip) {
        // a basis that no longer fits is only a lost warm start
        try {
          model.setBasis({ colStatus: options.basis.colStatus, rowStatus: options.basis.rowStatus } as never);
        } catch {
          /* cold start */
        }
      }
      model.run();
      const code = model.getModelStatus();
      const status = statusOf(code, this.highs);
      const sol = model.getSolution();
      return {
        status,
        detail: modelStatusName(code, this.highs),
        objective: status === 'optimal' ? model.getObjectiveValue() : Number.NaN,
        x: Float64Array.from(sol.colValue),
        rowValue: Float64Array.from(sol.rowValue),
        rowDual: m.isMip ? new Float64Array(m.numRows) : Float64Array.from(sol.rowDual),
        colDual: m.isMip ? new Float64Array(m.numCols) : Float64Array.from(sol.colDual),
        solveMs: performance.now() - t0,
        basis: !m.isMip && status === 'optimal' ? basisOf(model.getBasis()) : undefined,
      };
    } catch (e) {
      throw new SolverError(`HiGHS failed: ${(e as Error).message}`, { cause: e });
    } finally {
      model.dispose();
    }
  }

  /** Objective of a model read back from LP or MPS text: checks that a dump is the whole model. */
  solveText(text: string, format: 'lp' | 'mps'): { status: SolveStatus; objective: number } {
    const model = this.highs.createModel({ format, data: text });
    try {
      model.options.set('output_flag', false);
      model.run();
      const status = statusOf(model.getModelStatus(), this.highs);
      return { status, objective: status === 'optimal' ? model.getObjectiveValue() : Number.NaN };
    } finally {
      model.dispose();
    }
  }

  async write(m: LinearModel, format: 'lp' | 'mps'): Promise<string> {
    return this.writeNow(m, format);
  }

  writeNow(m: LinearModel, format: 'lp' | 'mps'): string {
    const model = this.highs.createModel();
    try {
      model.passModel(this.modelData(m, true) as never);
      if (format === 'lp') return model.exportModel('lp');
      return new TextDecoder().decode(model.exportModel('mps'));
    } finally {
      model.dispose();
    }
  }
}

function basisOf(b: { colStatus: Int32Array; rowStatus: Int32Array }): LpBasis {
  return { colStatus: Int32Array.from(b.colStatus), rowStatus: Int32Array.from(b.rowStatus) };
}

/** Names the LP format accepts (letters, digits, _ and .), kept unique; others would make HiGHS drop them all. */
function lpNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((n, i) => {
    let s = n.replace(/[^A-Za-z0-9_.]/g, '_');
    if (!/^[A-Za-z_]/.test(s)) s = `_${s}`;
    if (seen.has(s)) s = `${s}_${i}`;
    seen.add(s);
    return s;
  });
}

function statusOf(code: number, highs: Highs): SolveStatus {
  const s = highs.constants.modelStatus;
  if (code === s.optimal) return 'optimal';
  if (code === s.infeasible) return 'infeasible';
  if (code === s.unbounded || code === s.unboundedOrInfeasible) return 'unbounded';
  if (
    code === s.timeLimit ||
    code === s.iterationLimit ||
    code === s.solutionLimit ||
    code === s.objectiveBound
  )
    return 'limit';
  return 'error';
}

function modelStatusName(code: number, highs: Highs): string {
  const entry = Object.entries(highs.constants.modelStatus).find(([, v]) => v === code);
  return entry ? entry[0] : `status ${code}`;
}

import { InvalidValueError } from '../errors/index.js';
import { f64, i32, u8 } from './growable.js';

export interface VariableSpec {
  name: string;
  lower?: number;
  upper?: number;
  cost?: number;
  integer?: boolean;
}

export interface ConstraintSpec {
  name: string;
  lower?: number;
  upper?: number;
  /** pairs of variable index and coefficient; repeated variables are summed */
  terms: ReadonlyArray<readonly [number, number]>;
}

/** A model's content as typed arrays: what crosses a thread boundary. */
export interface LinearModelArrays {
  colLower: Float64Array;
  colUpper: Float64Array;
  colCost: Float64Array;
  integer: Uint8Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  rowStart: Int32Array;
  rowIndex: Int32Array;
  rowValue: Float64Array;
  objectiveOffset: number;
  colNames?: string[];
  rowNames?: string[];
}

/**
 * A solver-neutral linear or mixed-integer model, minimized: variables with bounds, costs
 * and integrality, rows as sparse linear forms with lower and upper bounds. It knows
 * nothing of the market; the market's problem builder writes into it and reads duals back
 * by the indices it was given.
 */
export class LinearModel {
  readonly colNames: string[] = [];
  readonly rowNames: string[] = [];
  private cLower = f64();
  private cUpper = f64();
  private cCost = f64();
  private cInteger = u8();
  private rLower = f64();
  private rUpper = f64();
  private rStart = i32();
  private rIndex = i32();
  private rValue = f64();
  objectiveOffset = 0;

  constructor() {
    this.rStart.push(0);
  }

  // views of the storage: valid until the model grows
  get colLower(): Float64Array {
    return this.cLower.view();
  }
  get colUpper(): Float64Array {
    return this.cUpper.view();
  }
  get colCost(): Float64Array {
    return this.cCost.view();
  }
  /** 1 where the variable is integer */
  get integer(): Uint8Array {
    return this.cInteger.view();
  }
  get rowLower(): Float64Array {
    return this.rLower.view();
  }
  get rowUpper(): Float64Array {
    return this.rUpper.view();
  }
  /** CSR storage of the rows */
  get rowStart(): Int32Array {
    return this.rStart.view();
  }
  get rowIndex(): Int32Array {
    return this.rIndex.view();
  }
  get rowValue(): Float64Array {
    return this.rValue.view();
  }

  get numCols(): number {
    return this.cCost.length;
  }

  get numRows(): number {
    return this.rLower.length;
  }

  get numNonzeros(): number {
    return this.rIndex.length;
  }

  get isMip(): boolean {
    return this.integer.some((x) => x === 1);
  }

  addVariable(v: VariableSpec): number {
    const lower = v.lower ?? 0;
    const upper = v.upper ?? Number.POSITIVE_INFINITY;
    const cost = v.cost ?? 0;
    if (Number.isNaN(lower)) throw new InvalidValueError(`variable ${v.name}: lower bound is NaN`);
    if (Number.isNaN(upper)) throw new InvalidValueError(`variable ${v.name}: upper bound is NaN`);
    if (Number.isNaN(cost)) throw new InvalidValueError(`variable ${v.name}: cost is NaN`);
    if (lower > upper)
      throw new InvalidValueError(`variable ${v.name}: lower bound ${lower} exceeds upper ${upper}`);
    if (!Number.isFinite(cost)) throw new InvalidValueError(`variable ${v.name}: cost must be finite`);
    this.colNames.push(v.name);
    this.cLower.push(lower);
    this.cUpper.push(upper);
    this.cCost.push(cost);
    this.cInteger.push(v.integer ? 1 : 0);
    return this.cCost.length - 1;
  }

  addConstraint(c: ConstraintSpec): number {
    const cols = new Array<number>(c.terms.length);
    const vals = new Array<number>(c.terms.length);
    c.terms.forEach(([j, a], k) => {
      cols[k] = j;
      vals[k] = a;
    });
    return this.addRow(
      c.name,
      c.lower ?? Number.NEGATIVE_INFINITY,
      c.upper ?? Number.POSITIVE_INFINITY,
      cols,
      vals,
    );
  }

  /**
   * A row lower ≤ Σ vals[k]·x[cols[k]] ≤ upper, given as parallel arrays: the form large
   * models are built in. Repeated columns are summed and zero coefficients dropped.
   */
  addRow(
    name: string,
    lower: number,
    upper: number,
    cols: ArrayLike<number>,
    vals: ArrayLike<number>,
  ): number {
    if (Number.isNaN(lower) || Number.isNaN(upper))
      throw new InvalidValueError(`constraint ${name}: bound is NaN`);
    if (lower > upper)
      throw new InvalidValueError(`constraint ${name}: lower bound ${lower} exceeds upper ${upper}`);
    const n = this.numCols;
    let sorted = true;
    for (let k = 0; k < cols.length; k++) {
      const j = cols[k];
      if (!(j >= 0 && j < n)) throw new InvalidValueError(`constraint ${name}: no variable ${j}`);
      if (!Number.isFinite(vals[k]))
        throw new InvalidValueError(`constraint ${name}: coefficient of ${this.colNames[j]} is ${vals[k]}`);
      if (k > 0 && j <= cols[k - 1]) sorted = false;
    }
    // rows are stored with increasing, distinct columns; most arrive that way already
    if (sorted) {
      for (let k = 0; k < cols.length; k++) {
        if (vals[k] === 0) continue;
        this.rIndex.push(cols[k]);
        this.rValue.push(vals[k]);
      }
    } else {
      const order = Array.from({ length: cols.length }, (_, k) => k).sort((x, y) => cols[x] - cols[y]);
      for (let k = 0; k < order.length; ) {
        const j = cols[order[k]];
        let a = 0;
        for (; k < order.length && cols[order[k]] === j; k++) a += vals[order[k]];
        if (a === 0) continue;
        this.rIndex.push(j);
        this.rValue.push(a);
      }
    }
    this.rStart.push(this.rIndex.length);
    this.rowNames.push(name);
    this.rLower.push(lower);
    this.rUpper.push(upper);
    return this.rLower.length - 1;
  }

  /** The model's size now, to roll back to when only what was added since has to be rebuilt. */
  mark(): { numCols: number; numRows: number } {
    return { numCols: this.numCols, numRows: this.numRows };
  }

  /** Drops every variable and constraint added since the mark. */
  rollback(mark: { numCols: number; numRows: number }): void {
    if (mark.numCols > this.numCols || mark.numRows > this.numRows)
      throw new InvalidValueError('rollback: the mark is beyond the model');
    this.colNames.length = mark.numCols;
    for (const a of [this.cLower, this.cUpper, this.cCost, this.cInteger]) a.truncate(mark.numCols);
    this.rowNames.length = mark.numRows;
    for (const a of [this.rLower, this.rUpper]) a.truncate(mark.numRows);
    this.rStart.truncate(mark.numRows + 1);
    const nnz = this.rStart.at(mark.numRows);
    this.rIndex.truncate(nnz);
    this.rValue.truncate(nnz);
  }

  /** A copy with every integer variable fixed at the given values: the pricing LP. */
  fixIntegers(x: ArrayLike<number>): LinearModel {
    const m = new LinearModel();
    m.colNames.push(...this.colNames);
    m.rowNames.push(...this.rowNames);
    m.cLower = this.cLower.copy();
    m.cUpper = this.cUpper.copy();
    m.cCost = this.cCost.copy();
    m.cInteger = this.cInteger.copy();
    m.rLower = this.rLower.copy();
    m.rUpper = this.rUpper.copy();
    m.rStart = this.rStart.copy();
    m.rIndex = this.rIndex.copy();
    m.rValue = this.rValue.copy();
    m.objectiveOffset = this.objectiveOffset;
    for (let j = 0; j < m.numCols; j++) {
      if (!m.cInteger.at(j)) continue;
      const v = Math.round(x[j]);
      m.cLower.set(j, v);
      m.cUpper.set(j, v);
      m.cInteger.set(j, 0);
    }
    return m;
  }

  /** The model as plain arrays (copies), to hand to another thread; names only when asked. */
  toArrays(withNames = false): LinearModelArrays {
    return {
      colLower: this.colLower.slice(),
      colUpper: this.colUpper.slice(),
      colCost: this.colCost.slice(),
      integer: this.integer.slice(),
      rowLower: this.rowLower.slice(),
      rowUpper: this.rowUpper.slice(),
      rowStart: this.rowStart.slice(),
      rowIndex: this.rowIndex.slice(),
      rowValue: this.rowValue.slice(),
      objectiveOffset: this.objectiveOffset,
      colNames: withNames ? [...this.colNames] : undefined,
      rowNames: withNames ? [...this.rowNames] : undefined,
    };
  }

  /** The model back from its arrays; missing names become x0…, r0…. */
  static fromArrays(a: LinearModelArrays): LinearModel {
    const m = new LinearModel();
    const cols = a.colCost.length;
    const rows = a.rowLower.length;
    for (let j = 0; j < cols; j++) {
      m.colNames.push(a.colNames?.[j] ?? `x${j}`);
      m.cLower.push(a.colLower[j]);
      m.cUpper.push(a.colUpper[j]);
      m.cCost.push(a.colCost[j]);
      m.cInteger.push(a.integer[j]);
    }
    for (let i = 0; i < rows; i++) {
      m.rowNames.push(a.rowNames?.[i] ?? `r${i}`);
      m.rLower.push(a.rowLower[i]);
      m.rUpper.push(a.rowUpper[i]);
      m.rStart.push(a.rowStart[i + 1]);
    }
    for (let k = 0; k < a.rowIndex.length; k++) {
      m.rIndex.push(a.rowIndex[k]);
      m.rValue.push(a.rowValue[k]);
    }
    m.objectiveOffset = a.objectiveOffset;
    return m;
  }

  /** Value of the objective at x. */
  objective(x: ArrayLike<number>): number {
    let s = this.objectiveOffset;
    for (let j = 0; j < this.numCols; j++) s += this.colCost[j] * x[j];
    return s;
  }
}

import { InvalidValueError } from '../errors/index.js';

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

/**
 * A solver-neutral linear or mixed-integer model, minimized: variables with bounds, costs
 * and integrality, rows as sparse linear forms with lower and upper bounds. It knows
 * nothing of the market; the market's problem builder writes into it and reads duals back
 * by the indices it was given.
 */
export class LinearModel {
  readonly colNames: string[] = [];
  readonly colLower: number[] = [];
  readonly colUpper: number[] = [];
  readonly colCost: number[] = [];
  readonly integer: boolean[] = [];
  readonly rowNames: string[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];
  /** CSR storage of the rows */
  readonly rowStart: number[] = [0];
  readonly rowIndex: number[] = [];
  readonly rowValue: number[] = [];
  objectiveOffset = 0;

  get numCols(): number {
    return this.colCost.length;
  }

  get numRows(): number {
    return this.rowLower.length;
  }

  get numNonzeros(): number {
    return this.rowIndex.length;
  }

  get isMip(): boolean {
    return this.integer.some((x) => x);
  }

  addVariable(v: VariableSpec): number {
    const lower = v.lower ?? 0;
    const upper = v.upper ?? Number.POSITIVE_INFINITY;
    for (const [what, x] of [
      ['lower bound', lower],
      ['upper bound', upper],
      ['cost', v.cost ?? 0],
    ] as const) {
      if (Number.isNaN(x)) throw new InvalidValueError(`variable ${v.name}: ${what} is NaN`);
    }
    if (lower > upper)
      throw new InvalidValueError(`variable ${v.name}: lower bound ${lower} exceeds upper ${upper}`);
    if (!Number.isFinite(v.cost ?? 0)) throw new InvalidValueError(`variable ${v.name}: cost must be finite`);
    this.colNames.push(v.name);
    this.colLower.push(lower);
    this.colUpper.push(upper);
    this.colCost.push(v.cost ?? 0);
    this.integer.push(v.integer ?? false);
    return this.colCost.length - 1;
  }

  addConstraint(c: ConstraintSpec): number {
    const lower = c.lower ?? Number.NEGATIVE_INFINITY;
    const upper = c.upper ?? Number.POSITIVE_INFINITY;
    if (Number.isNaN(lower) || Number.isNaN(upper))
      throw new InvalidValueError(`constraint ${c.name}: bound is NaN`);
    if (lower > upper)
      throw new InvalidValueError(`constraint ${c.name}: lower bound ${lower} exceeds upper ${upper}`);
    for (const [j, a] of c.terms) {
      if (!(j >= 0 && j < this.numCols))
        throw new InvalidValueError(`constraint ${c.name}: no variable ${j}`);
      if (!Number.isFinite(a))
        throw new InvalidValueError(`constraint ${c.name}: coefficient of ${this.colNames[j]} is ${a}`);
    }
    // rows are stored with increasing, distinct columns; most arrive that way already
    const sorted = c.terms.every(([j], k) => k === 0 || j > c.terms[k - 1][0]);
    const terms = sorted ? c.terms : [...c.terms].sort((x, y) => x[0] - y[0]);
    for (let k = 0; k < terms.length; ) {
      const j = terms[k][0];
      let a = 0;
      for (; k < terms.length && terms[k][0] === j; k++) a += terms[k][1];
      if (a === 0) continue;
      this.rowIndex.push(j);
      this.rowValue.push(a);
    }
    this.rowStart.push(this.rowIndex.length);
    this.rowNames.push(c.name);
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
    return this.rowLower.length - 1;
  }

  /** A copy with every integer variable fixed at the given values: the pricing LP. */
  fixIntegers(x: ArrayLike<number>): LinearModel {
    const m = Object.assign(new LinearModel(), structuredClone({ ...this }));
    for (let j = 0; j < m.numCols; j++) {
      if (!m.integer[j]) continue;
      const v = Math.round(x[j]);
      m.colLower[j] = v;
      m.colUpper[j] = v;
      m.integer[j] = false;
    }
    return m;
  }

  /** Value of the objective at x. */
  objective(x: ArrayLike<number>): number {
    let s = this.objectiveOffset;
    for (let j = 0; j < this.numCols; j++) s += this.colCost[j] * x[j];
    return s;
  }
}

import type { LinearModel, LpBasis } from '../../opt/index.js';

/** The last basis, with the columns and rows added since then as nonbasic and basic. */
export function extendBasis(basis: LpBasis | undefined, m: LinearModel): LpBasis | undefined {
  if (!basis || basis.colStatus.length > m.numCols || basis.rowStatus.length > m.numRows) return undefined;
  const colStatus = new Int32Array(m.numCols);
  colStatus.set(basis.colStatus);
  const rowStatus = new Int32Array(m.numRows).fill(1);
  rowStatus.set(basis.rowStatus);
  return { colStatus, rowStatus };
}

/**
 * A starting basis for the first solve, in place of the solver's all-slack one: each defining
 * row (a node's net injection, an interval's balance, a state of charge) has its own column
 * basic, every other row its slack, every order column at a bound. That basis is already the
 * grid-blind dispatch at the substation's price once the solver flips the bounded columns to
 * their cheaper bound, so the simplex only has to work through the grid limits and storage.
 */
export function crashBasis(m: LinearModel, keyCols: Map<number, number>): LpBasis {
  const colStatus = new Int32Array(m.numCols);
  for (let j = 0; j < m.numCols; j++) {
    const lower = m.colLower[j];
    const upper = m.colUpper[j];
    colStatus[j] = Number.isFinite(lower) ? LOWER : Number.isFinite(upper) ? UPPER : ZERO;
  }
  const rowStatus = new Int32Array(m.numRows).fill(BASIC);
  for (const [row, col] of keyCols) {
    rowStatus[row] = m.rowLower[row] === Number.NEGATIVE_INFINITY ? UPPER : LOWER;
    colStatus[col] = BASIC;
  }
  return { colStatus, rowStatus };
}

const LOWER = 0;
const BASIC = 1;
const UPPER = 2;
const ZERO = 3;

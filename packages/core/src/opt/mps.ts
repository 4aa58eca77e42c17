import type { LinearModel } from './linear-model.js';

/**
 * The model in free MPS form, every column and row named by its index (C0…, R0…) so any
 * solver reads it and its answer maps straight back. The objective's constant is left out:
 * the caller adds `objectiveOffset` to the objective it reads. Numbers are written in their
 * shortest exact form, so nothing is rounded on the way.
 */
export function toMps(m: LinearModel): string {
  // FREE: COIN-OR's reader otherwise takes bound lines by fixed-format column positions
  const out: string[] = ['NAME gridtier FREE', 'ROWS', ' N OBJ'];
  const rowLower = m.rowLower;
  const rowUpper = m.rowUpper;
  const rhs: string[] = [];
  const ranges: string[] = [];
  for (let i = 0; i < m.numRows; i++) {
    const lo = rowLower[i];
    const up = rowUpper[i];
    if (lo === up) {
      out.push(` E R${i}`);
      if (lo !== 0) rhs.push(` RHS R${i} ${lo}`);
    } else if (Number.isFinite(up)) {
      out.push(` L R${i}`);
      if (up !== 0) rhs.push(` RHS R${i} ${up}`);
      if (Number.isFinite(lo)) ranges.push(` RNG R${i} ${up - lo}`);
    } else {
      // a free row stays a row (an N row other than the objective would be dropped by readers)
      out.push(` G R${i}`);
      rhs.push(` RHS R${i} ${Number.isFinite(lo) ? lo : -1e30}`);
    }
  }
  out.push('COLUMNS');
  const byCol = columns(m);
  const cost = m.colCost;
  const integer = m.integer;
  let inInteger = false;
  for (let j = 0; j < m.numCols; j++) {
    if (Boolean(integer[j]) !== inInteger) {
      inInteger = !inInteger;
      out.push(` MARKER 'MARKER' '${inInteger ? 'INTORG' : 'INTEND'}'`);
    }
    // a column with no entry at all must still be declared
    out.push(` C${j} OBJ ${cost[j]}`);
    for (let k = byCol.start[j]; k < byCol.start[j + 1]; k++)
      out.push(` C${j} R${byCol.row[k]} ${byCol.value[k]}`);
  }
  if (inInteger) out.push(" MARKER 'MARKER' 'INTEND'");
  out.push('RHS', ...rhs);
  if (ranges.length > 0) out.push('RANGES', ...ranges);
  out.push('BOUNDS', ...bounds(m), 'ENDATA', '');
  return out.join('\n');
}

/** Bounds that differ from MPS's default [0, ∞); an integer column's upper bound always, as some readers default it to 1. */
function bounds(m: LinearModel): string[] {
  const out: string[] = [];
  const lower = m.colLower;
  const upper = m.colUpper;
  const integer = m.integer;
  for (let j = 0; j < m.numCols; j++) {
    const lo = lower[j];
    const up = upper[j];
    if (lo === up) {
      out.push(` FX BND C${j} ${lo}`);
      continue;
    }
    if (lo === Number.NEGATIVE_INFINITY && up === Number.POSITIVE_INFINITY) {
      out.push(` FR BND C${j}`);
      continue;
    }
    if (lo === Number.NEGATIVE_INFINITY) out.push(` MI BND C${j}`);
    else if (lo !== 0) out.push(` LO BND C${j} ${lo}`);
    if (Number.isFinite(up)) out.push(` UP BND C${j} ${up}`);
    else if (integer[j]) out.push(` PL BND C${j}`);
  }
  return out;
}

/** The rows' CSR storage turned column-wise, as MPS lists the matrix. */
function columns(m: LinearModel): { start: Int32Array; row: Int32Array; value: Float64Array } {
  const rowStart = m.rowStart;
  const rowIndex = m.rowIndex;
  const rowValue = m.rowValue;
  const start = new Int32Array(m.numCols + 1);
  for (let k = 0; k < rowIndex.length; k++) start[rowIndex[k] + 1]++;
  for (let j = 0; j < m.numCols; j++) start[j + 1] += start[j];
  const fill = start.slice(0, m.numCols);
  const row = new Int32Array(rowIndex.length);
  const value = new Float64Array(rowIndex.length);
  for (let i = 0; i < m.numRows; i++) {
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      const at = fill[rowIndex[k]]++;
      row[at] = i;
      value[at] = rowValue[k];
    }
  }
  return { start, row, value };
}

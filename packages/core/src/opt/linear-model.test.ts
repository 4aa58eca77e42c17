import { describe, expect, it } from 'vitest';
import { LinearModel } from './linear-model.js';

describe('linear model rows', () => {
  it('store increasing distinct columns, summing repeats and dropping zeros, in any input order', () => {
    const m = new LinearModel();
    for (const name of ['a', 'b', 'c']) m.addVariable({ name });
    m.addConstraint({
      name: 'sorted',
      lower: 0,
      terms: [
        [0, 1],
        [2, 3],
      ],
    });
    m.addConstraint({
      name: 'mixed',
      upper: 1,
      terms: [
        [2, 1],
        [0, 2],
        [2, 4],
        [1, 5],
        [1, -5],
      ],
    });
    expect([...m.rowIndex]).toEqual([0, 2, 0, 2]);
    expect([...m.rowValue]).toEqual([1, 3, 2, 5]);
    expect([...m.rowStart]).toEqual([0, 2, 4]);
  });

  it('names the row and the variable of a bad coefficient', () => {
    const m = new LinearModel();
    m.addVariable({ name: 'x' });
    expect(() => m.addConstraint({ name: 'r', terms: [[0, Number.NaN]] })).toThrow(
      /constraint r: coefficient of x/,
    );
    expect(() => m.addConstraint({ name: 'r', terms: [[3, 1]] })).toThrow(/constraint r: no variable 3/);
    expect(m.numRows).toBe(0);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { TimeoutError } from '../errors/index.js';
import { HighsSolver, LinearModel } from '../opt/index.js';
import { Prng } from '../random/index.js';
import { WorkerLpSolver } from './worker-solver.js';

/** A random transport-like LP: supplies with costs meeting demands through capacity rows. */
function randomLp(seed: number, n: number): LinearModel {
  const r = new Prng(seed);
  const m = new LinearModel();
  const cols = Array.from({ length: n }, (_, j) =>
    m.addVariable({ name: `x${j}`, upper: r.uniform(1, 10), cost: r.uniform(-5, 20) }),
  );
  for (let i = 0; i < n / 4; i++) {
    const terms = Array.from({ length: 6 }, (): [number, number] => [r.pick(cols), r.uniform(0.5, 2)]);
    m.addConstraint({ name: `cap${i}`, upper: r.uniform(5, 30), terms });
  }
  m.addConstraint({ name: 'demand', lower: n, terms: cols.map((c): [number, number] => [c, 1]) });
  return m;
}

const workers: WorkerLpSolver[] = [];
const make = (o?: ConstructorParameters<typeof WorkerLpSolver>[0]) => {
  const w = new WorkerLpSolver(o);
  workers.push(w);
  return w;
};
afterAll(() => {
  for (const w of workers) w.close();
});

describe('HiGHS in a recyclable worker thread', () => {
  it('gives the same solution, duals and basis as HiGHS on the calling thread', async () => {
    const direct = await HighsSolver.create();
    const worker = make();
    for (const seed of [1, 2, 3]) {
      const m = randomLp(seed, 200);
      const a = direct.solve(m);
      const b = worker.solve(m);
      expect(b.status).toBe(a.status);
      expect(b.objective).toBeCloseTo(a.objective, 9);
      expect([...b.x]).toEqual([...a.x]);
      expect([...b.rowDual]).toEqual([...a.rowDual]);
      expect(b.basis && [...b.basis.rowStatus]).toEqual(a.basis && [...a.basis.rowStatus]);
    }
    expect(worker.write(randomLp(1, 20), 'lp')).toContain('cap0');
  });

  it('stops a call past its hard limit, replaces the worker, and the next call is answered', () => {
    // the first call also loads the WebAssembly runtime, which takes far longer than a millisecond
    const worker = make({ hardLimitSec: 0.001 });
    expect(() => worker.solve(randomLp(4, 400))).toThrow(TimeoutError);
    expect(worker.generation).toBe(2);
  });

  it('replaces a worker whose solver holds more memory than allowed, without losing answers', () => {
    const worker = make({ recycleAboveBytes: 1 });
    const first = worker.solve(randomLp(5, 100));
    const second = worker.solve(randomLp(5, 100));
    expect(worker.generation).toBe(3);
    expect(second.objective).toBe(first.objective);
  });
});

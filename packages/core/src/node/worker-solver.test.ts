import { afterAll, describe, expect, it } from 'vitest';
import { TimeoutError } from '../errors/index.js';
import { HighsSolver } from '../opt/index.js';
import { randomLp } from '../opt/solver-suite.js';
import { lpSolverSuite } from '../testing.js';
import { WorkerLpSolver } from './worker-solver.js';

lpSolverSuite('HiGHS in a worker thread', async () => new WorkerLpSolver(), HighsSolver.create);

const workers: WorkerLpSolver[] = [];
const make = (o?: ConstructorParameters<typeof WorkerLpSolver>[0]) => {
  const w = new WorkerLpSolver(o);
  workers.push(w);
  return w;
};
afterAll(async () => {
  for (const w of workers) await w.close();
});

describe('HiGHS in a recyclable worker thread', () => {
  it('gives the same solution, duals and basis as HiGHS on the calling thread', async () => {
    const direct = await HighsSolver.create();
    const worker = make();
    for (const seed of [1, 2, 3]) {
      const m = randomLp(seed, 200);
      const a = await direct.solve(m);
      const b = await worker.solve(m);
      expect(b.status).toBe(a.status);
      expect([...b.x]).toEqual([...a.x]);
      expect([...b.rowDual]).toEqual([...a.rowDual]);
      expect(b.basis && [...b.basis.rowStatus]).toEqual(a.basis && [...a.basis.rowStatus]);
    }
    expect(await worker.write(randomLp(1, 20), 'lp')).toContain('cap0');
  });

  it('answers calls made at once, each with its own model', async () => {
    const worker = make();
    const models = [5, 6, 7].map((seed) => randomLp(seed, 150));
    const answers = await Promise.all(models.map((m) => worker.solve(m)));
    const direct = await HighsSolver.create();
    for (const [i, m] of models.entries())
      expect(answers[i].objective).toBe((await direct.solve(m)).objective);
  });

  it('stops a call past its hard limit, replaces the worker, and the next call is answered', async () => {
    // the first call also loads the WebAssembly runtime, which takes far longer than a millisecond
    const worker = make({ hardLimitSec: 0.001 });
    await expect(worker.solve(randomLp(4, 400))).rejects.toThrow(TimeoutError);
    expect(worker.generation).toBe(2);
  });

  it('replaces a worker whose solver holds more memory than allowed, without losing answers', async () => {
    const worker = make({ recycleAboveBytes: 1 });
    const first = await worker.solve(randomLp(5, 100));
    const second = await worker.solve(randomLp(5, 100));
    expect(worker.generation).toBe(3);
    expect(second.objective).toBe(first.objective);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScript } from '../grid/powerflow/index.js';
import { clearMarket, parseOrders } from '../market/index.js';
import { nodeScriptHost } from '../node.js';
import { HighsSolver, LinearModel, toMps } from '../opt/index.js';
import { lpSolverSuite } from '../testing.js';
import { CoinSolver } from './coin-solver.js';

const available = CoinSolver.available();
if (!available) console.log('skipped: COIN-OR CLP/CBC not installed (apt-get install coinor-clp coinor-cbc)');

if (available) lpSolverSuite('COIN-OR CLP/CBC', async () => new CoinSolver(), HighsSolver.create);

describe('COIN-OR CLP/CBC', () => {
  it('names a missing executable and how to install it', async () => {
    const m = new LinearModel();
    m.addVariable({ name: 'x', cost: 1 });
    await expect(new CoinSolver({ clp: 'no-such-clp-here' }).solve(m)).rejects.toThrow(
      /no-such-clp-here.*coinor-clp/,
    );
  });

  it('gets an MPS file that declares every column, even one without entries', () => {
    const m = new LinearModel();
    m.addVariable({ name: 'lonely', cost: 2, upper: 3, integer: true });
    const text = toMps(m);
    expect(text).toMatch(/MARKER 'MARKER' 'INTORG'\n C0 OBJ 2\n MARKER 'MARKER' 'INTEND'/);
    expect(text).toMatch(/UP BND C0 3/);
  });
});

describe.skipIf(!available)('the local energy market on COIN-OR CLP/CBC', () => {
  it('clears the example day ahead as HiGHS does: the same schedules, DLMPs and status', async () => {
    const dir = fileURLToPath(new URL('../../../../examples/feeders/gridtier-demo/', import.meta.url));
    const state = runScript(nodeScriptHost, join(dir, 'master.dss')).state;
    const doc = JSON.parse(readFileSync(join(dir, 'orders-dam.json'), 'utf8'));
    const [a, b] = [
      await clearMarket(state, parseOrders(doc), await HighsSolver.create()),
      await clearMarket(state, parseOrders(doc), new CoinSolver()),
    ];
    expect(b.status).toBe(a.status);
    expect(b.objectiveUsd).toBeCloseTo(a.objectiveUsd, 4);
    b.dlmp.forEach((d, i) => {
      expect(d.total).toBeCloseTo(a.dlmp[i].total, 3);
    });
    b.schedules.forEach((s, i) => {
      s.kw.forEach((kw, t) => {
        expect(kw).toBeCloseTo(a.schedules[i].kw[t], 3);
      });
    });
  }, 120_000);
});

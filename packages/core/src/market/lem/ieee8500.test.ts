import { describe, expect, it } from 'vitest';
import { runScript } from '../../grid/powerflow/index.js';
import { nodeScriptHost } from '../../node.js';
import { HighsSolver } from '../../opt/index.js';
import { parseOrders } from '../orders/index.js';
import { clearMarket } from './clear.js';
import { marketBuses, sharedCase, syntheticOrders } from './test-support.js';

const ieee8500 = sharedCase('ieee8500.dss');
if (!ieee8500) console.log('skipped: the IEEE 8500 market test needs ../shared beside the repository');

describe.skipIf(!ieee8500)('the local energy market on IEEE 8500', () => {
  it('clears a real-time interval of 200 orders with every DLMP whole and every limit it exceeds relaxed by name', async () => {
    const run = runScript(nodeScriptHost, ieee8500!);
    const orders = syntheticOrders(marketBuses(run.solver!.network), 200, 0, 2026);
    const r = await clearMarket(
      run.state,
      parseOrders({ market: 'rtm', isoPrices: [62], orders }),
      await HighsSolver.create(),
    );
    expect(r.rejected).toEqual([]);
    expect(['optimal', 'relaxed']).toContain(r.status);
    expect(r.convergence.converged).toBe(true);
    expect(Math.abs(r.substationKw[0] - r.acSubstationKw[0])).toBeLessThanOrEqual(
      r.convergence.balanceToleranceKw,
    );
    for (const d of r.dlmp) expect(d.energy + d.loss + d.congestion).toBeCloseTo(d.total, 9);
    // the feeder's own service lines are overloaded before any trade: each such limit is relaxed, and named
    const relaxed = new Set(r.slackUse.map((x) => x.name.replace(/ \(reversed\)$/, '')));
    for (const v of r.violations) expect(relaxed.has(v.name), v.name).toBe(true);
    // the money adds up: what everyone pays and is paid leaves the DSO's surplus
    const paid = r.settlement.reduce((a, l) => a + l.totalUsd, 0);
    expect(r.dsoSurplusUsd).toBeCloseTo(-paid, 6);
  }, 300_000);
});

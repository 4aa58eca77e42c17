import { beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../grid/powerflow/index.js';
import { nodeScriptHost } from '../../node.js';
import { HighsSolver } from '../../opt/index.js';
import { parseOrders } from '../orders/index.js';
import { BALANCE_TOLERANCE_KW, clearMarket } from './clear.js';
import { marketBuses, sharedCase, stateOf, syntheticOrders } from './test-support.js';

const ieee123 = sharedCase('ieee123.dss');
if (!ieee123) console.log('skipped: the IEEE 123 fixed-point tests need ../shared beside the repository');

let solver: HighsSolver;
beforeAll(async () => {
  solver = await HighsSolver.create();
});

/** The orders of a real-time interval and of a four-hour day-ahead market on IEEE 123. */
function documents(path: string) {
  const buses = marketBuses(runScript(nodeScriptHost, path).solver!.network);
  return [
    { market: 'rtm', isoPrices: [62], orders: syntheticOrders(buses, 200, 0, 7) },
    { market: 'dam', intervals: 4, isoPrices: [40, 50, 60, 70], orders: syntheticOrders(buses, 200, 10, 7) },
  ];
}

describe.skipIf(!ieee123)('the AC loop on IEEE 123', () => {
  // bus, phase: along the main feeder, a lateral, a single-phase tap, the far end
  const probes = [
    ['48', 1],
    ['76', 2],
    ['114', 1],
    ['66', 3],
  ] as const;

  it.each([0, 1])(
    'ends at a fixed point whose DLMPs are the marginal costs at 0.5 and 5 kW (case %i)',
    async (k) => {
      const doc = documents(ieee123!)[k];
      const clear = (extra: string) =>
        clearMarket(stateOf(`Redirect ${ieee123}\n${extra}`), parseOrders(doc), solver);
      const base = await clear('');
      expect(base.status).toBe('optimal');
      expect(base.convergence.converged).toBe(true);
      expect(base.convergence.balanceMismatchKw).toBeLessThanOrEqual(BALANCE_TOLERANCE_KW);
      expect(base.iterations.at(-1)!.balanceMismatchKw).toBe(base.convergence.balanceMismatchKw);
      base.substationKw.forEach((kw, t) => {
        expect(Math.abs(kw - base.acSubstationKw[t])).toBeLessThanOrEqual(BALANCE_TOLERANCE_KW);
      });
      for (const [bus, phase] of probes) {
        const dlmps = base.dlmp.filter((d) => d.bus === bus && d.phase === phase);
        const dlmp = dlmps.reduce((a, d) => a + d.total, 0) / dlmps.length;
        for (const [epsKw, within] of [
          [0.5, 0.01],
          [5, 0.02],
        ]) {
          const more = await clear(`New Load.eps bus1=${bus}.${phase} phases=1 kv=2.4 kw=${epsKw} pf=1\n`);
          expect(more.convergence.converged).toBe(true);
          // one more kW withdrawn in every interval costs the average DLMP of the intervals
          const energyMwh = (epsKw * base.intervalHours * base.intervals) / 1000;
          const marginal = (more.objectiveUsd - base.objectiveUsd) / energyMwh;
          expect(Math.abs(marginal - dlmp), `${bus}.${phase} at ${epsKw} kW`).toBeLessThan(
            within * Math.abs(dlmp),
          );
        }
      }
    },
    120_000,
  );
});

describe.skipIf(!ieee123)('the reduced market model on IEEE 123', () => {
  // loose voltage limits (one line binds) and tight ones (dozens of voltages bind and are relaxed)
  it.each([
    [200, 0.95],
    [30, 0.985],
  ])(
    'prices as the full model does (%i orders, vmin %f pu)',
    async (count, vminPu) => {
      const net = runScript(nodeScriptHost, ieee123!);
      const doc = {
        market: 'rtm',
        isoPrices: [62],
        voltageLimitsPu: [vminPu, 1.05],
        orders: syntheticOrders(marketBuses(net.solver!.network), count, 0, 7),
      };
      const full = await clearMarket(net.state, parseOrders(doc), solver, { fullModel: true });
      const reduced = await clearMarket(net.state, parseOrders(doc), solver);
      expect(full.model.reduced).toBe(false);
      expect(reduced.model.reduced).toBe(true);
      expect(reduced.status).toBe(full.status);
      expect(Math.abs(reduced.objectiveUsd - full.objectiveUsd)).toBeLessThan(
        1e-5 * Math.abs(full.objectiveUsd),
      );
      reduced.dlmp.forEach((d, i) => {
        const f = full.dlmp[i];
        expect(Math.abs(d.total - f.total)).toBeLessThanOrEqual(1e-3 * Math.max(Math.abs(f.total), 1));
      });
    },
    120_000,
  );
});

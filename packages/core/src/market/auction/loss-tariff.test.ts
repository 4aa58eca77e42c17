import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScript } from '../../grid/powerflow/index.js';
import { Linearization } from '../../grid/sensitivity/index.js';
import { nodeScriptHost } from '../../node.js';
import { lossTariff, payAsBid } from './index.js';
import { order } from './test-support.js';

const demo = fileURLToPath(
  new URL('../../../../../examples/feeders/gridtier-demo/master.dss', import.meta.url),
);

describe('loss factors from the power flow', () => {
  const run = runScript(nodeScriptHost, demo);
  const lin = new Linearization(run.solver!);
  const net = run.solver!.network;
  const tariff = lossTariff(lin, 0.01);
  const phaseNodes = (bus: string) =>
    net.busNodes[net.busIndex.get(bus)!].filter((k) => net.nodes[k].node >= 1 && net.nodes[k].node <= 3);
  // the forward response to 1 kW at each phase node: an independent path to the same number
  const lossPerKw = (bus: string) => {
    const ks = phaseNodes(bus);
    return ks.reduce((a, k) => a + lin.responseTo(k, 'p').dLossesKw, 0) / ks.length;
  };

  it('charges a trade toward the substation the losses it adds, and one away from it nothing', () => {
    const far = net.buses.reduce((best, b) =>
      phaseNodes(b).length && lossPerKw(b) < lossPerKw(best) ? b : best,
    );
    const source = net.buses[0];
    const toSource = tariff(far, source);
    expect(toSource.charge).toBe(0.01);
    expect(toSource.lossFactor).toBe(0);
    const fromSource = tariff(source, far);
    expect(fromSource.lossFactor).toBeGreaterThan(0);
    expect(fromSource.lossFactor).toBeCloseTo(lossPerKw(source) - lossPerKw(far), 9);
  });

  it('feeds a grid-aware market and names an unknown bus', () => {
    const buses = net.buses.filter((b) => phaseNodes(b).length === 3);
    const r = payAsBid(
      [
        { ...order('b', 'buy', 30, 5), bus: buses[buses.length - 1] },
        { ...order('s', 'sell', 10, 5), bus: buses[1] },
      ],
      { pricing: 'ask', grid: { tariff } },
    );
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0].sellerQuantity).toBeGreaterThanOrEqual(5);
    expect(() => tariff('nowhere', buses[1])).toThrow(/no bus "nowhere"/);
  });
});

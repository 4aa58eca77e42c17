import { describe, expect, it } from 'vitest';
import { orderSchema, tradeOrderSchema } from '../../market/orders/index.js';
import { FleetController } from '../control/index.js';
import { buildFleet, defaultFleetSpec } from '../devices/index.js';
import { regDSignal } from '../regulation/index.js';
import {
  followRegulation,
  regulationFleetSpec,
  supplyFunction,
  toLemOffer,
  toRegulationOffer,
  toTradeOrders,
  trackDispatch,
} from './index.js';

describe('VPP following a RegD-like signal', () => {
  it('scores at least 0.95 on the PJM performance score', () => {
    const fleet = buildFleet(regulationFleetSpec(20_000), 5);
    const c = new FleetController(fleet, { dtS: 2, fairnessSwapPerRound: 0.005 });
    for (let k = 0; k < 10; k++) c.round(Number.POSITIVE_INFINITY);
    const base = c.enabledKw;
    const run = followRegulation(c, regDSignal({ seed: 2 }), 2, 0.1 * base, 0.15 * base);
    expect(run.score.composite).toBeGreaterThanOrEqual(0.95);
    expect(run.score.delay).toBe(1);
    expect(run.response.length).toBe(1200);
  });
});

describe('VPP supply function and offers', () => {
  const spec = defaultFleetSpec(4_000);
  const steps = supplyFunction(spec, {
    seed: 3,
    holdS: 300,
    confidence: 0.95,
    pricesPerMwh: { green: 60, yellow: 140, red: 900 },
  });

  it('offers green then yellow at rising prices with the stated confidence', () => {
    expect(steps.map((s) => s.tier)).toEqual(['green', 'yellow']);
    expect(steps[0].quantityKw).toBeGreaterThan(0);
    expect(steps[1].quantityKw).toBeGreaterThan(0);
    for (const s of steps) expect(s.confidence).toBeGreaterThanOrEqual(0.95);
  });

  it('writes offers the markets accept', () => {
    const offer = toLemOffer(steps, { id: 'vpp-1', participant: 'agg', bus: 'b1' });
    expect(orderSchema.safeParse(offer).success).toBe(true);
    expect(offer.steps.map((s) => s.price)).toEqual([60, 140]);
    const orders = toTradeOrders(steps, 'agg', 15);
    for (const o of orders) expect(tradeOrderSchema.safeParse(o).success).toBe(true);
    expect(orders[0].quantity).toBeCloseTo(steps[0].quantityKw / 4, 9);
    const reg = toRegulationOffer(steps, 'reg-1', 'agg', 30, 0.97);
    expect(reg.capacityKw).toBeCloseTo((steps[0].quantityKw + steps[1].quantityKw) / 2, 9);
  });

  it('delivers a dispatch within the offered quantity', () => {
    const c = new FleetController(buildFleet(spec, 3), { dtS: 2 });
    const [d] = trackDispatch(c, [{ targetReductionKw: steps[0].quantityKw, durationS: 300 }]);
    expect(d.deliveryRatio).toBeGreaterThan(0.97);
  });
});

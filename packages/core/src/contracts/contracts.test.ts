import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Contract, chooseContract, optionPayoffUsd, settleContract } from './index.js';

const delivery = fc.record({
  spotUsdPerKwh: fc.double({ min: 0, max: 2, noNaN: true }),
  meteredKwh: fc.double({ min: 0, max: 50, noNaN: true }),
});

describe('household contracts', () => {
  it('an option’s value is never negative, and exercising never costs more than spot', () => {
    fc.assert(
      fc.property(
        delivery,
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 40, noNaN: true }),
        (d, strike, q) => {
          const option = {
            kind: 'option',
            id: 'o',
            quantityKwh: q,
            strikeUsdPerKwh: strike,
            premiumUsd: 1,
          } as const;
          expect(optionPayoffUsd(option, d)).toBeGreaterThanOrEqual(0);
          const spot = settleContract({ kind: 'spot', id: 's', quantityKwh: q }, d).totalUsd;
          const withOption = settleContract(option, d);
          expect(withOption.totalUsd - withOption.premiumUsd).toBeLessThanOrEqual(spot + 1e-9);
          expect(spot - (withOption.totalUsd - withOption.premiumUsd)).toBeCloseTo(
            optionPayoffUsd(option, d),
            9,
          );
        },
      ),
    );
  });

  it('settles a forward, indexed to temperature, against the meter: the rest at spot', () => {
    const forward: Contract = {
      kind: 'forward',
      id: 'f',
      quantityKwh: 10,
      priceUsdPerKwh: 0.2,
      index: { slopeUsdPerKwhPerUnit: 0.01, reference: 20 },
    };
    const s = settleContract(forward, { spotUsdPerKwh: 0.5, meteredKwh: 12, index: 25 });
    expect(s.contractUsd).toBeCloseTo(10 * 0.25, 12);
    expect(s.spotKwh).toBe(2);
    expect(s.totalUsd).toBeCloseTo(2.5 + 1, 12);
    // less used than contracted: the difference is sold back at spot
    expect(settleContract(forward, { spotUsdPerKwh: 0.5, meteredKwh: 8, index: 20 }).spotUsd).toBeCloseTo(
      -1,
      12,
    );
    expect(() => settleContract(forward, { spotUsdPerKwh: 0.5, meteredKwh: 8 })).toThrow(/index value/);
  });

  it('chooses by expected cost over the forecast: a forward when spot is expected dear, spot when cheap', () => {
    const offers: Contract[] = [
      { kind: 'spot', id: 'spot', quantityKwh: 10 },
      { kind: 'forward', id: 'fwd', quantityKwh: 10, priceUsdPerKwh: 0.3 },
      { kind: 'option', id: 'opt', quantityKwh: 10, strikeUsdPerKwh: 0.35, premiumUsd: 0.2 },
    ];
    const dear = [0.5, 0.6, 0.45].map((p) => ({ spotUsdPerKwh: p, meteredKwh: 10 }));
    const cheap = [0.1, 0.2, 0.15].map((p) => ({ spotUsdPerKwh: p, meteredKwh: 10 }));
    const mixed = [0.1, 0.9, 0.12, 0.15].map((p) => ({ spotUsdPerKwh: p, meteredKwh: 10 }));
    expect(chooseContract(offers, dear).id).toBe('fwd');
    expect(chooseContract(offers, cheap).id).toBe('spot');
    expect(chooseContract(offers, mixed).id).toBe('opt');
  });
});

import { priceAt } from '../../time/index.js';
import { type Prosumer, TICK_HOURS } from './profiles.js';
import type { P2pScenario } from './scenario.js';
import type { LayerTotals, P2pDayResult, P2pLedger } from './types.js';

const mean = (p: number | number[]) => (typeof p === 'number' ? p : p.reduce((a, x) => a + x, 0) / p.length);

/**
 * The day's result. The baseline is the top-down tariff with net metering: a prosumer that
 * imported on balance over the day is billed each five minutes' net energy at that time's retail
 * price (exports credited at it too, which is what net metering under a time-of-use tariff
 * does); one that exported on balance is credited its net export at the feed-in tariff. Billing
 * the baseline at the day's average retail price instead would flatter it whenever demand sits
 * in the dear hours.
 */
function touValue(netKwh: Float64Array, retail: number | number[]): number {
  let usd = 0;
  for (let t = 0; t < netKwh.length; t++) usd += priceAt(retail, t * TICK_HOURS) * netKwh[t];
  return usd;
}

export function report(
  s: P2pScenario,
  prosumers: Prosumer[],
  cash: Float64Array,
  ledger: { utilityUsd: number; isoUsd: number; operatorUsd: number },
  layers: LayerTotals,
): P2pDayResult {
  const feedIn = mean(s.feedInPerKwh);
  let prosumersKwh = 0;
  const days = prosumers.map((p, i) => {
    const netKwh = p.netKwh.reduce((a, x) => a + x, 0);
    prosumersKwh += netKwh;
    const baselineUsd = netKwh >= 0 ? feedIn * netKwh : touValue(p.netKwh, s.retailPerKwh);
    return {
      id: p.id,
      vpp: p.vpp,
      microgrid: p.microgrid,
      netKwh,
      hierarchyUsd: cash[i],
      baselineUsd,
      savingsUsd: cash[i] - baselineUsd,
    };
  });
  const savings = days.map((d) => d.savingsUsd).sort((a, b) => a - b);
  const book: P2pLedger = {
    prosumersUsd: cash.reduce((a, x) => a + x, 0),
    utilityUsd: ledger.utilityUsd,
    isoUsd: ledger.isoUsd,
    operatorUsd: ledger.operatorUsd,
  };
  return {
    prosumers: days,
    layers,
    ledger: book,
    energy: {
      prosumersKwh,
      deliveredKwh: layers.layer2.kwh - layers.fallback.undeliveredKwh,
      exportKwh: layers.fallback.exportKwh,
      importKwh: layers.fallback.importKwh,
    },
    summary: {
      prosumers: days.length,
      totalSavingsUsd: savings.reduce((a, x) => a + x, 0),
      medianSavingsUsd: savings.length ? savings[savings.length >> 1] : 0,
      savingShare: savings.filter((x) => x > 1e-9).length / Math.max(1, savings.length),
    },
  };
}

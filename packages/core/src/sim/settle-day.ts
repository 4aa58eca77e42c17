import * as L from '../ledger/index.js';
import type { Layer1Trade } from '../market/index.js';
import { type SiteDay, STEP_HOURS, STEPS } from './profiles.js';

/** The day's settlement on the ledger: totals, and the invariants it must keep. */
export interface SettlementDay {
  intervals: number;
  trades: number;
  contractedWh: number;
  deliveredWh: number;
  shortfallWh: number;
  paidMicroUsd: number;
  imbalanceMicroUsd: number;
  /** every asset's balances summed over all accounts: zero when money and tokens only moved */
  sums: { usd: number; energy: number; loyalty: number };
  /** energy tokens held by buyers, Wh: equal to the verified delivery */
  energyTokensWh: number;
  merkleRoots: string[];
}

const SLOT_STEPS = 6; // Layer I trades 30-minute slots
const usdToMicroPerWh = (usdPerKwh: number) => Math.round(usdPerKwh * 1000);

/**
 * Settles the Layer I trades slot by slot on a ledger: each seller's contracted export against
 * its metered export in the slot, the readings signed by the DSO's meter oracle; energy tokens
 * for what was delivered, the shortfall bought back at the retail price.
 */
export async function settleDay(
  ledger: L.Ledger,
  ids: readonly string[],
  days: readonly SiteDay[],
  trades: readonly Layer1Trade[],
  oracleKey: Uint8Array,
  retailUsdPerKwhAt: (hour: number) => number,
  crypto: L.CryptoSuite,
): Promise<SettlementDay> {
  const out: SettlementDay = {
    intervals: 0,
    trades: trades.length,
    contractedWh: 0,
    deliveredWh: 0,
    shortfallWh: 0,
    paidMicroUsd: 0,
    imbalanceMicroUsd: 0,
    sums: { usd: 0, energy: 0, loyalty: 0 },
    energyTokensWh: 0,
    merkleRoots: [],
  };
  const bySlot = new Map<number, Layer1Trade[]>();
  for (const t of trades) {
    const list = bySlot.get(t.slot) ?? [];
    list.push(t);
    bySlot.set(t.slot, list);
  }
  let nonce = 0;
  for (const [slot, list] of [...bySlot].sort((a, b) => a[0] - b[0])) {
    const blocks = new Map<number, number>();
    const settlementTrades: L.SettlementTrade[] = list.map((t, i) => {
      const block = blocks.get(t.seller) ?? 0;
      blocks.set(t.seller, block + 1);
      return {
        id: `s${slot}-${i}`,
        seller: ids[t.seller],
        buyer: ids[t.buyer],
        slot,
        block,
        energyWh: Math.round(t.kwh * 1000),
        priceMicroPerWh: usdToMicroPerWh(t.sellerUsdPerKwh),
      };
    });
    const sellers = [...new Set(list.map((t) => t.seller))];
    const readings = sellers.map((p) => ({
      meter: `meter-${ids[p]}`,
      account: ids[p],
      slot,
      energyWh: Math.round(exportedKwh(days[p], slot) * 1000),
      nonce: ++nonce,
    }));
    const receipt = await ledger.settleInterval({
      interval: `slot-${slot}`,
      trades: settlementTrades.filter((t) => t.energyWh > 0),
      readings: [L.signReadings(readings, oracleKey, crypto)],
      fallbackPriceMicroPerWh: usdToMicroPerWh(retailUsdPerKwhAt(slot / 2)),
    });
    out.intervals++;
    out.deliveredWh += receipt.deliveredWh;
    out.shortfallWh += receipt.shortfallWh;
    for (const s of receipt.statements) {
      out.paidMicroUsd += s.paidMicroUsd;
      out.imbalanceMicroUsd += s.imbalanceMicroUsd;
    }
    out.merkleRoots.push(receipt.merkleRoot);
  }
  out.contractedWh = out.deliveredWh + out.shortfallWh;
  for (const asset of ['usd', 'energy', 'loyalty'] as const)
    for (const a of [...ids, L.ISSUER, L.FALLBACK]) out.sums[asset] += await ledger.balance(a, asset);
  for (const a of ids) out.energyTokensWh += await ledger.balance(a, 'energy');
  return out;
}

/** What a site exported in a 30-minute slot, kWh: its metered delivery into the grid. */
function exportedKwh(d: SiteDay, slot: number): number {
  let kwh = 0;
  for (let k = slot * SLOT_STEPS; k < Math.min(STEPS, (slot + 1) * SLOT_STEPS); k++)
    kwh += Math.max(0, d.netKw[k]) * STEP_HOURS;
  return kwh;
}

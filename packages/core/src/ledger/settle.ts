import { SettlementRefusedError } from '../errors/index.js';
import type { CryptoSuite } from './crypto.js';
import type { Entry, Journal, Transaction } from './journal.js';
import { intervalLeaves } from './leaves.js';
import { type LoyaltyRule, loyaltyBurned, loyaltyEarned } from './loyalty.js';
import { merkleRoot, toHex } from './merkle.js';
import { readingsMessage } from './meter-reading.js';
import type { IntervalBatch, SettlementReceipt, SettlementTrade, Statement } from './types.js';

/** Accounts the settlement itself uses. */
export const ISSUER = 'issuer';
export const FALLBACK = 'fallback-supplier';

export interface Registry {
  /** meter → its account and the address of the oracle that signs its readings */
  meters: Map<string, { account: string; oracle: string }>;
  /** energy blocks already sold: seller|slot|block → which sale (trade, interval) */
  soldBlocks: Map<string, string>;
  /** intervals settled: an interval settles once */
  intervals: Set<string>;
  /** readings already used: meter|nonce */
  usedReadings: Set<string>;
  settledTrades: Set<string>;
}

export interface SettlementPlan {
  txs: Transaction[];
  receipt: SettlementReceipt;
  /** Wh delivered per trade, in the batch's order */
  deliveredWh: number[];
  commit: () => void;
}

/**
 * Settles one interval: each seller's contracted energy per slot against its signed, metered
 * delivery; energy tokens minted to the buyers for what was delivered (and only that); the buyer
 * pays the contract price for all it bought; the seller is paid for it too but buys every
 * undelivered Wh back at the fallback price, which goes to the fallback supplier that delivered
 * it. Everything but the journal's own balance checks is done here; the journal checks every
 * transaction before posting any, so an interval settles whole or not at all. Returns the
 * transactions to post and the receipt; throws the first reason to refuse as a
 * SettlementRefusedError.
 */
export function planSettlement(
  batch: IntervalBatch,
  journal: Journal,
  registry: Registry,
  loyalty: LoyaltyRule,
  suite: CryptoSuite,
): SettlementPlan {
  const refuse = (why: string): never => {
    throw new SettlementRefusedError(`interval ${batch.interval} refused: ${why}`, {
      details: { interval: batch.interval, reason: why },
    });
  };
  if (registry.intervals.has(batch.interval)) refuse(`interval ${batch.interval} was already settled`);
  if (!Number.isSafeInteger(batch.fallbackPriceMicroPerWh) || batch.fallbackPriceMicroPerWh < 0)
    refuse(`fallback price ${batch.fallbackPriceMicroPerWh} must be a non-negative integer (µ$ per Wh)`);
  const tradeIds = new Set<string>();
  const blocks = new Set<string>();
  for (const t of batch.trades) checkTrade(t, journal, registry, tradeIds, blocks, refuse);
  const metered = new Map<string, number>();
  const used = new Set<string>();
  for (const signed of batch.readings) {
    if (!suite.verify(readingsMessage(signed.readings, suite), signed.signature, signed.oracle))
      refuse(`readings of oracle ${signed.oracle.slice(0, 18)}…: the signature does not match them`);
    for (const r of signed.readings) {
      const meter = registry.meters.get(r.meter);
      if (!meter) refuse(`reading of unknown meter "${r.meter}"`);
      if (meter!.account !== r.account)
        refuse(`meter ${r.meter} belongs to ${meter!.account}, not ${r.account}`);
      if (meter!.oracle !== signed.oracle.toLowerCase())
        refuse(`reading of ${r.meter} slot ${r.slot}: not signed by its oracle`);
      for (const [field, v] of [
        ['energyWh', r.energyWh],
        ['slot', r.slot],
        ['nonce', r.nonce],
      ] as const)
        if (!Number.isSafeInteger(v) || v < 0)
          refuse(`reading of ${r.meter}: ${field} ${v} must be a non-negative integer`);
      const id = `${r.meter}|${r.nonce}`;
      if (registry.usedReadings.has(id) || used.has(id))
        refuse(`reading of ${r.meter} slot ${r.slot} nonce ${r.nonce} was already used`);
      used.add(id);
      const key = `${r.account}|${r.slot}`;
      metered.set(key, (metered.get(key) ?? 0) + r.energyWh);
    }
  }

  const statements = new Map<string, Statement>();
  const line = (account: string) => {
    let s = statements.get(account);
    if (!s) {
      s = {
        account,
        paidMicroUsd: 0,
        receivedMicroUsd: 0,
        imbalanceMicroUsd: 0,
        energyTokensWh: 0,
        loyalty: 0,
      };
      statements.set(account, s);
    }
    return s;
  };
  const txs: Transaction[] = [];
  const perTrade = new Map<SettlementTrade, number>();
  let deliveredWh = 0;
  let shortfallWh = 0;
  for (const [key, trades] of bySellerSlot(batch.trades)) {
    const contracted = trades.reduce((a, t) => a + t.energyWh, 0);
    const delivered = allocate(Math.min(contracted, metered.get(key) ?? 0), trades);
    trades.forEach((t, i) => {
      const d = delivered[i];
      perTrade.set(t, d);
      const short = t.energyWh - d;
      const pay = t.energyWh * t.priceMicroPerWh;
      const imbalance = short * batch.fallbackPriceMicroPerWh;
      const earned = loyaltyEarned(d, loyalty);
      txs.push({
        id: `${batch.interval}/${t.id}`,
        memo: `trade ${t.id}: ${d} of ${t.energyWh} Wh delivered`,
        entries: (
          [
            { account: t.buyer, asset: 'usd', amount: -pay },
            { account: t.seller, asset: 'usd', amount: pay - imbalance },
            { account: FALLBACK, asset: 'usd', amount: imbalance },
            { account: ISSUER, asset: 'energy', amount: -d },
            { account: t.buyer, asset: 'energy', amount: d },
            { account: ISSUER, asset: 'loyalty', amount: -earned },
            { account: t.seller, asset: 'loyalty', amount: earned },
          ] satisfies Entry[]
        ).filter((e) => e.amount !== 0),
      });
      line(t.buyer).paidMicroUsd += pay;
      line(t.buyer).energyTokensWh += d;
      line(t.seller).receivedMicroUsd += pay;
      line(t.seller).imbalanceMicroUsd += imbalance;
      line(t.seller).loyalty += earned;
      deliveredWh += d;
      shortfallWh += short;
    });
  }
  for (const s of statements.values()) checkFunds(s, journal, refuse);
  const receipt: SettlementReceipt = {
    interval: batch.interval,
    merkleRoot: toHex(
      merkleRoot(
        intervalLeaves(
          batch.trades,
          batch.readings.flatMap((b) => b.readings),
          suite,
        ),
        suite.sha256,
      ),
    ),
    deliveredWh,
    shortfallWh,
    statements: [...statements.values()],
  };
  const commit = () => {
    for (const t of batch.trades) {
      registry.soldBlocks.set(
        `${t.seller}|${t.slot}|${t.block}`,
        `trade ${t.id} of interval ${batch.interval}`,
      );
      registry.settledTrades.add(t.id);
    }
    for (const id of used) registry.usedReadings.add(id);
    registry.intervals.add(batch.interval);
  };
  return { txs, receipt, deliveredWh: batch.trades.map((t) => perTrade.get(t)!), commit };
}

/** The burns of the loyalty rule after an interval, one transaction per holder. */
export function loyaltyBurns(interval: string, journal: Journal, rule: LoyaltyRule): Transaction[] {
  const txs: Transaction[] = [];
  for (const account of journal.accounts()) {
    if (account === ISSUER) continue;
    const burn = loyaltyBurned(journal.balance(account, 'loyalty'), rule);
    if (burn > 0)
      txs.push({
        id: `${interval}/burn/${account}`,
        memo: 'loyalty burn',
        entries: [
          { account, asset: 'loyalty', amount: -burn },
          { account: ISSUER, asset: 'loyalty', amount: burn },
        ],
      });
  }
  return txs;
}

function checkTrade(
  t: SettlementTrade,
  journal: Journal,
  registry: Registry,
  ids: Set<string>,
  blocks: Set<string>,
  refuse: (why: string) => never,
): void {
  if (ids.has(t.id) || registry.settledTrades.has(t.id)) refuse(`trade ${t.id}: settled twice`);
  ids.add(t.id);
  for (const [field, v] of [
    ['energyWh', t.energyWh],
    ['priceMicroPerWh', t.priceMicroPerWh],
    ['slot', t.slot],
    ['block', t.block],
  ] as const)
    if (!Number.isSafeInteger(v) || v < 0)
      refuse(`trade ${t.id}: ${field} ${v} must be a non-negative integer`);
  for (const who of [t.seller, t.buyer])
    if (!journal.has(who)) refuse(`trade ${t.id}: unknown account "${who}"`);
  if (t.seller === t.buyer) refuse(`trade ${t.id}: seller and buyer are the same account`);
  const block = `${t.seller}|${t.slot}|${t.block}`;
  const sold = registry.soldBlocks.get(block);
  if (sold !== undefined || blocks.has(block))
    refuse(
      `trade ${t.id}: energy block ${t.block} of ${t.seller} in slot ${t.slot} was already sold${sold ? ` (${sold})` : ''}`,
    );
  blocks.add(block);
}

/**
 * Payment tokens are prepaid: an account's net payment in an interval must be covered by what
 * it holds, or the interval is refused (a contract's token transfer would revert the same way).
 */
function checkFunds(s: Statement, journal: Journal, refuse: (why: string) => never): void {
  if (s.account === FALLBACK) return;
  const net = s.receivedMicroUsd - s.imbalanceMicroUsd - s.paidMicroUsd;
  const held = journal.balance(s.account, 'usd');
  if (held + net < 0)
    refuse(`account ${s.account} must pay ${-net} µ$ net but holds ${held} µ$ of payment tokens`);
}

function bySellerSlot(trades: readonly SettlementTrade[]): Map<string, SettlementTrade[]> {
  const out = new Map<string, SettlementTrade[]>();
  for (const t of trades) {
    const key = `${t.seller}|${t.slot}`;
    const list = out.get(key) ?? [];
    list.push(t);
    out.set(key, list);
  }
  return out;
}

/**
 * Splits a seller's delivered energy over its trades in proportion to their size, in whole Wh
 * (largest remainders, ties to the earlier trade), so the parts add up exactly.
 */
export function allocate(totalWh: number, trades: readonly SettlementTrade[]): number[] {
  const contracted = trades.reduce((a, t) => a + t.energyWh, 0);
  if (contracted === 0) return trades.map(() => 0);
  const exact = trades.map((t) => (totalWh * t.energyWh) / contracted);
  const parts = exact.map(Math.floor);
  let left = totalWh - parts.reduce((a, x) => a + x, 0);
  const order = exact.map((x, i) => ({ r: x - Math.floor(x), i })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]++;
    left--;
  }
  return parts;
}

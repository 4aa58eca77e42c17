import type { MeterReadings } from '../agents/index.js';
import type { Engine, EngineEvent, Session } from '../engine/index.js';
import { PHASE } from '../engine/index.js';
import * as L from '../ledger/index.js';
import { hoursOf, MS_PER_HOUR, minutesMs, PRODUCTS } from '../time/index.js';
import type { PairedTrade } from '../venues/index.js';

const SLOT_MINUTES = PRODUCTS.ahead30.intervalMinutes;
const usdToMicroPerWh = (usdPerKwh: number) => Math.round(usdPerKwh * 1000);

/** `ledger.settled`: one Layer I slot settled on the ledger. */
export interface SlotSettled {
  slot: number;
  trades: number;
  deliveredWh: number;
  shortfallWh: number;
  paidMicroUsd: number;
  imbalanceMicroUsd: number;
  merkleRoot: string;
}

/** `ledger.closed`: the ledger's totals at the end of the day, and the invariants it must keep. */
export interface LedgerClosed {
  /** every asset's balances summed over all accounts: zero when money and tokens only moved */
  sums: { usd: number; energy: number; loyalty: number };
  /** energy tokens held by buyers, Wh: equal to the verified delivery */
  energyTokensWh: number;
}

/**
 * The settlement operator: the Layer I trades of each 30-minute slot settled on a ledger once
 * the slot's meter readings are in — each seller's contracted export against its metered export,
 * the readings signed by the DSO's meter oracle; energy tokens minted for what was delivered, the
 * shortfall bought at the retail price and charged to the seller.
 */
export class SettlementOperator {
  private readonly trades = new Map<number, PairedTrade[]>();
  private readonly exportWh = new Map<number, Map<string, number>>();
  private sites: string[] = [];
  private nonce = 0;

  constructor(
    private readonly ledger: L.Ledger,
    private readonly oracleKey: Uint8Array,
    private readonly crypto: L.CryptoSuite,
    private readonly dayStartMs: number,
    private readonly retailUsdPerKwh: readonly number[],
  ) {}

  /** The hook a Layer I market reports its matches to. */
  readonly onTrades = (session: Session, trades: readonly PairedTrade[]): void => {
    const slot = this.slotOf(session.deliveryStartMs);
    const list = this.trades.get(slot) ?? [];
    list.push(...trades);
    this.trades.set(slot, list);
  };

  private slotOf(t: number): number {
    return Math.floor((t - this.dayStartMs) / minutesMs(SLOT_MINUTES));
  }

  async open(accounts: readonly string[]): Promise<void> {
    const oracle = L.oraclePublicKey(this.oracleKey);
    for (const a of accounts) {
      await this.ledger.openAccount(a);
      await this.ledger.deposit(a, 1e12);
      await this.ledger.registerMeter(`meter-${a}`, a, oracle);
    }
  }

  attach(engine: Engine, slots: number): void {
    engine.observe(
      ['meter.readings'],
      (e: EngineEvent) => {
        const m = e.payload as MeterReadings;
        if (m.sites) this.sites = m.sites;
        const slot = this.slotOf(m.startMs);
        const byAccount = this.exportWh.get(slot) ?? new Map<string, number>();
        const hours = hoursOf(m.intervalMinutes);
        m.netKw.forEach((kw, i) => {
          if (kw > 0) byAccount.set(this.sites[i], (byAccount.get(this.sites[i]) ?? 0) + kw * hours * 1000);
        });
        this.exportWh.set(slot, byAccount);
      },
      { all: true },
    );
    for (let s = 0; s < slots; s++)
      engine.at(
        this.dayStartMs + (s + 1) * minutesMs(SLOT_MINUTES) + minutesMs(2),
        PHASE.world,
        'ledger',
        () => this.settle(engine, s),
      );
    engine.at(this.dayStartMs + slots * minutesMs(SLOT_MINUTES) + minutesMs(3), PHASE.world, 'ledger', () =>
      this.close(engine),
    );
  }

  private async settle(engine: Engine, slot: number): Promise<void> {
    const list = this.trades.get(slot) ?? [];
    if (list.length === 0) return;
    const blocks = new Map<string, number>();
    const trades: L.SettlementTrade[] = [];
    list.forEach((t, i) => {
      const energyWh = Math.round(t.kwh * 1000);
      if (energyWh <= 0) return;
      const block = blocks.get(t.seller) ?? 0;
      blocks.set(t.seller, block + 1);
      trades.push({
        id: `s${slot}-${i}`,
        seller: t.seller,
        buyer: t.buyer,
        slot,
        block,
        energyWh,
        priceMicroPerWh: usdToMicroPerWh(t.sellerUsdPerKwh),
      });
    });
    const exported = this.exportWh.get(slot) ?? new Map<string, number>();
    const readings = [...new Set(trades.map((t) => t.seller))].map((a) => ({
      meter: `meter-${a}`,
      account: a,
      slot,
      energyWh: Math.round(exported.get(a) ?? 0),
      nonce: ++this.nonce,
    }));
    const hour = Math.floor((slot * minutesMs(SLOT_MINUTES)) / MS_PER_HOUR);
    const receipt = await this.ledger.settleInterval({
      interval: `slot-${slot}`,
      trades,
      readings: [L.signReadings(readings, this.oracleKey, this.crypto)],
      fallbackPriceMicroPerWh: usdToMicroPerWh(this.retailUsdPerKwh[hour]),
    });
    const out: SlotSettled = {
      slot,
      trades: trades.length,
      deliveredWh: receipt.deliveredWh,
      shortfallWh: receipt.shortfallWh,
      paidMicroUsd: receipt.statements.reduce((a, s) => a + s.paidMicroUsd, 0),
      imbalanceMicroUsd: receipt.statements.reduce((a, s) => a + s.imbalanceMicroUsd, 0),
      merkleRoot: receipt.merkleRoot,
    };
    engine.publish({ type: 'ledger.settled', actor: 'ledger', payload: out });
  }

  private async close(engine: Engine): Promise<void> {
    const out: LedgerClosed = { sums: { usd: 0, energy: 0, loyalty: 0 }, energyTokensWh: 0 };
    for (const asset of ['usd', 'energy', 'loyalty'] as const)
      for (const a of [...this.sites, L.ISSUER, L.FALLBACK])
        out.sums[asset] += await this.ledger.balance(a, asset);
    for (const a of this.sites) out.energyTokensWh += await this.ledger.balance(a, 'energy');
    engine.publish({ type: 'ledger.closed', actor: 'ledger', payload: out });
  }
}

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { SettlementRefusedError } from '../errors/index.js';
import { jsCrypto } from './crypto.js';
import { intervalLeaves, tradeLeaf } from './leaves.js';
import { DEFAULT_LOYALTY } from './loyalty.js';
import { fromHex, merkleProof, toHex, verifyMerkleProof } from './merkle.js';
import { type MeterReading, type SignedReadings, signReadings } from './meter-reading.js';
import { FALLBACK, ISSUER } from './settle.js';
import { testKey } from './test-keys.js';
import type { Ledger, SettlementTrade } from './types.js';

const oracleKey = testKey(7);
const oracle = toHex(secp256k1.getPublicKey(oracleKey, false));

async function market(make: () => Promise<Ledger>) {
  const ledger = await make();
  for (const a of ['alice', 'bob', 'carol', 'dave']) {
    await ledger.openAccount(a);
    await ledger.deposit(a, 10_000_000);
    await ledger.registerMeter(`m-${a}`, a, oracle);
  }
  return ledger;
}

let nextBlock = 100;
const trade = (
  id: string,
  seller: string,
  buyer: string,
  energyWh: number,
  price = 300,
  slot = 1,
  block = nextBlock++,
): SettlementTrade => ({
  id,
  seller,
  buyer,
  slot,
  block,
  energyWh,
  priceMicroPerWh: price,
});

const plain = (account: string, energyWh: number, nonce = 1, slot = 1): MeterReading => ({
  meter: `m-${account}`,
  account,
  slot,
  energyWh,
  nonce,
});

/** Readings signed together by the oracle (or by another key, to forge them). */
const signed = (readings: MeterReading[], key = oracleKey): SignedReadings[] =>
  readings.length === 0 ? [] : [signReadings(readings, key, jsCrypto)];

const everyone = ['alice', 'bob', 'carol', 'dave', ISSUER, FALLBACK];

/**
 * The tests every Ledger must pass, the in-memory one and the EVM one alike: conservation,
 * minting only on proof of flow, no double sale, imbalance charges, refusal of forged, altered
 * and replayed readings, whole-or-nothing intervals, and Merkle inclusion proofs.
 */
export function ledgerSuite(name: string, make: () => Promise<Ledger>): void {
  describe(`${name}: settlement rules`, () => {
    it('pays for delivered energy, mints energy tokens only for it, and charges the shortfall to the seller', async () => {
      const l = await market(make);
      const r = await l.settleInterval({
        interval: 'i1',
        trades: [
          trade('t1', 'alice', 'bob', 2000),
          trade('t2', 'alice', 'carol', 1000),
          trade('t3', 'dave', 'bob', 500),
        ],
        readings: signed([plain('alice', 2400), plain('dave', 900)]),
        fallbackPriceMicroPerWh: 400,
      });
      // alice contracted 3000 Wh and metered 2400: 600 short, split 400/200 over her trades
      expect(await l.balance('bob', 'energy')).toBe(1600 + 500);
      expect(await l.balance('carol', 'energy')).toBe(800);
      expect(await l.balance('alice', 'usd')).toBe(10_000_000 + 3000 * 300 - 600 * 400);
      expect(await l.balance('bob', 'usd')).toBe(10_000_000 - 2500 * 300);
      expect(await l.balance(FALLBACK, 'usd')).toBe(600 * 400);
      expect(r.deliveredWh).toBe(2900);
      expect(r.shortfallWh).toBe(600);
      for (const asset of ['usd', 'energy', 'loyalty'] as const) {
        let total = 0;
        for (const a of everyone) total += await l.balance(a, asset);
        expect(total).toBe(0);
      }
    });

    it('refuses a second sale of the same energy block, in the same interval or a later one', async () => {
      const l = await market(make);
      const again = { ...trade('t2', 'alice', 'carol', 100), block: 7 };
      await expect(
        l.settleInterval({
          interval: 'i1',
          trades: [trade('t1', 'alice', 'bob', 100, 300, 1, 7), again],
          readings: [],
          fallbackPriceMicroPerWh: 0,
        }),
      ).rejects.toThrow(/block 7 of alice in slot 1 was already sold/);
      await l.settleInterval({
        interval: 'i1',
        trades: [trade('t1', 'alice', 'bob', 100, 300, 1, 7)],
        readings: [],
        fallbackPriceMicroPerWh: 0,
      });
      await expect(
        l.settleInterval({ interval: 'i2', trades: [again], readings: [], fallbackPriceMicroPerWh: 0 }),
      ).rejects.toThrow(/block 7 of alice in slot 1 was already sold/);
    });

    it('refuses forged, altered and replayed readings, and settles nothing of a refused interval', async () => {
      const l = await market(make);
      const batch = (readings: SignedReadings[], interval = 'i1') => ({
        interval,
        trades: [trade(`t-${interval}`, 'alice', 'bob', 1000)],
        readings,
        fallbackPriceMicroPerWh: 400,
      });
      // signed by a key that is not alice's meter's oracle
      await expect(l.settleInterval(batch(signed([plain('alice', 1000)], testKey(9))))).rejects.toThrow(
        /not signed by its oracle/,
      );
      // altered after signing
      const altered = signed([plain('alice', 10)]);
      altered[0].readings[0] = { ...altered[0].readings[0], energyWh: 1000 };
      await expect(l.settleInterval(batch(altered))).rejects.toThrow(/signature does not match/);
      // a refusal is typed as one, whichever ledger refuses
      await expect(l.settleInterval(batch(altered))).rejects.toBeInstanceOf(SettlementRefusedError);
      // a reading of alice's meter claimed for dave
      await expect(
        l.settleInterval(batch(signed([{ ...plain('alice', 1000), account: 'dave' }]))),
      ).rejects.toThrow(/belongs to alice/);
      expect(await l.balance('bob', 'energy')).toBe(0);
      expect(await l.balance('alice', 'usd')).toBe(10_000_000);
      const good = signed([plain('alice', 1000, 5)]);
      await l.settleInterval(batch(good, 'i1'));
      await expect(l.settleInterval(batch(good, 'i2'))).rejects.toThrow(/already used/);
      expect(await l.balance('bob', 'energy')).toBe(1000);
    });

    it('refuses trades with unknown accounts or bad numbers, naming the trade', async () => {
      const l = await market(make);
      const bad = [
        [trade('x1', 'alice', 'mallory', 10), /x1: unknown account "mallory"/],
        [trade('x2', 'alice', 'bob', -5), /x2: energyWh -5/],
        [trade('x3', 'alice', 'bob', 10, 0.5), /x3: priceMicroPerWh 0.5/],
        [trade('x4', 'alice', 'alice', 10), /x4: seller and buyer are the same/],
      ] as const;
      for (const [t, why] of bad)
        await expect(
          l.settleInterval({ interval: 'i', trades: [t], readings: [], fallbackPriceMicroPerWh: 1 }),
        ).rejects.toThrow(why);
    });

    it('refuses an interval whose buyer cannot pay, and settles an interval only once', async () => {
      const l = await market(make);
      await l.openAccount('erin');
      await l.deposit('erin', 1000);
      const buy = (id: string, interval: string, energyWh: number) => ({
        interval,
        trades: [trade(id, 'alice', 'erin', energyWh, 10, 3)],
        readings: [],
        fallbackPriceMicroPerWh: 0,
      });
      await expect(l.settleInterval(buy('big', 'i1', 101))).rejects.toThrow(
        /erin must pay 1010 µ\$ net but holds 1000/,
      );
      expect(await l.balance('alice', 'usd')).toBe(10_000_000);
      await l.settleInterval(buy('small', 'i1', 100));
      expect(await l.balance('erin', 'usd')).toBe(0);
      await expect(l.settleInterval(buy('again', 'i1', 0))).rejects.toThrow(
        /interval i1 was already settled/,
      );
    });

    it('anchors the interval in a Merkle root that proves each trade’s inclusion', async () => {
      const l = await market(make);
      const trades = [
        trade('a', 'alice', 'bob', 10),
        trade('b', 'carol', 'dave', 20),
        trade('c', 'dave', 'bob', 30),
      ];
      const readings = [plain('alice', 10), plain('carol', 20)];
      const r = await l.settleInterval({
        interval: 'i1',
        trades,
        readings: signed(readings),
        fallbackPriceMicroPerWh: 100,
      });
      const leaves = intervalLeaves(trades, readings, jsCrypto);
      const root = fromHex(r.merkleRoot);
      leaves.forEach((leaf, i) => {
        expect(verifyMerkleProof(leaf, merkleProof(leaves, i), root)).toBe(true);
      });
      const forged = tradeLeaf({ ...trades[1], energyWh: 21 }, jsCrypto);
      expect(verifyMerkleProof(forged, merkleProof(leaves, 1), root)).toBe(false);
    });

    it('rewards verified kWh with loyalty tokens that burn, so supply stays bounded', async () => {
      const l = await market(make);
      let supply = 0;
      for (let i = 0; i < 30; i++) {
        await l.settleInterval({
          interval: `i${i}`,
          trades: [trade(`t${i}`, 'alice', 'bob', 5000, 10, i)],
          readings: signed([plain('alice', 5000, i, i)]),
          fallbackPriceMicroPerWh: 0,
        });
        const now = await l.balance('alice', 'loyalty');
        expect(now).toBeLessThanOrEqual((50 * 10_000) / DEFAULT_LOYALTY.burnBps);
        supply = now;
      }
      expect(supply).toBeGreaterThan(0);
      expect(-(await l.balance(ISSUER, 'loyalty'))).toBe(supply);
    });
  });
}

import { ledger as L } from '@gridtier/core';
import { testKey } from '@gridtier/core/testing';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { createPublicClient, type Hex, http, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameHash } from './addresses.js';
import { DEV_PRIVATE_KEY, type EmbeddedChain, startEmbeddedChain } from './anvil.js';
import { artifacts, errorAbi } from './artifacts.js';
import { encodeInterval } from './encode-interval.js';
import { EvmLedger } from './evm-ledger.js';

let chain: EmbeddedChain;
let pub: PublicClient;
let ledger: EvmLedger;
const operator = privateKeyToAccount(DEV_PRIVATE_KEY).address;
const oracle = L.toHex(secp256k1.getPublicKey(testKey(7), false));

beforeAll(async () => {
  chain = await startEmbeddedChain();
  pub = createPublicClient({ transport: http(chain.rpcUrl) }) as PublicClient;
  ledger = await EvmLedger.connect({ rpcUrl: chain.rpcUrl, privateKey: DEV_PRIVATE_KEY });
  for (const a of ['ann', 'ben', 'cat']) {
    await ledger.openAccount(a);
    await ledger.deposit(a, 10_000_000);
    await ledger.registerMeter(`m-${a}`, a, oracle);
  }
});
afterAll(() => chain?.stop());

let nextBlock = 0;
const trade = (id: string, energyWh = 1000, block = nextBlock++): L.SettlementTrade => ({
  id,
  seller: 'ann',
  buyer: 'ben',
  slot: 2,
  block,
  energyWh,
  priceMicroPerWh: 100,
});
const reading = (
  energyWh: number,
  nonce: number,
  account = 'ann',
  meter = `m-${account}`,
): L.MeterReading => ({
  meter,
  account,
  slot: 2,
  energyWh,
  nonce,
});
const sign = (readings: L.MeterReading[], key = testKey(7)) => L.signReadings(readings, key, L.jsCrypto);

/** Submits straight to the contract, past the operator client's own checks, and returns the revert. */
async function submit(
  interval: string,
  trades: L.SettlementTrade[],
  deliveredWh: number[],
  readings: L.SignedReadings[],
): Promise<string> {
  const enc = encodeInterval(trades, deliveredWh, readings, L.FALLBACK);
  try {
    await pub.simulateContract({
      account: operator,
      address: ledger.deployment.settlement,
      abi: [...artifacts().Settlement.abi, ...errorAbi()],
      functionName: 'settle',
      args: [nameHash(interval), `0x${'11'.repeat(32)}` as Hex, 200n, enc.touched, enc.groups, enc.batches],
      gas: 30_000_000n,
    });
    return 'accepted';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('the Settlement contract checks on its own', () => {
  it('accepts an honest interval', async () => {
    expect(await submit('ok', [trade('t1')], [800], [sign([reading(800, 1)])])).toBe('accepted');
  });

  it('refuses forged and altered readings', async () => {
    expect(await submit('f', [trade('t1')], [800], [sign([reading(800, 1)], testKey(9))])).toMatch(
      /BadSignature/,
    );
    const altered = sign([reading(100, 1)]);
    altered.readings[0] = reading(800, 1);
    expect(await submit('f', [trade('t1')], [800], [altered])).toMatch(/BadSignature/);
  });

  it('refuses a reading of an unknown meter or of another account’s meter', async () => {
    expect(await submit('m', [trade('t1')], [800], [sign([reading(800, 1, 'ann', 'm-zed')])])).toMatch(
      /UnknownMeter/,
    );
    expect(await submit('m', [trade('t1')], [800], [sign([reading(800, 1, 'cat', 'm-ann')])])).toMatch(
      /MeterOfOtherAccount/,
    );
  });

  it('mints no energy beyond the signed delivery and splits it pro rata', async () => {
    expect(await submit('x', [trade('t1')], [900], [sign([reading(800, 1)])])).toMatch(/BadAllocation/);
    // 900 Wh over trades of 1000 and 500 Wh: 600 and 300, give or take the rounding Wh
    const two = [trade('t1'), trade('t2', 500)];
    const r = [sign([reading(900, 1)])];
    expect(await submit('x', two, [700, 200], r)).toMatch(/BadAllocation/);
    expect(await submit('x', two, [600, 300], r)).toBe('accepted');
  });

  it('refuses a replayed reading and a second sale of a block', async () => {
    const readings = [sign([reading(1000, 42)])];
    await ledger.settleInterval({
      interval: 'first',
      trades: [trade('s1', 1000, 500)],
      readings,
      fallbackPriceMicroPerWh: 0,
    });
    expect(await submit('second', [trade('s2')], [1000], readings)).toMatch(/ReadingReplayed/);
    expect(await submit('second', [trade('s1b', 1000, 500)], [0], [])).toMatch(/BlockSoldTwice/);
    expect(await submit('first', [trade('s3')], [0], [])).toMatch(/IntervalSettledTwice/);
  });

  it('reverts the whole interval when a buyer cannot pay', async () => {
    const big = { ...trade('huge', 1000), priceMicroPerWh: 1_000_000 };
    expect(await submit('broke', [big], [0], [])).toMatch(/ERC20InsufficientBalance/);
  });
});

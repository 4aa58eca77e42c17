import { ledger as L } from '@gridtier/core';
import { ledgerSuite, testKey } from '@gridtier/core/testing';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { createPublicClient, http, type PublicClient, toHex } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { accountAddress } from './addresses.js';
import { DEV_PRIVATE_KEY, type EmbeddedChain, startEmbeddedChain } from './anvil.js';
import { artifacts } from './artifacts.js';
import { EvmLedger } from './evm-ledger.js';

let chain: Promise<EmbeddedChain> | undefined;
const embedded = () => {
  chain ??= startEmbeddedChain();
  return chain;
};
afterAll(async () => {
  if (chain) await (await chain).stop();
});

const fresh = async () =>
  EvmLedger.connect({ rpcUrl: (await embedded()).rpcUrl, privateKey: DEV_PRIVATE_KEY });

ledgerSuite('EVM ledger', fresh);

describe('EVM ledger: contracts', () => {
  const stranger = accountAddress('mallory');
  const client = async (): Promise<PublicClient> =>
    createPublicClient({ transport: http((await embedded()).rpcUrl) }) as PublicClient;

  it('reverts a mint, a payment move or a settlement by anyone but the settlement contract and the operator', async () => {
    const l = await fresh();
    const pub = await client();
    const a = artifacts();
    const calls = [
      {
        address: l.deployment.energy,
        abi: a.EnergyToken.abi,
        functionName: 'mintSlot',
        args: [1n, [stranger], [5n]],
      },
      { address: l.deployment.usd, abi: a.PaymentToken.abi, functionName: 'issue', args: [stranger, 5n] },
      {
        address: l.deployment.loyalty,
        abi: a.LoyaltyToken.abi,
        functionName: 'mintMany',
        args: [[stranger], [5n]],
      },
      {
        address: l.deployment.settlement,
        abi: a.Settlement.abi,
        functionName: 'settle',
        args: [toHex(1, { size: 32 }), toHex(0, { size: 32 }), 0n, [], [], []],
      },
    ];
    for (const c of calls)
      await expect(pub.simulateContract({ ...c, account: stranger })).rejects.toThrow(
        /AccessControlUnauthorizedAccount/,
      );
  });

  it('anchors each interval’s Merkle root and keeps energy per slot', async () => {
    const l = await fresh();
    const oracle = L.toHex(secp256k1.getPublicKey(testKey(7), false));
    for (const a of ['ann', 'ben']) {
      await l.openAccount(a);
      await l.deposit(a, 1_000_000);
      await l.registerMeter(`m-${a}`, a, oracle);
    }
    const readings = [
      L.signReadings(
        [{ meter: 'm-ann', account: 'ann', slot: 4, energyWh: 700, nonce: 1 }],
        testKey(7),
        L.jsCrypto,
      ),
    ];
    const r = await l.settleInterval({
      interval: 'day1/4',
      trades: [
        { id: 'x', seller: 'ann', buyer: 'ben', slot: 4, block: 1, energyWh: 1000, priceMicroPerWh: 100 },
      ],
      readings,
      fallbackPriceMicroPerWh: 150,
    });
    expect(await l.anchor('day1/4')).toBe(r.merkleRoot);
    expect(await l.energyInSlot('ben', 4)).toBe(700);
    expect(await l.energyInSlot('ben', 5)).toBe(0);
    expect(await l.balance('ann', 'usd')).toBe(1_000_000 + 100_000 - 300 * 150);
  });
});

describe('the same day settled in memory and on chain', () => {
  it('ends with identical balances for every account and asset', async () => {
    const day = L.sampleDay({ seed: 11, accounts: 12, intervals: 6, tradesPerInterval: 40 });
    const memory = new L.MemoryLedger();
    const evm = await fresh();
    for (const ledger of [memory, evm] as L.Ledger[]) {
      await day.setUp(ledger);
      for (const batch of day.batches) await ledger.settleInterval(batch);
    }
    for (const account of [...day.accounts, L.ISSUER, L.FALLBACK])
      for (const asset of ['usd', 'energy', 'loyalty'] as const)
        expect([account, asset, await evm.balance(account, asset)]).toEqual([
          account,
          asset,
          await memory.balance(account, asset),
        ]);
  }, 60_000);
});

import { GridTierError, InvalidValueError, ledger as L } from '@gridtier/core';
import {
  type Abi,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  defineChain,
  encodeFunctionData,
  type Hex,
  http,
  type PublicClient,
  parseEventLogs,
  type TransactionReceipt,
  type WalletClient,
  zeroAddress,
  zeroHash,
} from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { accountAddress, blockKey, nameHash, oracleAddress, readingKey } from './addresses.js';
import { artifacts, type ContractName, errorAbi } from './artifacts.js';
import { encodeInterval } from './encode-interval.js';
import { ChainError } from './errors.js';

export interface Deployment {
  usd: Address;
  energy: Address;
  loyalty: Address;
  settlement: Address;
}

export interface EvmLedgerOptions {
  rpcUrl: string;
  /** the market operator's key; on a fresh deployment also the admin who grants oracle roles */
  privateKey: Hex;
  /** an existing deployment; a fresh one is deployed when absent */
  deployment?: Deployment;
  loyalty?: L.LoyaltyRule;
  crypto?: L.CryptoSuite;
  /** how long to wait for a transaction to be mined */
  receiptTimeoutMs?: number;
}

const ROLE = (name: string) => nameHash(name);

/**
 * The settlement Ledger on an EVM chain: the operator's client checks an interval with the same
 * rules as the in-memory ledger (so a refusal reads the same), then submits it as one
 * transaction that the Settlement contract checks again and applies whole or reverts.
 */
export class EvmLedger implements L.Ledger {
  /** gas of the last settled interval */
  lastGasUsed = 0n;
  /** where the last interval's time went, ms: the operator's checks and packing, the chain's transaction */
  lastTimings = { checkMs: 0, chainMs: 0 };
  private readonly names = new Map<Address, string>();
  private readonly settledTrades = new Set<string>();
  /** no transaction may ask for more gas than a block holds */
  private blockGasLimit = 30_000_000n;

  private constructor(
    private readonly pub: PublicClient,
    private readonly wallet: WalletClient,
    private readonly account: PrivateKeyAccount,
    private readonly chain: Chain,
    readonly deployment: Deployment,
    private readonly options: EvmLedgerOptions,
  ) {}

  static async connect(options: EvmLedgerOptions): Promise<EvmLedger> {
    const probe = createPublicClient({ transport: http(options.rpcUrl) });
    let chainId: number;
    try {
      chainId = await probe.getChainId();
    } catch (e) {
      throw new ChainError(`no EVM JSON-RPC answer at ${options.rpcUrl}`, { cause: e });
    }
    const chain = defineChain({
      id: chainId,
      name: `gridtier-${chainId}`,
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [options.rpcUrl] } },
    });
    const transport = http(options.rpcUrl, { timeout: 120_000 });
    const pub = createPublicClient({ chain, transport, pollingInterval: 20 }) as PublicClient;
    const account = privateKeyToAccount(options.privateKey);
    const wallet = createWalletClient({ chain, transport, account });
    const deployment = options.deployment ?? (await deploy(pub, wallet, account, chain, options));
    const ledger = new EvmLedger(pub, wallet, account, chain, deployment, options);
    await ledger.loadNames();
    ledger.blockGasLimit = (await pub.getBlock()).gasLimit;
    return ledger;
  }

  async openAccount(name: string): Promise<void> {
    if (name === L.ISSUER) throw new InvalidValueError(`account name "${name}" is reserved`);
    await this.send('Settlement', this.deployment.settlement, 'openAccount', [name]);
    this.names.set(accountAddress(name), name);
  }

  async registerMeter(meter: string, account: string, oraclePublicKey: string): Promise<void> {
    const address = accountAddress(account);
    if (!(await this.isParticipant(address)))
      throw new InvalidValueError(`meter ${meter}: unknown account "${account}"`);
    const oracle = oracleAddress(oraclePublicKey);
    if (
      !(await this.read('Settlement', this.deployment.settlement, 'hasRole', [ROLE('ORACLE_ROLE'), oracle]))
    )
      await this.send('Settlement', this.deployment.settlement, 'grantRole', [ROLE('ORACLE_ROLE'), oracle]);
    await this.send('Settlement', this.deployment.settlement, 'registerMeter', [meter, address, oracle]);
  }

  async deposit(account: string, microUsd: number): Promise<void> {
    if (!Number.isSafeInteger(microUsd) || microUsd < 0)
      throw new InvalidValueError(`deposit of ${account}: ${microUsd} µ$ must be a non-negative integer`);
    if (!(await this.isParticipant(accountAddress(account))))
      throw new InvalidValueError(`deposit: unknown account "${account}"`);
    await this.send('Settlement', this.deployment.settlement, 'deposit', [
      accountAddress(account),
      BigInt(microUsd),
    ]);
  }

  async settleInterval(batch: L.IntervalBatch): Promise<L.SettlementReceipt> {
    const t0 = performance.now();
    let state: { journal: L.Journal; registry: L.Registry };
    try {
      state = await this.mirror(batch);
    } catch (e) {
      // the interval was not refused: the chain could not be read
      if (e instanceof GridTierError) throw e;
      throw new ChainError(`reading the settlement's state from the chain failed: ${(e as Error).message}`, {
        cause: e,
      });
    }
    // the core's own rules refuse the interval (SettlementRefusedError) before anything is sent
    const plan = L.planSettlement(
      batch,
      state.journal,
      state.registry,
      this.loyalty,
      this.options.crypto ?? L.jsCrypto,
    );
    const enc = encodeInterval(batch.trades, plan.deliveredWh, batch.readings, L.FALLBACK);
    const readings = batch.readings.reduce((a, b) => a + b.readings.length, 0);
    const t1 = performance.now();
    const receipt = await this.send(
      'Settlement',
      this.deployment.settlement,
      'settle',
      [
        nameHash(batch.interval),
        plan.receipt.merkleRoot as Hex,
        BigInt(batch.fallbackPriceMicroPerWh),
        enc.touched,
        enc.groups,
        enc.batches,
      ],
      500_000n +
        80_000n * BigInt(batch.trades.length + readings) +
        60_000n * BigInt(enc.touched.length) +
        15_000n * BigInt(this.names.size),
      `interval ${batch.interval}`,
    );
    this.lastGasUsed = receipt.gasUsed;
    this.lastTimings = { checkMs: t1 - t0, chainMs: performance.now() - t1 };
    for (const t of batch.trades) this.settledTrades.add(t.id);
    return plan.receipt;
  }

  async balance(account: string, asset: 'usd' | 'energy' | 'loyalty'): Promise<number> {
    const d = this.deployment;
    if (account === L.ISSUER) {
      const supply =
        asset === 'usd'
          ? await this.read('PaymentToken', d.usd, 'totalSupply', [])
          : asset === 'energy'
            ? await this.read('EnergyToken', d.energy, 'totalSupplyWh', [])
            : await this.read('LoyaltyToken', d.loyalty, 'totalSupply', []);
      return -Number(supply);
    }
    const a = accountAddress(account);
    const held =
      asset === 'usd'
        ? await this.read('PaymentToken', d.usd, 'balanceOf', [a])
        : asset === 'energy'
          ? await this.read('EnergyToken', d.energy, 'totalOf', [a])
          : await this.read('LoyaltyToken', d.loyalty, 'balanceOf', [a]);
    return Number(held);
  }

  /** Energy tokens an account holds for one slot. */
  async energyInSlot(account: string, slot: number): Promise<number> {
    const held = await this.read('EnergyToken', this.deployment.energy, 'balanceOf', [
      accountAddress(account),
      BigInt(slot),
    ]);
    return Number(held);
  }

  /** The Merkle root the chain anchored for an interval (zero if it never settled). */
  async anchor(interval: string): Promise<Hex> {
    return (await this.read('Settlement', this.deployment.settlement, 'anchors', [
      nameHash(interval),
    ])) as Hex;
  }

  private get loyalty(): L.LoyaltyRule {
    return this.options.loyalty ?? L.DEFAULT_LOYALTY;
  }

  private async isParticipant(address: Address): Promise<boolean> {
    return (await this.read('Settlement', this.deployment.settlement, 'accountName', [address])) !== zeroHash;
  }

  /**
   * What the rules need to know about the chain's state for this batch, read in one call and
   * laid out as the in-memory ledger's journal and registry.
   */
  private async mirror(batch: L.IntervalBatch): Promise<{ journal: L.Journal; registry: L.Registry }> {
    const names = new Set<string>([L.FALLBACK]);
    for (const t of batch.trades) names.add(t.seller).add(t.buyer);
    const readings = batch.readings.flatMap((b) => b.readings.map((r) => ({ r, oracle: b.oracle })));
    for (const { r } of readings) names.add(r.account);
    const accountNames = [...names];
    const tradeKeys = batch.trades.map((t) =>
      isCount(t.slot) && isCount(t.block)
        ? blockKey(accountAddress(t.seller), t.slot, t.block)
        : { key: zeroHash, bit: 0n },
    );
    const readingKeys = readings.map(({ r }) => (isCount(r.nonce) ? readingKey(r.meter, r.nonce) : zeroHash));
    const meters = [...new Set(readings.map(({ r }) => r.meter))];
    const [found, usdHeld, soldWords, used, meterRows] = (await this.read(
      'Settlement',
      this.deployment.settlement,
      'lookup',
      [accountNames.map(accountAddress), tradeKeys.map((k) => k.key), readingKeys, meters.map(nameHash)],
    )) as [Hex[], bigint[], bigint[], boolean[], { account: Address; oracle: Address }[]];
    const settled = await this.read('Settlement', this.deployment.settlement, 'settled', [
      nameHash(batch.interval),
    ]);

    const journal = new L.Journal();
    journal.open(L.ISSUER);
    accountNames.forEach((name, i) => {
      if (found[i] === zeroHash) return;
      journal.open(name);
      const held = Number(usdHeld[i]);
      if (held > 0)
        journal.postAll([
          {
            id: `held/${name}`,
            memo: 'payment tokens held on chain',
            entries: [
              { account: L.ISSUER, asset: 'usd', amount: -held },
              { account: name, asset: 'usd', amount: held },
            ],
          },
        ]);
    });
    const registry: L.Registry = {
      meters: new Map(),
      soldBlocks: new Map(),
      usedReadings: new Set(),
      settledTrades: this.settledTrades,
      intervals: new Set(settled ? [batch.interval] : []),
    };
    batch.trades.forEach((t, i) => {
      if ((soldWords[i] & tradeKeys[i].bit) !== 0n)
        registry.soldBlocks.set(`${t.seller}|${t.slot}|${t.block}`, 'recorded on chain');
    });
    readings.forEach(({ r, oracle }, i) => {
      if (used[i]) registry.usedReadings.add(`${r.meter}|${r.nonce}`);
      const row = meterRows[meters.indexOf(r.meter)];
      if (row.account === zeroAddress) return;
      const signer = oracleAddress(oracle) === row.oracle ? oracle.toLowerCase() : row.oracle.toLowerCase();
      const known = registry.meters.get(r.meter);
      if (!known || known.oracle !== oracle.toLowerCase())
        registry.meters.set(r.meter, { account: this.names.get(row.account) ?? row.account, oracle: signer });
    });
    return { journal, registry };
  }

  private async loadNames(): Promise<void> {
    const logs = await this.pub.getLogs({
      address: this.deployment.settlement,
      fromBlock: 0n,
      toBlock: 'latest',
    });
    for (const ev of parseEventLogs({ abi: artifacts().Settlement.abi, logs, eventName: 'AccountOpened' }))
      this.names.set((ev.args as { account: Address }).account, (ev.args as { name: string }).name);
  }

  private read(
    contract: ContractName,
    address: Address,
    functionName: string,
    args: unknown[],
  ): Promise<unknown> {
    return this.pub.readContract({ address, abi: artifacts()[contract].abi, functionName, args });
  }

  private async send(
    contract: ContractName,
    address: Address,
    functionName: string,
    args: unknown[],
    gas?: bigint,
    what = functionName,
  ): Promise<TransactionReceipt> {
    const abi = artifacts()[contract].abi;
    const data = encodeFunctionData({ abi, functionName, args });
    const submit = async (limit: bigint | undefined) => {
      const hash = await this.wallet.sendTransaction({
        account: this.account,
        chain: this.chain,
        to: address,
        data,
        gas: limit,
      });
      return waitForReceipt(this.pub, hash, this.options.receiptTimeoutMs ?? 60_000);
    };
    let receipt = await submit(
      gas === undefined ? undefined : gas < this.blockGasLimit ? gas : this.blockGasLimit,
    );
    // a guessed limit can fall short (the loyalty burn grows with the holders); a reverted
    // transaction changed nothing, so it is sent again with the chain's own estimate
    if (receipt.status !== 'success' && gas !== undefined && receipt.gasUsed >= (gas * 99n) / 100n) {
      const estimate = await this.pub
        .estimateGas({ account: this.account, to: address, data })
        .catch(() => undefined);
      if (estimate !== undefined) receipt = await submit((estimate * 6n) / 5n);
    }
    if (receipt.status !== 'success') {
      const reason = await revertReason(this.pub, this.account.address, address, data, abi);
      throw new InvalidValueError(`${what} refused by the chain: ${reason}`, {
        details: { tx: receipt.transactionHash },
      });
    }
    return receipt;
  }
}

async function deploy(
  pub: PublicClient,
  wallet: WalletClient,
  account: PrivateKeyAccount,
  chain: Chain,
  options: EvmLedgerOptions,
): Promise<Deployment> {
  const a = artifacts();
  const timeout = options.receiptTimeoutMs ?? 60_000;
  const create = async (name: ContractName, args: unknown[]): Promise<Address> => {
    const hash = await wallet.deployContract({
      abi: a[name].abi,
      bytecode: a[name].bytecode,
      args,
      account,
      chain,
    });
    const r = await waitForReceipt(pub, hash, timeout);
    if (r.status !== 'success' || !r.contractAddress)
      throw new ChainError(`deploying ${name} failed (tx ${hash})`);
    return r.contractAddress;
  };
  const admin = account.address;
  const loyalty = options.loyalty ?? L.DEFAULT_LOYALTY;
  const usd = await create('PaymentToken', [admin]);
  const energy = await create('EnergyToken', [admin]);
  const loyaltyToken = await create('LoyaltyToken', [admin]);
  const settlement = await create('Settlement', [
    admin,
    usd,
    energy,
    loyaltyToken,
    BigInt(loyalty.perKwh),
    BigInt(loyalty.burnBps),
  ]);
  const grants: [ContractName, Address, string][] = [
    ['PaymentToken', usd, 'ISSUER_ROLE'],
    ['PaymentToken', usd, 'SETTLER_ROLE'],
    ['EnergyToken', energy, 'MINTER_ROLE'],
    ['LoyaltyToken', loyaltyToken, 'MINTER_ROLE'],
  ];
  for (const [name, address, role] of grants) {
    const hash = await wallet.writeContract({
      address,
      abi: a[name].abi,
      functionName: 'grantRole',
      args: [ROLE(role), settlement],
      account,
      chain,
    });
    await waitForReceipt(pub, hash, timeout);
  }
  return { usd, energy, loyalty: loyaltyToken, settlement };
}

async function waitForReceipt(pub: PublicClient, hash: Hex, timeoutMs: number): Promise<TransactionReceipt> {
  const until = Date.now() + timeoutMs;
  for (let wait = 2; ; wait = Math.min(wait * 2, 200)) {
    const r = await pub.getTransactionReceipt({ hash }).catch(() => undefined);
    if (r) return r;
    if (Date.now() > until) throw new ChainError(`transaction ${hash} was not mined within ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, wait));
  }
}

/** Replays a reverted call to learn the contract's reason (a reverted receipt carries none). */
async function revertReason(
  pub: PublicClient,
  from: Address,
  to: Address,
  data: Hex,
  abi: Abi,
): Promise<string> {
  try {
    await pub.call({ account: from, to, data });
    return 'reverted (the replay did not revert)';
  } catch (e) {
    const raw = findRevertData(e);
    if (!raw) return (e as Error).message.split('\n')[0];
    try {
      const err = decodeErrorResult({ abi: [...abi, ...errorAbi()], data: raw });
      return `${err.errorName}(${(err.args ?? []).map(String).join(', ')})`;
    } catch {
      return `reverted with ${raw}`;
    }
  }
}

function findRevertData(e: unknown): Hex | undefined {
  for (let c = e as { data?: unknown; cause?: unknown } | undefined; c; c = c.cause as typeof c) {
    if (typeof c.data === 'string' && c.data.startsWith('0x')) return c.data as Hex;
    if (c.data && typeof (c.data as { data?: unknown }).data === 'string')
      return (c.data as { data: Hex }).data;
  }
  return undefined;
}

/** a non-negative safe integer: what a slot, block number or nonce must be before it is encoded */
function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

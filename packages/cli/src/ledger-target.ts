import * as L from '@gridtier/core/ledger';
import { nodeCrypto } from '@gridtier/core/node';
import { UsageError } from './framework/errors.js';

/** Where settlement happens: the in-memory ledger, the embedded EVM chain or an RPC endpoint. */
export interface LedgerTarget {
  ledger: L.Ledger;
  label: string;
  /** gas of the last settled interval, on a chain */
  lastGasUsed: () => number | undefined;
  close: () => Promise<void>;
}

/** Checks a --chain value: absent (in memory), "embedded", or a JSON-RPC URL with a key to sign. */
export function validChain(chain: string | undefined): void {
  if (!chain || chain === 'embedded') return;
  if (!/^(https?|wss?):\/\/\S+$/.test(chain))
    throw new UsageError(`--chain is "embedded" or an EVM JSON-RPC URL (http://…), not "${chain}"`);
  if (!process.env.GRIDTIER_CHAIN_KEY)
    throw new UsageError('settling on an RPC endpoint needs the operator key in GRIDTIER_CHAIN_KEY');
}

/** The ledger to settle on; the chain package (viem, the EVM client) is loaded only for a chain. */
export async function openLedger(chain: string | undefined): Promise<LedgerTarget> {
  if (!chain)
    return {
      ledger: new L.MemoryLedger(undefined, nodeCrypto()),
      label: 'in memory',
      lastGasUsed: () => undefined,
      close: async () => {},
    };
  const { DEV_PRIVATE_KEY, EvmLedger, startEmbeddedChain } = await import('@gridtier/chain');
  const target = (
    ledger: Awaited<ReturnType<typeof EvmLedger.connect>>,
    label: string,
    close: () => Promise<void>,
  ) => ({
    ledger,
    label,
    lastGasUsed: () => Number(ledger.lastGasUsed),
    close,
  });
  if (chain === 'embedded') {
    const embedded = await startEmbeddedChain();
    try {
      const ledger = await EvmLedger.connect({
        rpcUrl: embedded.rpcUrl,
        privateKey: DEV_PRIVATE_KEY,
        crypto: nodeCrypto(),
      });
      return target(ledger, 'embedded EVM chain', embedded.stop);
    } catch (e) {
      await embedded.stop();
      throw e;
    }
  }
  const ledger = await EvmLedger.connect({
    rpcUrl: chain,
    privateKey: process.env.GRIDTIER_CHAIN_KEY as `0x${string}`,
    crypto: nodeCrypto(),
  });
  return target(ledger, `EVM chain at ${chain} (settlement ${ledger.deployment.settlement})`, async () => {});
}

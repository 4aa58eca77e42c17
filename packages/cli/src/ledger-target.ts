import { DEV_PRIVATE_KEY, EvmLedger, startEmbeddedChain } from '@gridtier/chain';
import { ledger as L } from '@gridtier/core';
import { nodeCrypto } from '@gridtier/core/node';
import { UsageError } from './args.js';

/** Where settlement happens: the in-memory ledger, the embedded EVM chain or an RPC endpoint. */
export interface LedgerTarget {
  ledger: L.Ledger;
  label: string;
  close: () => Promise<void>;
}

/** Checks a --chain value: absent (in memory), "embedded", or a JSON-RPC URL with a key to sign. */
export function validChain(chain: string | undefined): void {
  if (!chain || chain === 'embedded') return;
  if (!/^(https?|wss?):\/\//.test(chain))
    throw new UsageError('--chain is "embedded" or an EVM JSON-RPC URL (http://…)');
  if (!process.env.GRIDTIER_CHAIN_KEY)
    throw new UsageError('settling on an RPC endpoint needs the operator key in GRIDTIER_CHAIN_KEY');
}

export async function openLedger(chain: string | undefined): Promise<LedgerTarget> {
  if (!chain)
    return { ledger: new L.MemoryLedger(undefined, nodeCrypto()), label: 'in memory', close: async () => {} };
  if (chain === 'embedded') {
    const embedded = await startEmbeddedChain();
    try {
      const ledger = await EvmLedger.connect({
        rpcUrl: embedded.rpcUrl,
        privateKey: DEV_PRIVATE_KEY,
        crypto: nodeCrypto(),
      });
      return { ledger, label: 'embedded EVM chain', close: embedded.stop };
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
  return {
    ledger,
    label: `EVM chain at ${chain} (settlement ${ledger.deployment.settlement})`,
    close: async () => {},
  };
}

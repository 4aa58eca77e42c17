export { accountAddress, oracleAddress } from './addresses.js';
export { DEV_PRIVATE_KEY, type EmbeddedChain, startEmbeddedChain } from './anvil.js';
export { ChainError } from './errors.js';
export { type Deployment, EvmLedger, type EvmLedgerOptions } from './evm-ledger.js';

// What other packages' tests reuse: the suite every Ledger must pass, and deterministic keys.
export { ledgerSuite } from './ledger/ledger-suite.js';
export { testKey } from './ledger/test-keys.js';

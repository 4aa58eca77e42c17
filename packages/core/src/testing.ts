// What other packages' tests reuse: the suites every Ledger and every EventLog must pass, and
// deterministic keys.
export { type EventLogFactory, eventLogSuite } from './engine/event-log-suite.js';
export { ledgerSuite } from './ledger/ledger-suite.js';
export { testKey } from './ledger/test-keys.js';

// What other packages' tests reuse: the suites every Ledger, EventLog and LpSolver must pass, and
// deterministic keys.
export { type EventLogFactory, eventLogSuite } from './engine/event-log-suite.js';
export { ledgerSuite } from './ledger/ledger-suite.js';
export { testKey } from './ledger/test-keys.js';
export { lpSolverSuite } from './opt/solver-suite.js';

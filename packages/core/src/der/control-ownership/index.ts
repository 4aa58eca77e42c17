export { type Lease, type LeaseRegistry, type LeaseResult, MemoryLeaseRegistry } from './leases.js';
export { type DeliveredEvent, RuleEngine } from './rule-engine.js';
export { type HomeEvent, type Rule, type RuleOutcome, runRules } from './rules.js';

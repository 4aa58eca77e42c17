export { type AccountHistory, ReputationBook, type Settled } from './reputation.js';

export { lossTariff } from './loss-tariff.js';
export { equalDecrement, mda } from './mda.js';
export { type MicrogridOrders, matchMeritOrder, meritOrder, meritOrderHierarchy } from './merit-order.js';
export { type PayAsBidOptions, payAsBid } from './pay-as-bid.js';
export type { CallResult, GridRules } from './types.js';
export { type UniformOptions, uniformPrice } from './uniform-price.js';

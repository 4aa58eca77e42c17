export { regulationFleetSpec } from './fleets.js';
export {
  type DispatchDelivery,
  type DispatchInterval,
  followRegulation,
  type RegulationRun,
  reductionKw,
  trackDispatch,
} from './follow.js';
export {
  type OfferPlacement,
  type RegulationOffer,
  toLemOffer,
  toRegulationOffer,
  toTradeOrders,
} from './offers.js';
export { type SupplyOptions, type SupplyStep, supplyFunction } from './supply.js';

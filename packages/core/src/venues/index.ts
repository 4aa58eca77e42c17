export { CallMarket, type CallMarketConfig, type CallMechanism, type PairedTrade } from './call-market.js';
export { ContinuousMarket, type ContinuousMarketConfig } from './continuous-market.js';
export {
  ExchangeMarket,
  type ExchangeMarketConfig,
  type FeederCurveMessage,
  type SubstationClearingResult,
  type SubstationPort,
} from './exchange-market.js';
export { FlexMarket, type FlexMarketConfig } from './flex-market.js';
export { keyOf, LemMarket, type LemMarketConfig, type SourcePriceFrom } from './lem-market.js';
export { type SubstationPrice, SubstationPrices } from './substation-prices.js';
export { type PriceLimits, type TradeOrderRules, validateTradeOrder } from './trade-orders.js';

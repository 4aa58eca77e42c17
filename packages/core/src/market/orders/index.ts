export { type ParsedOrders, parseOrders, type RejectedOrder } from './parse.js';
export {
  type Bid,
  type Bilateral,
  type Block,
  type Generator,
  type MarketSettings,
  marketSettingsSchema,
  type Offer,
  type Order,
  orderSchema,
  type Step,
  type Storage,
} from './schema.js';
export {
  type LimitOrder,
  type ParsedTradeOrders,
  parseTradeOrders,
  type RejectedTradeOrder,
  type TimeInForce,
  type Trade,
  type TradeOrder,
  type TradeOrderRules,
  timeInForceSchema,
  tradeOrderSchema,
} from './trade-order.js';

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

export { OrderBook } from './order-book.js';
export type {
  DepthLevel,
  OrderBookOptions,
  OrderChange,
  RemovalReason,
  RemovedOrder,
  SelfTradePolicy,
  SubmitResult,
} from './types.js';

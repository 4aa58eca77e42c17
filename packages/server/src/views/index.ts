export {
  type Account,
  type ClearingView,
  type FillView,
  type OrderStatus,
  type OrderView,
  type StatementLine,
  type TradeView,
  Views,
} from './views.js';

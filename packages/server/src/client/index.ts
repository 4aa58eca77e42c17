export {
  ApiProblem,
  GridTierClient,
  type OrderAckView,
  type SessionView,
  type TradeOrderInput,
} from './client.js';

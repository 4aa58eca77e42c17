export {
  type CurveStep,
  clearSubstation,
  type ExchangeFill,
  type ExchangeInput,
  type ExchangeLine,
  type ExchangeResult,
} from './substation-exchange.js';

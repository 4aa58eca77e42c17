export { type FeederOrder, type FeederStep, feederCurve, orderAcceptance } from './feeder-curve.js';
export {
  type CurveStep,
  clearSubstation,
  type ExchangeFill,
  type ExchangeInput,
  type ExchangeLine,
  type ExchangeResult,
} from './substation-exchange.js';

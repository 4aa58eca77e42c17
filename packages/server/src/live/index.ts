export { type DayProgramInputs, dayProgram, scenarioStartMs } from './day-program.js';
export { LiveMarkets, type LiveOptions, type LiveProgram } from './live-markets.js';
export { peerToPeerMarkets } from './markets.js';
export {
  type ImbalancePrices,
  type IntervalSettled,
  MeterSettlement,
  type ReportedReading,
} from './meter-settlement.js';

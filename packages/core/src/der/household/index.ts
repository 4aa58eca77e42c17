export {
  CONTRACT_POLICIES,
  type ContractPolicy,
  type ContractTerms,
  DEFAULT_TERMS,
  type HourContracts,
  type HourPurchase,
  offersFor,
  settleHourContracts,
} from './contract-choice.js';
export { type DayAheadPlan, planDayAhead } from './day-ahead.js';
export { type DayForecasts, dayForecasts, dayViewAt } from './day-forecasts.js';
export { type IntradayOptions, intradayOrders } from './intraday.js';
export { clearLocalMarket, type LocalHour, type LocalMarketResult, ordersCostUsd } from './local-market.js';
export {
  committedNetKwh,
  type HourlyOrder,
  limitPrices,
  netPositionKwh,
  ordersForPositions,
} from './orders.js';
export {
  type HouseholdDay,
  type HouseholdTraits,
  householdFor,
  syntheticDay,
  syntheticTraits,
} from './profiles.js';
export { type ImbalancePrices, type RealTimeHour, type RealTimeResult, settleRealTime } from './real-time.js';
export { deviationPricesUsdPerKwh, replanJobs, runsThrough } from './replan.js';
export { fixedForecast, type Schedule, type ScheduledJob, scheduleJobs } from './schedule.js';
export {
  type ContractReport,
  type PatternReport,
  type SimulationOptions,
  type SimulationResult,
  simulateHouseholds,
} from './simulate.js';
export {
  type ApplianceJob,
  type DayForecast,
  HOURS_PER_DAY,
  type Household,
  PATTERNS,
  type Pattern,
} from './types.js';
export { checkHourly, checkPrices, validateHousehold } from './validate.js';

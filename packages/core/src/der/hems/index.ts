export {
  acceptCost,
  acceptPrice,
  expectedCosts,
  type Forecast,
  type Job,
  type Outcome,
  predict,
  runNow,
} from './schedule.js';

export {
  type BatchPattern,
  type BatchSchedule,
  type DayForecast,
  emptyJobBatch,
  type JobBatch,
  maskHours,
  scheduleBatch,
} from './batch.js';
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

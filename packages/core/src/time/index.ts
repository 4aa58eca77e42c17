export {
  type Clock,
  type ClockMode,
  clockFrom,
  realTime,
  ScaledClock,
  SimulatedClock,
  type TimeSource,
} from './clock.js';
export {
  dayStartOf,
  intervalIndex,
  PRODUCTS,
  type Product,
  product,
  type SessionWindow,
  sessionMinutes,
  sessionsOfDay,
  windowOf,
} from './products.js';
export { type DayPrice, hourlyPrices, priceAt } from './tariff.js';
export {
  HOURS_PER_DAY,
  hoursMs,
  hoursOf,
  intervalsIn,
  intervalsPerDay,
  MINUTES_PER_DAY,
  MINUTES_PER_HOUR,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  MS_PER_SECOND,
  minutesMs,
  SECONDS_PER_HOUR,
  SECONDS_PER_MINUTE,
  secondsMs,
} from './units.js';

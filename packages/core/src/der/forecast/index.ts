export { estimateUpdateStd, forecastPaths } from './forecast-updates.js';
export { type PriceHistory, parsePriceCsv, syntheticPriceHistory } from './synthetic-prices.js';

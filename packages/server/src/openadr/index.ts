export { durationMs, endOfEvent } from './duration.js';
export {
  BUS_ATTRIBUTE,
  type GridPlace,
  MarketPrices,
  PHASES_ATTRIBUTE,
  placeOf,
  pricesAt,
} from './market-prices.js';
export { DEFAULT_WEBHOOKS, WebhookNotifier, type WebhookOptions } from './notifier.js';
export { OPENADR_PREFIX, OPENADR_ROUTES } from './routes.js';
export * as openadrSchemas from './schemas.js';
export { type AdrCaller, type AdrListener, type AdrObject, adrCaller, present, Vtn } from './vtn.js';

export { CapacityLimits, DSO_PROGRAM, limitOf, limitShare } from './capacity-limits.js';
export { durationMs, endOfEvent } from './duration.js';
export { EventWriter, payloadDescriptor, placedVens } from './event-writer.js';
export { MarketPrices, pricesAt } from './market-prices.js';
export { MqttNotifier, type MqttNotifierOptions } from './mqtt-notifier.js';
export { MQTT_TOPIC_ROUTES } from './mqtt-routes.js';
export { MqttTopics, type OperationTopics } from './mqtt-topics.js';
export { DEFAULT_WEBHOOKS, WebhookNotifier, type WebhookOptions } from './notifier.js';
export { BUS_ATTRIBUTE, type GridPlace, PHASES_ATTRIBUTE, placeOf } from './place.js';
export {
  AGGREGATED_REPORT,
  KEPT_PAYLOADS,
  keepReadings,
  readingsOf,
  resourcesOf,
} from './report-readings.js';
export { RESOURCE_READING_ROUTES } from './resource-readings.js';
export { OPENADR_PREFIX, OPENADR_ROUTES } from './routes.js';
export * as openadrSchemas from './schemas.js';
export { VPP_PROGRAM, VppDispatch, vppTarget } from './vpp-dispatch.js';
export { type AdrCaller, type AdrListener, type AdrObject, adrCaller, present, Vtn } from './vtn.js';

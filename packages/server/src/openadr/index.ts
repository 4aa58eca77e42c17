export { durationMs, endOfEvent } from './duration.js';
export { OPENADR_PREFIX, OPENADR_ROUTES } from './routes.js';
export * as openadrSchemas from './schemas.js';
export { type AdrCaller, type AdrListener, type AdrObject, adrCaller, present, Vtn } from './vtn.js';

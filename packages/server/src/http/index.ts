export { type ApiLimits, buildApp, DEFAULT_LIMITS } from './app.js';
export type { Feed } from './feed.js';
export { openApiDocument } from './openapi.js';
export type { ApiDeps, Route } from './route.js';
export { ROUTES } from './routes.js';

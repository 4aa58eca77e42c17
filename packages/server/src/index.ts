export {
  addClient,
  checkClientInput,
  checkRole,
  isClientId,
  publicClient,
  ROLE_SCOPES,
  SCOPES,
  type Scope,
} from './auth/index.js';
export { ApiError, StoreError } from './errors.js';
export { openApiDocument, ROUTES } from './http/index.js';
export {
  type DayProgramInputs,
  dayProgram,
  LiveMarkets,
  type LiveProgram,
  peerToPeerMarkets,
  scenarioStartMs,
} from './live/index.js';
export { type DeviceGatewayOptions, type RunningServer, type ServeOptions, startServer } from './server.js';
export * from './store/index.js';

export { addClient, checkClientInput, checkRole, publicClient } from './clients.js';
export { ROLE_SCOPES, SCOPES, type Scope, SEES_ALL } from './scopes.js';
export { hashSecret, isClientId, newSecret, secretMatches } from './secrets.js';
export { type Caller, Tokens } from './tokens.js';

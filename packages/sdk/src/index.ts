export { type ClientOptions, GridTierClient } from './client.js';
export { FeedClient, type FeedHandlers, type FeedMessage, type KeptBook } from './feed.js';
export { ApiProblem, ApiUnreachable } from './problem.js';
export type * from './types.js';

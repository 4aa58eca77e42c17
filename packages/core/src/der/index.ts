export * as forecast from './forecast/index.js';
export * as hems from './hems/index.js';

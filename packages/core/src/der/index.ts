export * as hems from './hems/index.js';

export * from './auction/index.js';
export * from './lem/index.js';
export * from './orders/index.js';

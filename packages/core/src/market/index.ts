export * from './auction/index.js';
export * from './book/index.js';
export * from './exchange/index.js';
export * from './lem/index.js';
export * from './orders/index.js';
export * from './p2p/index.js';
export * from './vdg/index.js';

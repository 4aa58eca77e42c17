export * as controlOwnership from './control-ownership/index.js';
export * as forecast from './forecast/index.js';
export * as hems from './hems/index.js';
export * as reputation from './reputation/index.js';

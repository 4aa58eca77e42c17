export * as control from './control/index.js';
export * as controlOwnership from './control-ownership/index.js';
export * as devices from './devices/index.js';
export * as forecast from './forecast/index.js';
export * as hems from './hems/index.js';
export * as regulation from './regulation/index.js';
export * as reputation from './reputation/index.js';
export * as vpp from './vpp/index.js';

export * from './errors/index.js';
export * as dss from './grid/dss/index.js';
export * as model from './grid/model/index.js';
export * from './grid/powerflow/index.js';
export * from './grid/sensitivity/index.js';
export * from './linalg/index.js';
export * as market from './market/index.js';
export * from './opt/index.js';
export * from './random/index.js';

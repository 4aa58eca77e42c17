export { type Layer1Trade, type P2pDayOptions, simulateP2pDay } from './day.js';
export { type Prosumer, TICK_HOURS, TICKS } from './profiles.js';
export { MAX_P2P_PROSUMERS, type P2pScenario, p2pScenarioSchema, parseP2pScenario } from './scenario.js';
export type { LayerTotals, P2pDayResult, P2pLedger, ProsumerDay } from './types.js';

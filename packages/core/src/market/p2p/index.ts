export { simulateP2pDay } from './day.js';
export { type P2pScenario, p2pScenarioSchema, parseP2pScenario } from './scenario.js';
export type { LayerTotals, P2pDayResult, P2pLedger, ProsumerDay } from './types.js';

export { type DayOptions, type DayResult, runDay, type Tier } from './day.js';
export type { GridDay } from './grid-day.js';
export { type Inventory, inventorySchema, type ProsumerSite, parseInventory } from './inventory.js';
export { type SiteDay, STEP_HOURS, STEPS, siteDays } from './profiles.js';
export { type DayScenario, dayScenarioSchema, parseDayScenario } from './scenario.js';
export type { SettlementDay } from './settle-day.js';

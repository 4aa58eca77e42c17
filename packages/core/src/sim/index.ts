export {
  buildDay,
  DAY_LEAD_MS,
  type DayBuild,
  type DayBuildOptions,
  type DayStarted,
  firstWholeDayMs,
} from './build.js';
export { type DayOptions, type DayRun, runDay } from './day.js';
export { type DayMarket, type DayView, type DlmpParts, dayView } from './day-view.js';
export {
  type FeederTree,
  feederTree,
  type GroupBounds,
  groupByTopology,
  type PlacedItem,
  type TopologyGroup,
} from './feeder-groups.js';
export {
  type FeederInventory,
  type FeederInventoryOptions,
  feederInventoryOptionsSchema,
  inventoryFromFeeder,
  parseFeederInventoryOptions,
} from './feeder-inventory.js';
export { type Inventory, inventorySchema, type ProsumerSite, parseInventory } from './inventory.js';
export { type SiteDay, siteDays } from './profiles.js';
export {
  AGENT_KINDS,
  type DayScenario,
  dayScenarioSchema,
  FROM_FEEDER,
  MARKET_NAMES,
  parseDayScenario,
} from './scenario.js';
export type { LedgerClosed, SlotSettled } from './settlement.js';
export { type DaySummary, type HouseholdDay, type Spread, spread, summarize } from './summary.js';

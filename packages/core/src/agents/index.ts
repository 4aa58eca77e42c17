export { DsoAgent, type DsoConfig } from './dso.js';
export { FeederFlow, type FlowSite, siteNodes } from './feeder-flow.js';
export { branchLoadingPct, busVoltagesPu, feederMap } from './feeder-map.js';
export { type HomePort, type HomeSite, HouseholdAgent, type HouseholdConfig } from './household.js';
export { IsoAgent, type IsoConfig } from './iso.js';
export { dlmpAt, type LemPublicResult, meanDlmp } from './lem-view.js';
export * from './ports.js';
export { RetailerAgent, type RetailerConfig } from './retailer.js';
export { type FleetPort, VppAgent, type VppConfig } from './vpp.js';

export { HouseholdBot, type HouseholdBotConfig, nodePrices } from './bot.js';
export { type Appliance, type AppliancePlan, type DayPlan, planDay } from './plan.js';
export { HouseholdVen, type HouseholdVenConfig, VtnError } from './ven.js';

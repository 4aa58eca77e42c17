#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { GridTierClient } from '@gridtier/sdk';
import { HouseholdBot, type HouseholdBotConfig } from './bot.js';

/**
 * Runs the household bot against a GridTier server until interrupted:
 *   GRIDTIER_URL=http://127.0.0.1:8080 GRIDTIER_CLIENT_ID=… GRIDTIER_CLIENT_SECRET=… \
 *     gridtier-household-bot home.json
 * where home.json is a HouseholdBotConfig (bus, phases, baseLoadKw, appliances, bidMarkup).
 */
const [configPath] = process.argv.slice(2);
const env = (name: string) => {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`gridtier-household-bot: set ${name}\n`);
    process.exit(2);
  }
  return v;
};
if (!configPath) {
  process.stderr.write(
    'usage: gridtier-household-bot HOME.json (with GRIDTIER_URL, _CLIENT_ID, _CLIENT_SECRET)\n',
  );
  process.exit(2);
}
let config: HouseholdBotConfig;
try {
  config = JSON.parse(readFileSync(configPath, 'utf8')) as HouseholdBotConfig;
} catch (e) {
  process.stderr.write(`gridtier-household-bot: ${configPath}: ${(e as Error).message}\n`);
  process.exit(1);
}
const client = new GridTierClient(
  env('GRIDTIER_URL'),
  env('GRIDTIER_CLIENT_ID'),
  env('GRIDTIER_CLIENT_SECRET'),
);
const bot = new HouseholdBot(client, config);
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());
try {
  await bot.run(stop.signal);
} catch (e) {
  process.stderr.write(`gridtier-household-bot: ${(e as Error).message}\n`);
  process.exit(1);
}

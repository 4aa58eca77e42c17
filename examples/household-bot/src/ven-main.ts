#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { HouseholdVen, type HouseholdVenConfig } from './ven.js';

/**
 * Runs the household as an OpenADR VEN against a VTN until interrupted:
 *   OPENADR_VTN=http://127.0.0.1:8080 OPENADR_CLIENT_ID=… OPENADR_CLIENT_SECRET=… \
 *     OPENADR_CALLBACK_HOST=127.0.0.1 OPENADR_CALLBACK_PORT=9090 gridtier-household-ven ven.json
 * where ven.json is a HouseholdVenConfig (venName, resourceName, bus, phases, baseLoadKw,
 * appliances). It enrols, subscribes its webhook and polls once a minute for what it missed.
 */
const [configPath] = process.argv.slice(2);
const env = (name: string, fallback?: string) => {
  const v = process.env[name] ?? fallback;
  if (!v) {
    process.stderr.write(`gridtier-household-ven: set ${name}\n`);
    process.exit(2);
  }
  return v;
};
if (!configPath) {
  process.stderr.write(
    'usage: gridtier-household-ven VEN.json (with OPENADR_VTN, _CLIENT_ID, _CLIENT_SECRET, _CALLBACK_HOST, _CALLBACK_PORT)\n',
  );
  process.exit(2);
}
let config: HouseholdVenConfig;
try {
  config = JSON.parse(readFileSync(configPath, 'utf8')) as HouseholdVenConfig;
} catch (e) {
  process.stderr.write(`gridtier-household-ven: ${configPath}: ${(e as Error).message}\n`);
  process.exit(1);
}
const ven = new HouseholdVen(
  env('OPENADR_VTN'),
  env('OPENADR_CLIENT_ID'),
  env('OPENADR_CLIENT_SECRET'),
  config,
);
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());
try {
  await ven.enrol();
  const url = await ven.listen(
    env('OPENADR_CALLBACK_HOST', '127.0.0.1'),
    Number(env('OPENADR_CALLBACK_PORT', '0')),
  );
  process.stdout.write(`${config.venName}: enrolled, notifications at ${url}\n`);
  while (!stop.signal.aborted) {
    await ven.poll();
    if (ven.plan)
      process.stdout.write(
        `${config.venName}: ${ven.plan.appliances.map((a) => `${a.name} at ${a.hours.join(',')}h`).join('; ')}\n`,
      );
    await sleep(60_000, undefined, { signal: stop.signal }).catch(() => undefined);
  }
} catch (e) {
  process.stderr.write(`gridtier-household-ven: ${(e as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await ven.close();
}

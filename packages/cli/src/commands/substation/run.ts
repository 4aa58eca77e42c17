import { SubstationCoordinator } from '@gridtier/bus';
import { MS_PER_HOUR, minutesMs, PRODUCTS } from '@gridtier/core/time';
import { UsageError } from '../../framework/errors.js';
import { serviceLifetime } from '../../framework/service.js';
import type { RunContext } from '../../framework/spec.js';
import { checkBusUrl, checkSubjectNames } from '../bus-options.js';
import type { options } from './command.js';

/** gridtier substation: a substation's coordinator on the bus until interrupted (or for --duration seconds). */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  checkBusUrl(o.bus);
  const feeders = o.feeders.split(',').map((f) => f.trim());
  checkSubjectNames([
    ['substation', o.substation],
    ['prefix', o.prefix],
    ...feeders.map((f) => ['feeders', f] as const),
  ]);
  if (new Set(feeders).size !== feeders.length)
    throw new UsageError(`--feeders ${o.feeders}: a feeder twice`);
  const coordinator = await SubstationCoordinator.start({
    url: o.bus,
    prefix: o.prefix,
    substation: o.substation,
    feeders,
    transformerKw: o['transformer-kw'],
    // the feeders' exchange market: 5-minute intervals
    intervalH: minutesMs(PRODUCTS.ahead5.intervalMinutes) / MS_PER_HOUR,
    isoUsdPerKwh: () => o['iso-usd-per-kwh'],
    curveTimeoutMs: o['curve-timeout-ms'],
    onRefusal: (r) => io.stdout(`refused: ${r.reason}\n`),
  });
  io.stdout(
    `GridTier substation ${o.substation} on ${o.bus}: feeders ${feeders.join(', ')}, transformer ${o['transformer-kw']} kW, curves awaited ${o['curve-timeout-ms']} ms\n`,
  );
  await serviceLifetime(o.duration).wait();
  await coordinator.stop();
  io.stdout(
    `substation ${o.substation}: ${coordinator.published} intervals cleared (${coordinator.timedOut} without every feeder’s curve), ${coordinator.refused} curves refused as malformed, ${coordinator.late} as late\n`,
  );
  return 0;
}

import { SubstationCoordinator } from '@gridtier/bus';
import { MS_PER_HOUR, minutesMs, PRODUCTS } from '@gridtier/core/time';
import { UsageError } from '../../framework/errors.js';
import type { RunContext } from '../../framework/spec.js';
import type { options } from './command.js';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** gridtier substation: a substation's coordinator on the bus until interrupted (or for --duration seconds). */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  if (!/^(nats|tls):\/\/[^\s/]+$/.test(o.bus))
    throw new UsageError(`--bus ${o.bus}: expected a NATS server as nats://host:port`);
  const feeders = o.feeders.split(',').map((f) => f.trim());
  for (const [name, value] of [
    ['substation', o.substation],
    ['prefix', o.prefix],
    ...feeders.map((f) => ['feeders', f] as const),
  ] as const)
    if (!NAME.test(value))
      throw new UsageError(
        `--${name} ${value}: expected 1 to 64 letters, digits, "_" or "-" (it names NATS subjects)`,
      );
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
  });
  io.stdout(
    `GridTier substation ${o.substation} on ${o.bus}: feeders ${feeders.join(', ')}, transformer ${o['transformer-kw']} kW\n`,
  );
  let wake: () => void = () => {};
  const stopped = new Promise<void>((r) => {
    wake = r;
  });
  process.once('SIGINT', wake);
  process.once('SIGTERM', wake);
  const timer = o.duration > 0 ? setTimeout(wake, o.duration * 1000) : undefined;
  await stopped;
  if (timer) clearTimeout(timer);
  process.off('SIGINT', wake);
  process.off('SIGTERM', wake);
  await coordinator.stop();
  io.stdout(
    `substation ${o.substation}: ${coordinator.published} intervals cleared, ${coordinator.refused} curves refused\n`,
  );
  return 0;
}

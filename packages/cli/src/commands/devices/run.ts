import { MIN_ROUNDS_WITH_DROP, runFleet } from '@gridtier/devices';
import { UsageError } from '../../framework/errors.js';
import { writeFileAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import type { options } from './command.js';

/** gridtier devices simulate: simulated devices as MQTT clients, steered by the gateway. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  if (o.broker !== undefined && !/^(mqtt|tcp):\/\/[^/\s]+$/.test(o.broker))
    throw new UsageError(`--broker ${o.broker}: expected mqtt://HOST:PORT`);
  if (o.drop > 0 && o.seconds < MIN_ROUNDS_WITH_DROP * 10)
    throw new UsageError(
      `--drop needs --seconds ${MIN_ROUNDS_WITH_DROP * 10} or more: the drop-out comes once the devices shed at the step can switch again, and recovery is watched for 5 rounds`,
    );
  io.stderr(`connecting ${o.count} devices to ${o.broker ?? 'an embedded broker'} …\n`);
  const r = await runFleet({
    brokerUrl: o.broker,
    count: o.count,
    seconds: o.seconds,
    seed: o.seed,
    workers: o.workers,
    loss: o.loss,
    dropFraction: o.drop > 0 ? o.drop : undefined,
    wallClock: o.wall,
    processes: o.processes,
  });
  const f = (x: number, d = 2) => x.toFixed(d);
  const refused = Object.entries(r.telemetry.refused)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  const text =
    o.format === 'json'
      ? `${JSON.stringify(r, null, 2)}\n`
      : [
          `${r.connected} of ${r.devices} devices connected to ${r.broker} in ${f(r.connectS, 1)} s`,
          `${r.rounds} rounds of ${r.dtS} s (goal steps at round ${r.stepRound}${r.dropRound ? `, ${r.dropped} devices dropped at round ${r.dropRound}` : ''}) in ${f(r.wallS, 1)} s`,
          `delivery: ${f(r.deliveryPct, 3)} % of ${r.telemetry.published} reports; refused: ${refused.length ? refused.join(', ') : 'none'}`,
          `tracking error (rms): ${f(r.rmsTrackingErrorPct)} %${r.recoveryRounds !== undefined ? `; back within 2 % ${r.recoveryRounds} rounds after the drop-out` : ''}`,
          `messages: ${f(r.messagesPerS, 0)} /s; main thread (broker and gateway) busy ${f(r.mainThreadBusyPct, 0)} %, heap ${f(r.mainHeapMiB, 0)} MiB; process CPU ${f(r.mainCpuPct, 0)} %, resident ${f(r.mainRssMiB, 0)} MiB`,
          '',
        ].join('\n');
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  return 0;
}

import * as der from '@gridtier/core/der';
import { writeFileAtomic, writeFilesAtomic } from '../../framework/files.js';
import type { OptionValues, RunContext } from '../../framework/spec.js';
import { bucketMeans, chartsPage } from '../../report/page.js';
import type { options } from './command.js';

const DT_S = 2;
const TIERS = ['green', 'yellow', 'red', 'black'] as const;

type Options = OptionValues<typeof options> & { seconds: number };

/** The goal signal in [−1, 1] the run follows: reduction = midpoint + signal·capacity. */
function signalFor(o: Options, samples: number): Float64Array {
  if (o.goal === 'regd')
    return der.regulation.regDSignal({ seed: o.seed, durationS: samples * DT_S, stepS: DT_S });
  const s = new Float64Array(samples);
  const start = Math.floor(samples / 10);
  for (let k = 0; k < samples; k++) {
    if (k < start) s[k] = -1;
    else if (o.goal === 'step') s[k] = 1;
    else s[k] = Math.min(1, -1 + (2 * (k - start)) / Math.max(1, Math.floor(samples / 3)));
  }
  return s;
}

/** gridtier vpp simulate: a fleet behind the meter following a goal, scored as PJM scores regulation. */
export async function run({ options: given, io }: RunContext<typeof options>): Promise<number> {
  const o: Options = { ...given, seconds: given.seconds ?? (given.goal === 'regd' ? 2400 : 1200) };
  const samples = Math.round(o.seconds / DT_S);
  // RegD reverses faster than compressors may cycle, so it is followed by a regulation-grade mix
  const spec =
    o.goal === 'regd' ? der.vpp.regulationFleetSpec(o.devices) : der.devices.defaultFleetSpec(o.devices);
  const fleet = der.devices.buildFleet(spec, o.seed);
  const c = new der.control.FleetController(fleet, { dtS: DT_S, seed: o.seed });
  for (let k = 0; k < 5; k++) c.round(Number.POSITIVE_INFINITY);
  const baseKw = c.enabledKw;
  const capacityKw = 0.1 * baseKw;
  const midpointKw = 0.15 * baseKw;
  const signal = signalFor(o, samples);

  const time = new Float64Array(samples);
  const goal = new Float64Array(samples);
  const byTier = new Float64Array(samples * 4);
  let sq = 0;
  const t0 = performance.now();
  // the fleet follows the signal as the VPP room does it; the command records the series it shows
  const run = der.vpp.followRegulation(c, signal, DT_S, capacityKw, midpointKw, baseKw, (k, r) => {
    time[k] = r.timeS;
    goal[k] = r.control.targetKw;
    for (let t = 0; t < 4; t++) byTier[k * 4 + t] = r.enabledByTierKw[t];
    sq += ((r.enabledKw - r.control.targetKw) / r.control.targetKw) ** 2;
  });
  const wallS = (performance.now() - t0) / 1000;
  const enabled = run.enabledKw;
  const maxViolations = run.maxTierOrderViolations;
  const score = run.score;
  const result = {
    devices: fleet.size,
    rounds: samples,
    goal: o.goal,
    seed: o.seed,
    rmsTrackingErrorPct: 100 * Math.sqrt(sq / samples),
    maxTierOrderViolations: maxViolations,
    pjmScore: {
      accuracy: score.accuracy,
      delay: score.delay,
      precision: score.precision,
      composite: score.composite,
    },
    roundsPerSecond: samples / wallS,
  };
  const csv = seriesCsv(time, goal, enabled, byTier);
  if (o.report !== undefined) {
    writeFilesAtomic(o.report, { 'vpp.csv': csv, 'vpp.html': chartPage(time, goal, enabled, byTier) });
    io.stderr(`report: ${o.report}/vpp.csv, vpp.html\n`);
  }
  const f = (x: number, d = 3) => x.toFixed(d);
  const text =
    o.format === 'json'
      ? `${JSON.stringify(result, null, 2)}\n`
      : o.format === 'csv'
        ? csv
        : [
            `${result.devices} devices, ${result.rounds} rounds of ${DT_S} s, goal ${o.goal}, seed ${o.seed}`,
            `tracking error (rms): ${f(result.rmsTrackingErrorPct)} %   tier-order violations (max per round): ${maxViolations}`,
            `PJM score: accuracy ${f(score.accuracy)}, delay ${f(score.delay)}, precision ${f(score.precision)}, composite ${f(score.composite)}`,
            `speed: ${f(result.roundsPerSecond, 1)} rounds/s`,
            '',
          ].join('\n');
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  return 0;
}

/** The time series: goal, enabled demand and each tier's enabled demand per round. */
function seriesCsv(
  time: Float64Array,
  goal: Float64Array,
  enabled: Float64Array,
  byTier: Float64Array,
): string {
  const rows = ['timeS,goalKw,enabledKw,greenKw,yellowKw,redKw,blackKw'];
  for (let k = 0; k < time.length; k++) {
    const tiers = [0, 1, 2, 3].map((t) => byTier[k * 4 + t].toFixed(3));
    rows.push([time[k].toFixed(1), goal[k].toFixed(3), enabled[k].toFixed(3), ...tiers].join(','));
  }
  return `${rows.join('\n')}\n`;
}

/** Goal, enabled demand and the enabled demand of each tier against time (bucket means beyond 2,000 points). */
function chartPage(
  time: Float64Array,
  goal: Float64Array,
  enabled: Float64Array,
  byTier: Float64Array,
): string {
  const points = 2000;
  const colours = ['#59a14f', '#edc948', '#e15759', '#222222'];
  const tier = (t: number) => Float64Array.from({ length: time.length }, (_, k) => byTier[k * 4 + t]);
  return chartsPage(
    'GridTier vpp simulate',
    ['vpp.csv holds every round.'],
    [
      {
        title: `Goal and enabled demand of the fleet, and each tier's enabled demand${time.length > points ? ' (means of equal runs of rounds)' : ''}`,
        x: bucketMeans(time, points),
        xLabel: 'time, s',
        yLabel: 'demand, kW',
        fromZero: true,
        series: [
          { label: 'goal', color: '#555555', values: bucketMeans(goal, points), dash: true },
          { label: 'enabled', color: '#4e79a7', values: bucketMeans(enabled, points) },
          ...TIERS.map((name, t) => ({
            label: name,
            color: colours[t],
            values: bucketMeans(tier(t), points),
          })),
        ],
      },
    ],
  );
}

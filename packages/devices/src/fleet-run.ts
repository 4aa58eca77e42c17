import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DeviceRegistry, REFUSALS, type Refusal } from '@gridtier/core/der/gateway';
import { Prng } from '@gridtier/core/random';
import { type BrokerStats, type EmbeddedBroker, startBroker } from './broker.js';
import { Gateway } from './gateway.js';
import { DeviceSimulation } from './simulation.js';

export interface FleetRunOptions {
  /** an external broker; without it an embedded one is started */
  brokerUrl?: string;
  count: number;
  /** simulated seconds; a round every dtS */
  seconds: number;
  dtS?: number;
  seed?: number;
  workers?: number;
  /** share of reports lost on the way */
  loss?: number;
  /** share of devices whose connections break mid-event, and the round it happens */
  dropFraction?: number;
  dropAtRound?: number;
  /** rounds paced on the wall clock every dtS (otherwise each round starts once the last one is in) */
  wallClock?: boolean;
  /** the goal after the step, as a share of the enabled demand before it */
  stepTo?: number;
  roundTimeoutMs?: number;
  vpp?: string;
  /** the devices in child processes instead of worker threads */
  processes?: boolean;
}

export interface RoundRecord {
  round: number;
  goalKw: number;
  targetKw: number;
  /** the gateway's estimate from the reports it had when it broadcast */
  estimatedKw: number;
  /** what the connected devices drew enabled after the round */
  trueKw: number;
  reportsReceived: number;
  connected: number;
}

export interface FleetRunResult {
  devices: number;
  connected: number;
  broker: string;
  dtS: number;
  rounds: number;
  stepRound: number;
  dropRound?: number;
  dropped: number;
  /** reports the gateway accepted / reports the devices sent, percent */
  deliveryPct: number;
  /** rms of (true enabled − target)/target after the step has settled, outside the recovery rounds, percent */
  rmsTrackingErrorPct: number;
  /** rounds after the drop-out until the error is within 2 % again */
  recoveryRounds?: number;
  telemetry: { published: number; accepted: number; refused: Record<Refusal, number> };
  /** MQTT messages through the broker per wall second: reports in, broadcasts fanned out */
  messagesPerS: number;
  wallS: number;
  connectS: number;
  /** the main thread (embedded broker and gateway): busy share and heap */
  mainThreadBusyPct: number;
  mainHeapMiB: number;
  /** this process's CPU over the rounds, % of one core (with `processes`, the broker and gateway alone), and its resident memory */
  mainCpuPct: number;
  mainRssMiB: number;
  brokerStats?: BrokerStats;
  series: RoundRecord[];
}

const SETTLE_ROUNDS = 3;
const WARMUP_ROUNDS = 3;
const RECOVERY_WINDOW = 5;
/**
 * A drop-out comes mid-event, but not before the devices shed at the step can be switched again:
 * green's disabled refractory period is 120–240 s, so 13 rounds of 10 s after the step.
 */
const DROP_AFTER_STEP_ROUNDS = 13;
/** The fewest rounds a run with a drop-out needs: the drop, its recovery window and some rounds after. */
export const MIN_ROUNDS_WITH_DROP = WARMUP_ROUNDS + 1 + DROP_AFTER_STEP_ROUNDS + RECOVERY_WINDOW + 5;

const defaultDropRound = (rounds: number) =>
  Math.max(WARMUP_ROUNDS + 1 + DROP_AFTER_STEP_ROUNDS, Math.floor((WARMUP_ROUNDS + 1 + rounds) / 2));

/**
 * A VPP event over MQTT: simulated devices connect, the gateway runs rounds (no event for a few
 * rounds, then a step of the goal), optionally a share of the devices drops out mid-event; the
 * truth the devices report back to their worker is compared with the target the gateway set.
 */
export async function runFleet(o: FleetRunOptions): Promise<FleetRunResult> {
  const dtS = o.dtS ?? 10;
  const vpp = o.vpp ?? 'vpp1';
  const registry = new DeviceRegistry();
  const secret = randomBytes(24).toString('base64url');
  let broker: EmbeddedBroker | undefined;
  if (o.brokerUrl === undefined) broker = await startBroker({ registry, gatewaySecret: secret });
  const url = o.brokerUrl ?? broker!.url;
  const rounds = Math.max(WARMUP_ROUNDS + SETTLE_ROUNDS + 2, Math.round(o.seconds / dtS));
  if (o.dropFraction && rounds < MIN_ROUNDS_WITH_DROP)
    throw new RangeError(`a run with a drop-out needs ${MIN_ROUNDS_WITH_DROP} rounds or more, got ${rounds}`);
  let simRound = 0;
  const gateway = await Gateway.connect({
    brokerUrl: url,
    registry,
    secret,
    states: { ratePerS: 1, burst: 5 },
    nowMs: () => simRound * dtS * 1000,
  }).catch(async (e) => {
    await broker?.close();
    throw e;
  });
  let sim: Awaited<ReturnType<typeof DeviceSimulation.start>> | undefined;
  try {
    const t0 = performance.now();
    sim = await DeviceSimulation.start({
      brokerUrl: url,
      registry,
      count: o.count,
      vpp,
      seed: o.seed,
      dtS,
      workers: o.workers,
      loss: o.loss,
      roundTimeoutMs: o.roundTimeoutMs,
      processes: o.processes,
    });
    const connectS = (performance.now() - t0) / 1000;
    // every device's first report must be in before the first estimate
    await waitFor(() => gateway.states.accepted >= sim!.connected, 10_000);
    const series: RoundRecord[] = [];
    const stepRound = WARMUP_ROUNDS + 1;
    const dropRound = o.dropFraction ? (o.dropAtRound ?? defaultDropRound(rounds)) : undefined;
    let dropped = 0;
    let baseKw = 0;
    const timeoutMs = (o.roundTimeoutMs ?? 2000) + 10_000;
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    for (let k = 1; k <= rounds; k++) {
      const started = performance.now();
      if (k === dropRound) dropped = await sim.drop(pickDevices(o.count, o.dropFraction!, o.seed ?? 1));
      const goalKw = k < stepRound ? Number.POSITIVE_INFINITY : (o.stepTo ?? 0.8) * baseKw;
      simRound = k;
      const sent = await gateway.startRound(vpp, goalKw);
      const truth = await sim.awaitRound(sent.round, timeoutMs);
      // the simulation knows how many reports it sent; a real fleet waits out the round instead
      const reports = await gateway.waitForReports(vpp, o.roundTimeoutMs ?? 2000, truth.published);
      if (k === stepRound - 1) baseKw = truth.enabledKw;
      series.push({
        round: k,
        goalKw: Number.isFinite(goalKw) ? goalKw : sent.control.targetKw,
        targetKw: sent.control.targetKw,
        estimatedKw: sent.estimatedEnabledKw,
        trueKw: truth.enabledKw,
        reportsReceived: reports,
        connected: truth.connected,
      });
      if (o.wallClock) await sleep(dtS * 1000 - (performance.now() - started));
    }
    const wallS = (performance.now() - t1) / 1000;
    const elu = performance.eventLoopUtilization(elu0);
    const cpu = process.cpuUsage(cpu0);
    const published = sim.published.total;
    const accepted = gateway.states.accepted - sim.connected;
    const errPct = (r: RoundRecord) => (100 * (r.trueKw - r.targetKw)) / r.targetKw;
    const scored = series.filter(
      (r) =>
        r.round >= stepRound + SETTLE_ROUNDS &&
        (dropRound === undefined || r.round < dropRound || r.round >= dropRound + RECOVERY_WINDOW),
    );
    const rms = Math.sqrt(scored.reduce((a, r) => a + errPct(r) ** 2, 0) / Math.max(1, scored.length));
    let recoveryRounds: number | undefined;
    if (dropRound !== undefined) {
      const after = series.filter((r) => r.round >= dropRound);
      const firstGood = after.findIndex((r) => Math.abs(errPct(r)) < 2);
      recoveryRounds = firstGood < 0 ? undefined : firstGood;
    }
    const fanout = gateway.stats.broadcasts * sim.connected;
    return {
      devices: o.count,
      connected: sim.connected,
      broker: broker ? `embedded (aedes) at ${url}` : url,
      dtS,
      rounds,
      stepRound,
      dropRound,
      dropped,
      deliveryPct: published > 0 ? (100 * accepted) / published : 0,
      rmsTrackingErrorPct: rms,
      recoveryRounds,
      telemetry: {
        published,
        accepted,
        refused: Object.fromEntries(REFUSALS.map((r) => [r, gateway.states.refused[r]])) as Record<
          Refusal,
          number
        >,
      },
      messagesPerS: (published + fanout) / wallS,
      wallS,
      connectS,
      mainThreadBusyPct: 100 * elu.utilization,
      mainHeapMiB: process.memoryUsage().heapUsed / 2 ** 20,
      mainCpuPct: (100 * (cpu.user + cpu.system)) / 1e6 / wallS,
      mainRssMiB: process.memoryUsage().rss / 2 ** 20,
      brokerStats: broker ? { ...broker.stats } : undefined,
      series,
    };
  } finally {
    await sim?.close();
    await gateway.close();
    await broker?.close();
  }
}

/** A seeded share of the devices, in index order. */
function pickDevices(count: number, fraction: number, seed: number): number[] {
  const r = new Prng(seed * 31 + 17);
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (r.next() < fraction) out.push(i);
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function waitFor(ok: () => boolean, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!ok() && performance.now() < until) await sleep(10);
}

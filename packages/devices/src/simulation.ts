import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildFleet, DEVICE_KINDS, defaultFleetSpec, TIERS } from '@gridtier/core/der/devices';
import { type DeviceRegistry, PHASES } from '@gridtier/core/der/gateway';
import type { FromWorker, RoundTruth, SimWorkerData, ToWorker } from './sim-protocol.js';

export interface SimulationOptions {
  brokerUrl: string;
  registry: DeviceRegistry;
  count: number;
  vpp?: string;
  seed?: number;
  dtS?: number;
  workers?: number;
  loss?: number;
  roundTimeoutMs?: number;
  connectConcurrency?: number;
  /** run the slices in child processes instead of worker threads (each process has its own file descriptors) */
  processes?: boolean;
}

/** A slice's runner as the simulation talks to it: a worker thread, or a child process dressed as one. */
type SimChild = Pick<Worker, 'on' | 'off' | 'once' | 'postMessage' | 'terminate'>;

function startChild(data: SimWorkerData, processes: boolean): SimChild {
  if (!processes) return new Worker(workerScript(), { workerData: data });
  // no inherited output: a child left behind must not hold its parent's pipes open (errors come by IPC)
  const child = fork(fileURLToPath(workerScript()), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  child.send({ type: 'init', data });
  return Object.assign(child, {
    postMessage: (m: ToWorker) => child.send(m),
    terminate: async () => {
      child.kill();
      return 0;
    },
  }) as unknown as SimChild;
}

export type SimRound = RoundTruth;

function workerScript(): URL {
  const here = new URL('./sim-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL(here.href.replace('/src/', '/dist/'));
}

/** Device ids of a simulated VPP: `{vpp}-d{index}`. */
export const simulatedDeviceId = (vpp: string, i: number): string => `${vpp}-d${i}`;

/**
 * Simulated devices as real MQTT clients in worker threads. The fleet is built from the default
 * residential mix and a seed; each device is registered (owner, kind, tier, a bus and phase, the
 * VPP) with a fresh random secret before its worker connects it.
 */
export class DeviceSimulation {
  readonly vpp: string;
  readonly ids: string[];
  readonly published = { total: 0 };
  private readonly workers: SimChild[] = [];
  private readonly ranges: [number, number][] = [];
  private readonly rounds = new Map<number, { parts: SimRound[]; resolve?: (r: SimRound) => void }>();
  private acked = new Map<SimChild, number>();

  private constructor(
    vpp: string,
    ids: string[],
    readonly count: number,
  ) {
    this.vpp = vpp;
    this.ids = ids;
  }

  static async start(
    o: SimulationOptions,
  ): Promise<DeviceSimulation & { connected: number; failed: number }> {
    const vpp = o.vpp ?? 'vpp1';
    const seed = o.seed ?? 1;
    const spec = defaultFleetSpec(o.count);
    const fleet = buildFleet(spec, seed);
    const ids: string[] = [];
    const secrets: string[] = [];
    for (let i = 0; i < o.count; i++) {
      const id = simulatedDeviceId(vpp, i);
      const secret = randomBytes(24).toString('base64url');
      o.registry.add(
        {
          id,
          owner: `${vpp}-h${Math.floor(i / 3)}`,
          kind: DEVICE_KINDS[fleet.kind[i]],
          tier: TIERS[fleet.tier[i]],
          bus: `b${1 + (i % 50)}`,
          phase: PHASES[i % 3],
          vpp,
        },
        secret,
        randomBytes(8).toString('hex'),
      );
      ids.push(id);
      secrets.push(secret);
    }
    const sim = new DeviceSimulation(vpp, ids, o.count);
    const w = Math.max(1, Math.min(o.workers ?? 2, o.count));
    const ready: Promise<{ connected: number; failed: number; firstError?: string }>[] = [];
    for (let k = 0; k < w; k++) {
      const start = Math.floor((k * o.count) / w);
      const end = Math.floor(((k + 1) * o.count) / w);
      const data: SimWorkerData = {
        brokerUrl: o.brokerUrl,
        vpp,
        spec,
        seed,
        start,
        end,
        ids: ids.slice(start, end),
        secrets: secrets.slice(start, end),
        dtS: o.dtS ?? 10,
        loss: o.loss ?? 0,
        roundTimeoutMs: o.roundTimeoutMs ?? 2000,
        connectConcurrency: o.connectConcurrency ?? 50,
      };
      const worker = startChild(data, o.processes === true);
      sim.workers.push(worker);
      sim.ranges.push([start, end]);
      ready.push(
        new Promise((resolve, reject) => {
          worker.on('error', reject);
          worker.on('message', (m: FromWorker) => {
            if (m.type === 'ready') resolve(m);
            else if (m.type === 'error') reject(new Error(m.message));
            else sim.onMessage(worker, m);
          });
        }),
      );
    }
    const all = await Promise.all(ready);
    const connected = all.reduce((a, r) => a + r.connected, 0);
    const failed = all.reduce((a, r) => a + r.failed, 0);
    if (connected === 0) {
      await sim.close();
      throw new Error(
        `no simulated device could connect to ${o.brokerUrl}: ${all.find((r) => r.firstError)?.firstError ?? 'unknown'}`,
      );
    }
    return Object.assign(sim, { connected, failed });
  }

  private onMessage(worker: SimChild, m: FromWorker): void {
    if (m.type === 'commands') this.acked.set(worker, m.acked);
    if (m.type !== 'round') return;
    this.published.total += m.published;
    let r = this.rounds.get(m.round);
    if (!r) {
      r = { parts: [] };
      this.rounds.set(m.round, r);
    }
    r.parts.push(m);
    if (r.parts.length === this.workers.length) {
      this.rounds.delete(m.round);
      r.resolve?.(sum(m.round, r.parts));
    }
  }

  /** The round's truth once every worker stepped it (a worker steps on its round time-out at the latest). */
  awaitRound(round: number, timeoutMs: number): Promise<SimRound> {
    return new Promise((resolve, reject) => {
      let r = this.rounds.get(round);
      if (!r) {
        r = { parts: [] };
        this.rounds.set(round, r);
      }
      const timer = setTimeout(
        () => reject(new Error(`round ${round}: not every worker stepped it within ${timeoutMs} ms`)),
        timeoutMs,
      );
      r.resolve = (x) => {
        clearTimeout(timer);
        resolve(x);
      };
    });
  }

  /** Breaks the connections of devices `indices` without a goodbye (their wills go out). */
  async drop(indices: number[]): Promise<number> {
    const counts = this.workers.map((worker, k) => {
      const [start, end] = this.ranges[k];
      const mine = indices.filter((i) => i >= start && i < end).map((i) => i - start);
      return new Promise<number>((resolve) => {
        const on = (m: FromWorker) => {
          if (m.type !== 'dropped') return;
          worker.off('message', on);
          resolve(m.count);
        };
        worker.on('message', on);
        worker.postMessage({ type: 'drop', indices: mine } satisfies ToWorker);
      });
    });
    return (await Promise.all(counts)).reduce((a, b) => a + b, 0);
  }

  get commandsAcked(): number {
    let n = 0;
    for (const v of this.acked.values()) n += v;
    return n;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const done = () => resolve();
            worker.once('exit', done);
            worker.on('message', (m: FromWorker) => {
              if (m.type === 'closed') void worker.terminate();
            });
            worker.postMessage({ type: 'close' } satisfies ToWorker);
            setTimeout(() => void worker.terminate(), 5000).unref();
          }),
      ),
    );
  }
}

function sum(round: number, parts: SimRound[]): SimRound {
  const r: SimRound = { round, enabledKw: 0, published: 0, heard: 0, connected: 0, switches: 0 };
  for (const p of parts) {
    r.enabledKw += p.enabledKw;
    r.published += p.published;
    r.heard += p.heard;
    r.connected += p.connected;
    r.switches += p.switches;
  }
  return r;
}

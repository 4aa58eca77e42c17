import type { FleetSpec } from '@gridtier/core/der/devices';

/** What a simulation worker is started with: its slice of the fleet and the devices' credentials. */
export interface SimWorkerData {
  brokerUrl: string;
  vpp: string;
  spec: FleetSpec;
  seed: number;
  start: number;
  end: number;
  ids: string[];
  secrets: string[];
  dtS: number;
  /** probability that a device's report of a round is lost (never sent) */
  loss: number;
  /** a round is stepped this long after the first device heard it, even if some did not, ms */
  roundTimeoutMs: number;
  connectConcurrency: number;
}

export type ToWorker = { type: 'drop'; indices: number[] } | { type: 'close' };

/** One round as a worker (or, summed, the whole simulation) saw it. */
export interface RoundTruth {
  round: number;
  /** what the connected devices really draw enabled, kW */
  enabledKw: number;
  published: number;
  heard: number;
  connected: number;
  switches: number;
}

export type FromWorker =
  | { type: 'ready'; connected: number; failed: number; firstError?: string }
  | ({ type: 'round' } & RoundTruth)
  | { type: 'dropped'; count: number }
  | { type: 'commands'; acked: number }
  | { type: 'closed' }
  | { type: 'error'; message: string };

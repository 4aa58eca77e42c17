import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { connect as tcp } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BusClient } from './client.js';
import { deleteStreams } from './streams.js';

export const BUS = 'nats://127.0.0.1:4222';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = join(root, 'packages/cli/dist/main.js');

/** Whether something listens on NATS's port (or another of this machine's). */
export function natsReachable(port = 4222): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcp({ host: '127.0.0.1', port });
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

export interface EngineArgs {
  prefix: string;
  feeder: string;
  /** where the feeder's log is: `--data DIR`, or `--database URL --schema NAME` */
  store: string[];
  clock: string;
  start: string;
  /** more options of `gridtier feeder-engine` */
  extra?: string[];
  /** what the engine prints on standard output, as it comes */
  onOutput?: (all: string) => void;
}

/** Starts `gridtier ARGS…` as a child process; `ready` resolves once it has printed `readyText`. */
export function spawnGridtier(
  args: readonly string[],
  readyText: string,
  onOutput?: (all: string) => void,
): { child: ChildProcess; ready: Promise<ChildProcess> } {
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = new Promise<ChildProcess>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      onOutput?.(out);
      if (out.includes(readyText)) resolve(child);
    });
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => reject(new Error(`gridtier ${args[0]} exited ${code}: ${err}`)));
  });
  return { child, ready };
}

/** Starts `gridtier feeder-engine` as a child process; resolves once it consumes. */
export function spawnFeederEngine(a: EngineArgs): { child: ChildProcess; ready: Promise<ChildProcess> } {
  return spawnGridtier(
    [
      'feeder-engine',
      '--bus',
      BUS,
      '--feeder',
      a.feeder,
      '--prefix',
      a.prefix,
      ...a.store,
      '--clock',
      a.clock,
      '--start',
      a.start,
      ...(a.extra ?? []),
    ],
    `GridTier feeder ${a.feeder} on`,
    a.onOutput,
  );
}

/** After a test file: its engines killed, its streams, folders and PostgreSQL schemas removed. */
export async function cleanUp(what: {
  children: readonly ChildProcess[];
  prefixes: readonly string[];
  dirs: readonly string[];
  schemas?: { url: string; names: readonly string[] };
}): Promise<void> {
  for (const c of what.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (what.prefixes.length > 0) {
    const client = await BusClient.connect(BUS, what.prefixes[0]);
    const jsm = await client.nc.jetstreamManager();
    for (const p of what.prefixes) await deleteStreams(jsm, p);
    await client.close();
  }
  for (const d of what.dirs) await rm(d, { recursive: true, force: true });
  if (what.schemas && what.schemas.names.length > 0) {
    const db = new pg.Client({ connectionString: what.schemas.url });
    await db.connect();
    for (const s of what.schemas.names) await db.query(`drop schema if exists ${s} cascade`);
    await db.end();
  }
}

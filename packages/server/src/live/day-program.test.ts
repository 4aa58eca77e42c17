import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventToLine } from '@gridtier/core/engine';
import { runScript } from '@gridtier/core/grid/powerflow';
import { nodeScriptHost, WorkerLemClearer } from '@gridtier/core/node';
import { HighsSolver } from '@gridtier/core/opt';
import { parseDayScenario, parseInventory } from '@gridtier/core/sim';
import { minutesMs } from '@gridtier/core/time';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFor } from '../http/test-support.js';
import { type RunningServer, startServer } from '../server.js';
import { dayProgram, scenarioStartMs } from './day-program.js';

const example = (p: string) => fileURLToPath(new URL(`../../../../examples/${p}`, import.meta.url));
const readJson = (p: string) => JSON.parse(readFileSync(example(p), 'utf8'));
const feederPath = example('feeders/gridtier-residential/master.dss');
const full = parseInventory(readJson('feeders/gridtier-residential/der.json'));
// a slice of the feeder's homes keeps the test short; every market and agent kind still runs
const inventory = { ...full, prosumers: full.prosumers.slice(0, 20) };
const scenario = parseDayScenario(readJson('scenarios/residential-day.json'));
const SPEED = 600;

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Real time the test moves by hand; sleeping takes real time, so the engine's loop does not spin. */
class HandTime {
  t = 1_000_000;
  now = () => this.t;
  sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
}

async function serve(dir: string, time: HandTime): Promise<RunningServer> {
  return startServer({
    data: dir,
    clock: `x${SPEED}`,
    startMs: scenarioStartMs(scenario),
    port: 0,
    stepMs: 2,
    source: time,
    program: dayProgram({
      scenario,
      inventory,
      feeder: () => runScript(nodeScriptHost, feederPath).state,
      solver: await HighsSolver.create(),
      // as `gridtier serve` clears the LEM: in a worker thread
      lemClearer: () => new WorkerLemClearer(feederPath),
    }),
  });
}

/** Moves the engine to `engineMs` and waits until the step that got there is over. */
async function advance(server: RunningServer, time: HandTime, engineMs: number): Promise<void> {
  time.t += Math.max(0, engineMs - server.live.now()) / SPEED;
  while (server.live.now() < engineMs) await new Promise((resolve) => setTimeout(resolve, 5));
  await server.live.read(() => {});
}

describe('gridtier serve with a scenario: the feeder’s markets and agents live', () => {
  it('clears the real-time LEM with DLMPs, an outside bid trades beside the agents, a restart replays exactly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gridtier-day-'));
    dirs.push(dir);
    const time = new HandTime();
    const dayMs = Date.parse(`${scenario.date}T00:00:00Z`);
    const a = await serve(dir, time);
    const client = await clientFor(a, 'outside-home', 'prosumer');
    // the afternoon before: the agents plan, the day-ahead LEM clears at 11:00
    await advance(a, time, dayMs - minutesMs(4));
    const site = inventory.prosumers[0];
    const session = (await client.markets({ market: 'lem-rt' })).sessions.find(
      (s) => Date.parse(s.deliveryStart) === dayMs,
    );
    expect(session?.state).toBe('open');
    const ack = await client.submit({
      market: 'lem-rt',
      session: session!.id,
      clientOrderId: 'rt-0',
      order: { type: 'bid', bus: site.bus, phases: site.phases, steps: [{ price: 400, quantityKw: 6 }] },
    });
    await advance(a, time, dayMs + minutesMs(11));

    const dlmps = (await client.dlmps({ market: 'lem-rt' })).dlmps;
    expect(dlmps.length).toBeGreaterThanOrEqual(2);
    const first = dlmps.find((d) => d.session === session!.id)!;
    const node = `${site.bus}.${site.phases[0]}`;
    const at = first.nodes.indexOf(node);
    expect(at, node).toBeGreaterThanOrEqual(0);
    const price = first.intervals[0].total[at];
    expect(price).toBeGreaterThan(0);
    expect(price).toBeLessThan(400);

    // the outside bid bought its 6 kW for 5 minutes at (about) its node's DLMP
    const fills = (await client.fills()).fills.filter((f) => f.orderId === ack.orderId);
    expect(fills).toHaveLength(1);
    expect(fills[0].kwh).toBeCloseTo(-0.5, 6);
    expect(-fills[0].usd / 0.5).toBeGreaterThan(0);
    // beside the built-in agents: the same clearing settled the retailer and the VPPs
    const clearing = (await client.clearings('lem-rt')).clearings.find((c) => c.session === session!.id)!;
    expect(clearing.result.status).toBe('optimal');
    const day = await a.live.read((e) => e.log.lastSeq);
    const accepted = await a.repo.events({ types: ['order.accepted'] });
    const actors = new Set(accepted.map((e) => e.actor));
    expect(actors.has('retailer')).toBe(true);
    expect([...actors].some((x) => x.startsWith('vpp'))).toBe(true);
    expect(actors.size).toBeGreaterThan(inventory.prosumers.length);
    const before = (await a.repo.events()).map(eventToLine);
    expect(before.length).toBe(day);
    await a.close();

    // a restart rebuilds the agents, replays every event (each checked against the stored one)
    const b = await serve(dir, time);
    try {
      expect(b.live.replayed).toBe(before.length);
      expect((await b.repo.events()).map(eventToLine)).toEqual(before);
      // and goes on: the next real-time interval clears as before
      await advance(b, time, dayMs + minutesMs(16));
      const again = await clientFor(b, 'second-look', 'auditor');
      const after = (await again.dlmps({ market: 'lem-rt' })).dlmps;
      expect(after.length).toBeGreaterThan(dlmps.length);
    } finally {
      await b.close();
    }
  }, 120_000);
});

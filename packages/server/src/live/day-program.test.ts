import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventToLine } from '@gridtier/core/engine';
import { minutesMs } from '@gridtier/core/time';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFor } from '../http/test-support.js';
import { HandTime, residentialDayServer } from '../testing.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('gridtier serve with a scenario: the feeder’s markets and agents live', () => {
  it('clears the real-time LEM with DLMPs, an outside bid trades beside the agents, a restart replays exactly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gridtier-day-'));
    dirs.push(dir);
    const time = new HandTime();
    // a slice of the feeder's homes keeps the test short; every market and agent kind still runs
    const a = await residentialDayServer(dir, time, 20);
    const dayMs = a.day.dayStartMs;
    const inventory = { prosumers: a.day.sites };
    const client = await clientFor(a, 'outside-home', 'prosumer');
    // the afternoon before: the agents plan, the day-ahead LEM clears at 11:00
    await time.advance(a, dayMs - minutesMs(4));
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
    await time.advance(a, dayMs + minutesMs(11));

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
    const b = await residentialDayServer(dir, time, 20);
    try {
      expect(b.live.replayed).toBe(before.length);
      expect((await b.repo.events()).map(eventToLine)).toEqual(before);
      // and goes on: the next real-time interval clears as before
      await time.advance(b, dayMs + minutesMs(16));
      const again = await clientFor(b, 'second-look', 'auditor');
      const after = (await again.dlmps({ market: 'lem-rt' })).dlmps;
      expect(after.length).toBeGreaterThan(dlmps.length);
    } finally {
      await b.close();
    }
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DayGoals } from './day-goals.js';
import { DeviceHost, type DeviceStore, type StoredDevice } from './host.js';
import { DeviceSimulation } from './simulation.js';

/** A store in memory: the host's registry needs one, the database is the server's business. */
class MemoryStore implements DeviceStore {
  readonly rows: StoredDevice[] = [];
  async addDevice(d: StoredDevice) {
    this.rows.push(d);
  }
  async devices() {
    return [...this.rows];
  }
  async revokeDevice(id: string, atMs: number) {
    const d = this.rows.find((x) => x.id === id);
    if (d) d.revokedMs ??= atMs;
    return d !== undefined;
  }
}

describe('the day’s VPP goals over MQTT', () => {
  it('follows a share from the fleet’s goal and telemetry, with the regulation signal', () => {
    const g = new DayGoals();
    expect(g.shareAt('v', 0)).toBeUndefined();
    g.hear({ type: 'vpp.goal', payload: { vpp: 'v', startMs: 0, goalKw: 600, reasons: ['commitments'] } });
    // no fullKw heard yet: the share is unknown, so no goal
    expect(g.shareAt('v', 0)).toBeUndefined();
    g.hear({ type: 'world.fleet', payload: { vpp: 'v', fullKw: 1000 } });
    expect(g.shareAt('v', 0)).toBeCloseTo(0.6);
    g.hear({
      type: 'vpp.goal',
      payload: {
        vpp: 'v',
        startMs: 0,
        goalKw: 600,
        reasons: [],
        regulation: { capacityKw: 100, stepS: 10, signal: [1, -1] },
      },
    });
    expect(g.shareAt('v', 5000)).toBeCloseTo(0.5);
    expect(g.shareAt('v', 15_000)).toBeCloseTo(0.7);
    expect(g.shareAt('v', 60_000)).toBeCloseTo(0.7);
    g.hear({ type: 'vpp.goal', payload: { vpp: 'v', startMs: 0, goalKw: null, reasons: [] } });
    expect(g.shareAt('v', 0)).toBeUndefined();
  });

  describe('a few hundred simulated devices on the embedded broker', () => {
    const vpp = 'vpp_b12';
    let round = 0;
    let host: DeviceHost;
    let sim: Awaited<ReturnType<typeof DeviceSimulation.start>>;
    beforeAll(async () => {
      host = await DeviceHost.start({ store: new MemoryStore(), nowMs: () => round * 10_000 });
      sim = await DeviceSimulation.start({
        brokerUrl: host.brokerUrl,
        registry: host.registry,
        count: 300,
        vpp,
        seed: 3,
      });
    }, 60_000);
    afterAll(async () => {
      await sim?.close();
      await host?.close();
    });

    it('track the VPP’s goal as a share of their demand', async () => {
      const goals = new DayGoals();
      host.beforeRound(() => goals.apply(host, round * 10_000));
      const errors: number[] = [];
      for (round = 1; round <= 25; round++) {
        if (round === 4) {
          goals.hear({ type: 'world.fleet', payload: { vpp, fullKw: 2000 } });
          goals.hear({
            type: 'vpp.goal',
            payload: { vpp, startMs: 0, goalKw: 1600, reasons: ['commitments'] },
          });
        }
        await host.runRounds();
        const sent = host.gateway.lastRound(vpp)!;
        const truth = await sim.awaitRound(sent.round, 20_000);
        await host.gateway.waitForReports(vpp, 5000, truth.published);
        const v = host.vpp(vpp)!;
        if (round < 4) expect(v.goalKw).toBeUndefined();
        else {
          expect(v.goalKw).toBeGreaterThan(0);
          if (round >= 10) errors.push((truth.enabledKw - v.targetKw!) / v.targetKw!);
        }
      }
      const v = host.vpp(vpp)!;
      expect(v.online).toBe(300);
      // the goal is 80 % of the demand the devices report, enabled or not
      expect(v.targetKw! / v.estimatedEnabledKw).toBeGreaterThan(0.5);
      const rmsPct = 100 * Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length);
      expect(rmsPct).toBeLessThan(2);
    }, 120_000);
  });
});

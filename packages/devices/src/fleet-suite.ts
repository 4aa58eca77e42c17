import { describe, expect, it } from 'vitest';
import { runFleet } from './fleet-run.js';

/**
 * The fleet's proof on a broker: 2,000 simulated devices, a round every 10 s of simulated time
 * (rounds run as fast as the messages go), a step of the goal, then 10 % of the devices dropping
 * out mid-event. `brokerUrl` undefined means the embedded broker; a skip message means the
 * broker is absent.
 */
export function fleetSuite(name: string, broker: () => Promise<{ url?: string } | { skip: string }>): void {
  describe(`2,000 devices over MQTT (${name})`, () => {
    it('track a step goal within 2 % rms and recover within 5 rounds when 10 % drop out', async (ctx) => {
      const b = await broker();
      if ('skip' in b) {
        console.warn(`skipped: ${b.skip}`);
        ctx.skip();
        return;
      }
      const r = await runFleet({
        brokerUrl: b.url,
        count: 2000,
        seconds: 300,
        dropFraction: 0.1,
        seed: 5,
        workers: 2,
      });
      expect(r.connected).toBe(2000);
      expect(r.dropped).toBeGreaterThan(150);
      expect(r.rmsTrackingErrorPct).toBeLessThan(2);
      expect(r.recoveryRounds).toBeLessThanOrEqual(5);
      expect(r.deliveryPct).toBeGreaterThanOrEqual(99.9);
      // the dropped devices' wills took them out of the estimate
      const last = r.series.at(-1)!;
      expect(last.connected).toBe(2000 - r.dropped);
      expect(last.reportsReceived).toBe(2000 - r.dropped);
      expect(
        r.telemetry.refused.throttled + r.telemetry.refused.replayed + r.telemetry.refused.malformed,
      ).toBe(0);
    });
  });
}

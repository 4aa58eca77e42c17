import { describe, expect, it } from 'vitest';
import { runFleet } from './fleet-run.js';
import { fleetSuite } from './fleet-suite.js';

fleetSuite('embedded broker', async () => ({}));

describe('devices in child processes', () => {
  it('connect, report and track as in worker threads, the broker’s process measured alone', async () => {
    const r = await runFleet({ count: 300, seconds: 100, processes: true, workers: 2, seed: 4 });
    expect(r.connected).toBe(300);
    expect(r.deliveryPct).toBe(100);
    expect(r.rmsTrackingErrorPct).toBeLessThan(3);
    expect(r.mainCpuPct).toBeGreaterThan(0);
    expect(r.mainRssMiB).toBeGreaterThan(0);
  }, 60_000);
});

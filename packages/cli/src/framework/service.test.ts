import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { serviceLifetime, startInstantMs } from './service.js';

describe('serviceLifetime', () => {
  it('ends with the first failure the service reports', async () => {
    const life = serviceLifetime(0);
    const waited = life.wait();
    life.stop(new Error('first'));
    life.stop(new Error('second'));
    expect((await waited)?.message).toBe('first');
  });

  it('ends without a failure after --duration seconds and leaves no signal handler behind', async () => {
    const before = process.listenerCount('SIGTERM');
    const life = serviceLifetime(0.01);
    const waited = life.wait();
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    expect(await waited).toBeUndefined();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('ends on SIGTERM', async () => {
    const life = serviceLifetime(0);
    const waited = life.wait();
    process.emit('SIGTERM', 'SIGTERM');
    expect(await waited).toBeUndefined();
  });
});

describe('startInstantMs', () => {
  it('reads an ISO 8601 instant and refuses anything else naming the option', () => {
    expect(startInstantMs('2026-07-01T00:00:00Z')).toBe(Date.UTC(2026, 6, 1));
    expect(startInstantMs(undefined)).toBeUndefined();
    expect(() => startInstantMs('noon')).toThrow(UsageError);
    expect(() => startInstantMs('noon')).toThrow(/--start noon/);
  });
});

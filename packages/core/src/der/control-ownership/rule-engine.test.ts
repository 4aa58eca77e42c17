import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryLeaseRegistry } from './leases.js';
import { RuleEngine } from './rule-engine.js';

describe('event-condition-action rules fed by an at-least-once gateway', () => {
  it('fire exactly once per event, however often and in whatever order it is redelivered', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            value: fc.double({ min: 0, max: 0.3, noNaN: true }),
            copies: fc.integer({ min: 1, max: 4 }),
          }),
          {
            maxLength: 40,
          },
        ),
        fc.integer({ min: 0, max: 1000 }),
        (events, shuffleSeed) => {
          const leases = new MemoryLeaseRegistry();
          leases.acquire({ resource: 'heat-pump', holder: 'energy', from: 0, to: 10_000 });
          const engine = new RuleEngine(
            [
              {
                id: 'cheap',
                owner: 'energy',
                on: 'price',
                when: (e) => (e.value ?? 1) < 0.1,
                resource: 'heat-pump',
                command: 'on',
              },
            ],
            leases,
          );
          // every event delivered `copies` times, copies interleaved with later events
          const deliveries = events.flatMap((e, i) =>
            Array.from({ length: e.copies }, (_, c) => ({
              id: `e${i}`,
              type: 'price',
              time: i + ((c * 7 + shuffleSeed) % 5),
              value: e.value,
            })),
          );
          deliveries.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
          const fired = new Map<string, number>();
          for (const d of deliveries)
            for (const o of engine.handle(d)) if (o.done) fired.set(d.id, (fired.get(d.id) ?? 0) + 1);
          events.forEach((e, i) => {
            expect(fired.get(`e${i}`) ?? 0).toBe(e.value < 0.1 ? 1 : 0);
          });
        },
      ),
    );
  });

  it('refuses an event without an id', () => {
    const engine = new RuleEngine([], new MemoryLeaseRegistry());
    expect(() => engine.handle({ id: '', type: 'price', time: 1 })).toThrow(/id is required/);
  });
});

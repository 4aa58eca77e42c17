import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryLeaseRegistry, runRules } from './index.js';

describe('control ownership', () => {
  it('leases on one resource never overlap, whatever is asked, and the same requests give the same grants', () => {
    const request = fc.record({
      resource: fc.constantFrom('heat-pump', 'room1.temperature'),
      holder: fc.constantFrom('energy', 'comfort', 'security', 'health'),
      from: fc.integer({ min: 0, max: 100 }),
      length: fc.integer({ min: -5, max: 40 }),
    });
    fc.assert(
      fc.property(fc.array(request, { maxLength: 40 }), (requests) => {
        const run = () => {
          const reg = new MemoryLeaseRegistry();
          const results = requests.map((q) => reg.acquire({ ...q, to: q.from + q.length }));
          return { reg, results };
        };
        const { reg, results } = run();
        for (const resource of ['heat-pump', 'room1.temperature']) {
          const held = [...reg.leases(resource)].sort((a, b) => a.from - b.from);
          for (let i = 1; i < held.length; i++) expect(held[i].from).toBeGreaterThanOrEqual(held[i - 1].to);
        }
        expect(run().results).toEqual(results);
      }),
    );
  });

  it('refuses a conflicting acquisition naming the holder, expires leases, and transfers only as agreed', () => {
    const reg = new MemoryLeaseRegistry();
    const comfort = reg.acquire({
      resource: 'room1.temperature',
      holder: 'comfort',
      from: 0,
      to: 3600,
      transferableTo: ['health'],
    });
    expect(comfort.granted).toBe(true);
    const energy = reg.acquire({ resource: 'room1.temperature', holder: 'energy', from: 1800, to: 5400 });
    expect(energy).toEqual({
      granted: false,
      reason: expect.stringMatching(/held by comfort from 0 to 3600/),
    });
    if (!comfort.granted) return;
    expect(reg.transfer(comfort.lease.id, 'comfort', 'energy', 600)).toMatchObject({
      granted: false,
      reason: expect.stringMatching(/may not pass to energy: its terms allow health/),
    });
    const passed = reg.transfer(comfort.lease.id, 'comfort', 'health', 600);
    expect(passed.granted).toBe(true);
    expect(reg.holderAt('room1.temperature', 300)).toBe('comfort');
    expect(reg.holderAt('room1.temperature', 900)).toBe('health');
    expect(
      reg
        .expire(3600)
        .map((l) => l.holder)
        .sort(),
    ).toEqual(['comfort', 'health']);
    expect(reg.holderAt('room1.temperature', 1000)).toBeUndefined();
  });

  it('rules act only for the lease holder', () => {
    const reg = new MemoryLeaseRegistry();
    reg.acquire({ resource: 'heat-pump', holder: 'energy', from: 0, to: 100 });
    const rules = [
      {
        id: 'cheap',
        owner: 'energy',
        on: 'price',
        when: (e: { value?: number }) => (e.value ?? 1) < 0.1,
        resource: 'heat-pump',
        command: 'on',
      },
      {
        id: 'cold',
        owner: 'comfort',
        on: 'price',
        when: () => true,
        resource: 'heat-pump',
        command: 'boost',
      },
    ];
    const out = runRules(rules, { type: 'price', time: 50, value: 0.05 }, reg);
    expect(out.map((o) => [o.rule, o.done])).toEqual([
      ['cheap', true],
      ['cold', false],
    ]);
    expect(out[1].reason).toBe('heat-pump is leased to energy');
    expect(runRules(rules, { type: 'price', time: 150, value: 0.05 }, reg)[0].reason).toBe(
      'energy holds no lease on heat-pump',
    );
  });
});

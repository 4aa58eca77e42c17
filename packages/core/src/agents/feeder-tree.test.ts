import { describe, expect, it } from 'vitest';
import { busesDownstream } from './feeder-tree.js';
import type { FeederMap } from './ports.js';

const bus = (name: string) => ({ name, phases: [1, 2, 3], x: null, y: null });
// source — a — b — c, with d off a; branch ends written in either direction
const map: FeederMap = {
  buses: ['SourceBus', 'a', 'b', 'c', 'd'].map(bus),
  branches: [
    { name: 'l1', from: 0, to: 1, normAmps: 400 },
    { name: 'l2', from: 2, to: 1, normAmps: 400 },
    { name: 'l3', from: 2, to: 3, normAmps: 400 },
    { name: 'l4', from: 1, to: 4, normAmps: 400 },
  ],
};

describe('the buses at or below a bus', () => {
  it('follows the tree away from the source whichever way a branch is written', () => {
    expect([...busesDownstream(map, ['B'])].sort()).toEqual(['b', 'c']);
    expect([...busesDownstream(map, ['a'])].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect([...busesDownstream(map, ['c', 'd'])].sort()).toEqual(['c', 'd']);
  });

  it('leaves out a bus the map does not know', () => {
    expect(busesDownstream(map, ['nowhere']).size).toBe(0);
  });
});

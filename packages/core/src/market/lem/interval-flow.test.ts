import { expect, it } from 'vitest';
import { controlStateOf } from '../../grid/model/index.js';
import { IntervalFlow } from './interval-flow.js';
import { demoFeeder as demo, stateOf } from './test-support.js';

const pf = { maxIterations: 30, maxControlIter: 100, tolerance: 1e-6 };

it('reuses a finished market’s network, with the taps as the script set them', () => {
  const state = stateOf(`Redirect ${demo}\n`);
  const first = new IntervalFlow(state, 1);
  const scripted = controlStateOf(first.network);
  // 2.4 MW more load at the far end: the feeder regulator raises its taps
  const far = first.network.busNodes[first.network.busIndex.get('n8')!];
  for (const k of far) first.injW[k] = -800_000;
  first.solve(pf);
  expect(controlStateOf(first.network)).not.toEqual(scripted);
  first.release();
  const next = new IntervalFlow(state, 1);
  expect(next.network).toBe(first.network);
  expect(controlStateOf(next.network)).toEqual(scripted);
  // one in use is never handed out twice
  expect(new IntervalFlow(state, 1).network).not.toBe(next.network);
});

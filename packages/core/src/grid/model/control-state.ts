import type { Network } from './network.js';
import { CapacitorElement } from './shunt.js';
import { TransformerElement } from './transformer.js';

/**
 * What a power flow's controls may change in a network: the transformers' taps and the
 * capacitors' step states, by element index. Everything else in a network stays as built.
 */
export interface ControlState {
  taps: Map<number, number[]>;
  capacitorStates: Map<number, number[]>;
}

export function controlStateOf(net: Network): ControlState {
  const taps = new Map<number, number[]>();
  const capacitorStates = new Map<number, number[]>();
  net.elements.forEach((el, e) => {
    if (el instanceof TransformerElement)
      taps.set(
        e,
        el.windings.map((w) => w.tap),
      );
    else if (el instanceof CapacitorElement) capacitorStates.set(e, [...el.states]);
  });
  return { taps, capacitorStates };
}

/** Puts a network's controls back as they were in `state` (taken from it or from a copy of it). */
export function restoreControlState(net: Network, state: ControlState): void {
  for (const [e, taps] of state.taps) {
    const t = net.elements[e] as TransformerElement;
    for (const [w, tap] of taps.entries()) t.setTap(w, tap);
  }
  for (const [e, states] of state.capacitorStates) {
    const c = net.elements[e] as CapacitorElement;
    states.forEach((s, k) => {
      c.states[k] = s;
    });
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScriptHost } from '../../grid/dss/index.js';
import type { Network } from '../../grid/model/index.js';
import { runScript } from '../../grid/powerflow/index.js';
import { nodeScriptHost } from '../../node.js';
import { Prng } from '../../random/index.js';

/** The project's example feeder, for scripts that Redirect to it. */
export const demoFeeder = fileURLToPath(
  new URL('../../../../../examples/feeders/gridtier-demo/master.dss', import.meta.url),
);

/** Two lossless lines and two loads: one price everywhere unless a limit binds. */
export const losslessFeeder = `Clear
New Circuit.ll basekv=12.47 bus1=src pu=1.0 r1=0 x1=0.001 r0=0 x0=0.001
New Line.a bus1=src bus2=b1 r1=0 x1=0.3 r0=0 x0=0.9 c1=0 c0=0 length=1 normamps=1000
New Line.b bus1=b1 bus2=b2 r1=0 x1=0.3 r0=0 x0=0.9 c1=0 c0=0 length=1 normamps=1000
New Load.l1 bus1=b1 kv=12.47 kw=600 pf=0.95
New Load.l2 bus1=b2 kv=12.47 kw=400 pf=0.95
Set voltagebases=[12.47]
CalcVoltageBases
`;

/** Runs a script held in memory; its Redirects may still read files. */
export function stateOf(script: string) {
  const host: ScriptHost = {
    ...nodeScriptHost,
    readText: (p) => (p.endsWith('virtual.dss') ? script : nodeScriptHost.readText(p)),
    exists: (p) => p.endsWith('virtual.dss') || nodeScriptHost.exists(p),
  };
  return runScript(host, '/virtual.dss').state;
}

/** A reference case of ../shared beside the repository, or undefined where it is absent. */
export function sharedCase(name: string): string | undefined {
  const root = fileURLToPath(new URL('../../../../../../shared', import.meta.url));
  const path = join(root, 'reference', 'opendss', 'cases', name);
  return existsSync(path) ? path : undefined;
}

/** The buses orders may sit at on a published feeder, with their phases: not the source side. */
export function marketBuses(net: Network): { bus: string; phases: number[] }[] {
  return net.buses
    .map((bus, b) => ({
      bus,
      phases: net.busNodes[b].map((i) => net.nodes[i].node).filter((p) => p >= 1 && p <= 3),
    }))
    .filter((x) => x.phases.length > 0 && !['150', '150r', 'sourcebus', '610'].includes(x.bus));
}

/** A seeded day of orders on a feeder: step offers and bids of 3 steps, and batteries. */
export function syntheticOrders(
  buses: { bus: string; phases: number[] }[],
  count: number,
  storage: number,
  seed: number,
) {
  const r = new Prng(seed);
  const orders: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const at = r.pick(buses);
    const offer = r.next() < 0.5;
    const base = offer ? r.uniform(15, 60) : r.uniform(25, 90);
    orders.push({
      id: `${offer ? 'o' : 'b'}${i}`,
      type: offer ? 'offer' : 'bid',
      participant: `p${i % 60}`,
      bus: at.bus,
      phases: r.next() < 0.5 ? at.phases : [r.pick(at.phases)],
      steps: [0, 1, 2].map((k) => ({ price: base + (offer ? 10 : -10) * k, quantityKw: r.uniform(2, 15) })),
    });
  }
  for (let i = 0; i < storage; i++) {
    const at = r.pick(buses);
    orders.push({
      id: `s${i}`,
      type: 'storage',
      participant: `bat${i}`,
      bus: at.bus,
      powerKw: r.uniform(10, 50),
      energyKwh: r.uniform(40, 200),
      initialSocPct: 50,
      minSocPct: 10,
      maxSocPct: 90,
      cyclingCost: 2,
    });
  }
  return orders;
}

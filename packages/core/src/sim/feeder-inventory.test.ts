import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type LoadObj, memoryHost } from '../grid/dss/index.js';
import { runScript } from '../grid/powerflow/index.js';
import { nodeScriptHost } from '../node.js';
import { type FeederInventoryOptions, inventoryFromFeeder } from './feeder-inventory.js';
import { parseDayScenario } from './scenario.js';

const demoPath = fileURLToPath(
  new URL('../../../../examples/feeders/gridtier-demo/master.dss', import.meta.url),
);
const shared = (p: string) => {
  const path = fileURLToPath(new URL(`../../../../../shared/feeders/${p}`, import.meta.url));
  return existsSync(path) ? path : undefined;
};
const demo = () => runScript(nodeScriptHost, demoPath).state;

/**
 * A radial 12.47 kV feeder written in memory: a trunk of `laterals` buses, each with a
 * single-phase lateral of `perLateral` 4 kW homes behind their own line segments, and one load
 * that draws nothing.
 */
function synthetic(laterals: number, perLateral: number) {
  const lines = ['Clear', 'New Circuit.syn basekv=12.47 bus1=src pu=1.0 MVAsc3=200 MVAsc1=180'];
  for (let t = 1; t <= laterals; t++) {
    lines.push(`New Line.t${t} bus1=${t === 1 ? 'src' : `t${t - 1}`} bus2=t${t} length=0.3 units=km`);
    const phase = ((t - 1) % 3) + 1;
    for (let k = 1; k <= perLateral; k++) {
      lines.push(
        `New Line.l${t}_${k} phases=1 bus1=${k === 1 ? `t${t}` : `l${t}_${k - 1}`}.${phase} bus2=l${t}_${k}.${phase} length=0.05 units=km`,
      );
      lines.push(`New Load.h${t}_${k} phases=1 bus1=l${t}_${k}.${phase} kv=7.2 kw=4 kvar=1.3`);
    }
  }
  lines.push('New Load.idle phases=3 bus1=t1 kv=12.47 kw=0');
  lines.push('Set voltagebases=[12.47]', 'CalcVoltageBases', 'Solve');
  return runScript(memoryHost({ 'syn.dss': lines.join('\n') }), 'syn.dss').state;
}

describe('an inventory from a feeder’s own loads', () => {
  it('places one prosumer at each load: its name, bus, phase nodes and power factor', () => {
    const state = demo();
    const inv = inventoryFromFeeder(state);
    const loads = state.all<LoadObj>('Load');
    expect(inv.prosumers.map((p) => p.id)).toEqual(loads.map((l) => l.name));
    for (const l of loads) {
      const p = inv.prosumers.find((x) => x.id === l.name)!;
      expect(p.bus).toBe(l.bus1!.bus);
      const nodes = l.bus1!.nodes.length > 0 ? l.bus1!.nodes : [1, 2, 3].slice(0, l.phases);
      expect(p.phases).toEqual(nodes);
      expect(p.pf).toBeCloseTo(l.kw / Math.hypot(l.kw, l.kvar), 3);
      expect(p.kind).toBe(l.kw > 25 ? 'commercial' : 'residential');
    }
    // the 410 kW + 160 kvar single-phase load on phase 2
    expect(inv.prosumers.find((p) => p.id === 'n2b')).toMatchObject({ bus: 'n2', phases: [2], pf: 0.932 });
    expect(inv.skipped).toEqual([]);
  });

  it('is deterministic in its seed, and a higher PV share adds PV without reshuffling the rest', () => {
    const state = synthetic(6, 30);
    const a = inventoryFromFeeder(state, { seed: 3 });
    expect(JSON.stringify(inventoryFromFeeder(state, { seed: 3 }))).toBe(JSON.stringify(a));
    expect(JSON.stringify(inventoryFromFeeder(state, { seed: 4 }).prosumers)).not.toBe(
      JSON.stringify(a.prosumers),
    );
    const more = inventoryFromFeeder(state, { seed: 3, pvShare: 0.8 });
    const pv = (i: typeof a) => i.prosumers.filter((p) => p.pvKwp > 0).map((p) => p.id);
    expect(pv(more).length).toBeGreaterThan(pv(a).length);
    expect(pv(more)).toEqual(expect.arrayContaining(pv(a)));
    expect(more.prosumers.map((p) => p.battery)).toEqual(a.prosumers.map((p) => p.battery));
  });

  it('draws each DER in about its share of the sites', () => {
    const state = synthetic(8, 50);
    const mix: FeederInventoryOptions = { pvShare: 0.5, batteryShare: 0.2, evShare: 0.3, acShare: 0.7 };
    const inv = inventoryFromFeeder(state, mix);
    const n = inv.prosumers.length;
    expect(n).toBe(400);
    const shareOf = (f: (p: (typeof inv.prosumers)[number]) => boolean) => inv.prosumers.filter(f).length / n;
    expect(shareOf((p) => p.pvKwp > 0)).toBeCloseTo(0.5, 1);
    expect(shareOf((p) => !!p.battery)).toBeCloseTo(0.2, 1);
    expect(shareOf((p) => !!p.ev)).toBeCloseTo(0.3, 1);
    expect(shareOf((p) => (p.thermostatic?.acUnits ?? 0) > 0)).toBeCloseTo(0.7, 1);
    expect(inventoryFromFeeder(state, { pvShare: 0 }).prosumers.every((p) => p.pvKwp === 0)).toBe(true);
    // the load that draws nothing is named, not placed
    expect(inv.skipped).toEqual([{ load: 'idle', reason: 'it draws no active power' }]);
  });

  it('groups the sites by lateral: microgrids within their bound, VPPs of whole microgrids', () => {
    const state = synthetic(8, 10);
    const inv = inventoryFromFeeder(state, { microgridMaxSites: 12, microgridMinSites: 3, vpps: 4 });
    // each lateral of 10 homes is a microgrid of its own
    expect(inv.microgrids.map((m) => m.sites)).toEqual(Array.from({ length: 8 }, () => 10));
    for (const m of inv.microgrids) {
      const members = inv.prosumers.filter((p) => p.microgrid === m.id);
      expect(new Set(members.map((p) => p.id.split('_')[0])).size, m.id).toBe(1);
      expect(new Set(members.map((p) => p.vpp)).size, m.id).toBe(1);
    }
    expect(inv.vpps.length).toBeGreaterThanOrEqual(2);
    expect(inv.vpps.length).toBeLessThanOrEqual(8);
    expect(inv.vpps.reduce((a, v) => a + v.sites, 0)).toBe(80);
    // a tighter bound cuts the laterals, and every group stays within it
    const small = inventoryFromFeeder(state, { microgridMaxSites: 4, microgridMinSites: 1 });
    for (const m of small.microgrids) expect(m.sites).toBeLessThanOrEqual(4);
  });

  it('splits a big spot load into service prosumers on its bus and phases', () => {
    const inv = inventoryFromFeeder(demo(), { splitAboveKw: 100, maxSitesPerLoad: 20 });
    const n6 = inv.prosumers.filter((p) => p.id.startsWith('n6_'));
    expect(n6).toHaveLength(12); // 1200 kW in sites of 100 kW
    for (const p of n6) expect(p).toMatchObject({ bus: 'n6', phases: [1, 2, 3] });
    expect(inv.prosumers.filter((p) => p.id.startsWith('n1a'))).toHaveLength(4); // 320 kW
  });

  it('names a bad option by its field', () => {
    expect(() => inventoryFromFeeder(demo(), { pvShare: 2 })).toThrow(/feeder: inventory options: pvShare/);
    expect(() => inventoryFromFeeder(demo(), { wind: 1 } as never)).toThrow(/wind/);
  });

  it('is what a scenario without an inventory uses, and takes its mix only then', () => {
    expect(parseDayScenario({ feeder: 'f.dss' }).inventory).toBe('from-feeder');
    expect(
      parseDayScenario({ feeder: 'f.dss', feederInventory: { pvShare: 0.9 } }).feederInventory?.pvShare,
    ).toBe(0.9);
    expect(() => parseDayScenario({ feeder: 'f.dss', inventory: 'der.json', feederInventory: {} })).toThrow(
      /feederInventory: applies only to inventory "from-feeder"/,
    );
    expect(() => parseDayScenario({ feeder: 'f.dss', feederInventory: { evShare: -1 } })).toThrow(
      /feederInventory\.evShare/,
    );
  });

  const published: [string, string | undefined, number][] = [
    ['IEEE 13', shared('13Bus/IEEE13Nodeckt.dss'), 15],
    ['IEEE 34', shared('34Bus/ieee34Mod1.dss'), 68],
    ['IEEE 123', shared('123Bus/IEEE123Master.dss'), 91],
    // the published case: the feeder with the iteration limit its power flow needs
    ['IEEE 8500', shared('../reference/opendss/cases/ieee8500.dss'), 1177],
  ];
  for (const [name, path, loads] of published) {
    it.skipIf(!path)(`places every load of ${name} (${loads}) on a bus and phases the feeder has`, () => {
      const state = runScript(nodeScriptHost, path!).state;
      const inv = inventoryFromFeeder(state);
      expect(inv.prosumers).toHaveLength(loads);
      expect(inv.skipped).toEqual([]);
      for (const m of inv.microgrids) expect(m.sites, m.id).toBeLessThanOrEqual(12);
      expect(new Set(inv.prosumers.map((p) => p.microgrid)).size).toBe(inv.microgrids.length);
    });
    if (!path)
      console.log(`skipped: the ${name} inventory test needs ../shared/feeders beside the repository`);
  }
});

import * as sim from '@gridtier/core/sim';
import { writeFileAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { loadFeeder } from '../simulate/load-day.js';
import type { options } from './command.js';

/** gridtier inventory: prosumers, their DER and their groups at a feeder's own loads. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  const mix: sim.FeederInventoryOptions = { seed: o.seed };
  if (o['pv-share'] !== undefined) mix.pvShare = o['pv-share'];
  if (o['battery-share'] !== undefined) mix.batteryShare = o['battery-share'];
  if (o['ev-share'] !== undefined) mix.evShare = o['ev-share'];
  if (o['split-above-kw'] !== undefined) mix.splitAboveKw = o['split-above-kw'];
  const inv = sim.inventoryFromFeeder(loadFeeder(o.feeder), mix, o.feeder);
  for (const s of inv.skipped) io.stderr(`skipped load ${s.load}: ${s.reason}\n`);
  const text = o.format === 'json' ? json(inv, o.feeder, mix) : table(inv);
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  return 0;
}

/** The inventory a scenario reads (prosumers and seed), with what it was made from and its groups beside it. */
function json(inv: sim.FeederInventory, feeder: string, mix: sim.FeederInventoryOptions): string {
  const { prosumers, seed, skipped, microgrids, vpps } = inv;
  return `${JSON.stringify(
    {
      generator: 'gridtier inventory',
      feeder,
      options: sim.parseFeederInventoryOptions(mix),
      seed,
      totals: totals(inv),
      skipped,
      microgrids,
      vpps,
      prosumers,
    },
    null,
    2,
  )}\n`;
}

function totals(inv: sim.Inventory) {
  const p = inv.prosumers;
  const sum = (f: (s: sim.ProsumerSite) => number) => Math.round(p.reduce((a, s) => a + f(s), 0) * 10) / 10;
  return {
    prosumers: p.length,
    residential: p.filter((s) => s.kind === 'residential').length,
    commercial: p.filter((s) => s.kind === 'commercial').length,
    baseLoadKw: sum((s) => s.baseLoadKw),
    pvSites: p.filter((s) => s.pvKwp > 0).length,
    pvKwp: sum((s) => s.pvKwp),
    batterySites: p.filter((s) => s.battery).length,
    batteryKwh: sum((s) => s.battery?.energyKwh ?? 0),
    evSites: p.filter((s) => s.ev).length,
    evChargers: sum((s) => s.ev?.chargers ?? 0),
    acUnits: sum((s) => s.thermostatic?.acUnits ?? 0),
    waterHeaters: sum((s) => s.thermostatic?.waterHeaters ?? 0),
  };
}

function table(inv: sim.FeederInventory): string {
  const t = totals(inv);
  const f = (x: number | string, w = 10) => String(x).padStart(w);
  const lines = [
    `${t.prosumers} prosumers (${t.residential} residential, ${t.commercial} commercial), base load ${t.baseLoadKw} kW, seed ${inv.seed}`,
    `PV ${t.pvSites} sites ${t.pvKwp} kWp; batteries ${t.batterySites} sites ${t.batteryKwh} kWh; EV ${t.evSites} sites ${t.evChargers} chargers; ${t.acUnits} air conditioners, ${t.waterHeaters} water heaters`,
    `${inv.microgrids.length} microgrids in ${inv.vpps.length} VPPs${inv.skipped.length ? `; ${inv.skipped.length} loads skipped` : ''}`,
    '',
    `${'vpp'.padEnd(24)}${'microgrid'.padEnd(28)}${f('sites', 6)}${f('base kW')}${f('PV kWp')}${f('batt kWh')}${f('EV')}${f('AC')}`,
  ];
  for (const v of inv.vpps)
    for (const m of inv.microgrids) {
      const members = inv.prosumers.filter((s) => s.microgrid === m.id && s.vpp === v.id);
      if (members.length === 0) continue;
      const sum = (g: (s: sim.ProsumerSite) => number) =>
        Math.round(members.reduce((a, s) => a + g(s), 0) * 10) / 10;
      lines.push(
        `${v.id.padEnd(24)}${m.id.padEnd(28)}${f(members.length, 6)}${f(sum((s) => s.baseLoadKw))}${f(sum((s) => s.pvKwp))}${f(sum((s) => s.battery?.energyKwh ?? 0))}${f(sum((s) => s.ev?.chargers ?? 0))}${f(sum((s) => s.thermostatic?.acUnits ?? 0))}`,
      );
    }
  return `${lines.join('\n')}\n`;
}

import { z } from 'zod';
import { InvalidValueError, schemaRefusal, TopologyError } from '../errors/index.js';
import { buildNetwork, type DssCircuitState, type LoadObj } from '../grid/dss/index.js';
import { loadWeight, type SiteKind } from '../profiles/index.js';
import { Prng } from '../random/index.js';
import { feederTree, groupByTopology } from './feeder-groups.js';
import { type Inventory, type ProsumerSite, parseInventory } from './inventory.js';

const share = z.number().finite().min(0).max(1);

/**
 * How `inventoryFromFeeder` fills a feeder with prosumers: the shares of sites with each kind
 * of DER or device, how a load's demand splits between base load and devices, when a load is a
 * business, and the bounds of the groups.
 */
export const feederInventoryOptionsSchema = z
  .object({
    /** the inventory's own seed: the same feeder and seed give the same prosumers whatever the day's seed */
    seed: z.number().int().default(1),
    /** share of sites with rooftop PV */
    pvShare: share.default(0.4),
    /** share of sites with a behind-the-meter battery */
    batteryShare: share.default(0.15),
    /** share of sites with EV chargers */
    evShare: share.default(0.25),
    /** share of sites with air conditioners */
    acShare: share.default(0.6),
    /** share of sites with electric water heaters */
    waterHeaterShare: share.default(0.4),
    /**
     * part of a load's kW (taken as the site's peak demand) that is inflexible at a site with
     * devices; the devices at their afternoon duty make up the rest
     */
    baseLoadShare: z.number().finite().gt(0).max(1).default(0.7),
    /** a site drawing more than this is a business (commercial load shape, more and larger devices), kW */
    commercialAboveKw: z.number().finite().positive().default(25),
    /**
     * a load above this many kW stands for several customers: it is split into that many kW
     * service prosumers (at most `maxSitesPerLoad`) on its bus and phases; absent: one site per load
     */
    splitAboveKw: z.number().finite().positive().optional(),
    maxSitesPerLoad: z.number().int().min(1).max(1000).default(20),
    /** a microgrid (Layer I market) holds at most this many sites, unless one bus alone holds more */
    microgridMaxSites: z.number().int().min(1).default(12),
    /** a lateral with fewer sites joins the microgrid of the bus it hangs from */
    microgridMinSites: z.number().int().min(1).default(3),
    /** about this many VPPs, each a connected group of whole microgrids */
    vpps: z.number().int().min(1).default(4),
  })
  .strict();

export type FeederInventoryOptions = z.input<typeof feederInventoryOptionsSchema>;

/** Validates inventory options; the error names every bad field by its path. */
export function parseFeederInventoryOptions(
  doc: unknown,
  source = 'inventory options',
): z.infer<typeof feederInventoryOptionsSchema> {
  const r = feederInventoryOptionsSchema.safeParse(doc ?? {});
  if (!r.success) throw schemaRefusal(source, r.error.issues);
  return r.data;
}

/** What the inventory was made from, beside the prosumers: a reader's account, not used by the day. */
export interface FeederInventory extends Inventory {
  /** loads left out, and why (no power, no phase conductor, not reached from the source) */
  skipped: { load: string; reason: string }[];
  microgrids: { id: string; sites: number; baseLoadKw: number }[];
  vpps: { id: string; sites: number; microgrids: number }[];
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Prosumers at a feeder's own loads, as an inventory of the shape der.json has. Every enabled
 * load with power becomes one site on its bus and phase nodes — the feeder's statement of who
 * draws where — and keeps its kW as demand and its kW/kvar as power factor; with
 * `splitAboveKw`, a big spot load is shared by several service prosumers instead. The DER and
 * devices are drawn per site from the seed, each site taking the same draws whatever the
 * shares, so raising `pvShare` adds PV without reshuffling batteries. Microgrids are connected
 * laterals of the feeder's tree, VPPs connected groups of whole microgrids (feeder-groups.ts).
 */
export function inventoryFromFeeder(
  circuit: DssCircuitState,
  options: FeederInventoryOptions = {},
  source = 'feeder',
): FeederInventory {
  const o = parseFeederInventoryOptions(options, `${source}: inventory options`);
  const network = buildNetwork(circuit);
  let tree: ReturnType<typeof feederTree>;
  try {
    tree = feederTree(network);
  } catch (e) {
    throw new TopologyError(`${source}: ${(e as Error).message}`, { cause: e });
  }
  const skipped: FeederInventory['skipped'] = [];
  const raw: (Omit<ProsumerSite, 'microgrid' | 'vpp'> & { busIndex: number })[] = [];
  const r = new Prng(o.seed);
  for (const load of circuit.all<LoadObj>('Load')) {
    if (!load.enabled) continue;
    const name = load.name;
    const bus = load.bus1?.bus;
    const b = bus === undefined ? undefined : network.busIndex.get(bus);
    if (bus === undefined || b === undefined || (tree.parent[b] === -1 && b !== tree.root)) {
      skipped.push({ load: name, reason: 'its bus is not reached from the source' });
      continue;
    }
    const given = load.bus1?.nodes.length ? load.bus1.nodes : [1, 2, 3].slice(0, load.phases);
    const present = new Set(network.busNodes[b].map((i) => network.nodes[i].node));
    const phases = [...new Set(given)].filter((p) => p >= 1 && p <= 3 && present.has(p)).sort();
    if (phases.length === 0) {
      skipped.push({ load: name, reason: 'it connects to no phase conductor of its bus' });
      continue;
    }
    if (!(load.kw > 0)) {
      skipped.push({ load: name, reason: 'it draws no active power' });
      continue;
    }
    const pf = load.kvar === 0 ? 1 : Math.max(0.5, round(load.kw / Math.hypot(load.kw, load.kvar), 3));
    const parts =
      o.splitAboveKw !== undefined && load.kw > o.splitAboveKw
        ? Math.min(o.maxSitesPerLoad, Math.ceil(load.kw / o.splitAboveKw))
        : 1;
    for (let k = 0; k < parts; k++) {
      const id = parts === 1 ? name : `${name}_${String(k + 1).padStart(String(parts).length, '0')}`;
      raw.push({ id, bus, busIndex: b, phases, pf, ...devices(r, load.kw / parts, o) });
    }
  }
  if (raw.length === 0)
    throw new InvalidValueError(
      `${source}: no load to place a prosumer at (${skipped.length} skipped${skipped[0] ? `: ${skipped[0].load} ${skipped[0].reason}` : ''})`,
    );

  const mg = groupByTopology(
    tree,
    raw.map((s) => ({ bus: s.busIndex, weight: 1 })),
    { maxWeight: o.microgridMaxSites, minWeight: o.microgridMinSites },
  );
  const mgIds = uniqueNames(mg.groups.map((g) => `mg_${network.buses[g.top]}`));
  const vppMax = Math.max(o.microgridMaxSites, Math.ceil(raw.length / o.vpps));
  const vp = groupByTopology(
    tree,
    mg.groups.map((g) => ({ bus: g.top, weight: g.weight })),
    { maxWeight: vppMax, minWeight: Math.floor(vppMax / 3) },
  );
  const vppIds = uniqueNames(vp.groups.map((g) => `vpp_${network.buses[g.top]}`));
  const prosumers: ProsumerSite[] = raw.map(({ busIndex: _, ...s }, i) => {
    const m = mg.groupOf[i];
    return { ...s, microgrid: mgIds[m], vpp: vppIds[vp.groupOf[m]] };
  });
  // the same checks as a written inventory gets: ids unique, every field in range
  const inventory = parseInventory({ seed: o.seed, prosumers }, `${source}: inventory`);
  return {
    ...inventory,
    skipped,
    microgrids: mg.groups.map((g, i) => ({
      id: mgIds[i],
      sites: g.items.length,
      baseLoadKw: round(
        g.items.reduce((a, k) => a + prosumers[k].baseLoadKw, 0),
        1,
      ),
    })),
    vpps: vp.groups.map((g, i) => ({
      id: vppIds[i],
      sites: g.weight,
      microgrids: g.items.length,
    })),
  };
}

/** Names made unique in order: a second group topped at the same bus gets _2, and so on. */
function uniqueNames(names: string[]): string[] {
  const count = new Map<string, number>();
  return names.map((n) => {
    const k = (count.get(n) ?? 0) + 1;
    count.set(n, k);
    return k === 1 ? n : `${n}_${k}`;
  });
}

/** The highest relative demand of a kind's day (its mean is about 1). */
function peakWeight(kind: SiteKind): number {
  let peak = 0;
  for (let m = 0; m < 24 * 60; m += 5) peak = Math.max(peak, loadWeight(kind, m / 60));
  return peak;
}

/**
 * One site's DER and devices for a demand of `kw`. Homes get home-sized devices (one or two
 * air conditioners, a water heater, a 7.2 or 11.5 kW charger); a business gets units of
 * commercial size in proportion to its demand. The load's kW is taken as the site's peak: the
 * base load's mean is its share of that over the day's peak weight, and the air conditioners at
 * their afternoon duty draw the flexible part, (1 − baseLoadShare)·kW.
 */
function devices(r: Prng, kw: number, o: z.infer<typeof feederInventoryOptionsSchema>) {
  // a fixed number of draws per site, whatever the shares
  const u = Array.from({ length: 10 }, () => r.next());
  const kind: SiteKind = kw > o.commercialAboveKw ? 'commercial' : 'residential';
  const home = kind === 'residential';
  const hasAc = u[0] < o.acShare;
  const hasHeater = u[1] < o.waterHeaterShare;
  const hasEv = u[2] < o.evShare;
  const flexible = hasAc || hasHeater || hasEv;
  const flexKw = kw * (1 - o.baseLoadShare);
  // air conditioners run up to 85 % of the time in the afternoon heat (profiles.ts)
  const acTotalKw = flexKw / 0.85;
  const acUnits = hasAc ? (home ? (acTotalKw > 4 ? 2 : 1) : Math.max(1, Math.round(acTotalKw / 15))) : 0;
  const heaters = hasHeater ? (home ? 1 : Math.max(1, Math.round(flexKw / 20))) : 0;
  const chargers = hasEv ? (home ? (u[3] < 0.2 ? 2 : 1) : Math.max(1, Math.round(kw / 50))) : 0;
  const pvKwp = u[4] < o.pvShare ? round(kw * (1 + u[5]), 1) : 0;
  const batteryKw = round(Math.max(home ? 3 : 10, kw * (0.5 + 0.5 * u[7])), 1);
  return {
    kind,
    // the load's kW is what the feeder draws at its peak; baseLoadKw is a day's mean
    baseLoadKw: round(((flexible ? o.baseLoadShare : 1) * kw) / peakWeight(kind), 3),
    pvKwp,
    battery:
      u[6] < o.batteryShare ? { powerKw: batteryKw, energyKwh: round(batteryKw * (2 + 2 * u[8]), 1) } : null,
    ev: chargers > 0 ? { chargers, powerKwEach: home && u[9] < 0.7 ? 7.2 : 11.5 } : null,
    thermostatic:
      acUnits + heaters > 0
        ? {
            acUnits,
            acKwEach: acUnits > 0 ? round(Math.max(1, acTotalKw / acUnits), 1) : 0,
            waterHeaters: heaters,
            waterHeaterKwEach: heaters > 0 ? (home ? 4.5 : 9) : 0,
          }
        : null,
  };
}

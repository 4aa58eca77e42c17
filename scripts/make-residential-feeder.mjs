#!/usr/bin/env node
// Generates GridTier's residential example feeder, examples/feeders/gridtier-residential/:
// a 12.47 kV unbalanced residential/commercial feeder behind a 115/12.47 kV substation, written
// as OpenDSS scripts (master.dss, linecodes.dss, lines.dss, transformers.dss, loads.dss) plus the
// DER inventory (der.json) the day simulation uses. Everything follows from SEED: running the
// script again gives byte-identical files.
//
//   node scripts/make-residential-feeder.mjs
//
// The layout is original. Line impedances are computed here from conductor data and pole or
// trench geometry with Carson's equations (modified, 100 ohm-m earth) and Kron reduction, so the
// line codes are as realistic as typical North American overhead and URD construction.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEED = 1247;
const NAME = 'gridtier-residential';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'examples/feeders', NAME);

// ---------------------------------------------------------------- seeded random numbers

function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const uniform = (a, b) => a + (b - a) * rand();
const int = (a, b) => a + Math.floor(rand() * (b - a + 1));
const chance = (p) => rand() < p;
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
/** items: [value, weight][] */
function weighted(items) {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [v, w] of items) {
    r -= w;
    if (r < 0) return v;
  }
  return items[items.length - 1][0];
}
function shuffled(arr) {
  const a = [...arr];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
/** rounds to d decimals and never returns -0 */
const round = (x, d) => Number(x.toFixed(d)) + 0;

// ---------------------------------------------------------------- line constants

const MILE_KM = 1.609344;
const OMEGA = 2 * Math.PI * 60;

/** Conductors: resistance ohm/mile (50 °C, 60 Hz), GMR ft, outside diameter in. */
const WIRE = {
  acsr477: { r: 0.1859, gmr: 0.0304, dia: 0.883 },
  acsr336: { r: 0.306, gmr: 0.0244, dia: 0.721 },
  acsr4_0: { r: 0.592, gmr: 0.00814, dia: 0.563 },
  acsr1_0: { r: 1.12, gmr: 0.00446, dia: 0.398 },
  acsr2: { r: 1.69, gmr: 0.00418, dia: 0.316 },
  acsr4: { r: 2.55, gmr: 0.00452, dia: 0.257 },
  aa500: { r: 0.206, gmr: 0.026, dia: 0.813 },
  aa250: { r: 0.41, gmr: 0.0171, dia: 0.567 },
  aa1_0: { r: 0.97, gmr: 0.0111, dia: 0.368 },
  cu12: { r: 9.37, gmr: 0.00262, dia: 0.0808 },
  cu14: { r: 14.8722, gmr: 0.00208, dia: 0.0641 },
};

const c = (re, im = 0) => ({ re, im });
const csub = (a, b) => c(a.re - b.re, a.im - b.im);
const cmul = (a, b) => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
function cdiv(a, b) {
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}

/** Gauss-Jordan inverse of a small complex matrix. */
function cinv(m) {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => c(i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let p = col;
    for (let r = col + 1; r < n; r++)
      if (Math.hypot(a[r][col].re, a[r][col].im) > Math.hypot(a[p][col].re, a[p][col].im)) p = r;
    [a[col], a[p]] = [a[p], a[col]];
    const piv = a[col][col];
    a[col] = a[col].map((x) => cdiv(x, piv));
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r][col];
      a[r] = a[r].map((x, j) => csub(x, cmul(f, a[col][j])));
    }
  }
  return a.map((row) => row.slice(n));
}

/** Kron reduction: keeps the first np conductors, eliminates the rest (grounded neutrals). */
function kron(z, np) {
  const n = z.length;
  if (n === np) return z;
  const idx = Array.from({ length: n - np }, (_, k) => np + k);
  const znnInv = cinv(idx.map((i) => idx.map((j) => z[i][j])));
  return Array.from({ length: np }, (_, i) =>
    Array.from({ length: np }, (_, j) => {
      let s = z[i][j];
      idx.forEach((p, a) => {
        idx.forEach((q, b) => {
          s = csub(s, cmul(cmul(z[i][p], znnInv[a][b]), z[q][j]));
        });
      });
      return s;
    }),
  );
}

/** Modified Carson primitive impedance, ohm/mile; d[i][j] in ft (diagonal unused). */
function carson(r, gmr, d) {
  return r.map((_, i) =>
    r.map((__, j) =>
      i === j
        ? c(r[i] + 0.0953, 0.12134 * (Math.log(1 / gmr[i]) + 7.93402))
        : c(0.0953, 0.12134 * (Math.log(1 / d[i][j]) + 7.93402)),
    ),
  );
}

/** Overhead line: wires at (x, y) ft, phases first then the neutral. Returns ohm/km and nF/km. */
function overheadCode(phaseWire, neutralWire, phasePos, neutralPos) {
  const wires = [...phasePos.map(() => phaseWire), neutralWire];
  const pos = [...phasePos, neutralPos];
  const np = phasePos.length;
  const dist = (i, j) => Math.hypot(pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]);
  const d = pos.map((_, i) => pos.map((__, j) => (i === j ? 0 : dist(i, j))));
  const z = kron(
    carson(
      wires.map((w) => w.r),
      wires.map((w) => w.gmr),
      d,
    ),
    np,
  );
  // potential coefficients with images, mile/uF
  const p = pos.map((a, i) =>
    pos.map((b, j) => {
      if (i === j) return c(11.17689 * Math.log((2 * a[1]) / (wires[i].dia / 24)));
      const s = Math.hypot(a[0] - b[0], a[1] + b[1]);
      return c(11.17689 * Math.log(s / d[i][j]));
    }),
  );
  const cm = cinv(kron(p, np)); // uF/mile
  return {
    r: z.map((row) => row.map((x) => x.re / MILE_KM)),
    x: z.map((row) => row.map((x) => x.im / MILE_KM)),
    c: cm.map((row) => row.map((x) => (x.re * 1000) / MILE_KM)),
  };
}

/** Concentric-neutral cables, one per phase, centres at xs ft in a flat trench. */
function cnCableCode(phaseWire, strand, strands, odIn, xs) {
  const np = xs.length;
  const k = strands;
  const rad = (odIn - strand.dia) / 24; // ft, to the strand centres
  const gmrCn = (strand.gmr * k * rad ** (k - 1)) ** (1 / k);
  const r = [...xs.map(() => phaseWire.r), ...xs.map(() => strand.r / k)];
  const gmr = [...xs.map(() => phaseWire.gmr), ...xs.map(() => gmrCn)];
  const d = r.map((_, i) =>
    r.map((__, j) => {
      const a = i % np;
      const b = j % np;
      const dab = Math.abs(xs[a] - xs[b]);
      if (a === b) return i === j ? 0 : rad;
      const phaseToNeutral = i < np !== j < np;
      return phaseToNeutral ? (dab ** k - rad ** k) ** (1 / k) : dab;
    }),
  );
  const z = kron(carson(r, gmr, d), np);
  const y = 77.3619 / (Math.log(rad / (phaseWire.dia / 24)) - Math.log((k * (strand.dia / 24)) / rad) / k);
  const cap = ((y / OMEGA) * 1000) / MILE_KM;
  return {
    r: z.map((row) => row.map((x) => x.re / MILE_KM)),
    x: z.map((row) => row.map((x) => x.im / MILE_KM)),
    c: xs.map((_, i) => xs.map((__, j) => (i === j ? cap : 0))),
  };
}

// pole-top and trench geometry, ft (x across, y above ground)
const ARM3 = [
  [-4, 30],
  [-1.5, 30],
  [4, 30],
];
const ARM_N = [0.5, 26];
const ARM2 = [
  [-3, 30],
  [3, 30],
];
const POLE1 = [[0.8, 30]];
const POLE1_N = [0, 25.5];

const LINECODES = [
  {
    name: 'oh3_477',
    desc: '3-phase overhead trunk, 477 kcmil 26/7 ACSR, 4/0 ACSR neutral, 8 ft crossarm',
    ...overheadCode(WIRE.acsr477, WIRE.acsr4_0, ARM3, ARM_N),
    normAmps: 600,
    emergAmps: 730,
  },
  {
    name: 'oh3_336',
    desc: '3-phase overhead, 336.4 kcmil 26/7 ACSR, 4/0 ACSR neutral',
    ...overheadCode(WIRE.acsr336, WIRE.acsr4_0, ARM3, ARM_N),
    normAmps: 480,
    emergAmps: 580,
  },
  {
    name: 'oh3_1_0',
    desc: '3-phase overhead tap, 1/0 ACSR, 1/0 ACSR neutral',
    ...overheadCode(WIRE.acsr1_0, WIRE.acsr1_0, ARM3, ARM_N),
    normAmps: 230,
    emergAmps: 280,
  },
  {
    name: 'ug3_500',
    desc: '3-phase underground getaway, 500 kcmil AA 15 kV concentric-neutral (16 x #12 Cu), flat trench',
    ...cnCableCode(WIRE.aa500, WIRE.cu12, 16, 1.65, [0, 0.5, 1]),
    normAmps: 480,
    emergAmps: 560,
  },
  {
    name: 'ug3_250',
    desc: '3-phase underground, 250 kcmil AA 15 kV concentric-neutral (13 x #14 Cu), flat trench',
    ...cnCableCode(WIRE.aa250, WIRE.cu14, 13, 1.29, [0, 0.5, 1]),
    normAmps: 260,
    emergAmps: 310,
  },
  {
    name: 'oh2_1_0',
    desc: '2-phase overhead lateral, 1/0 ACSR, 1/0 ACSR neutral',
    ...overheadCode(WIRE.acsr1_0, WIRE.acsr1_0, ARM2, ARM_N),
    normAmps: 230,
    emergAmps: 280,
  },
  {
    name: 'oh1_2',
    desc: '1-phase overhead lateral, #2 ACSR, #2 ACSR neutral',
    ...overheadCode(WIRE.acsr2, WIRE.acsr2, POLE1, POLE1_N),
    normAmps: 180,
    emergAmps: 220,
  },
  {
    name: 'oh1_4',
    desc: '1-phase overhead tap, #4 ACSR, #4 ACSR neutral',
    ...overheadCode(WIRE.acsr4, WIRE.acsr4, POLE1, POLE1_N),
    normAmps: 140,
    emergAmps: 170,
  },
  {
    name: 'ug1_1_0',
    desc: '1-phase URD, 1/0 AA 15 kV full concentric neutral (16 x #14 Cu)',
    ...cnCableCode(WIRE.aa1_0, WIRE.cu14, 16, 1.06, [0]),
    normAmps: 170,
    emergAmps: 200,
  },
];
const CODE = Object.fromEntries(LINECODES.map((l) => [l.name, l]));

// ---------------------------------------------------------------- feeder layout

const PHASES = [1, 2, 3];
/** single-phase taps lean on phase 1, then 2: the feeder is unbalanced by construction */
const PHASE_WEIGHT = { 1: 0.46, 2: 0.32, 3: 0.22 };
const SECTIONS = [
  { id: 'head', vpp: 'vpp_head', description: 'substation to t07: older overhead neighbourhoods' },
  { id: 'mid', vpp: 'vpp_mid', description: 't08 to the line regulator at t12' },
  { id: 'tail', vpp: 'vpp_tail', description: 'beyond the line regulator: suburban subdivisions' },
  { id: 'east', vpp: 'vpp_east', description: 'the east branch from t06 and its business park' },
];

/** bus name -> { section, nodes: Set, role } */
const buses = new Map();
const lines = [];
/** lateral id -> { id, headLine, headBus, section, kind, phases } */
const laterals = [];
const serviceXfmrs = [];
const commercialXfmrs = [];

function addBus(name, nodes, section, role, lateral) {
  if (!buses.has(name)) buses.set(name, { nodes: new Set(), section, role, lateral });
  for (const n of nodes) buses.get(name).nodes.add(n);
}
function addLine(name, from, to, nodes, code, km) {
  if (CODE[code].r.length !== nodes.length)
    throw new Error(`${name}: ${code} does not fit ${nodes.length} phases`);
  lines.push({ name, from, to, nodes, code, km: round(km, 3) });
  const b = buses.get(from);
  addBus(to, nodes, b.section, b.role === 'trunk' ? 'lateral' : b.role, b.lateral);
}

const sectionOfTrunk = (i) => (i <= 7 ? 'head' : i <= 12 ? 'mid' : 'tail');
const tn = (i) => `t${String(i).padStart(2, '0')}`;

addBus('sourcebus', PHASES, 'head', 'source');
addBus('sub_lv', PHASES, 'head', 'substation');
addBus(tn(1), PHASES, 'head', 'trunk');
lines.push({ name: 'getaway', from: 'sub_lv', to: tn(1), nodes: PHASES, code: 'ug3_500', km: 0.18 });

const TRUNK_NODES = 22;
const REG_AT = 12;
for (let i = 2; i <= TRUNK_NODES; i++) {
  const from = i - 1 === REG_AT ? `${tn(REG_AT)}r` : tn(i - 1);
  if (i - 1 === REG_AT) addBus(from, PHASES, 'tail', 'trunk');
  addBus(tn(i), PHASES, sectionOfTrunk(i), 'trunk');
  const code = i <= 14 ? 'oh3_477' : 'oh3_336';
  lines.push({
    name: `trunk_${tn(i)}`,
    from,
    to: tn(i),
    nodes: PHASES,
    code,
    km: round(uniform(0.26, 0.52), 3),
  });
}

// east branch: overhead 336 then 1/0, with an underground business park
const BRANCH_AT = 6;
const branch = [];
for (let i = 1; i <= 8; i++) {
  const from = i === 1 ? tn(BRANCH_AT) : `b${String(i - 1).padStart(2, '0')}`;
  const to = `b${String(i).padStart(2, '0')}`;
  addBus(to, PHASES, 'east', 'trunk');
  branch.push(to);
  lines.push({
    name: `east_${to}`,
    from,
    to,
    nodes: PHASES,
    code: i <= 5 ? 'oh3_336' : 'oh3_1_0',
    km: round(uniform(0.22, 0.45), 3),
  });
}
const park = [];
laterals.push({
  id: 'lat_park',
  headLine: 'park_u01',
  headBus: 'b03',
  section: 'east',
  kind: 'ug3',
  phases: PHASES,
});
for (let i = 1; i <= 4; i++) {
  const from = i === 1 ? 'b03' : `u${String(i - 1).padStart(2, '0')}`;
  const to = `u${String(i).padStart(2, '0')}`;
  addBus(to, PHASES, 'east', 'park', 'lat_park');
  park.push(to);
  lines.push({
    name: `park_${to}`,
    from,
    to,
    nodes: PHASES,
    code: 'ug3_250',
    km: round(uniform(0.09, 0.2), 3),
  });
}

function phaseFrom(avail) {
  return weighted(avail.map((p) => [p, PHASE_WEIGHT[p]]));
}

/** Builds one lateral (and its sub-taps) off a three-phase bus; returns its primary nodes. */
function buildLateral(parent, section) {
  const id = `lat${String(laterals.length).padStart(2, '0')}`;
  const kind = weighted([
    ['oh1', 0.42],
    ['ug1', 0.33],
    ['oh2', 0.25],
  ]);
  let phases;
  if (kind === 'oh2') {
    // the phase a two-phase lateral leaves out is most often C
    const missing = weighted([
      [1, 0.2],
      [2, 0.3],
      [3, 0.5],
    ]);
    phases = PHASES.filter((p) => p !== missing);
  } else phases = [phaseFrom(PHASES)];
  const spec = {
    oh1: { code: 'oh1_2', n: [3, 5], km: [0.14, 0.34] },
    ug1: { code: 'ug1_1_0', n: [4, 7], km: [0.06, 0.13] },
    oh2: { code: 'oh2_1_0', n: [3, 4], km: [0.18, 0.4] },
  }[kind];
  const lat = { id, headLine: '', headBus: parent, section, kind, phases };
  laterals.push(lat);
  const nodes = [];
  let k = 0;
  const next = () => `l${id.slice(3)}_${String(++k).padStart(2, '0')}`;
  let prev = parent;
  const count = int(spec.n[0], spec.n[1]);
  for (let i = 0; i < count; i++) {
    const to = next();
    const name = `ln_${to}`;
    if (i === 0) lat.headLine = name;
    buses.set(to, { nodes: new Set(), section, role: 'lateral', lateral: id });
    addLine(name, prev, to, phases, spec.code, uniform(spec.km[0], spec.km[1]));
    nodes.push({ bus: to, phases, kind });
    prev = to;
  }
  // single-phase sub-taps off overhead laterals
  if (kind !== 'ug1') {
    const taps = kind === 'oh2' ? int(0, 1) : chance(0.3) ? 1 : 0;
    for (let t = 0; t < taps; t++) {
      const from = nodes[int(0, nodes.length - 1)];
      const ph = [pick(from.phases)];
      let p = from.bus;
      const m = int(2, 3);
      for (let i = 0; i < m; i++) {
        const to = next();
        buses.set(to, { nodes: new Set(), section, role: 'lateral', lateral: id });
        addLine(`ln_${to}`, p, to, ph, 'oh1_4', uniform(0.12, 0.3));
        nodes.push({ bus: to, phases: ph, kind: 'oh1' });
        p = to;
      }
    }
  }
  return nodes;
}

const trunkBuses = [];
for (let i = 1; i <= TRUNK_NODES; i++) trunkBuses.push(tn(i));
const lateralParents = [
  ...trunkBuses.filter((b) => b !== tn(1)).map((b) => ({ bus: b, section: buses.get(b).section })),
  ...branch.map((b) => ({ bus: b, section: 'east' })),
];
const lateralNodes = [];
for (const parent of lateralParents) {
  const n =
    parent.section === 'east'
      ? weighted([
          [0, 0.6],
          [1, 0.4],
        ])
      : weighted([
          [0, 0.3],
          [1, 0.6],
          [2, 0.1],
        ]);
  for (let j = 0; j < n; j++) lateralNodes.push(...buildLateral(parent.bus, parent.section));
}

// ---------------------------------------------------------------- service transformers and prosumers

const RES_KVA = [15, 25, 37.5, 50, 75];
const COM_KVA = [150, 225, 300, 500, 750, 1000];
const xfmrKva = (sizes, need) => sizes.find((s) => s >= need) ?? sizes[sizes.length - 1];
const prosumers = [];
let resCount = 0;
let comCount = 0;

function addHomes(primaryBus, phase, homes, section, lateral) {
  const sec = `sv_${primaryBus}`;
  const ids = [];
  for (let h = 0; h < homes; h++) {
    const id = `res${String(++resCount).padStart(3, '0')}`;
    ids.push(id);
    const base = round(0.7 + 2.6 * rand() ** 1.4, 2);
    const acUnits = chance(0.84) ? (chance(0.1) ? 2 : 1) : 0;
    const waterHeaters = chance(0.48) ? 1 : 0;
    prosumers.push({
      id,
      kind: 'residential',
      use: weighted([
        ['house', 0.8],
        ['townhouse', 0.12],
        ['duplex', 0.08],
      ]),
      bus: sec,
      phases: [1],
      kv: 0.24,
      serviceTransformer: `st_${primaryBus}`,
      primaryBus,
      primaryPhases: [phase],
      section,
      lateral,
      baseLoadKw: base,
      pf: round(uniform(0.94, 0.985), 3),
      pvKwp: 0,
      battery: null,
      ev: null,
      thermostatic: {
        acUnits,
        acKwEach: acUnits ? pick([2.5, 3, 3.5, 3.5, 4, 4.5, 5]) : 0,
        waterHeaters,
        waterHeaterKwEach: waterHeaters ? pick([4.5, 4.5, 3.8, 5.5]) : 0,
      },
    });
  }
  const kva = xfmrKva(RES_KVA, homes * 6.5);
  serviceXfmrs.push({ name: `st_${primaryBus}`, primaryBus, phase, secondary: sec, kva, homes: ids });
  addBus(sec, [1], section, 'secondary', lateral);
}

for (const node of lateralNodes) {
  const b = buses.get(node.bus);
  const p = node.kind === 'ug1' ? 0.88 : 0.72;
  if (!chance(p)) continue;
  const homes = node.kind === 'ug1' ? int(5, 9) : int(2, 6);
  addHomes(node.bus, pick(node.phases), homes, b.section, b.lateral);
}
// homes along the main road, fed straight from the trunk
for (const t of [...trunkBuses.slice(1), ...branch]) {
  if (chance(0.3)) addHomes(t, phaseFrom(PHASES), int(2, 5), buses.get(t).section, undefined);
}

const COMMERCIAL_USES = {
  retail: { kw: [40, 160], pv: 0.45 },
  office: { kw: [80, 300], pv: 0.4 },
  grocery: { kw: [180, 380], pv: 0.5 },
  school: { kw: [120, 300], pv: 0.6 },
  'light-industrial': { kw: [150, 420], pv: 0.35 },
  restaurant: { kw: [40, 120], pv: 0.2 },
};
function addCommercial(primaryBus, section, lateral, use) {
  const id = `com${String(++comCount).padStart(2, '0')}`;
  const u = COMMERCIAL_USES[use];
  const base = round(uniform(u.kw[0], u.kw[1]), 1);
  const sec = `cm_${primaryBus}`;
  const pv = chance(u.pv) ? round(Math.min(base * uniform(0.3, 0.8), 400), 0) : 0;
  const batteryKwh = chance(0.3) ? pick([100, 200, 250, 500]) : 0;
  const publicCharging = use === 'grocery' || use === 'retail';
  const chargers = chance(0.55) ? (publicCharging ? int(2, 4) : int(2, 10)) : 0;
  const acUnits = Math.max(2, Math.round((base / 40) * uniform(0.7, 1.3)));
  const waterHeaters = use === 'restaurant' || use === 'school' ? int(1, 2) : int(0, 1);
  prosumers.push({
    id,
    kind: 'commercial',
    use,
    bus: sec,
    phases: [1, 2, 3],
    kv: 0.48,
    serviceTransformer: `ct_${primaryBus}`,
    primaryBus,
    primaryPhases: [1, 2, 3],
    section,
    lateral,
    baseLoadKw: base,
    pf: round(uniform(0.86, 0.93), 3),
    pvKwp: pv,
    battery: batteryKwh ? { energyKwh: batteryKwh, powerKw: round(batteryKwh / pick([2, 2, 4]), 1) } : null,
    ev: chargers ? { chargers, powerKwEach: publicCharging ? pick([11.5, 50]) : pick([7.2, 11.5]) } : null,
    thermostatic: {
      acUnits,
      acKwEach: pick([7.5, 10, 12.5, 15]),
      waterHeaters,
      waterHeaterKwEach: waterHeaters ? pick([6, 9, 12]) : 0,
    },
  });
  commercialXfmrs.push({
    name: `ct_${primaryBus}`,
    primaryBus,
    secondary: sec,
    kva: xfmrKva(COM_KVA, base * 1.6),
    id,
  });
  addBus(sec, PHASES, section, 'secondary', lateral);
}
const comSites = [
  ...park.map((b) => [b, 'east', 'lat_park']),
  ...branch.filter(() => chance(0.35)).map((b) => [b, 'east', undefined]),
  ...trunkBuses
    .slice(2)
    .filter(() => chance(0.12))
    .map((b) => [b, buses.get(b).section, undefined]),
];
for (const [bus, section, lateral] of comSites) {
  const use =
    lateral === 'lat_park'
      ? pick(['office', 'light-industrial', 'office', 'retail'])
      : pick(Object.keys(COMMERCIAL_USES));
  addCommercial(bus, section, lateral, use);
}

// residential DER by quota, drawn without replacement so the shares are exact
const residences = prosumers.filter((p) => p.kind === 'residential');
const nRes = residences.length;
const withPv = shuffled(residences).slice(0, Math.round(0.4 * nRes));
for (const p of withPv) p.pvKwp = round(0.4 * int(8, 26), 1);
const nBattery = Math.round(0.15 * nRes);
const pvSet = new Set(withPv);
const batteryHomes = [
  ...shuffled(withPv).slice(0, Math.round(0.8 * nBattery)),
  ...shuffled(residences.filter((p) => !pvSet.has(p))).slice(0, nBattery - Math.round(0.8 * nBattery)),
];
for (const p of batteryHomes) {
  const [energyKwh, powerKw] = pick([
    [13.5, 5],
    [13.5, 5],
    [10, 5],
    [9.8, 5],
    [16, 7.6],
    [20, 7.6],
  ]);
  p.battery = { energyKwh, powerKw };
}
for (const p of shuffled(residences).slice(0, Math.round(0.25 * nRes))) {
  p.ev = {
    chargers: chance(0.1) ? 2 : 1,
    powerKwEach: weighted([
      [7.2, 0.5],
      [11.5, 0.2],
      [9.6, 0.15],
      [1.9, 0.15],
    ]),
  };
}

// ---------------------------------------------------------------- groups: microgrids by lateral, VPPs by section

const microgrids = [];
for (const s of SECTIONS) {
  const main = prosumers.filter((p) => p.section === s.id && p.lateral === undefined);
  if (main.length)
    microgrids.push({ id: `mg_${s.id}_main`, vpp: s.vpp, section: s.id, lateral: null, members: main });
  for (const lat of laterals.filter((l) => l.section === s.id)) {
    const members = prosumers.filter((p) => p.lateral === lat.id);
    if (members.length)
      microgrids.push({
        id: lat.id === 'lat_park' ? 'mg_park' : `mg_l${lat.id.slice(3)}`,
        vpp: s.vpp,
        section: s.id,
        lateral: lat,
        members,
      });
  }
}
for (const mg of microgrids) for (const p of mg.members) p.microgrid = mg.id;
const vppOf = Object.fromEntries(SECTIONS.map((s) => [s.id, s.vpp]));
for (const p of prosumers) p.vpp = vppOf[p.section];

// ---------------------------------------------------------------- checks

const primaryBuses = [...buses.values()].filter((b) => b.role !== 'secondary').length;
const busCount = buses.size;
if (busCount < 150 || busCount > 250)
  throw new Error(`seed ${SEED} gives ${busCount} buses; want 150 to 250`);
if (prosumers.length < 300 || prosumers.length > 600)
  throw new Error(`seed ${SEED} gives ${prosumers.length} prosumers; want 300 to 600`);

// ---------------------------------------------------------------- writing

const fmt = (x, d = 4) => String(round(x, d));
const lower = (m, d) =>
  m
    .map((row, i) =>
      row
        .slice(0, i + 1)
        .map((x) => fmt(x, d))
        .join(' '),
    )
    .join(' | ');
const nodeSuffix = (nodes) => (nodes.length === 3 ? '' : `.${nodes.join('.')}`);
const header = (what) =>
  [
    `! GridTier residential example feeder: ${what}`,
    `! Generated by scripts/make-residential-feeder.mjs with seed ${SEED}; edit the script, not this file.`,
    "! GridTier's own example (an original layout, not one of the IEEE test feeders); licensed with the project (Apache-2.0).",
    '',
  ].join('\n');

const files = {};

files['linecodes.dss'] = [
  header('line codes'),
  "! Phase-frame matrices from Carson's equations with the neutral Kron-reduced: ohm/km and nF/km.",
  ...LINECODES.flatMap((l) => [
    `! ${l.desc}`,
    `New LineCode.${l.name} nphases=${l.r.length} units=km`,
    `~ rmatrix=[${lower(l.r, 4)}]`,
    `~ xmatrix=[${lower(l.x, 4)}]`,
    `~ cmatrix=[${lower(l.c, 3)}]`,
    `~ normamps=${l.normAmps} emergamps=${l.emergAmps}`,
  ]),
  '',
].join('\n');

const lineText = (l) => {
  const ph = l.nodes.length === 3 ? '' : ` phases=${l.nodes.length}`;
  return `New Line.${l.name}${ph} bus1=${l.from}${nodeSuffix(l.nodes)} bus2=${l.to}${nodeSuffix(l.nodes)} linecode=${l.code} length=${l.km} units=km`;
};
const trunkKm = lines
  .filter((l) => l.name.startsWith('trunk_') || l.name === 'getaway')
  .reduce((s, l) => s + l.km, 0);
files['lines.dss'] = [
  header('lines'),
  `! Main trunk: ${round(trunkKm, 2)} km of three-phase overhead from the substation getaway;`,
  `! the line regulator sits between ${tn(REG_AT)} and ${tn(REG_AT)}r (see master.dss).`,
  ...lines.filter((l) => l.name === 'getaway' || l.name.startsWith('trunk_')).map(lineText),
  '',
  `! East branch from ${tn(BRANCH_AT)} and the underground business park off b03`,
  ...lines.filter((l) => l.name.startsWith('east_') || l.name.startsWith('park_')).map(lineText),
  '',
  '! Two-phase and single-phase laterals (overhead and URD loops); each lateral is one microgrid in der.json',
  ...laterals
    .filter((lat) => lat.id !== 'lat_park')
    .flatMap((lat) => [
      `! ${lat.id}: ${lat.kind === 'oh2' ? 'two-phase overhead' : lat.kind === 'ug1' ? 'single-phase URD' : 'single-phase overhead'} off ${lat.headBus}, phases ${lat.phases.join('')}`,
      ...lines.filter((l) => l.name.startsWith(`ln_l${lat.id.slice(3)}_`)).map(lineText),
    ]),
  '',
].join('\n');

const resXfmrZ = { 15: [1.6, 1.4], 25: [1.7, 1.3], 37.5: [1.8, 1.2], 50: [1.9, 1.1], 75: [2.1, 1.0] };
files['transformers.dss'] = [
  header('service transformers'),
  '! Residential: single-phase pole-top or pad-mount, 7.2 kV line-to-neutral to 240 V. The 120/240 V',
  '! split-phase secondary is modelled as one 240 V winding to ground, so a home is one node (.1) at',
  '! 0.24 kV and the secondary bus base is 0.24 kV line-to-neutral (0.416 in VoltageBases).',
  ...serviceXfmrs.map((t) => {
    const [x, r] = resXfmrZ[t.kva];
    return `New Transformer.${t.name} phases=1 windings=2 buses=[${t.primaryBus}.${t.phase} ${t.secondary}.1] conns=[wye wye] kvs=[7.2 0.24] kvas=[${t.kva} ${t.kva}] xhl=${x} %loadloss=${r} %noloadloss=0.3 %imag=0.6`;
  }),
  '',
  '! Commercial: three-phase pad-mount, 12.47 kV delta to 480Y/277 V',
  ...commercialXfmrs.map(
    (t) =>
      `New Transformer.${t.name} phases=3 windings=2 buses=[${t.primaryBus} ${t.secondary}] conns=[delta wye] kvs=[12.47 0.48] kvas=[${t.kva} ${t.kva}] xhl=${t.kva >= 500 ? 5.75 : 4.5} %loadloss=${t.kva >= 500 ? 0.9 : 1.1} %noloadloss=0.2 %imag=0.5`,
  ),
  '',
].join('\n');

const phaseKw = { 1: 0, 2: 0, 3: 0 };
for (const p of prosumers) {
  if (p.kind === 'residential') phaseKw[p.primaryPhases[0]] += p.baseLoadKw;
  else for (const ph of PHASES) phaseKw[ph] += p.baseLoadKw / 3;
}
files['loads.dss'] = [
  header('loads'),
  '! One Load per prosumer of der.json, named by its id, at its base (non-controllable) demand.',
  '! PV, batteries, EV chargers and thermostatic loads are added by the simulation from der.json.',
  `! Base load per primary phase, kW: A ${round(phaseKw[1], 1)}, B ${round(phaseKw[2], 1)}, C ${round(phaseKw[3], 1)}`,
  ...prosumers.map((p) =>
    p.kind === 'residential'
      ? `New Load.${p.id} bus1=${p.bus}.1 phases=1 kv=0.24 kw=${p.baseLoadKw} pf=${p.pf} model=1`
      : `New Load.${p.id} bus1=${p.bus} phases=3 kv=0.48 kw=${p.baseLoadKw} pf=${p.pf} model=1`,
  ),
  '',
].join('\n');

const capLineOf = (bus) => lines.find((l) => l.to === bus).name;
const CAP1 = tn(8);
const CAP2 = tn(18);
files['master.dss'] = [
  header('master script'),
  '! A 12.47 kV feeder of a 115/12.47 kV substation: an overhead trunk with a line regulator, an east',
  '! branch with an underground business park, two-phase and single-phase laterals, single-phase',
  '! residential and three-phase commercial service transformers, two switched capacitor banks.',
  '! Run: node packages/cli/dist/main.js pf --feeder examples/feeders/gridtier-residential/master.dss',
  '',
  'Clear',
  'Set DefaultBaseFrequency=60',
  '',
  `New Circuit.gridtier_residential basekv=115 pu=1.0 phases=3 bus1=sourcebus MVAsc3=2500 MVAsc1=2200`,
  '',
  '! 115/12.47 kV substation transformer, delta-wye, with a load tap changer on the low side',
  'New Transformer.sub phases=3 windings=2 buses=[sourcebus sub_lv] conns=[delta wye] kvs=[115 12.47]',
  '~ kvas=[12000 12000] xhl=8.2 %loadloss=0.55 %noloadloss=0.08 %imag=0.3',
  '~ maxtap=1.1 mintap=0.9 numtaps=32',
  'New RegControl.ltc transformer=sub winding=2 vreg=123.5 band=2 ptratio=60 ctprim=800 delay=30',
  '',
  'Redirect linecodes.dss',
  'Redirect lines.dss',
  '',
  `! line regulator on the trunk at ${tn(REG_AT)}: three single-phase 32-step units, each with its own control`,
  ...PHASES.flatMap((p) => {
    const ab = 'abc'[p - 1];
    return [
      `New Transformer.reg_${ab} phases=1 windings=2 bank=reg1 buses=[${tn(REG_AT)}.${p} ${tn(REG_AT)}r.${p}] conns=[wye wye]`,
      '~ kvs=[7.2 7.2] kvas=[1667 1667] xhl=0.2 %loadloss=0.01 ppm_antifloat=0',
      `New RegControl.reg_${ab} transformer=reg_${ab} winding=2 vreg=122 band=2 ptratio=60 ctprim=200 R=1.5 X=2.5 delay=45`,
    ];
  }),
  '',
  'Redirect transformers.dss',
  'Redirect loads.dss',
  '',
  '! switched capacitor banks',
  `New Capacitor.cap_${CAP1} bus1=${CAP1} phases=3 kvar=600 kv=12.47`,
  `New CapControl.cap_${CAP1} capacitor=cap_${CAP1} element=Line.${capLineOf(CAP1)} terminal=1 type=voltage`,
  '~ ptratio=60 ptphase=avg onsetting=120 offsetting=125.5 delay=60',
  `New Capacitor.cap_${CAP2} bus1=${CAP2} phases=3 kvar=450 kv=12.47`,
  `New CapControl.cap_${CAP2} capacitor=cap_${CAP2} element=Line.trunk_${tn(REG_AT + 1)} terminal=1 type=kvar`,
  '~ ctratio=1 ptratio=1 onsetting=450 offsetting=-150 delay=90',
  '',
  'New EnergyMeter.feeder element=Line.getaway terminal=1',
  '',
  'Set VoltageBases=[115, 12.47, 0.48, 0.416]',
  'CalcVoltageBases',
  'Solve',
  '',
].join('\n');

// ---------------------------------------------------------------- der.json

const sum = (xs) => xs.reduce((s, x) => s + x, 0);
const totals = {
  prosumers: prosumers.length,
  residential: nRes,
  commercial: prosumers.length - nRes,
  baseLoadKw: round(sum(prosumers.map((p) => p.baseLoadKw)), 1),
  baseLoadKwByPhase: { a: round(phaseKw[1], 1), b: round(phaseKw[2], 1), c: round(phaseKw[3], 1) },
  pvSites: prosumers.filter((p) => p.pvKwp > 0).length,
  pvKwp: round(sum(prosumers.map((p) => p.pvKwp)), 1),
  batterySites: prosumers.filter((p) => p.battery).length,
  batteryKwh: round(sum(prosumers.map((p) => p.battery?.energyKwh ?? 0)), 1),
  batteryKw: round(sum(prosumers.map((p) => p.battery?.powerKw ?? 0)), 1),
  evSites: prosumers.filter((p) => p.ev).length,
  evChargers: sum(prosumers.map((p) => p.ev?.chargers ?? 0)),
  evChargerKw: round(sum(prosumers.map((p) => (p.ev ? p.ev.chargers * p.ev.powerKwEach : 0))), 1),
  acUnits: sum(prosumers.map((p) => p.thermostatic.acUnits)),
  acKw: round(sum(prosumers.map((p) => p.thermostatic.acUnits * p.thermostatic.acKwEach)), 1),
  waterHeaters: sum(prosumers.map((p) => p.thermostatic.waterHeaters)),
  waterHeaterKw: round(
    sum(prosumers.map((p) => p.thermostatic.waterHeaters * p.thermostatic.waterHeaterKwEach)),
    1,
  ),
};
const doc = {
  name: NAME,
  description:
    "DER inventory of GridTier's residential example feeder: prosumers with their connection, base load, PV, batteries, EV chargers and thermostatic loads, grouped in microgrids (one per lateral, plus each section's main-line customers) and VPPs (one per feeder section).",
  generator: 'scripts/make-residential-feeder.mjs',
  seed: SEED,
  license: 'Apache-2.0',
  feeder: 'master.dss',
  fields: {
    bus: 'bus the prosumer connects to in the solved feeder (service transformer secondary)',
    phases: 'nodes of that bus; residential homes are one 240 V node, commercial sites three-phase 480 V',
    kv: 'kV of the Load element at that bus (line-to-neutral for one phase, line-to-line for three)',
    primaryPhases: '12.47 kV phases (1 = A, 2 = B, 3 = C) the service transformer is tapped from',
    baseLoadKw: 'non-controllable demand carried by Load.<id> in loads.dss, kW at base load',
    pvKwp: 'rooftop PV, kW peak DC (0: none)',
    battery: 'behind-the-meter battery, kWh and kW (null: none)',
    ev: 'EV chargers and the rating of each, kW (null: none)',
    thermostatic: 'air conditioners and electric water heaters: unit counts and the rating of each unit, kW',
  },
  totals,
  vpps: SECTIONS.map((s) => ({
    id: s.vpp,
    section: s.id,
    description: s.description,
    microgrids: microgrids.filter((m) => m.vpp === s.vpp).map((m) => m.id),
    prosumers: prosumers.filter((p) => p.vpp === s.vpp).length,
  })),
  microgrids: microgrids.map((m) => ({
    id: m.id,
    vpp: m.vpp,
    headBus: m.lateral ? m.lateral.headBus : null,
    headLine: m.lateral ? m.lateral.headLine : null,
    members: m.members.map((p) => p.id),
  })),
  prosumers: prosumers.map((p) => ({
    id: p.id,
    kind: p.kind,
    use: p.use,
    bus: p.bus,
    phases: p.phases,
    kv: p.kv,
    serviceTransformer: p.serviceTransformer,
    primaryBus: p.primaryBus,
    primaryPhases: p.primaryPhases,
    microgrid: p.microgrid,
    vpp: p.vpp,
    baseLoadKw: p.baseLoadKw,
    pf: p.pf,
    pvKwp: p.pvKwp,
    battery: p.battery,
    ev: p.ev,
    thermostatic: p.thermostatic,
  })),
};

/**
 * JSON laid out the way the project's formatter (biome, 110 columns) leaves it: objects broken
 * one member a line unless they fit on one line and are small records, arrays inline when they fit.
 */
function toJson(value, indent = 0, keyLen = 0) {
  const pad = ' '.repeat(indent);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inline = Array.isArray(value)
    ? `[${value.map((v) => toJson(v)).join(', ')}]`
    : Object.keys(value).length === 0
      ? '{}'
      : `{ ${Object.entries(value)
          .map(([k, v]) => `${JSON.stringify(k)}: ${toJson(v)}`)
          .join(', ')} }`;
  const flat = !Object.values(value).some((v) => v !== null && typeof v === 'object' && !isSmall(v));
  if (flat && isSmall(value) && indent + keyLen + inline.length + 1 <= 110) return inline;
  if (Array.isArray(value) && value.length === 0) return '[]';
  const inner = ' '.repeat(indent + 2);
  if (Array.isArray(value))
    return `[\n${value.map((v) => inner + toJson(v, indent + 2)).join(',\n')}\n${pad}]`;
  return `{\n${Object.entries(value)
    .map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, indent + 2, JSON.stringify(k).length + 2)}`)
    .join(',\n')}\n${pad}}`;
}
/** records kept on one line: arrays, and objects of at most four plain members */
function isSmall(v) {
  if (Array.isArray(v)) return v.every((x) => x === null || typeof x !== 'object');
  return Object.keys(v).length <= 4 && Object.values(v).every((x) => x === null || typeof x !== 'object');
}
files['der.json'] = `${toJson(doc)}\n`;

mkdirSync(outDir, { recursive: true });
for (const [name, text] of Object.entries(files)) writeFileSync(join(outDir, name), text);

const count = (role) => [...buses.values()].filter((b) => b.role === role).length;
console.log(
  [
    `${NAME} (seed ${SEED}): ${busCount} buses (${primaryBuses} primary, ${count('secondary')} secondary),`,
    `  ${lines.length} lines (${round(sum(lines.map((l) => l.km)), 2)} km), ${laterals.length} laterals,`,
    `  residential base load kW by phase: ${PHASES.map((ph) => round(sum(residences.filter((p) => p.primaryPhases[0] === ph).map((p) => p.baseLoadKw)), 1)).join(' / ')}`,
    `  ${serviceXfmrs.length} residential + ${commercialXfmrs.length} commercial service transformers,`,
    `  ${prosumers.length} prosumers (${nRes} residential, ${prosumers.length - nRes} commercial),`,
    `  base load ${totals.baseLoadKw} kW (A ${totals.baseLoadKwByPhase.a}, B ${totals.baseLoadKwByPhase.b}, C ${totals.baseLoadKwByPhase.c}),`,
    `  PV ${totals.pvSites} sites ${totals.pvKwp} kWp, batteries ${totals.batterySites} (${totals.batteryKwh} kWh / ${totals.batteryKw} kW),`,
    `  EV ${totals.evSites} sites ${totals.evChargerKw} kW, AC ${totals.acUnits} units ${totals.acKw} kW, water heaters ${totals.waterHeaters} (${totals.waterHeaterKw} kW),`,
    `  ${microgrids.length} microgrids in ${SECTIONS.length} VPPs`,
  ].join('\n'),
);

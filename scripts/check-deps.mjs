#!/usr/bin/env node
// Dependency-direction check: core rooms import each other only through their index.ts and
// only inward (see docs/architecture.md); core imports no other package; apps import core's
// public entry points only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const coreSrc = join(root, 'packages/core/src');

// inner rooms first: a room may import only rooms of earlier layers, never a sibling of its
// own layer (siblings stay independent: market rooms never import der, der never imports sim)
const layers = [
  ['errors'],
  ['random', 'time', 'collections', 'units'],
  ['linalg', 'opt', 'engine', 'profiles'],
  ['grid/model'],
  ['grid/dss'],
  ['grid/powerflow'],
  ['grid/sensitivity'],
  ['market/orders'],
  ['market/auction', 'market/book', 'market/exchange', 'market/lem', 'contracts', 'ledger'],
  ['market/p2p', 'market/vdg'],
  ['market'],
  ['der/devices', 'der/forecast', 'der/regulation', 'der/reputation', 'der/control-ownership'],
  ['der/control', 'der/hems'],
  ['der/vpp', 'der/household', 'der/gateway'],
  ['der'],
  ['venues'],
  ['agents'],
  ['sim'],
  // Node-only adapters (files, worker threads, native crypto): the outermost room of core
  ['node'],
];
const rank = new Map(layers.flatMap((rooms, i) => rooms.map((r) => [r, i])));
const rooms = [...rank.keys()];

function roomOf(file) {
  const rel = relative(coreSrc, file).split('\\').join('/');
  return rooms.filter((r) => rel === r || rel.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

const problems = [];
const importRe = /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g;
for (const file of walk(join(root, 'packages'))) {
  if (file.includes('/node_modules/') || file.includes('/dist/')) continue;
  const text = readFileSync(file, 'utf8');
  const inCore = file.startsWith(coreSrc);
  for (const m of text.matchAll(importRe)) {
    const spec = m[1];
    const where = relative(root, file);
    if (inCore && spec.startsWith('@gridtier/')) problems.push(`${where}: core must not import ${spec}`);
    // one room's index (`@gridtier/core/grid/powerflow`, `@gridtier/core/der/forecast`) loads only
    // that room and what it uses
    const entry = spec.slice('@gridtier/core/'.length);
    if (
      !inCore &&
      spec.startsWith('@gridtier/core/') &&
      entry !== 'node' &&
      entry !== 'testing' &&
      !rooms.some((r) => entry === r || entry.startsWith(`${r}/`))
    )
      problems.push(
        `${where}: apps import @gridtier/core, @gridtier/core/node, /testing or one room's index, not ${spec}`,
      );
    if (!inCore || !spec.startsWith('.')) continue;
    const from = roomOf(file);
    const target = resolve(dirname(file), spec);
    const to = roomOf(target);
    if (!from || !to || from === to) continue;
    // tests and benchmarks may also use another room's test support (never shipped in its index)
    const support = /\.(test|bench)\.ts$/.test(file) && /\/(test-support|[a-z-]+-suite)\.js$/.test(target);
    if (!target.endsWith(`${to}/index.js`) && !support)
      problems.push(`${where}: import room ${to} through its index.ts, not ${spec}`);
    if (rank.get(to) > rank.get(from))
      problems.push(`${where}: room ${from} must not depend on outer room ${to}`);
    else if (rank.get(to) === rank.get(from))
      problems.push(`${where}: room ${from} must not depend on its sibling ${to}`);
  }
}
if (problems.length > 0) {
  console.error(`dependency check: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('dependency check: ok');

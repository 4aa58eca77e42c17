#!/usr/bin/env node
// Runs every compiled *.bench.js of the workspaces and prints their tables.
// Each bench module exports `bench(ctx)` returning { title, columns, rows, notes? }.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const shared = ['../shared', '../../shared']
  .map((p) => resolve(root, p))
  .find((p) => existsSync(join(p, 'reference')));

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.bench.js')) yield p;
  }
}

const filter = process.argv[2];
const files = [...walk(join(root, 'packages'))].filter(
  (f) => f.includes('/dist/') && (!filter || f.includes(filter)),
);
if (!global.gc) console.log('note: run with node --expose-gc so each timed run starts from a collected heap');
for (const file of files) {
  const mod = await import(pathToFileURL(file).href);
  const report = await mod.bench({ sharedDir: shared, gc: global.gc ?? (() => {}) });
  console.log(`\n## ${report.title}\n`);
  console.log(`| ${report.columns.join(' | ')} |`);
  console.log(`|${report.columns.map(() => '---').join('|')}|`);
  for (const row of report.rows) console.log(`| ${row.join(' | ')} |`);
  for (const note of report.notes ?? []) console.log(`\n${note}`);
}

#!/usr/bin/env node
// Compiles the settlement contracts with solc from npm into dist/contracts.json (ABI and
// bytecode per contract). Skips the work when neither the sources nor the compiler changed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const here = resolve(dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const out = join(here, 'dist/contracts.json');
const EVM_VERSION = 'prague';

const sources = Object.fromEntries(
  readdirSync(join(here, 'contracts'))
    .filter((f) => f.endsWith('.sol'))
    .sort()
    .map((f) => [f, { content: readFileSync(join(here, 'contracts', f), 'utf8') }]),
);
const solcVersion = require('solc/package.json').version;
const hash = createHash('sha256').update(JSON.stringify({ sources, solcVersion, EVM_VERSION })).digest('hex');
if (existsSync(out) && JSON.parse(readFileSync(out, 'utf8')).sourceHash === hash) process.exit(0);

const solc = require('solc');
const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: EVM_VERSION,
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
// OpenZeppelin's sources come from the installed package
const findImports = (path) => {
  try {
    return { contents: readFileSync(require.resolve(path), 'utf8') };
  } catch (e) {
    return { error: `${path}: ${e.message}` };
  }
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
for (const e of output.errors ?? []) process.stderr.write(`${e.formattedMessage}\n`);
if (errors.length > 0) process.exit(1);

const contracts = {};
for (const file of Object.keys(sources))
  for (const [name, c] of Object.entries(output.contracts[file] ?? {}))
    contracts[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ sourceHash: hash, solcVersion, evmVersion: EVM_VERSION, contracts }));
process.stdout.write(`compiled ${Object.keys(contracts).join(', ')} with solc ${solcVersion}\n`);

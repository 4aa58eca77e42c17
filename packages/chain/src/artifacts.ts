import { readFileSync } from 'node:fs';
import type { Abi, Hex } from 'viem';
import { ChainError } from './errors.js';

export interface Artifact {
  abi: Abi;
  bytecode: Hex;
}

export type ContractName = 'PaymentToken' | 'EnergyToken' | 'LoyaltyToken' | 'Settlement';

let cache: Record<ContractName, Artifact> | undefined;

/** The contracts as the build compiled them (scripts/compile.mjs, run by `npm run build`). */
export function artifacts(): Record<ContractName, Artifact> {
  if (!cache) {
    const url = new URL('../dist/contracts.json', import.meta.url);
    try {
      cache = JSON.parse(readFileSync(url, 'utf8')).contracts;
    } catch (e) {
      throw new ChainError('compiled contracts are missing: run `npm run build` first', { cause: e });
    }
  }
  return cache!;
}

/** Every contract's custom errors, so a revert from a token the settlement called decodes too. */
export function errorAbi(): Abi {
  const seen = new Set<string>();
  return Object.values(artifacts())
    .flatMap((a) => a.abi)
    .filter((item) => item.type === 'error' && !seen.has(item.name) && seen.add(item.name));
}

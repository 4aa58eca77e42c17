import { clearVdgs, parseVdgDocument, type VdgClearing } from '@gridtier/core/market';
import { writeFileAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { readJsonObject } from '../../inputs.js';
import type { options } from './command.js';

const COLUMNS = [
  'vdg',
  'kind',
  'priority',
  'capacityBidUsdPerKwh',
  'requestKw',
  'allocatedKw',
  'curtailedKw',
  'usdPerKwh',
  'participantsUsd',
  'feederSupplyUsd',
  'vdgOperatorUsd',
  'dsoUsd',
] as const;

function rows(r: VdgClearing): (string | number)[][] {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return r.vdgs.map((v) => [
    v.vdg,
    v.kind ?? '',
    v.priority,
    v.capacityBidUsdPerKwh,
    round(v.requestKw),
    round(v.allocatedKw),
    round(v.curtailedKw),
    v.usdPerKwh,
    round(v.usd.participants),
    round(v.usd.feederSupply),
    round(v.usd.vdgOperator),
    round(v.usd.dso),
  ]);
}

function csv(r: VdgClearing): string {
  return `${[COLUMNS.join(','), ...rows(r).map((row) => row.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replaceAll('"', '""')}"` : c)).join(','))].join('\n')}\n`;
}

function table(r: VdgClearing): string {
  const shown = [COLUMNS.map(String), ...rows(r).map((row) => row.map(String))];
  const widths = COLUMNS.map((_, i) => Math.max(...shown.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return `${shown.map(line).join('\n')}\nline ${r.line}: ${r.capacityKw} kW each way; granted ${r.importKw} kW of imports, ${r.exportKw} kW of exports\n`;
}

/** gridtier vdg: the DSO's allocation of one line between VDGs, and each VDG's market within it. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  const result = clearVdgs(parseVdgDocument(readJsonObject(o.vdgs), o.vdgs));
  const text =
    o.format === 'csv'
      ? csv(result)
      : o.format === 'json'
        ? `${JSON.stringify(result, null, 2)}\n`
        : table(result);
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  const curtailed = result.vdgs.filter((v) => v.curtailedKw > 1e-9).map((v) => v.vdg);
  io.stderr(
    `vdg: ${result.vdgs.length} VDGs on ${result.line}; curtailed: ${curtailed.length === 0 ? 'none' : curtailed.join(', ')}\n`,
  );
  return 0;
}

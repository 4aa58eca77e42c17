import { writeFileSync } from 'node:fs';
import { formatLocation, type PowerFlowResult, runScript } from '@gridtier/core';
import { nodeScriptHost } from '@gridtier/core/node';
import { parseArgs, UsageError } from '../args.js';

export interface PfReport extends PowerFlowResult {
  controlIterations: number;
  solveMs: number;
  parseMs: number;
  warnings: string[];
}

export function formatCsv(r: PowerFlowResult): string {
  const lines = ['bus,phase,vmag_v,vmag_pu,angle_deg'];
  for (const v of r.voltages) {
    lines.push(
      `${v.bus},${v.phase},${v.vmagV.toPrecision(12)},${v.vmagPu.toPrecision(12)},${v.angleDeg.toPrecision(12)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function summaryLines(r: PfReport): string[] {
  const out: string[] = [];
  out.push(
    `converged: ${r.converged}  iterations: ${r.iterations}  control iterations: ${r.controlIterations}`,
  );
  out.push(`total losses: ${r.lossesKw.toFixed(3)} kW, ${r.lossesKvar.toFixed(3)} kvar`);
  for (const s of r.substation)
    out.push(`substation phase ${s.phase}: ${s.kw.toFixed(3)} kW, ${s.kvar.toFixed(3)} kvar`);
  for (const [k, v] of Object.entries(r.taps)) out.push(`tap ${k}: ${v} (${r.tapRatios[k].toFixed(5)} pu)`);
  for (const [k, v] of Object.entries(r.capacitors)) out.push(`capacitor ${k}: [${v.join(' ')}]`);
  if (r.deenergizedBuses.length > 0) out.push(`de-energized buses: ${r.deenergizedBuses.join(', ')}`);
  out.push(`solve time: ${r.solveMs.toFixed(3)} ms  (parse ${r.parseMs.toFixed(3)} ms)`);
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out;
}

function formatTable(r: PfReport): string {
  const rows = r.voltages.map(
    (v) =>
      `${v.bus.padEnd(20)} ${String(v.phase).padStart(5)} ${v.vmagV.toFixed(2).padStart(12)} ${v.vmagPu.toFixed(5).padStart(9)} ${v.angleDeg.toFixed(3).padStart(9)}`,
  );
  const pus = r.voltages.filter((v) => v.vmagPu > 0).map((v) => v.vmagPu);
  const header = `${'bus'.padEnd(20)} ${'phase'.padStart(5)} ${'vmag_v'.padStart(12)} ${'vmag_pu'.padStart(9)} ${'angle'.padStart(9)}`;
  const profile =
    pus.length > 0
      ? [
          `voltage profile: min ${Math.min(...pus).toFixed(5)} pu, max ${Math.max(...pus).toFixed(5)} pu over ${pus.length} nodes`,
        ]
      : [];
  return [header, ...rows, '', ...profile, ...summaryLines(r), ''].join('\n');
}

export function toJson(r: PfReport): object {
  return {
    converged: r.converged,
    iterations: r.iterations,
    controlIterations: r.controlIterations,
    lossesKw: r.lossesKw,
    lossesKvar: r.lossesKvar,
    solveMs: r.solveMs,
    parseMs: r.parseMs,
    substation: r.substation,
    voltages: r.voltages,
    taps: r.taps,
    tapRatios: r.tapRatios,
    capacitors: r.capacitors,
    deenergizedBuses: r.deenergizedBuses,
    warnings: r.warnings,
  };
}

export async function runPf(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, ['format', 'out']);
    if (args.positional.length !== 1) throw new UsageError('pf needs exactly one script FILE');
  } catch (e) {
    process.stderr.write(
      `gridtier pf: ${(e as Error).message}\nusage: gridtier pf FILE [--format table|csv|json] [--out PATH]\n`,
    );
    return 2;
  }
  const format = args.options.get('format') ?? 'table';
  if (!['table', 'csv', 'json'].includes(format)) {
    process.stderr.write(`gridtier pf: --format must be table, csv or json, not "${format}"\n`);
    return 2;
  }
  const run = runScript(nodeScriptHost, args.positional[0]);
  const report: PfReport = {
    ...run.result!,
    solveMs: run.solveMs,
    parseMs: run.parseMs,
    warnings: run.warnings.map((w) => `${formatLocation(w.location)}: ${w.message}`),
  };
  const text =
    format === 'json'
      ? `${JSON.stringify(toJson(report), null, 2)}\n`
      : format === 'csv'
        ? formatCsv(report)
        : formatTable(report);
  const out = args.options.get('out');
  if (out) {
    writeFileSync(out, text);
    if (format !== 'table') process.stdout.write(`${summaryLines(report).join('\n')}\n`);
  } else {
    process.stdout.write(text);
    // keep standard output a clean CSV; the summary goes beside it
    if (format === 'csv') process.stderr.write(`${summaryLines(report).join('\n')}\n`);
  }
  return 0;
}

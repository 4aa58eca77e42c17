import { join } from 'node:path';
import { formatLocation } from '@gridtier/core/errors';
import { type MonitorObj, monitorCsv } from '@gridtier/core/grid/dss';
import { type PowerFlowResult, runScript } from '@gridtier/core/grid/powerflow';
import { writeFileAtomic } from '../../framework/files.js';
import { warn } from '../../framework/io.js';
import type { RunContext } from '../../framework/spec.js';
import { limitedScriptHost } from '../../inputs.js';
import type { options } from './command.js';
import { operatingPointWarnings } from './sanity.js';

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
  return out;
}

function formatTable(r: PfReport): string {
  const rows = r.voltages.map(
    (v) =>
      `${v.bus.padEnd(20)} ${String(v.phase).padStart(5)} ${v.vmagV.toFixed(2).padStart(12)} ${v.vmagPu.toFixed(5).padStart(9)} ${v.angleDeg.toFixed(3).padStart(9)}`,
  );
  const pus = r.voltages.filter((v) => v.vmagPu > 0).map((v) => v.vmagPu);
  const header = `${'bus'.padEnd(20)} ${'phase'.padStart(5)} ${'vmag_v'.padStart(12)} ${'vmag_pu'.padStart(9)} ${'angle'.padStart(9)}`;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of pus) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const profile =
    pus.length > 0
      ? [`voltage profile: min ${lo.toFixed(5)} pu, max ${hi.toFixed(5)} pu over ${pus.length} nodes`]
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

/** gridtier pf: an OpenDSS script's last power flow as a table, CSV or JSON. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  const run = runScript(limitedScriptHost(), o.feeder);
  const result = run.result!;
  const report: PfReport = {
    ...result,
    solveMs: run.solveMs,
    parseMs: run.parseMs,
    warnings: [
      ...run.warnings.map((w) => `${formatLocation(w.location)}: ${w.message}`),
      ...operatingPointWarnings(result, o.feeder),
    ],
  };
  for (const w of report.warnings) warn(io, w);
  if (o.monitors !== undefined) {
    const monitors = run.state.all<MonitorObj>('Monitor');
    for (const m of monitors)
      writeFileAtomic(join(o.monitors, `${run.state.name}_Mon_${m.name}.csv`), monitorCsv(m));
    io.stderr(`wrote ${monitors.length} monitor file(s) into ${o.monitors}\n`);
  }
  const text =
    o.format === 'json'
      ? `${JSON.stringify(toJson(report), null, 2)}\n`
      : o.format === 'csv'
        ? formatCsv(report)
        : formatTable(report);
  if (o.out !== undefined) {
    writeFileAtomic(o.out, text);
    io.stderr(`${summaryLines(report).join('\n')}\nwrote ${o.out}\n`);
  } else {
    io.stdout(text);
    // keep standard output a clean CSV; the summary goes beside it
    if (o.format === 'csv') io.stderr(`${summaryLines(report).join('\n')}\n`);
  }
  if (result.converged) return 0;
  io.stderr(
    `gridtier pf: ${o.feeder}: the power flow did not converge in ${result.iterations} iterations; the result shown is its last iterate\n`,
  );
  return 1;
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { GridTierError } from '@gridtier/core/errors';
import * as dss from '@gridtier/core/grid/dss';
import { type PowerFlowResult, runScript } from '@gridtier/core/grid/powerflow';
import { nodeScriptHost } from '@gridtier/core/node';
import { writeFileAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { sharedDir } from '../../repository.js';
import type { options } from './command.js';
import { compareLn, readCsv, wrapDeg } from './compare.js';
import { publishedLimits, validatePublished } from './published.js';
import { publishedCsv, publishedTable } from './published-table.js';

/** Thresholds the power flow must meet against OpenDSS (and the published IEEE-13 table). */
const limits = { vPu: 1e-4, angleDeg: 0.01, lossPct: 0.1, publishedVPu: 0.0015, publishedAngleDeg: 0.06 };

interface Row {
  case: string;
  nodes: number;
  maxDvPu: number;
  maxDangleDeg: number;
  lossErrPct: number;
  taps: string;
  caps: string;
  solveMs: number;
  pass: boolean;
  note: string;
}

/** A row with nothing compared yet: the comparisons fill in what applies to the case. */
function rowOf(caseName: string, nodes: number, fields: Pick<Row, 'solveMs' | 'pass' | 'note'>): Row {
  return {
    case: caseName,
    nodes,
    maxDvPu: Number.NaN,
    maxDangleDeg: Number.NaN,
    lossErrPct: Number.NaN,
    taps: '',
    caps: '',
    ...fields,
  };
}

function compareLl(r: PowerFlowResult, ref: Record<string, string>[]) {
  const mine = new Map(r.voltages.map((v) => [`${v.bus}.${v.phase}`, v]));
  let dv = 0;
  let da = 0;
  let missing = 0;
  for (const row of ref) {
    const [a, b] = row.pair.split('-');
    const va = mine.get(`${row.bus.toLowerCase()}.${a}`);
    const vb = mine.get(`${row.bus.toLowerCase()}.${b}`);
    if (!va || !vb || va.vmagPu === 0) {
      missing++;
      continue;
    }
    const ra = (va.angleDeg * Math.PI) / 180;
    const rb = (vb.angleDeg * Math.PI) / 180;
    const re = va.vmagV * Math.cos(ra) - vb.vmagV * Math.cos(rb);
    const im = va.vmagV * Math.sin(ra) - vb.vmagV * Math.sin(rb);
    const baseLl = (va.vmagV / va.vmagPu) * Math.sqrt(3);
    dv = Math.max(dv, Math.abs(Math.hypot(re, im) / baseLl - Number(row.vmag_pu_ll)));
    da = Math.max(da, wrapDeg((Math.atan2(im, re) * 180) / Math.PI - Number(row.angle_deg)));
  }
  return { dv, da, missing, n: ref.length };
}

function summaryFacts(text: string) {
  const loss = /total losses \(summary\): ([\d.]+) kW/.exec(text);
  const taps = new Map<string, number>();
  for (const m of text.matchAll(/regcontrol\.(\S+): .*tapnum=(-?\d+)/g))
    taps.set(m[1].toLowerCase(), Number(m[2]));
  const caps = new Map<string, string>();
  for (const m of text.matchAll(/capacitor\.(\S+): states=\[([^\]]*)\]/g))
    caps.set(
      m[1].toLowerCase(),
      m[2]
        .trim()
        .split(/[\s,]+/)
        .join(' '),
    );
  return { lossKw: loss ? Number(loss[1]) : Number.NaN, taps, caps };
}

function validateCase(casePath: string, refDir: string, publishedDir: string): Row {
  const name = basename(casePath, '.dss');
  const run = runScript(nodeScriptHost, casePath);
  const r = run.result!;
  const row = rowOf(name, r.voltages.length, { solveMs: run.solveMs, pass: r.converged, note: '' });
  const summaryPath = join(refDir, `${name}.summary.txt`);
  if (!existsSync(summaryPath)) {
    row.note = r.converged ? 'converged (no reference solution)' : 'did not converge';
    return row;
  }
  const facts = summaryFacts(readFileSync(summaryPath, 'utf8'));
  const cmp =
    name === 'ieee37'
      ? compareLl(r, readCsv(join(refDir, `${name}.ll.csv`)))
      : compareLn(r, readCsv(join(refDir, `${name}.csv`)), 'vmag_pu');
  row.maxDvPu = cmp.dv;
  row.maxDangleDeg = cmp.da;
  row.lossErrPct = (Math.abs(r.lossesKw - facts.lossKw) / facts.lossKw) * 100;
  const tapsOk = [...facts.taps].every(([k, v]) => r.taps[k] === v);
  row.taps = tapsOk
    ? 'same'
    : `differ: ${[...facts.taps].map(([k, v]) => `${k} ${r.taps[k]}/${v}`).join(' ')}`;
  const capsOk = [...facts.caps].every(([k, v]) => (r.capacitors[k] ?? []).join(' ') === v);
  row.caps = capsOk ? 'same' : 'differ';
  row.pass =
    r.converged &&
    cmp.missing === 0 &&
    cmp.dv <= limits.vPu &&
    cmp.da <= limits.angleDeg &&
    row.lossErrPct <= limits.lossPct &&
    tapsOk &&
    capsOk;
  if (cmp.missing > 0) row.note = `${cmp.missing} of ${cmp.n} reference nodes missing`;
  const published = join(publishedDir, 'ieee13_published.csv');
  if (name === 'ieee13_published_taps' && existsSync(published)) {
    const p = compareLn(r, readCsv(published), 'vmag_pu');
    const ok = p.missing === 0 && p.dv <= limits.publishedVPu && p.da <= limits.publishedAngleDeg;
    row.pass &&= ok;
    row.note += `published IEEE table: max dV ${p.dv.toExponential(2)} pu, max dAngle ${p.da.toFixed(4)} deg${ok ? '' : ' (FAIL)'}`;
  }
  return row;
}

/** A host that serves one script from memory and every other file from disk. */
function withVirtualScript(path: string, text: string): typeof nodeScriptHost {
  return {
    ...nodeScriptHost,
    readText: (p) => (p === path ? text : nodeScriptHost.readText(p)),
    exists: (p) => p === path || nodeScriptHost.exists(p),
  };
}

/**
 * The 8500-node feeder ships its lines twice: as geometries with wire data, and as the line
 * codes OpenDSS's Show LineConstants printed for them. Every geometry's series impedance must
 * match its code.
 */
function validateLineConstants(feederDir: string): Row {
  const virtual = join(feederDir, '__gridtier_line_constants__.dss');
  const text = [
    'Clear',
    'New Circuit.lc',
    'Redirect WireData.dss',
    'Redirect LineGeometry.dss',
    'Redirect LineCodes2.DSS',
  ].join('\n');
  const interp = new dss.DssInterpreter(withVirtualScript(virtual, text), {
    solve: () => {},
    calcVoltageBases: () => {},
  });
  interp.compileFile(virtual);
  const state = interp.requireState({});
  let maxRel = 0;
  let count = 0;
  for (const g of state.all<dss.DssObject>('LineGeometry')) {
    const code = state.get<dss.LineCodeObj>('LineCode', g.name);
    if (!code) continue;
    const lc = dss.lineGeometryConstants(state, g.name, 'deri', 100);
    const k = lc.order;
    count++;
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        // the codes are printed in ohms per km to six significant digits
        const dr = Math.abs(lc.z.re[i * k + j] * 1000 - code.r[i * k + j]) / Math.abs(code.r[i * k + i]);
        const dx = Math.abs(lc.z.im[i * k + j] * 1000 - code.x[i * k + j]) / Math.abs(code.x[i * k + i]);
        maxRel = Math.max(maxRel, dr, dx);
      }
  }
  const pass = count > 0 && maxRel < 1e-5;
  return rowOf('ieee8500 line constants', count, {
    solveMs: 0,
    pass,
    note: `${count} geometries vs LineCodes2: max relative error of R and X entries ${maxRel.toExponential(2)} (limit 1e-5)`,
  });
}

/** A case that could not run becomes a failed row; a fault of ours (not a GridTierError) is not hidden. */
function guarded(name: string, f: () => Row): Row {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof GridTierError)) throw e;
    return rowOf(name, 0, { solveMs: 0, pass: false, note: `error: ${e.message}` });
  }
}

function validateAll(shared: string): Row[] {
  const refDir = join(shared, 'reference', 'opendss');
  const caseDir = join(refDir, 'cases');
  const cases = existsSync(caseDir)
    ? readdirSync(caseDir)
        .filter((f) => f.endsWith('.dss'))
        .sort()
    : [];
  const rows = cases.map((c) =>
    guarded(basename(c, '.dss'), () =>
      validateCase(join(caseDir, c), refDir, join(shared, 'reference', 'ieee-published')),
    ),
  );
  const feeder8500 = join(shared, 'feeders', '8500-Node');
  if (existsSync(join(feeder8500, 'LineGeometry.dss')))
    rows.push(guarded('ieee8500 line constants', () => validateLineConstants(feeder8500)));
  return rows;
}

const fmt = (x: number, d: number) => (Number.isNaN(x) ? '-' : x.toExponential(d));

function table(rows: Row[]): string {
  const lines = [
    '| case | nodes | max dV (pu) | max dAngle (deg) | loss err (%) | taps | caps | solve ms | result |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.case} | ${r.nodes} | ${fmt(r.maxDvPu, 2)} | ${fmt(r.maxDangleDeg, 2)} | ${fmt(r.lossErrPct, 2)} | ${r.taps} | ${r.caps} | ${r.solveMs.toFixed(2)} | ${r.pass ? 'pass' : 'FAIL'} ${r.note} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function csv(rows: Row[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = ['case,nodes,max_dv_pu,max_dangle_deg,loss_err_pct,taps,caps,solve_ms,pass,note'];
  for (const r of rows)
    lines.push(
      [
        r.case,
        r.nodes,
        r.maxDvPu,
        r.maxDangleDeg,
        r.lossErrPct,
        r.taps,
        r.caps,
        r.solveMs.toFixed(3),
        r.pass,
        r.note,
      ]
        .map((x) => q(typeof x === 'number' && Number.isNaN(x) ? '' : String(x)))
        .join(','),
    );
  return `${lines.join('\n')}\n`;
}

/** gridtier validate: every reference case against OpenDSS's solution; exit 1 if any fails. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  const where = o.shared === undefined ? sharedDir() : { path: resolve(o.shared), found: true };
  const emit = (text: string) => (o.out === undefined ? io.stdout(text) : writeFileAtomic(o.out, text));
  if (!where.found) {
    io.stderr(
      `validate: SKIPPED, nothing was compared: no reference solutions at ${join(where.path, 'reference', 'opendss')} (the reference data is read from ../shared beside the repository; pass --shared DIR to name it)\n`,
    );
    if (o.format === 'json')
      emit(`${JSON.stringify({ skipped: true, shared: where.path, cases: [] }, null, 2)}\n`);
    return 0;
  }
  const rows = o.suite === 'published' ? [] : validateAll(where.path);
  if (rows.length === 0 && o.suite !== 'published') {
    io.stderr(`validate: no reference cases in ${join(where.path, 'reference', 'opendss', 'cases')}\n`);
    return 1;
  }
  const published = o.suite === 'ieee' ? [] : validatePublished(where.path);
  emit(
    o.format === 'json'
      ? `${JSON.stringify({ skipped: false, shared: where.path, limits, cases: rows, publishedLimits, published }, null, 2)}\n`
      : o.format === 'csv'
        ? `${csv(rows)}\n${publishedCsv(published)}`
        : `${table(rows)}\n${publishedTable(published)}`,
  );
  const failed = rows.filter((r) => !r.pass).length;
  const count = (s: string) => published.filter((r) => r.status === s).length;
  const ran = published.filter((r) => r.status !== 'refused' && r.status !== 'crash').length;
  io.stderr(`validate: ${rows.length - failed} passed, ${failed} failed (reference data: ${where.path})\n`);
  if (o.suite !== 'ieee')
    io.stderr(
      `validate: published networks: ${ran} of ${published.length} run unmodified; ${count('pass')} match OpenDSS within the limits, ${count('FAIL')} differ, ${count('refused')} refused, ${count('crash')} crashed\n`,
    );
  // a refusal names an unsupported feature and is allowed; a wrong answer or a crash is not
  return failed === 0 && count('FAIL') === 0 && count('crash') === 0 ? 0 : 1;
}

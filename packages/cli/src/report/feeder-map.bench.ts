import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { feederMap } from '@gridtier/core/agents';
import { runScript } from '@gridtier/core/grid/powerflow';
import { nodeScriptHost } from '@gridtier/core/node';
import { Prng } from '@gridtier/core/random';
import { chromium } from 'playwright-core';
import { webBundle } from './page.js';

const CHROMIUM = '/usr/bin/chromium';
const ROUNDS = 5;
const UPDATES = 10;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const between = (ts: number[]) => ts.slice(1).map((t, k) => t - ts[k]);

/** Frames the page missed: a gap between two drawn frames of k frame intervals dropped k − 1. */
function dropped(gapsMs: number[]): number {
  const frameMs = median(gapsMs);
  return gapsMs.reduce((n, g) => n + Math.max(0, Math.round(g / frameMs) - 1), 0);
}

/**
 * The dashboard's feeder map in Chromium on the IEEE 8500-node feeder (its BusCoords): from the
 * page's navigation start to the first painted frame (script, data and drawing), and a new set
 * of bus and branch colours, as the live map gets from the feed every few seconds, until painted.
 */
export async function bench(ctx: { sharedDir?: string }) {
  const title = 'Feeder map in Chromium: first paint and recolouring (IEEE 8500-node feeder)';
  const columns = [
    'feeder',
    'buses',
    'branches',
    'first paint, ms (median of 5)',
    'new values to painted frame, ms (median / worst of 50)',
    'script time of a recolour, ms (median / worst)',
    'new values at 1 Hz: frames, dropped, longest frame ms (5 × 9 s)',
    'no new values: frames, dropped, longest frame ms (5 × 9 s)',
  ];
  const script = ctx.sharedDir ? join(ctx.sharedDir, 'feeders/8500-Node/Master.dss') : '';
  const gz = `page script ${(gzipSync(webBundle()).length / 1024).toFixed(1)} kB gzipped (${(webBundle().length / 1024).toFixed(0)} kB raw)`;
  if (!existsSync(CHROMIUM) || !existsSync(script))
    return {
      title,
      columns,
      rows: [],
      notes: [`SKIPPED: needs ${CHROMIUM} and ../shared's 8500-node feeder`, gz],
    };
  const dir = mkdtempSync(join(tmpdir(), 'gridtier-map-bench-'));
  // the published Master.dss needs more than OpenDSS's default 15 iterations, as its Run script says
  const run8500 = join(dir, 'run.dss');
  writeFileSync(run8500, `Compile (${script})\nSet Maxiterations=30\nSolve\n`);
  const run = runScript(nodeScriptHost, run8500);
  const feeder = feederMap(run.solver!.network, run.state.busCoords);
  const prng = new Prng(8500);
  const rand = () => prng.next();
  const frames = Array.from({ length: UPDATES + 1 }, () => ({
    bus: feeder.buses.map(() => 0.95 + 0.1 * rand()),
    branch: feeder.branches.map(() => 120 * rand()),
  }));
  const page = join(dir, 'map.html');
  writeFileSync(
    page,
    `<!doctype html><html><head><meta charset="utf-8"></head><body><div id="app"></div>
<script type="application/json" id="gridtier-map">${JSON.stringify({ feeder, frames }).replace(/</g, '\\u003c')}</script>
<script>${webBundle().replace(/<\/script/gi, '<\\/script')}</script></body></html>`,
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const first: number[] = [];
    const updates: number[] = [];
    const colourJs: number[] = [];
    const gaps: number[] = [];
    const idleGaps: number[] = [];
    let buses = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const p = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
      await p.goto(`file://${page}`);
      // the page's own measurements (packages/web's map benchmark mode)
      await p.waitForFunction('window.gridtierMapBench !== undefined', undefined, { timeout: 60_000 });
      const m = (await p.evaluate('window.gridtierMapBench')) as {
        drawnMs: number;
        updatesMs: number[];
        framesMs: number[];
        idleFramesMs: number[];
      };
      const js = (await p.evaluate(
        "performance.getEntriesByName('gridtier-map-colour').map((e) => e.duration)",
      )) as number[];
      colourJs.push(...js.slice(1));
      buses = await p.locator('[data-bus]').count();
      first.push(m.drawnMs);
      updates.push(...m.updatesMs);
      gaps.push(...between(m.framesMs));
      idleGaps.push(...between(m.idleFramesMs));
      await p.close();
    }
    return {
      title,
      columns,
      rows: [
        [
          'IEEE 8500-node',
          `${buses} drawn of ${feeder.buses.length}`,
          String(feeder.branches.length),
          median(first).toFixed(0),
          `${median(updates).toFixed(1)} / ${Math.max(...updates).toFixed(1)}`,
          `${median(colourJs).toFixed(1)} / ${Math.max(...colourJs).toFixed(1)}`,
          `${gaps.length}, ${dropped(gaps)}, ${Math.max(...gaps).toFixed(1)}`,
          `${idleGaps.length}, ${dropped(idleGaps)}, ${Math.max(...idleGaps).toFixed(1)}`,
        ],
      ],
      notes: [
        gz,
        'target: first paint ≤ 1,000 ms; new values once a second without dropped frames. A recolour is drawn in slices of at most 6 ms of script, one a frame, on a back buffer shown whole when done; the frame rate is headless Chromium’s.',
      ],
    };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

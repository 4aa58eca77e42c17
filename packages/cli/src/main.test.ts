import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['packages/cli/dist/main.js', ...args], { cwd: root, encoding: 'utf8' });
const demo = 'examples/feeders/gridtier-demo/master.dss';

describe('closed streams', () => {
  it('runs to its end when the reader of standard error stops early (`2>&1 | head`)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridtier-stderr-'));
    try {
      const child = spawn(
        process.execPath,
        [
          'packages/cli/dist/main.js',
          'pf',
          '--feeder',
          'examples/feeders/gridtier-demo/master.dss',
          '--format',
          'csv',
          '--out',
          join(dir, 'v.csv'),
        ],
        { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      // the reader goes away before the command writes its summary to standard error
      child.stderr.destroy();
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      expect(readFileSync(join(dir, 'v.csv'), 'utf8')).toMatch(/^bus/i);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }, 30_000);
});

describe('gridtier pf', () => {
  it('prints one JSON object with the documented fields', () => {
    const r = cli('pf', '--feeder', demo, '--format', 'json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of [
      'converged',
      'iterations',
      'controlIterations',
      'lossesKw',
      'lossesKvar',
      'solveMs',
      'parseMs',
    ])
      expect(out).toHaveProperty(key);
    expect(out.converged).toBe(true);
    expect(Object.keys(out.voltages[0]).sort()).toEqual(['angleDeg', 'bus', 'phase', 'vmagPu', 'vmagV']);
    expect(Object.keys(out.taps)).toEqual(['feeder_reg']);
    expect(out.capacitors).toEqual({ c_mid: [1] });
  });

  it('writes CSV with the OpenDSS export columns, summary beside it', () => {
    const r = cli('pf', '--feeder', demo, '--format', 'csv');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('bus,phase,vmag_v,vmag_pu,angle_deg');
    expect(lines[1].split(',')).toHaveLength(5);
    expect(r.stderr).toMatch(/converged: true/);
  });

  it('names a missing file and exits 1', () => {
    const r = cli('pf', '--feeder', 'no/such/file.dss');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--feeder no\/such\/file\.dss: no such file/);
  });

  it('rejects a bad format with usage, exit 2', () => {
    const r = cli('pf', '--feeder', demo, '--format', 'xml');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--format must be one of table, csv, json/);
    expect(r.stderr).toMatch(/Usage: gridtier pf --feeder FILE/);
  });
});

describe('gridtier lem clear', () => {
  const clearDemo = [
    'lem',
    'clear',
    '--feeder',
    demo,
    '--orders',
    'examples/feeders/gridtier-demo/orders-dam.json',
    '--format',
    'json',
  ];
  it('clears the example day ahead: one DLMP per interval, bus and phase, split in three parts', () => {
    const r = cli(...clearDemo, '--market', 'dam');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dlmp.length).toBe(24 * out.dlmp.filter((d: { interval: number }) => d.interval === 0).length);
    for (const d of out.dlmp.slice(0, 50)) {
      expect(Object.keys(d).sort()).toEqual([
        'bus',
        'congestion',
        'energy',
        'interval',
        'loss',
        'phase',
        'total',
      ]);
      expect(d.energy + d.congestion + d.loss).toBeCloseTo(d.total, 9);
    }
    expect(out.rejected.map((x: { id: string }) => x.id).sort()).toEqual(['bad-bus', 'bad-qty']);
    expect(r.stderr).toMatch(/rejected bad-bus: bus: unknown bus "n99"/);
  });

  // an independent native solver (COIN-OR CBC, where installed) re-solves the dumped model
  const cbc = spawnSync('cbc', ['-quit'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!cbc)('dumps a model that a native solver solves to the same objective', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridtier-dump-'));
    try {
      const mps = join(dir, 'dam.mps');
      const r = cli(...clearDemo, '--market', 'dam', '--dump-model', mps);
      expect(r.status).toBe(0);
      const ours = JSON.parse(r.stdout).objectiveUsd;
      const native = spawnSync('cbc', [mps, 'solve'], { encoding: 'utf8' });
      const objective = Number(/Objective value:\s+(\S+)/.exec(native.stdout)?.[1]);
      expect(Math.abs(objective - ours)).toBeLessThan(1e-6 * Math.max(1, Math.abs(ours)));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('names the ISO prices file and the entry that is not a price', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prices-'));
    const prices = join(dir, 'iso.json');
    writeFileSync(prices, JSON.stringify([30, 'high', 40]));
    const r = cli(...clearDemo, '--market', 'rtm', '--iso-prices', prices);
    rmSync(dir, { recursive: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${prices}: price [1] is "high", not a number`);
  });

  it('refuses a missing --orders with usage, exit 2', () => {
    const r = cli('lem', 'clear', '--feeder', demo);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--orders FILE is required/);
  });
});

describe('gridtier auction', () => {
  const orders = 'examples/auction/microgrid-call.json';

  it('prints the clearing price and trades in the documented shape, rejecting bad orders by id', () => {
    const r = cli('auction', '--mechanism', 'uniform', '--orders', orders, '--format', 'json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.clearingPrice).toBe(0.3);
    expect(Object.keys(out.trades[0]).sort()).toEqual(['buyOrderId', 'price', 'quantity', 'sellOrderId']);
    expect(out.rejected.map((x: { id: string }) => x.id)).toEqual(['late', 'bad']);
    expect(r.stderr).toMatch(/rejected late: time: submitted at 1900, after gate closure at 1800/);
  });

  it('gives buyer and seller prices for the MDA and no clearing price', () => {
    const out = JSON.parse(
      cli('auction', '--mechanism', 'mda', '--orders', orders, '--format', 'json').stdout,
    );
    expect(out.clearingPrice).toBeNull();
    expect(out.trades[0]).toMatchObject({ buyerPrice: 0.5, sellerPrice: 0.3 });
  });

  it('replays the orders through the continuous book', () => {
    const r = cli('auction', '--mechanism', 'cda', '--orders', orders, '--format', 'csv');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('refuses an unknown mechanism with usage, exit 2', () => {
    const r = cli('auction', '--mechanism', 'dutch', '--orders', orders);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--mechanism must be one of/);
  });
});

describe('gridtier p2p simulate', () => {
  it('prints each layer, a ledger that sums to zero and every prosumer’s savings', () => {
    const r = cli('p2p', 'simulate', '--scenario', 'examples/p2p/feeder-day.json', '--seed', '5');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Layer I {3}\(microgrids, 30 min\)/);
    expect(r.stdout).toMatch(/Layer III \(VPP to VPP, 5 min\)/);
    expect(r.stdout).toMatch(/\(sum -?0\.000000\)/);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('v')).length,
    ).toBe(240);
  });

  it('names the bad field of a scenario', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridtier-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ vpps: -1 }));
      const r = cli('p2p', 'simulate', '--scenario', file);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/vpps/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('gridtier settle', () => {
  const trades = 'examples/settlement/interval.json';
  const readings = 'examples/settlement/readings.json';

  it('settles the example interval in memory and on the embedded chain with the same statement', () => {
    const memory = cli('settle', '--trades', trades, '--readings', readings, '--format', 'json');
    expect(memory.status).toBe(0);
    const m = JSON.parse(memory.stdout);
    expect(m.merkleRoot).toMatch(/^0x[0-9a-f]{64}$/);
    const contractedWh = JSON.parse(readFileSync(join(root, trades), 'utf8')).trades.reduce(
      (a: number, t: { energyWh: number }) => a + t.energyWh,
      0,
    );
    expect(m.deliveredWh + m.shortfallWh).toBe(contractedWh);
    const chain = cli(
      'settle',
      '--trades',
      trades,
      '--readings',
      readings,
      '--chain',
      'embedded',
      '--format',
      'json',
    );
    expect(chain.status).toBe(0);
    const c = JSON.parse(chain.stdout);
    expect(c.gasUsed).toBeGreaterThan(0);
    expect(c.statements).toEqual(m.statements);
    expect(c.merkleRoot).toBe(m.merkleRoot);
  }, 60_000);

  it('refuses altered readings and trades naming unknown accounts, settling nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridtier-settle-'));
    try {
      const altered = JSON.parse(readFileSync(join(root, readings), 'utf8'));
      altered[0].readings[0].energyWh += 1;
      writeFileSync(join(dir, 'altered.json'), JSON.stringify(altered));
      const r = cli('settle', '--trades', trades, '--readings', join(dir, 'altered.json'));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/refused: readings of oracle .*signature does not match/);
      const doc = JSON.parse(readFileSync(join(root, trades), 'utf8'));
      doc.trades[2].buyer = 'zoe';
      doc.trades[1].energyWh = -5;
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(doc));
      const bad = cli('settle', '--trades', join(dir, 'bad.json'), '--readings', readings);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/trades.1.energyWh/);
      doc.trades[1].energyWh = 5;
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(doc));
      const unknown = cli('settle', '--trades', join(dir, 'bad.json'), '--readings', readings);
      expect(unknown.stderr).toMatch(/call-48-3: unknown account "zoe"/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('gridtier vpp simulate', () => {
  it('prints the documented JSON and writes the CSV and the chart page', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridtier-vpp-'));
    try {
      const r = cli(
        'vpp',
        'simulate',
        '--devices',
        '5000',
        '--goal',
        'step',
        '--seconds',
        '620',
        '--seed',
        '1',
        '--format',
        'json',
        '--report',
        dir,
      );
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout);
      for (const key of [
        'devices',
        'rounds',
        'rmsTrackingErrorPct',
        'maxTierOrderViolations',
        'pjmScore',
        'roundsPerSecond',
      ])
        expect(out).toHaveProperty(key);
      expect(Object.keys(out.pjmScore).sort()).toEqual(['accuracy', 'composite', 'delay', 'precision']);
      expect(out.rmsTrackingErrorPct).toBeLessThan(1);
      const csv = readFileSync(join(dir, 'vpp.csv'), 'utf8').trim().split('\n');
      expect(csv).toHaveLength(out.rounds + 1);
      expect(readFileSync(join(dir, 'vpp.html'), 'utf8')).toMatch(
        /id="gridtier-charts">\{"title":"GridTier vpp simulate"/,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('refuses a fleet too small or an unknown goal, exit 2', () => {
    expect(cli('vpp', 'simulate', '--devices', '-3', '--goal', 'step', '--seconds', '620').status).toBe(2);
    const r = cli('vpp', 'simulate', '--devices', '100', '--goal', 'wobble', '--seconds', '620');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--goal must be one of step, ramp, regd, not "wobble"/);
  });
});

describe('gridtier hems simulate', () => {
  it('compares the four patterns and the contract choices on the same prices', () => {
    const r = cli('hems', 'simulate', '--households', '10', '--days', '2', '--seed', '3', '--format', 'json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.patterns).sort()).toEqual([
      'costAcceptance',
      'normal',
      'prediction',
      'priceAcceptance',
    ]);
    for (const p of Object.values(out.patterns) as { meanCostUsd: number }[])
      expect(Number.isFinite(p.meanCostUsd)).toBe(true);
    expect(out.contracts).toBeDefined();
    const again = cli(
      'hems',
      'simulate',
      '--households',
      '10',
      '--days',
      '2',
      '--seed',
      '3',
      '--format',
      'json',
    );
    expect(again.stdout).toBe(r.stdout);
  });

  it('refuses a household count that is not a positive integer, exit 2', () => {
    const r = cli('hems', 'simulate', '--households', '0', '--days', '2', '--seed', '3');
    expect(r.status).toBe(2);
  });
});

describe('gridtier simulate and replay', () => {
  /** a scenario on the example residential feeder with its first 60 prosumers, to keep the test short */
  const writeScenario = (dir: string, name?: string) => {
    const scenario = join(dir, 'day.json');
    const inventory = JSON.parse(
      readFileSync(join(root, 'examples/feeders/gridtier-residential/der.json'), 'utf8'),
    );
    writeFileSync(
      join(dir, 'der.json'),
      JSON.stringify({ ...inventory, prosumers: inventory.prosumers.slice(0, 60) }),
    );
    writeFileSync(
      scenario,
      JSON.stringify({
        ...(name ? { name } : {}),
        feeder: join(root, 'examples/feeders/gridtier-residential/master.dss'),
        inventory: 'der.json',
      }),
    );
    return scenario;
  };

  it('runs a day on the engine, writes its event log and report, and replay rebuilds the same summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridtier-day-'));
    try {
      const scenario = writeScenario(dir, 'test day');
      const out = join(dir, 'out');
      const r = cli('simulate', '--scenario', scenario, '--seed', '2', '--report', out, '--format', 'json');
      expect(r.status).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.seed).toBe(2);
      expect(s.settlement.sums).toEqual({ usd: 0, energy: 0, loyalty: 0 });
      expect(s.lem.realTime.statuses.optimal).toBeGreaterThan(0);
      expect(r.stderr).toMatch(/day-ahead LEM cleared/);
      const summary = readFileSync(join(out, 'summary.json'), 'utf8');
      expect(JSON.parse(summary)).toEqual(s);
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      // the dashboard's script and the day's data, in the page itself (it opens from disk)
      const data = JSON.parse(
        html.match(/<script type="application\/json" id="gridtier-day">(.*?)<\/script>/s)![1],
      );
      expect(data.summary).toEqual(s);
      expect(data.view.feeder.buses.length).toBeGreaterThan(100);
      expect(data.view.busVoltagesPu.filter(Boolean).length).toBe(s.grid.intervals);
      expect(html).toMatch(/<script>[\s\S]*GridTier/);
      const events = readFileSync(join(out, 'events.jsonl'), 'utf8').trim().split('\n');
      expect(events.length).toBe(s.events);
      expect(JSON.parse(events[0]).type).toBe('day.started');
      const again = cli(
        'replay',
        '--events',
        join(out, 'events.jsonl'),
        '--report',
        join(dir, 'replayed'),
        '--format',
        'json',
      );
      expect(again.status).toBe(0);
      expect(readFileSync(join(dir, 'replayed', 'summary.json'), 'utf8')).toBe(summary);
      expect(readFileSync(join(dir, 'replayed', 'index.html'), 'utf8')).toBe(html);
      expect(again.stdout).toBe(summary);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }, 240_000);

  it('refuses a log with a malformed line by its line number and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridtier-replay-'));
    try {
      const log = join(dir, 'events.jsonl');
      writeFileSync(
        log,
        '{"seq":1,"time":"2026-07-01T00:00:00.000Z","type":"day.started","actor":"engine","payload":{}}\n{"seq":2,"time":"soon","type":"x","actor":"y","payload":1}\n',
      );
      const r = cli('replay', '--events', log);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/events\.jsonl:2.*time/);
      writeFileSync(
        log,
        '{"seq":1,"time":"2026-07-01T00:00:00.000Z","type":"a","actor":"b","payload":1}\n{"seq":3,"time":"2026-07-01T00:00:00.000Z","type":"a","actor":"b","payload":1}\n',
      );
      expect(cli('replay', '--events', log).stderr).toMatch(/events\.jsonl:2: seq 3 does not follow 1/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('settles the day on the embedded EVM chain exactly as in memory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridtier-day-'));
    try {
      const scenario = writeScenario(dir);
      const memory = cli('simulate', '--scenario', scenario, '--format', 'json');
      const chain = cli('simulate', '--scenario', scenario, '--format', 'json', '--chain', 'embedded');
      expect(chain.status).toBe(0);
      expect(chain.stderr).toMatch(/settled embedded EVM chain/);
      const m = JSON.parse(memory.stdout).settlement;
      const c = JSON.parse(chain.stdout).settlement;
      expect(c).toEqual(m);
      expect(c.sums).toEqual({ usd: 0, energy: 0, loyalty: 0 });
      expect(c.deliveredWh).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }, 240_000);

  it('names the bad field of a scenario, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridtier-day-'));
    try {
      writeFileSync(
        join(dir, 'bad.json'),
        JSON.stringify({ feeder: 'f.dss', inventory: 'd.json', forecastErrorPct: -3 }),
      );
      const r = cli('simulate', '--scenario', join(dir, 'bad.json'));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/forecastErrorPct/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

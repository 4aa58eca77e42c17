// What a new user's mistakes get: a message naming the file and field or option, and the
// documented exit code, never a stack trace; output locations refused before any work.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = join(root, 'packages/cli/dist/main.js');
const cli = (args: string[], cwd = root) =>
  spawnSync(process.execPath, [main, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
const demo = join(root, 'examples/feeders/gridtier-demo/master.dss');
const damOrders = join(root, 'examples/feeders/gridtier-demo/orders-dam.json');
const shared = resolve(root, '..', 'shared');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridtier-refusals-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};
const refused = (r: ReturnType<typeof cli>, code: number, message: RegExp) => {
  expect(r.status, r.stderr).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
};

describe('orders files of the wrong shape', () => {
  it.each([
    ['an "order" field', { order: [] }, /orders: .*; \(root\): Unrecognized key: "order"|"order"/],
    ['a bare array', [{ id: 'a' }], /must hold a JSON object \(\{…\}\), not an array/],
    ['null', null, /must hold a JSON object \(\{…\}\), not null/],
    ['orders as an object', { orders: {} }, /orders: /],
    ['a gate closure that is not a number', { orders: [], gateClosure: 'noon' }, /gateClosure: /],
  ])('auction refuses %s, exit 1', (_, doc, message) => {
    const f = file('shape.json', doc);
    refused(cli(['auction', '--mechanism', 'uniform', '--orders', f]), 1, message);
  });

  it.each([
    ['a bare array', []],
    ['null', null],
    ['no orders', { market: 'dam' }],
  ])('lem clear refuses %s, exit 1', (_, doc) => {
    const f = file('lem-shape.json', doc);
    const r = cli(['lem', 'clear', '--feeder', demo, '--orders', f]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(f);
  });
});

describe('prices outside the market’s band and runs where every order is refused', () => {
  it('refuses auction orders above the price cap by id and exits 1 when none is left', () => {
    const f = file('capped.json', {
      orders: [
        { id: 'huge', side: 'buy', price: 1e308, quantity: 1 },
        { id: 'neg', side: 'sell', price: -1e9, quantity: 1 },
      ],
    });
    const r = cli(['auction', '--mechanism', 'uniform', '--orders', f]);
    refused(r, 1, /every order was refused \(2\)/);
    expect(r.stderr).toMatch(/rejected huge: price: 1e\+308 is above the market's price cap of 5/);
    expect(r.stderr).toMatch(/rejected neg: price: /);
  });

  it('refuses ISO prices outside the band naming the entry, and a CSV’s bad line by number', () => {
    const prices = file('iso.json', [30, 1e308, -1e9]);
    refused(
      cli([
        'lem',
        'clear',
        '--feeder',
        demo,
        '--orders',
        damOrders,
        '--market',
        'rtm',
        '--iso-prices',
        prices,
      ]),
      1,
      /isoPrices\.1: 1e\+308 \$\/MWh is above the price cap of 5000 \$\/MWh/,
    );
    const csv = file('iso.csv', 'interval,price\n0,30\n1,\n');
    refused(
      cli(['lem', 'clear', '--feeder', demo, '--orders', damOrders, '--iso-prices', csv]),
      1,
      new RegExp(`${csv}:3: "" is not a price`),
    );
    refused(
      cli(['lem', 'clear', '--feeder', demo, '--orders', damOrders, '--iso-prices', join(dir, 'none.csv')]),
      1,
      /--iso-prices .*none\.csv: no such file/,
    );
  });

  it('exits 1 when every LEM order is refused, listing each', () => {
    const f = file('all-bad.json', {
      market: 'rtm',
      orders: [
        { type: 'offer', id: 'o1', participant: 'p', bus: 'n1', steps: [{ price: 1e308, quantityKw: 10 }] },
        { type: 'bid', id: 'b1', participant: 'p', bus: 'n1', steps: [] },
      ],
    });
    const r = cli(['lem', 'clear', '--feeder', demo, '--orders', f]);
    refused(r, 1, /every order was refused \(2\)/);
    expect(r.stderr).toMatch(/rejected o1: steps\.0\.price: 1e\+308 \$\/MWh is above the price cap/);
  });
});

describe('output locations are checked before any work', () => {
  it('refuses an LP dump from the COIN-OR solver before clearing, naming --dump-model', () => {
    const out = join(dir, 'market.lp');
    const r = cli([
      'lem',
      'clear',
      '--feeder',
      demo,
      '--orders',
      damOrders,
      '--solver',
      'coin',
      '--dump-model',
      out,
    ]);
    refused(r, 2, /--dump-model .*market\.lp: --solver coin writes the model as MPS only/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses simulate --out naming a folder and --report naming a file at once', () => {
    const scenario = join(root, 'examples/scenarios/residential-day.json');
    const t0 = Date.now();
    refused(
      cli(['simulate', '--scenario', scenario, '--out', dir]),
      1,
      /--out .*: is a folder; --out takes a file name/,
    );
    const f = file('not-a-folder', 'x');
    refused(
      cli(['simulate', '--scenario', scenario, '--report', f]),
      1,
      /--report .*: is a file; --report takes a folder/,
    );
    // refused in the time of a start-up, not after a day's run
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('refuses simulate without exactly one of --scenario and --feeder, exit 2', () => {
    const scenario = join(root, 'examples/scenarios/residential-day.json');
    refused(cli(['simulate']), 2, /give either --scenario FILE\.json or --feeder FILE\.dss/);
    refused(
      cli(['simulate', '--scenario', scenario, '--feeder', demo]),
      2,
      /either --scenario .* or --feeder/,
    );
  });

  it('refuses a scenario that gives a feeder inventory mix beside an inventory file, naming both', () => {
    const f = file('mixed.json', {
      feeder: demo,
      inventory: 'der.json',
      feederInventory: { pvShare: 0.5 },
    });
    refused(
      cli(['simulate', '--scenario', f]),
      1,
      /mixed\.json: feederInventory: applies only to inventory "from-feeder", not to the inventory file "der\.json"/,
    );
  });

  it('refuses an inventory of a feeder without loads, naming the file', () => {
    const f = file(
      'no-loads.dss',
      'Clear\nNew Circuit.bare basekv=12.47 bus1=a\nNew Line.l bus1=a bus2=b\nSet voltagebases=[12.47]\nCalcVoltageBases\nSolve\n',
    );
    refused(cli(['inventory', '--feeder', f]), 1, /no-loads\.dss: no load to place a prosumer at/);
    const weak = file(
      'weak.dss',
      'Clear\nNew Circuit.weak basekv=12.47 bus1=a\nNew Line.l bus1=a bus2=b length=20 units=km\nNew Load.big bus1=b kv=12.47 kw=3000 pf=0.9\nSet voltagebases=[12.47]\nCalcVoltageBases\nSet MaxIterations=2\nSolve\n',
    );
    refused(
      cli(['simulate', '--feeder', weak]),
      1,
      /weak\.dss: the feeder's base power flow does not converge \(.*\); a script may raise its limit with Set MaxIterations=N/,
    );
    refused(
      cli(['inventory', '--feeder', demo, '--battery-share=-0.1']),
      2,
      /--battery-share must be from 0 to 1/,
    );
  });

  it('writes --out under folders it makes, leaving no temporary file', () => {
    const out = join(dir, 'made', 'deeper', 'volts.csv');
    const r = cli(['pf', '--feeder', demo, '--format', 'csv', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(join(dir, 'made', 'deeper'))).toEqual(['volts.csv']);
  });
});

describe('limits and sanity', () => {
  it('refuses a peer-to-peer scenario beyond the prosumer limit before it runs', () => {
    const f = file('huge-p2p.json', { vpps: 1_000_000 });
    refused(cli(['p2p', 'simulate', '--scenario', f]), 1, new RegExp(`${f}: vpps: `));
    const g = file('big-p2p.json', { vpps: 1000, microgridsPerVpp: 100, prosumersPerMicrogrid: 100 });
    refused(cli(['p2p', 'simulate', '--scenario', g]), 1, /at most 100000 prosumers/);
  });

  it('refuses a VPP run too short to score and a household run beyond its limit, exit 2', () => {
    refused(cli(['vpp', 'simulate', '--seconds', '600']), 2, /--seconds must be from 602 to 86400, not 600/);
    refused(cli(['hems', 'simulate', '--households', '100000', '--days', '3650']), 2, /at most 1,000,000/);
  });

  it('warns of buses without a voltage base and of an implausible operating point', () => {
    const script = (extra: string, kw: string) =>
      [
        'Clear',
        'New Circuit.t basekv=12.47 pu=1.0 phases=3 bus1=src',
        'New Line.l1 bus1=src bus2=b2 phases=3 length=1 units=km',
        `New Load.ld bus1=b2 phases=3 kv=12.47 kw=${kw} kvar=300`,
        extra,
        'Solve',
      ].join('\n');
    const nobase = file('nobase.dss', script('', '1000'));
    const r = cli(['pf', '--feeder', nobase]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: .*nobase\.dss: 2 of 2 buses have no voltage base/);
    const huge = file('huge.dss', script('Set VoltageBases=[12.47]\nCalcVoltageBases', '1e12'));
    const h = cli(['pf', '--feeder', huge, '--format', 'json']);
    expect(h.stderr).toMatch(/warning: .*huge\.dss: implausible operating point: 3 nodes below 0\.5 pu/);
    expect(JSON.parse(h.stdout).warnings.join('\n')).toMatch(/implausible operating point/);
  });
});

describe('gridtier validate', () => {
  it('refuses a missing or value-less --shared and unknown options without a stack', () => {
    refused(
      cli(['validate', '--shared', join(dir, 'nonexistent')]),
      1,
      /--shared .*nonexistent: no such folder/,
    );
    refused(cli(['validate', '--shared']), 2, /--shared needs a value \(DIR\)/);
    refused(cli(['validate', '--foo']), 2, /unknown option --foo/);
  });

  it.skipIf(!existsSync(join(shared, 'reference', 'opendss')))(
    'finds ../shared beside the repository from any working folder',
    () => {
      const elsewhere = join(dir, 'elsewhere');
      mkdirSync(elsewhere, { recursive: true });
      const r = cli(['validate', '--suite', 'ieee', '--format', 'json'], elsewhere);
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.skipped).toBe(false);
      expect(out.shared).toBe(shared);
      expect(out.cases.length).toBeGreaterThan(0);
    },
  );
});

describe('devices simulate', () => {
  it('refuses a broker that is not an MQTT URL, exit 2', () => {
    refused(
      cli(['devices', 'simulate', '--broker', 'http://127.0.0.1:1883']),
      2,
      /--broker http:.*expected mqtt:\/\/HOST:PORT/,
    );
  });
  it('refuses a drop-out in a run too short to see it, exit 2', () => {
    refused(
      cli(['devices', 'simulate', '--count', '10', '--seconds', '100', '--drop', '0.1']),
      2,
      /--drop needs --seconds 270/,
    );
  });
  it('names a broker nobody listens on, exit 1', () => {
    refused(
      cli(['devices', 'simulate', '--count', '10', '--broker', 'mqtt://127.0.0.1:1']),
      1,
      /broker mqtt:\/\/127.0.0.1:1: cannot connect/,
    );
  });
});

describe('feeder-engine refusals', () => {
  it.each([
    [
      ['--bus', 'http://127.0.0.1:4222', '--feeder', 'f1'],
      2,
      /--bus http:\/\/127\.0\.0\.1:4222: expected a NATS server/,
    ],
    [['--bus', 'nats://127.0.0.1:4222', '--feeder', 'f.1'], 2, /--feeder f\.1: expected 1 to 64 letters/],
    [['--bus', 'nats://127.0.0.1:4222', '--feeder', 'f1', '--prefix', 'a b'], 2, /--prefix a b: expected/],
    [['--feeder', 'f1'], 2, /--bus URL is required/],
    // nothing listens on port 1: refused naming the URL, before any folder is made
    [
      ['--bus', 'nats://127.0.0.1:1', '--feeder', 'f1', '--data', 'NOPE'],
      1,
      /--bus nats:\/\/127\.0\.0\.1:1: cannot connect to NATS/,
    ],
  ])('%s', (args, code, message) => {
    const data = join(dir, 'feeder-data');
    const r = cli(['feeder-engine', ...args.map((a) => (a === 'NOPE' ? data : a))]);
    refused(r, code, message);
    expect(existsSync(data)).toBe(false);
  });
});

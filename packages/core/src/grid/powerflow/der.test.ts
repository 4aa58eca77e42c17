import { describe, expect, it } from 'vitest';
import {
  type MonitorObj,
  memoryHost,
  type PVSystemObj,
  pvOutput,
  pvSystemClass,
  type StorageObj,
  storageClass,
  storageOutput,
  storageTrigger,
  updateStorage,
} from '../dss/index.js';
import { runScript } from './run-script.js';

const run = (text: string) => runScript(memoryHost({ 'main.dss': text }), 'main.dss');

const feeder = (element: string) => `Clear
New Circuit.t basekv=12.47 pu=1.0 phases=3 bus1=src MVAsc3=200 MVAsc1=180
New Line.l1 bus1=src bus2=a r1=0.3 x1=0.6 r0=0.6 x0=1.8 c1=0 c0=0 length=2
New Load.base bus1=a phases=3 kv=12.47 kw=2000 kvar=800
${element}
Set voltagebases=[12.47]
CalcVoltageBases
Set tolerance=1e-9
Solve`;

const busA = (text: string) =>
  run(text)
    .result!.voltages.filter((v) => v.bus === 'a')
    .map((v) => v.vmagV);

describe('Generator', () => {
  it('model 1 injects exactly what a load drawing the negative power with its voltage band draws', () => {
    const gen = busA(feeder('New Generator.g bus1=a phases=3 kv=12.47 kw=1500 kvar=400'));
    const negativeLoad = busA(
      feeder('New Load.g bus1=a phases=3 kv=12.47 kw=-1500 kvar=-400 vminpu=0.9 vmaxpu=1.1'),
    );
    for (const [i, v] of gen.entries()) expect(v).toBeCloseTo(negativeLoad[i], 6);
  });

  it('delivers its kW: the source supplies the load less the generation plus losses', () => {
    const r = run(feeder('New Generator.g bus1=a phases=3 kv=12.47 kw=1500 pf=1')).result!;
    const sourceKw = r.substation.reduce((s, p) => s + p.kw, 0);
    expect(sourceKw).toBeCloseTo(2000 - 1500 + r.lossesKw, 3);
  });

  it('keeps the power factor when kW changes after kvar (OpenDSS recomputes kvar from pf)', () => {
    const a = busA(feeder('New Generator.g bus1=a kv=12.47 kw=600 kvar=300\n~ kw=1200'));
    const b = busA(feeder('New Generator.g bus1=a kv=12.47 kw=1200 kvar=300'));
    const c = busA(feeder('New Generator.g bus1=a kv=12.47 kw=1200 kvar=600'));
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(c[i], 6);
      expect(Math.abs(v - b[i])).toBeGreaterThan(0.1);
    });
  });

  it('refuses the machine and user-written models with file and line', () => {
    expect(() => run(feeder('New Generator.g bus1=a kv=12.47 kw=100 model=6'))).toThrow(
      /main\.dss:5: Generator model=6 \(a user-written model \(a Windows DLL\)\) is not supported/,
    );
    expect(() => run(feeder('New Generator.g bus1=a kv=12.47 kw=100 model=7'))).toThrow(
      /main\.dss:5: Generator model=7 .* is not supported/,
    );
  });

  describe('model 3 (constant kW, |V| held by the vars)', () => {
    // the var iteration takes a tenth of its estimated step each time: OpenDSS's scripts raise maxiterations
    const slow = (element: string) => feeder(element).replace('Solve', 'Set maxiterations=1000\nSolve');
    const model3 = (extra: string) =>
      run(slow(`New Generator.g bus1=a phases=3 kv=12.47 kw=1500 model=3 ${extra}`)).result!;
    const puA = (r: ReturnType<typeof model3>) =>
      r.voltages.filter((v) => v.bus === 'a').map((v) => v.vmagV / ((12470 / Math.sqrt(3)) * 1));

    it('holds the average phase voltage at vpu within the var limits', () => {
      const r = model3('vpu=1.02 maxkvar=5000 minkvar=-5000');
      const v = puA(r);
      expect(v.reduce((s, x) => s + x, 0) / 3).toBeCloseTo(1.02, 5);
      const sourceKw = r.substation.reduce((s, p) => s + p.kw, 0);
      expect(sourceKw).toBeCloseTo(2000 - 1500 + r.lossesKw, 3);
    });

    it('stops at the var limit when the target is out of reach', () => {
      const held = puA(model3('vpu=1.02 maxkvar=5000 minkvar=-5000'));
      const limited = puA(model3('vpu=1.02 maxkvar=300 minkvar=-300'));
      const fixed = busA(feeder('New Generator.g bus1=a phases=3 kv=12.47 kw=1500 kvar=300'));
      expect(limited[0]).toBeLessThan(held[0] - 0.001);
      for (const [i, v] of limited.entries()) expect(v * (12470 / Math.sqrt(3))).toBeCloseTo(fixed[i], 3);
    });

    it('starts afresh after Set mode, as OpenDSS re-initializes the solution; continues otherwise', () => {
      const script = slow(
        'New Generator.g bus1=a phases=3 kv=12.47 kw=1500 model=3 vpu=1.02 maxkvar=5000 minkvar=-5000',
      );
      const first = run(script).result!.iterations;
      expect(first).toBeGreaterThan(10);
      expect(run(`${script}\nSet mode=snapshot\nSolve`).result!.iterations).toBe(first);
      expect(run(`${script}\nSolve`).result!.iterations).toBeLessThan(first);
    });

    it('absorbs vars to pull a high voltage down', () => {
      const v = puA(model3('vpu=0.97 maxkvar=5000 minkvar=-5000'));
      expect(v.reduce((s, x) => s + x, 0) / 3).toBeCloseTo(0.97, 5);
    });

    it('takes ±2× the kvar of kW and pf as its limits when kW is set after them', () => {
      // maxkvar given first is reset by kw=, as OpenDSS resets it: 2·1500·tan(acos 0.88) ≈ 1619 kvar
      const g = 'New Generator.g bus1=a phases=3 kv=12.47';
      const reset = puA(run(slow(`${g} maxkvar=300 minkvar=-300 kw=1500 model=3 vpu=1.02`)).result!);
      const defaults = puA(run(slow(`${g} kw=1500 model=3 vpu=1.02`)).result!);
      const given = puA(run(slow(`${g} kw=1500 maxkvar=300 minkvar=-300 model=3 vpu=1.02`)).result!);
      reset.forEach((v, i) => {
        expect(v).toBeCloseTo(defaults[i], 9);
        expect(Math.abs(v - given[i])).toBeGreaterThan(1e-3);
      });
    });
  });
});

describe('PVSystem', () => {
  const pv = (props: Partial<PVSystemObj>): PVSystemObj => ({
    ...pvSystemClass.create('p', {}),
    ...props,
  });

  it('gives irradiance × Pmpp within %Pmpp, and nothing below the cut-out', () => {
    expect(pvOutput(pv({ pmppKw: 400, irradiance: 0.5 }))).toEqual({ kw: 200, kvar: 0 });
    expect(pvOutput(pv({ pmppKw: 400, pctPmpp: 40 })).kw).toBe(160);
    expect(pvOutput(pv({ pmppKw: 400, irradiance: 0.2, pctCutOut: 20 })).kw).toBe(0);
  });

  it('keeps within its kVA, reactive power first unless watts have priority', () => {
    const q = pv({ pmppKw: 500, kva: 500, varMode: 'kvar', kvarRequested: 300 });
    expect(pvOutput(q).kvar).toBe(300);
    expect(pvOutput(q).kw).toBeCloseTo(400, 9);
    const w = pvOutput({ ...q, wattPriority: true });
    expect(w).toEqual({ kw: 500, kvar: 0 });
    const pf = pvOutput(pv({ pmppKw: 500, kva: 500, pf: 0.9, pfPriority: true }));
    expect(pf.kw).toBeCloseTo(450, 9);
    expect(pf.kvar / pf.kw).toBeCloseTo(Math.sqrt(1 / 0.81 - 1), 9);
  });

  it('limits kvar to kvarMax and kvarMaxAbs', () => {
    expect(pvOutput(pv({ varMode: 'kvar', kvarRequested: 200, kvarMax: 100 })).kvar).toBe(100);
    expect(pvOutput(pv({ varMode: 'kvar', kvarRequested: -200, kvarMaxAbs: 50 })).kvar).toBe(-50);
  });

  it('enters the power flow as generation', () => {
    const r = run(feeder('New PVSystem.p bus1=a phases=3 kv=12.47 kva=1000 pmpp=900 irradiance=1')).result!;
    const sourceKw = r.substation.reduce((s, p) => s + p.kw, 0);
    expect(sourceKw).toBeCloseTo(2000 - 900 + r.lossesKw, 3);
  });
});

describe('Storage', () => {
  const unit = (props: Partial<StorageObj>): StorageObj => ({
    ...storageClass.create('s', {}),
    kwRated: 100,
    kva: 100,
    kvarMax: 100,
    kvarMaxAbs: 100,
    kwhRated: 400,
    kwhStored: 400,
    ...props,
  });

  it('discharges at %Discharge of kWrated, charges at %Charge, and idles drawing %IdlingkW', () => {
    expect(storageOutput(unit({ state: 'discharging', pctDischarge: 50 })).kw).toBe(50);
    expect(storageOutput(unit({ state: 'charging', kwhStored: 100, pctCharge: 80 })).kw).toBe(-80);
    expect(storageOutput(unit({ state: 'idling', pctIdlingKw: 2 })).kw).toBe(-2);
    // a full unit cannot charge, one at its reserve cannot discharge
    const full = unit({ state: 'charging' });
    expect(storageOutput(full).kw).toBe(-1);
    expect(full.state).toBe('idling');
    expect(storageOutput(unit({ state: 'discharging', kwhStored: 80 })).kw).toBe(-1);
  });

  it('keeps kW and kvar within the kVA, reactive power first', () => {
    const out = storageOutput(unit({ state: 'discharging', varMode: 'kvar', kvarRequested: 60 }));
    expect(out.kvar).toBe(60);
    expect(out.kw).toBeCloseTo(80, 9);
  });

  it('switches on the shape against the triggers (dispmode=default) or follows it', () => {
    const o = unit({ dischargeTrigger: 0.9, chargeTrigger: 0.2, chargeTimeHour: 0 });
    storageTrigger(o, 0.95, 12, 1);
    expect(o.state).toBe('discharging');
    storageTrigger(o, 0.5, 12, 1);
    expect(o.state).toBe('idling');
    o.kwhStored = 200;
    storageTrigger(o, 0.1, 12, 1);
    expect(o.state).toBe('charging');
    const f = unit({ dispatch: 'follow' });
    storageTrigger(f, 0.3, 12, 1);
    expect(f.state).toBe('discharging');
    expect(storageOutput(f, 0.3).kw).toBeCloseTo(30, 9);
  });

  it('integrates the stored energy through the efficiencies and stops at the reserve', () => {
    const o = unit({ state: 'discharging', pctEffDischarge: 90, pctIdlingKw: 1 });
    updateStorage(o, 100, 0.5);
    // (100 kW + 1 kW idling) / 0.9 for half an hour
    expect(o.kwhStored).toBeCloseTo(400 - (101 / 0.9) * 0.5, 9);
    updateStorage(o, 100, 3);
    expect(o.kwhStored).toBe(80);
    expect(o.state).toBe('idling');
    const c = unit({ state: 'charging', kwhStored: 100, pctEffCharge: 90 });
    updateStorage(c, -50, 1);
    expect(c.kwhStored).toBeCloseTo(100 + (50 - 1) * 0.9, 9);
  });

  it('enters the power flow as generation and follows its duty shape in a duty cycle', () => {
    const storage =
      'New Storage.s bus1=a phases=3 kv=12.47 kwrated=500 kwhrated=1000 dischargetrigger=0.5 duty=d %idlingkw=0';
    const snap = run(feeder(`${storage} state=discharging`)).result!;
    const sourceKw = snap.substation.reduce((s, p) => s + p.kw, 0);
    expect(sourceKw).toBeCloseTo(2000 - 500 + snap.lossesKw, 3);
    const r = run(
      feeder(`New LoadShape.d npts=4 sinterval=1 mult=(0 1 1 0)\n${storage}
New Monitor.m element=Line.l1 terminal=1 mode=1 ppolar=no`).replace(
        'Solve',
        'Solve mode=duty number=4 stepsize=1s',
      ),
    );
    const rows = r.state.get<MonitorObj>('Monitor', 'm')!.record.rows;
    const p = rows.map((row) => row[2] + row[4] + row[6]);
    // idle (no idling loss here), discharging 500 kW for two seconds, idle again
    expect(p[0] - p[1]).toBeGreaterThan(490);
    expect(p[1]).toBeCloseTo(p[2], 3);
    expect(p[3]).toBeCloseTo(p[0], 3);
    const s = r.state.get<StorageObj>('Storage', 's')!;
    expect(s.kwhStored).toBeLessThan(1000 - (2 * 500) / 3600 / 0.9 + 0.01);
  });
});

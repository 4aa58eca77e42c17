import { describe, expect, it } from 'vitest';
import { type MonitorObj, memoryHost, type PVSystemObj, pvOutput } from '../dss/index.js';
import { XyCurve } from '../model/index.js';
import { runScript } from './run-script.js';

const run = (text: string) => runScript(memoryHost({ 'main.dss': text }), 'main.dss');

const curveX = [0.5, 0.97, 1.0, 1.04, 1.5];
const curveY = [1, 1, 0, -1, -1];

const feeder = (control: string, sourcePu = 1.03) => `Clear
New Circuit.t basekv=12.47 pu=${sourcePu} phases=3 bus1=src MVAsc3=200 MVAsc1=180
New Line.l1 bus1=src bus2=a r1=0.3 x1=0.6 r0=0.6 x0=1.8 length=3 units=km
New Load.base bus1=a phases=3 kv=12.47 kw=800 kvar=200
New PVSystem.pv bus1=a phases=3 kv=12.47 kva=1200 pmpp=1100 irradiance=1 pf=1
New XYcurve.vvc npts=5 Xarray=[${curveX.join(' ')}] Yarray=[${curveY.join(' ')}]
${control}
Set voltagebases=[12.47]
CalcVoltageBases
Solve`;

/** the PV system's mean phase voltage (pu of 7.2 kV) and its vars after the solve */
function pvState(text: string) {
  const r = run(text);
  const pv = r.state.get<PVSystemObj>('PVSystem', 'pv')!;
  const v = r.result!.voltages.filter((x) => x.bus === 'a');
  const vPu = v.reduce((s, x) => s + x.vmagV, 0) / v.length / ((12.47 * 1000) / Math.sqrt(3));
  return { r, pv, vPu, out: pvOutput(pv) };
}

describe('InvControl volt-var', () => {
  it('absorbs vars on a high voltage, and stops within VarChangeTolerance of the curve', () => {
    const { r, vPu, out } = pvState(feeder('New InvControl.ic mode=voltvar vvc_curve1=vvc'));
    const headroom = Math.sqrt(1200 ** 2 - out.kw ** 2);
    const onCurve = new XyCurve(Float64Array.from(curveX), Float64Array.from(curveY)).yAt(vPu);
    expect(out.kvar).toBeLessThan(-50);
    // the last action aimed at the curve at a voltage within VoltageChangeTolerance of this one
    expect(Math.abs(Math.abs(out.kvar / headroom) - Math.abs(onCurve))).toBeLessThan(0.025 + 25 * 1e-4);
    expect(r.result!.controlIterations).toBeGreaterThan(2);
  });

  it('gives vars on a low voltage', () => {
    const { out } = pvState(feeder('New InvControl.ic mode=voltvar vvc_curve1=vvc', 0.96));
    expect(out.kvar).toBeGreaterThan(50);
  });

  it('controls every PV system of the circuit when no DER list is given, and none when disabled', () => {
    const listed = pvState(feeder('New InvControl.ic DERList=[PVSystem.pv] mode=voltvar vvc_curve1=vvc'));
    const all = pvState(feeder('New InvControl.ic mode=voltvar vvc_curve1=vvc'));
    const off = pvState(feeder('New InvControl.ic mode=voltvar vvc_curve1=vvc enabled=no'));
    expect(all.out.kvar).toBeCloseTo(listed.out.kvar, 9);
    expect(off.out.kvar).toBe(0);
  });

  it('reads the curve the same from x,y pairs as from separate arrays', () => {
    const pairs = curveX.map((x, i) => `${x} ${curveY[i]}`).join(' ');
    const a = pvState(feeder('New InvControl.ic mode=voltvar vvc_curve1=vvc'));
    const b = pvState(
      feeder(`New XYcurve.vvc2 npts=5 Points=[${pairs}]\nNew InvControl.ic mode=voltvar vvc_curve1=vvc2`),
    );
    expect(b.out.kvar).toBeCloseTo(a.out.kvar, 9);
  });

  it('a larger fixed step (deltaQ_factor) reaches the curve in fewer control iterations', () => {
    const step = (f: number) =>
      pvState(
        feeder(`New InvControl.ic mode=voltvar vvc_curve1=vvc deltaQ_factor=${f}\nSet maxcontroliter=100`),
      ).r.result!.controlIterations;
    expect(step(0.5)).toBeLessThan(step(0.2));
    expect(step(0.2)).toBeLessThan(step(0.1));
  });

  it('refuses what it does not model, naming the control line', () => {
    const refused = [
      ['New InvControl.ic mode=wattpf', /main\.dss:7 InvControl\.ic: mode=wattpf .*is not supported/],
      [
        'New XYcurve.big npts=2 Xarray=[1 1.1] Yarray=[1.2 0]\nNew InvControl.ic mode=voltwatt voltwatt_curve=big',
        /main\.dss:8 InvControl\.ic: XYcurve\.big has kW limits beyond/,
      ],
      ['New InvControl.ic combimode=vv_vw', /main\.dss:7 InvControl\.ic: combimode=vv_vw/],
      ['New InvControl.ic vvc_curve1=vvc', /main\.dss:7 InvControl\.ic: an InvControl without mode=/],
      ['New InvControl.ic mode=voltvar vvc_curve1=vvc monbus=[a]', /main\.dss:7 .*monbus is not supported/],
      ['New InvControl.ic mode=voltvar vvc_curve1=vvc voltage_curvex_ref=avg', /voltage_curvex_ref=avg/],
      ['New InvControl.ic mode=voltvar vvc_curve1=vvc RateofChangeMode=LPF', /rateofchangemode=lpf/],
      ['New InvControl.ic mode=voltvar', /main\.dss:7 InvControl\.ic: vvc_curve1 names no XYcurve/],
    ] as const;
    for (const [control, message] of refused) expect(() => run(feeder(control)), control).toThrow(message);
    expect(() => run(feeder('New InvControl.ic mode=voltvar vvc_curve1=nothere'))).toThrow(/nothere/);
    expect(() => run(feeder('New InvControl.ic DERList=[Load.base] mode=voltvar vvc_curve1=vvc'))).toThrow(
      /main\.dss:7.*"Load.base" is not a PVSystem or Storage element/,
    );
  });

  it('refuses hysteresis in a time series, where it follows the voltage between steps', () => {
    const text = feeder('New InvControl.ic mode=voltvar vvc_curve1=vvc hysteresis_offset=-0.01').replace(
      'Solve',
      'Set mode=daily number=2 stepsize=1h\nSolve',
    );
    expect(() => run(text)).toThrow(/main\.dss:7 InvControl\.ic: hysteresis_offset=-0.01 in mode=daily/);
  });
});

/**
 * The PV system behind a line of its own, whose far-end monitors read its output and voltage at
 * every step. No published reference runs an InvControl in a time series: these follow OpenDSS's
 * InvControl (UpdateInvControl at the end of each step) and PVSystem (the step's shape factor).
 */
const seriesFeeder = (control: string, tail: string, sourcePu: number, pv: string, shape: string) => `Clear
New Circuit.t basekv=12.47 pu=${sourcePu} phases=3 bus1=src MVAsc3=200 MVAsc1=180
New Line.l1 bus1=src bus2=a r1=0.3 x1=0.6 r0=0.6 x0=1.8 length=3 units=km
New Line.lpv bus1=a bus2=p r1=0.001 x1=0.001 r0=0.001 x0=0.001 c1=0 c0=0 length=1
New Load.base bus1=a phases=3 kv=12.47 kw=800 kvar=200
New LoadShape.irr npts=4 interval=1 mult=(${shape})
New PVSystem.pv bus1=p phases=3 kv=12.47 ${pv} irradiance=1 pf=1 daily=irr yearly=irr
New XYcurve.vvc npts=5 Xarray=[${curveX.join(' ')}] Yarray=[${curveY.join(' ')}]
New XYcurve.vwc npts=4 Xarray=[0.5 1.05 1.1 1.5] Yarray=[1 1 0.2 0.2]
${control}
New Monitor.pvp element=Line.lpv terminal=2 mode=1 ppolar=no
New Monitor.pvv element=Line.lpv terminal=2 mode=0
Set voltagebases=[12.47]
CalcVoltageBases
${tail}`;

/** per step: the PV system's kW and kvar (all phases) and its mean phase voltage in pu */
function pvSteps(r: ReturnType<typeof run>) {
  const p = r.state.get<MonitorObj>('Monitor', 'pvp')!.record.rows;
  const v = r.state.get<MonitorObj>('Monitor', 'pvv')!.record.rows;
  return p.map((row, s) => ({
    kw: row[2] + row[4] + row[6],
    kvar: row[3] + row[5] + row[7],
    vPu: (v[s][2] + v[s][4] + v[s][6]) / 3 / ((12.47 * 1000) / Math.sqrt(3)),
  }));
}

describe('InvControl in a time series', () => {
  it('volt-var: every step ends on the curve, in per unit of the headroom that step’s irradiance leaves', () => {
    const r = run(
      seriesFeeder(
        'New InvControl.ic mode=voltvar vvc_curve1=vvc',
        'Set mode=daily number=4\nSolve',
        1.03,
        'kva=1200 pmpp=1100',
        '1 0.5 0.3 0.9',
      ),
    );
    const curve = new XyCurve(Float64Array.from(curveX), Float64Array.from(curveY));
    const steps = pvSteps(r);
    expect(steps.map((s) => Math.round(s.kw))).toEqual([1100, 550, 330, 990]);
    for (const s of steps) {
      const headroom = Math.sqrt(1200 ** 2 - s.kw ** 2);
      expect(s.kvar).toBeLessThan(-100);
      expect(Math.abs(s.kvar / headroom - curve.yAt(s.vPu))).toBeLessThan(0.025 + 25 * 1e-4);
    }
  });

  it('volt-watt lets go at the end of each step: the next starts from full power, as a snapshot does', () => {
    const text = (tail: string) =>
      seriesFeeder(
        'New InvControl.ic mode=voltwatt voltwatt_curve=vwc deltaP_factor=0.5',
        tail,
        1.05,
        'kva=2200 pmpp=2000',
        '1 1 1 1',
      );
    const snapshot = run(text('Solve'));
    const series = run(text('Set mode=yearly number=2\nSolve'));
    const [first, second] = pvSteps(series);
    expect(first.kw).toBeLessThan(1900);
    // kept at the first step's cap, the second would start there and settle elsewhere in fewer iterations
    expect(Math.abs(second.kw - first.kw)).toBeLessThan(0.01);
    expect(series.result!.controlIterations).toBe(snapshot.result!.controlIterations);
    // and after the run the PV system is out of volt-watt mode, as OpenDSS leaves it
    expect(pvOutput(series.state.get<PVSystemObj>('PVSystem', 'pv')!).kw).toBe(2000);
  });
});

describe('InvControl volt-watt', () => {
  const vw = (control: string, sourcePu = 1.05) =>
    feeder(
      `New XYcurve.vwc npts=4 Xarray=[0.5 1.05 1.1 1.5] Yarray=[1 1 0.2 0.2]\n${control}`,
      sourcePu,
    ).replace('kva=1200 pmpp=1100', 'kva=2200 pmpp=2000');

  it('caps the PV power on a high voltage, and stops within ActivePChangeTolerance of the curve', () => {
    const { vPu, out } = pvState(vw('New InvControl.ic mode=voltwatt voltwatt_curve=vwc'));
    const onCurve = new XyCurve(Float64Array.of(0.5, 1.05, 1.1, 1.5), Float64Array.of(1, 1, 0.2, 0.2)).yAt(
      vPu,
    );
    expect(out.kw).toBeLessThan(1900);
    // Pmpp is the base: the cap is the curve's value at a voltage within VoltageChangeTolerance
    expect(Math.abs(out.kw / 2000 - onCurve)).toBeLessThan(0.01 + 16 * 1e-4);
  });

  it('leaves the power alone below the knee of the curve', () => {
    const { out } = pvState(vw('New InvControl.ic mode=voltwatt voltwatt_curve=vwc', 0.98));
    expect(out.kw).toBeCloseTo(2000, 9);
  });

  it('keeps the power factor the PV system was given', () => {
    const { out } = pvState(
      vw('New InvControl.ic mode=voltwatt voltwatt_curve=vwc').replace('pf=1', 'pf=0.95'),
    );
    expect(out.kvar / Math.hypot(out.kw, out.kvar)).toBeCloseTo(Math.sqrt(1 - 0.95 ** 2), 9);
  });
});

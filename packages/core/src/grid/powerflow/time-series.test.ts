import { describe, expect, it } from 'vitest';
import {
  type CapacitorObj,
  type LoadShapeObj,
  type MonitorObj,
  memoryHost,
  monitorCsv,
  shapeAt,
  type TransformerObj,
} from '../dss/index.js';
import { runScript } from './run-script.js';

const run = (text: string) => runScript(memoryHost({ 'main.dss': text }), 'main.dss');

const feeder = `Clear
New Circuit.t basekv=12.47 pu=1.0 phases=3 bus1=src MVAsc3=2000 MVAsc1=2000
New Line.l1 bus1=src bus2=a r1=0.01 x1=0.02 r0=0.03 x0=0.06 c1=0 c0=0 length=1
New LoadShape.s npts=4 interval=1 mult=(1 0.5 0.25 0.75)
New Load.a bus1=a phases=3 kv=12.47 kw=900 pf=1 yearly=s model=2
New Monitor.head element=Line.l1 terminal=1 mode=1 ppolar=no
New Monitor.end element=Line.l1 terminal=2 mode=0
Set voltagebases=[12.47]
CalcVoltageBases
Set tolerance=1e-10
`;

describe('time series', () => {
  it('steps the clock first, follows the yearly shape (repeating) and samples every monitor', () => {
    const r = run(`${feeder}Set mode=yearly number=6\nSolve`);
    const head = r.state.get<MonitorObj>('Monitor', 'head')!.record;
    expect(head.header).toEqual(['P1 (kW)', 'Q1 (kvar)', 'P2 (kW)', 'Q2 (kvar)', 'P3 (kW)', 'Q3 (kvar)']);
    expect(head.rows.map((row) => row[0])).toEqual([1, 2, 3, 4, 5, 6]);
    // hours 1..6 take points 1, 2, 3, 4, then 1, 2 again; a constant impedance draws P ∝ mult·V²
    const p = head.rows.map((row) => row[2] + row[4] + row[6]);
    const mult = [1, 0.5, 0.25, 0.75, 1, 0.5];
    p.forEach((x, i) => {
      expect(x / p[0]).toBeCloseTo(mult[i] / mult[0], 2);
    });
    expect(p[4]).toBeCloseTo(p[0], 9);
    const end = r.state.get<MonitorObj>('Monitor', 'end')!.record;
    expect(end.header.slice(0, 2)).toEqual(['V1', 'VAngle1']);
    expect(end.rows[0][2]).toBeGreaterThan(7000);
    expect(monitorCsv(r.state.get<MonitorObj>('Monitor', 'head')!).split('\n')[0]).toBe(
      'hour,t(sec),P1 (kW),Q1 (kvar),P2 (kW),Q2 (kvar),P3 (kW),Q3 (kvar)',
    );
    // the clock stays where the run ended
    expect(r.state.options.clock.hour).toBe(6);
  });

  it('reads stepsize with units and keeps seconds within the hour', () => {
    const r = run(`${feeder}Set mode=yearly number=3 stepsize=30m\nSolve`);
    const rows = r.state.get<MonitorObj>('Monitor', 'head')!.record.rows;
    expect(rows.map((row) => [row[0], row[1]])).toEqual([
      [0, 1800],
      [1, 0],
      [1, 1800],
    ]);
  });

  it('lets a regulator act on the clock in a duty cycle: the first tap after delay, then one per tapdelay', () => {
    // vreg 126 V on a 120 V PT secondary wants 5 % boost, eight taps of 0.625 %
    const withReg = `${feeder.replace('New Line.l1', 'New Transformer.r phases=3 windings=2 buses=[src a0] conns=[wye wye] kvs=[12.47 12.47] kvas=[5000 5000] xhl=0.01\nNew RegControl.r transformer=r winding=2 vreg=126 band=1 ptratio=60 delay=5 tapdelay=2\nNew Line.l1').replace('bus1=src bus2=a', 'bus1=a0 bus2=a')}`;
    const tapsAfter = (script: string) => {
      const t = run(script).state.get<TransformerObj>('Transformer', 'r')!;
      return Math.round((t.windings[1].tap - 1) / 0.00625);
    };
    const duty = (n: number) => tapsAfter(`${withReg}Set mode=duty number=${n}\nSolve`);
    // sampled out of band at t = 1 s: the change is due at 6 s, the next taps at 8 and 10 s
    expect([5, 6, 7, 8, 10].map(duty)).toEqual([0, 1, 1, 2, 3]);
    // static control moves all the way within one step
    expect(tapsAfter(`${withReg}Set mode=duty number=1 controlmode=static\nSolve`)).toBe(8);
    // one Solve per step keeps the clock and the queued change, as OpenDSS keeps its control queue
    const oneByOne = (n: number) => tapsAfter(`${withReg}Set mode=duty number=1\n${'Solve\n'.repeat(n)}`);
    expect([5, 6, 8].map(oneByOne)).toEqual([0, 1, 2]);
  });

  describe('a capacitor control on the clock (no published reference has one: expectations from OpenDSS CapControl.Sample/DoPendingAction)', () => {
    // a 600-kvar bank at the load, open at the start; the line's kvar at its source end decides
    const withCap = (control: string, shape: string) =>
      `${feeder.replace('New Load.a', `${shape}\nNew Load.a`).replace('kw=900 pf=1 yearly=s', 'kw=1000 kvar=1000 duty=d daily=d')}
New Capacitor.c bus1=a phases=3 kv=12.47 kvar=600 states=[0]
New CapControl.c capacitor=c element=Line.l1 terminal=1 ${control}
`;
    const closedAfter = (script: string) => run(script).state.get<CapacitorObj>('Capacitor', 'c')!.states[0];

    it('waits delay to close, delayoff to open, and the rest of the dead time before closing again', () => {
      // seconds 1-10 at full load (about 1000 kvar > 800: close), 11-15 at half (about -100 kvar
      // with the bank in, < 200: open), then full again
      const mult = [...Array(10).fill(1), ...Array(5).fill(0.5), ...Array(25).fill(1)];
      const script = withCap(
        'type=kvar onsetting=800 offsetting=200 delay=5 delayoff=3 deadtime=10',
        `New LoadShape.d npts=${mult.length} sinterval=1 mult=(${mult.join(' ')})`,
      );
      const duty = (n: number) => closedAfter(`${script}Set mode=duty number=${n}\nSolve`);
      // armed at t = 1 s, closes at 6; armed to open at 11, opens at 14; armed again at 16, when
      // 2 s of the 10-s dead time have passed: closes after max(5, 10 + 5 − 2) = 13 s, at 29
      expect([5, 6, 13, 14, 21, 28, 29, 30].map(duty)).toEqual([0, 1, 1, 0, 0, 0, 1, 1]);
      // static control acts within the step it sees the need
      expect(closedAfter(`${script}Set mode=duty number=1 controlmode=static\nSolve`)).toBe(1);
      // stepping one Solve at a time, the armed action and the last opening carry over
      const oneByOne = (n: number) => closedAfter(`${script}Set mode=duty number=1\n${'Solve\n'.repeat(n)}`);
      expect([5, 6, 14, 28, 29].map(oneByOne)).toEqual([0, 1, 0, 0, 1]);
    });

    it('starts as if the bank opened 300 s before the clock began, whatever the dead time, until reset=yes', () => {
      const flat = 'New LoadShape.d npts=1 sinterval=1 mult=(1)';
      const duty = (control: string, n: number) =>
        closedAfter(
          `${withCap(`type=kvar onsetting=800 offsetting=200 delay=5 ${control}`, flat)}Set mode=duty number=${n}\nSolve`,
        );
      // armed at t = 1 s, 301 s into a 600-s dead time: closes after max(5, 600 + 5 − 301) = 304 s
      expect([304, 305].map((n) => duty('deadtime=600', n))).toEqual([0, 1]);
      // reset=yes forgets the last opening by the dead time in force: no wait beyond the delay
      expect([5, 6].map((n) => duty('deadtime=600 reset=yes', n))).toEqual([0, 1]);
    });

    it('type=pf closes only while the vars exceed pctminkvar of the bank (OpenDSS: not too far leading)', () => {
      // about 140 kvar at pf 0.82 through the line: below 50 % of a 300-kvar bank, above 20 %;
      // closed, the line carries about 160 kvar leading, inside offsetting=-0.7
      const snapshot = (control: string) =>
        closedAfter(
          `${withCap(
            `type=pf onsetting=0.95 offsetting=-0.7 delay=0 ${control}`,
            'New LoadShape.d npts=1 interval=1 mult=(1)',
          )
            .replace('kw=1000 kvar=1000', 'kw=200 kvar=140')
            .replace('kvar=600', 'kvar=300')}Solve`,
        );
      expect(snapshot('')).toBe(0);
      expect(snapshot('pctminkvar=20')).toBe(1);
    });

    it('type=time follows the hour of day, in daily steps as in a duty cycle', () => {
      const flat = 'New LoadShape.d npts=1 interval=1 mult=(1)';
      const daily = (control: string, n: number) =>
        closedAfter(
          `${withCap(`type=time ${control} delay=0 delayoff=0`, flat)}Set mode=daily number=${n}\nSolve`,
        );
      expect([5, 6, 22, 23, 24].map((n) => daily('onsetting=6 offsetting=23', n))).toEqual([0, 1, 1, 0, 0]);
      // a window past midnight: an open bank closes only between the on hour and midnight, and a
      // closed one opens only from the off hour, so at 02:00 of the first day it stays open
      expect([2, 21, 22, 26, 29, 30].map((n) => daily('onsetting=22 offsetting=6', n))).toEqual([
        0, 0, 1, 1, 1, 0,
      ]);
    });
  });

  it('evaluates shapes as OpenDSS: nearest point on a fixed interval, interpolation on given hours', () => {
    const shape = (o: Partial<LoadShapeObj>): LoadShapeObj =>
      ({
        npts: 0,
        intervalHours: 1,
        hours: undefined,
        pMult: [],
        qMult: undefined,
        useActual: false,
        ...o,
      }) as LoadShapeObj;
    const s = shape({ npts: 3, pMult: [1, 2, 3] });
    expect([0, 1, 1.4, 1.6, 3, 4, 7].map((h) => shapeAt(s, h).p)).toEqual([3, 1, 1, 2, 3, 1, 1]);
    const v = shape({ npts: 3, intervalHours: 0, hours: [0, 2, 4], pMult: [0, 1, 0] });
    expect([1, 2, 3, 5].map((h) => shapeAt(v, h).p)).toEqual([0.5, 1, 0.5, 0.5]);
    expect(shapeAt(shape({ npts: 2, pMult: [2, 4], useActual: true }), 1)).toEqual({ p: 2, q: 0 });
    expect(shapeAt(shape({}), 5)).toEqual({ p: 1, q: 1 });
  });
});

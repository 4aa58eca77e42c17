import { describe, expect, it } from 'vitest';
import type { CMatrix } from '../../linalg/index.js';
import {
  type CapacitorElement,
  LineElement,
  type LoadElement,
  lineConstants,
  type ReactorElement,
  type TransformerElement,
  type VsourceElement,
} from '../model/index.js';
import { buildNetwork, lineGeometryConstants } from './build-network.js';
import { DssInterpreter, type ScriptHost } from './interpreter.js';

/** Builds the network of a script held in memory and returns its element by id. */
function element(script: string, id: string) {
  const host: ScriptHost = {
    readText: () => script,
    resolve: (_d, p) => p,
    dirname: () => '.',
    exists: () => true,
  };
  const interp = new DssInterpreter(host, { solve: () => {}, calcVoltageBases: () => {} });
  interp.compileFile('s.dss');
  const net = buildNetwork(interp.requireState({}));
  const el = net.elements.find((e) => e.id === id);
  if (!el) throw new Error(`no ${id}`);
  return el;
}

const head = 'New Circuit.t basekv=12.47 bus1=src\n';
const expectEntry = (y: CMatrix, i: number, j: number, re: number, im: number, digits = 9) => {
  expect(y.re[i * y.n + j]).toBeCloseTo(re, digits);
  expect(y.im[i * y.n + j]).toBeCloseTo(im, digits);
};

describe('primitive admittances against hand computation', () => {
  it('a single-phase line: series 1/(z·length) and half its charging at each end', () => {
    const el = element(
      `${head}New Line.l bus1=src.1 bus2=b.1 phases=1 r1=0.3 x1=0.6 c1=10 length=2`,
      'Line.l',
    );
    expect(el).toBeInstanceOf(LineElement);
    const y = el.yprim();
    // z = 2·(0.3 + j0.6) → y = 1/z
    const zr = 0.6;
    const zi = 1.2;
    const d = zr * zr + zi * zi;
    const b = 2 * Math.PI * 60 * 10e-9 * 2;
    expectEntry(y, 0, 0, zr / d, -zi / d + b / 2);
    expectEntry(y, 0, 1, -zr / d, zi / d);
    expectEntry(y, 1, 1, zr / d, -zi / d + b / 2);
  });

  it('a line code in ohms per mile on a line in feet converts lengths (an OpenDSS mile is 1609.344 m)', () => {
    const el = element(
      `${head}New LineCode.c nphases=1 rmatrix=[0.5] xmatrix=[1.0] cmatrix=[0] units=mi
New Line.l bus1=src.1 bus2=b.1 phases=1 linecode=c length=1000 units=ft`,
      'Line.l',
    );
    const lenMi = (1000 * 0.3048) / 1609.344;
    const zr = 0.5 * lenMi;
    const zi = 1.0 * lenMi;
    const d = zr * zr + zi * zi;
    // 9 digits: a 1609.3 m mile is off here in the 5th
    expectEntry(el.yprim(), 0, 0, zr / d, -zi / d, 9);
  });

  it('a three-phase line from sequence values: Zs = (2Z1+Z0)/3, Zm = (Z0−Z1)/3', () => {
    const el = element(
      `${head}New Line.l bus1=src bus2=b r1=0.1 x1=0.3 r0=0.4 x0=0.9 c1=0 c0=0 length=1`,
      'Line.l',
    );
    const y = el.yprim();
    // invert the 3×3 circulant by its sequence decomposition: Y = Ys on diag, Ym off
    const inv = (r: number, i: number) => ({ re: r / (r * r + i * i), im: -i / (r * r + i * i) });
    const y1 = inv(0.1, 0.3);
    const y0 = inv(0.4, 0.9);
    expectEntry(y, 0, 0, (2 * y1.re + y0.re) / 3, (2 * y1.im + y0.im) / 3);
    expectEntry(y, 0, 1, (y0.re - y1.re) / 3, (y0.im - y1.im) / 3);
    expectEntry(y, 0, 3, -(2 * y1.re + y0.re) / 3, -(2 * y1.im + y0.im) / 3);
  });

  describe('capacitance left at its default on a line given sequence impedances (OpenDSS Line CalcYPrim)', () => {
    const yOf = (line: string) => element(`${head}${line}`, 'Line.l').yprim();
    const seq = 'r1=0.1 x1=0.3 r0=0.4 x0=0.9';
    const expectSame = (a: CMatrix, b: CMatrix) => {
      for (let k = 0; k < a.re.length; k++) {
        expect(a.re[k]).toBeCloseTo(b.re[k], 12);
        expect(a.im[k]).toBeCloseTo(b.im[k], 12);
      }
    };

    it('is 3.4/1.6 nF per kft rescaled to the line units: per km 3.4/0.3048 and 1.6/0.3048 nF', () => {
      expectSame(
        yOf(`New Line.l bus1=src bus2=b ${seq} length=2 units=km`),
        yOf(`New Line.l bus1=src bus2=b ${seq} c1=${3.4 / 0.3048} c0=${1.6 / 0.3048} length=2 units=km`),
      );
      expectSame(
        yOf(`New Line.l bus1=src.1 bus2=b.1 phases=1 r1=0.1 x1=0.3 length=2 units=mi`),
        yOf(`New Line.l bus1=src.1 bus2=b.1 phases=1 r1=0.1 x1=0.3 c1=${3.4 * 5.28} length=2 units=mi`),
      );
    });

    it('stays per kft as given when the units came before the impedances (they reset the units)', () => {
      expectSame(
        yOf(`New Line.l bus1=src bus2=b units=km ${seq} length=2`),
        yOf(`New Line.l bus1=src bus2=b ${seq} c1=3.4 c0=1.6 length=2`),
      );
    });

    it('a switch is rescaled too, unless a change of phases rebuilt its matrices first', () => {
      const sw = 'New Line.l bus1=src bus2=b length=1 switch=y';
      const fixed = 'r1=1 x1=1 r0=1 x0=1 length=0.001';
      expectSame(
        yOf(`${sw} units=km`),
        yOf(`New Line.l bus1=src bus2=b ${fixed} c1=${1.1 / 0.3048} c0=${1 / 0.3048} units=km`),
      );
      expectSame(
        yOf('New Line.l bus1=src.1 bus2=b.1 length=1 switch=y units=km phases=1'),
        yOf(`New Line.l bus1=src.1 bus2=b.1 phases=1 ${fixed} c1=1.1 c0=1 units=km`),
      );
    });

    it('is not rescaled once any capacitance is given, nor on a line code', () => {
      expectSame(
        yOf(`New Line.l bus1=src bus2=b ${seq} c1=3.4 length=2 units=km`),
        yOf(`New Line.l bus1=src bus2=b ${seq} c1=3.4 c0=1.6 length=2`),
      );
      expectSame(
        yOf(`New LineCode.c ${seq} units=km\nNew Line.l bus1=src bus2=b linecode=c length=2 units=km`),
        yOf(`New Line.l bus1=src bus2=b ${seq} c1=3.4 c0=1.6 length=2`),
      );
    });
  });

  it('a line on a geometry takes its line constants times its length, units converted', () => {
    const script = `${head}New WireData.w Rac=0.3 Runits=km GMRac=0.8 GMRunits=cm Radius=1.0 Radunits=cm
New LineGeometry.g nconds=2 nphases=1
~ cond=1 wire=w x=0 h=30 units=ft
~ cond=2 wire=w x=1 h=25 units=ft
~ reduce=y
New Line.l bus1=src.1 bus2=b.1 geometry=g length=0.5 units=km`;
    const el = element(script, 'Line.l');
    const ft = 0.3048;
    const lc = lineConstants(
      [
        {
          xM: 0,
          hM: 30 * ft,
          gmrM: 0.008,
          radiusM: 0.01,
          capRadiusM: 0.01,
          racOhmPerM: 0.3e-3,
          rdcOhmPerM: 0.3e-3 / 1.02,
        },
        {
          xM: 1 * ft,
          hM: 25 * ft,
          gmrM: 0.008,
          radiusM: 0.01,
          capRadiusM: 0.01,
          racOhmPerM: 0.3e-3,
          rdcOhmPerM: 0.3e-3 / 1.02,
        },
      ],
      1,
      { frequencyHz: 60, rhoOhmM: 100, earth: 'deri', reduce: true },
    );
    const zr = lc.z.re[0] * 500;
    const zi = lc.z.im[0] * 500;
    const d = zr * zr + zi * zi;
    expectEntry(el.yprim(), 0, 1, -zr / d, zi / d);
    expectEntry(el.yprim(), 0, 0, zr / d, -zi / d + (lc.b[0] * 500) / 2);
  });

  it('a single-phase two-winding transformer: y = 1/z on a one-volt base, scaled by each winding', () => {
    const el = element(
      `${head}New Transformer.t phases=1 windings=2 buses=[src.1 b.1] kvs=[7.2 0.24] kvas=[50 50] xhl=2 %rs=[0.5 0.5] ppm=0`,
      'Transformer.t',
    ) as TransformerElement;
    const y = el.yprim();
    const zBase = 1 / 50e3;
    const zr = 0.01 * zBase;
    const zi = 0.02 * zBase;
    const d = zr * zr + zi * zi;
    const yr = zr / d;
    const yi = -zi / d;
    const n1 = 7200;
    const n2 = 240;
    // conductors: [w1+, w1−, w2+, w2−]
    expectEntry(y, 0, 0, yr / (n1 * n1), yi / (n1 * n1));
    expectEntry(y, 0, 2, -yr / (n1 * n2), -yi / (n1 * n2));
    expectEntry(y, 2, 2, yr / (n2 * n2), yi / (n2 * n2), 6);
    expectEntry(y, 1, 2, yr / (n1 * n2), yi / (n1 * n2));
  });

  it('a delta-wye transformer closes each delta winding on the next phase (ANSI 30° lag)', () => {
    const el = element(
      `${head}New Transformer.t phases=3 windings=2 buses=[src b] conns=[delta wye] kvs=[12.47 0.48] kvas=[500 500] xhl=5 ppm=0`,
      'Transformer.t',
    ) as TransformerElement;
    // high side delta, low side wye, lagging: phase 1 of the delta spans conductors 1 and 3
    expect(el.windingEnds(0, 0)).toEqual([0, 2]);
    expect(el.windingEnds(1, 0)).toEqual([4, 7]);
    const y = el.yprim();
    expect(y.re[0 * y.n + 2]).toBeLessThan(0);
    expectEntry(y, 0, 1, y.re[1 * y.n + 0], y.im[1 * y.n + 0], 12);
  });

  it('a wye capacitor: ωC per phase from kvar at the phase voltage', () => {
    const el = element(
      `${head}New Capacitor.c bus1=src phases=3 kvar=600 kv=12.47`,
      'Capacitor.c',
    ) as CapacitorElement;
    const b = 200e3 / (12470 / Math.sqrt(3)) ** 2;
    expectEntry(el.yprim(), 0, 0, 0, b);
    expectEntry(el.yprim(), 0, 3, 0, -b);
  });

  it('a load keeps Yeq = (P − jQ)/V² between phase and neutral', () => {
    const el = element(
      `${head}New Load.l bus1=src.2 phases=1 kv=7.2 kw=100 kvar=40`,
      'Load.l',
    ) as LoadElement;
    const v2 = 7200 * 7200;
    expectEntry(el.yprim(), 0, 0, 100e3 / v2, -40e3 / v2, 12);
    expectEntry(el.yprim(), 0, 1, -100e3 / v2, 40e3 / v2, 12);
  });

  it('a series reactor: 1/(R + jX) between its buses', () => {
    const el = element(`${head}New Reactor.r bus1=src bus2=b r=0.2 x=1.5`, 'Reactor.r') as ReactorElement;
    const d = 0.2 * 0.2 + 1.5 * 1.5;
    expectEntry(el.yprim(), 1, 1, 0.2 / d, -1.5 / d);
    expectEntry(el.yprim(), 1, 4, -0.2 / d, 1.5 / d);
  });

  it('a source from short-circuit MVA: |Z1| = kV²/MVAsc3 with X1/R1, and |2Z1+Z0| = 3·V_LN/Isc1', () => {
    const el = element(
      'New Circuit.t basekv=115 mvasc3=2000 mvasc1=2100 x1r1=4 x0r0=3',
      'Vsource.source',
    ) as VsourceElement;
    const y = el.yprim();
    // recover sequence impedances from the phase admittance: Z = Y⁻¹ of the first block
    const block = new (y.constructor as new (n: number) => CMatrix)(3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) block.set(i, j, y.re[i * 6 + j], y.im[i * 6 + j]);
    const z = block.inverse();
    const zs = z.get(0, 0);
    const zm = z.get(0, 1);
    const z1 = { re: zs.re - zm.re, im: zs.im - zm.im };
    const z0 = { re: zs.re + 2 * zm.re, im: zs.im + 2 * zm.im };
    expect(Math.hypot(z1.re, z1.im)).toBeCloseTo((115 * 115) / 2000, 9);
    expect(z1.im / z1.re).toBeCloseTo(4, 9);
    expect(z0.im / z0.re).toBeCloseTo(3, 9);
    // OpenDSS states the single-phase fault level as √3·kV_LL·Isc1
    const isc1 = 2100e3 / (115 * Math.sqrt(3));
    expect(Math.hypot(2 * z1.re + z0.re, 2 * z1.im + z0.im)).toBeCloseTo(
      (3 * 115e3) / Math.sqrt(3) / isc1,
      9,
    );
  });

  it('a source from puZ1 and baseMVA alone takes Z0 = Z1, as OpenDSS does until puZ0 is given', () => {
    const seq = (script: string) => {
      const y = (element(script, 'Vsource.source') as VsourceElement).yprim();
      const block = new (y.constructor as new (n: number) => CMatrix)(3);
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) block.set(i, j, y.re[i * 6 + j], y.im[i * 6 + j]);
      const z = block.inverse();
      const zs = z.get(0, 0);
      const zm = z.get(0, 1);
      return {
        z1: { re: zs.re - zm.re, im: zs.im - zm.im },
        z0: { re: zs.re + 2 * zm.re, im: zs.im + 2 * zm.im },
      };
    };
    const zBase = (138 * 138) / 500;
    const only = seq('New Circuit.t basekv=138 baseMVA=500 puZ1=[0.001, 0.2]');
    expect(only.z1.re).toBeCloseTo(0.001 * zBase, 9);
    expect(only.z1.im).toBeCloseTo(0.2 * zBase, 9);
    expect(only.z0.re).toBeCloseTo(0.001 * zBase, 9);
    expect(only.z0.im).toBeCloseTo(0.2 * zBase, 9);
    const both = seq('New Circuit.t basekv=138 baseMVA=500 puZ0=[0.002, 0.6] puZ1=[0.001, 0.2]');
    expect(both.z0.im).toBeCloseTo(0.6 * zBase, 9);
  });

  it('a cable geometry from a LineSpacing and CNData: units converted as OpenDSS reads them', () => {
    const script = `${head}New LineSpacing.s nconds=3 nphases=3 units=in x=[0,6,12] h=[-48,-48,-48]
New CNData.c gmrac=0.0171 rac=0.41 diam=0.567 gmrunits=ft runits=mi radunits=in
~ diacable=1.29 k=13 gmrstrand=0.00208 rstrand=14.8722 diastrand=0.0641 inslayer=0.22 diains=1.06
New LineGeometry.g nconds=3 nphases=3 spacing=s cncables=[c c c]
New Line.l bus1=src bus2=b geometry=g length=1 units=mi`;
    const host: ScriptHost = {
      readText: () => script,
      resolve: (_d, p) => p,
      dirname: () => '.',
      exists: () => true,
    };
    const interp = new DssInterpreter(host, { solve: () => {}, calcVoltageBases: () => {} });
    interp.compileFile('s.dss');
    const lc = lineGeometryConstants(interp.requireState({}), 'g', 'carson', 100);
    const MILE = 1609.344;
    // Kersting's example 4.2, the same cables: z11 = 0.7981 + j0.4463 ohm/mile
    expect(lc.z.get(0, 0).re * MILE).toBeCloseTo(0.7981, 2);
    expect(lc.z.get(0, 0).im * MILE).toBeCloseTo(0.4463, 2);
    expect(() =>
      element(
        `${head}New LineSpacing.s nconds=4 nphases=3 x=[0,1,2,3] h=[-1,-1,-1,-1]\nNew LineGeometry.g nconds=3 spacing=s`,
        'Line.l',
      ),
    ).toThrow(/LineSpacing\.s has 4 wires, the geometry 3/);
  });

  it('a tape-shielded cable with its neutral named by wires= after the cable phases', () => {
    const script = `${head}New TSData.t gmrac=0.0111 rac=0.97 diam=0.368 gmrunits=ft runits=mi radunits=in
~ diashield=0.88 tapelayer=0.005 tapelap=50 inslayer=0.22 diains=0.85
New WireData.n gmrac=0.01113 rac=0.607 diam=0.368 gmrunits=ft runits=mi radunits=in
New LineGeometry.g nconds=2 nphases=1 reduce=y tscables=[t] wires=[n] units=in
~ cond=1 x=0 h=-48 cond=2 x=3 h=-48`;
    const host: ScriptHost = {
      readText: () => script,
      resolve: (_d, p) => p,
      dirname: () => '.',
      exists: () => true,
    };
    const interp = new DssInterpreter(host, { solve: () => {}, calcVoltageBases: () => {} });
    interp.compileFile('s.dss');
    const lc = lineGeometryConstants(interp.requireState({}), 'g', 'carson', 100);
    // Kersting's example 4.3: 1.3218 + j0.6744 ohm/mile
    expect(lc.order).toBe(1);
    expect(lc.z.re[0] * 1609.344).toBeCloseTo(1.3218, 2);
    expect(lc.z.im[0] * 1609.344).toBeCloseTo(0.6744, 2);
  });

  it('a line on spacing= and wires= is the line on a geometry of the same spacing and wires', () => {
    const defs = `${head}New LineSpacing.s nconds=4 nphases=3 units=ft x=[-4,0,4,0] h=[28,28,28,24]
New WireData.w gmrac=0.0244 rac=0.306 diam=0.721 gmrunits=ft runits=mi radunits=in
New WireData.n gmrac=0.00814 rac=0.592 diam=0.563 gmrunits=ft runits=mi radunits=in
New LineGeometry.g nconds=4 nphases=3 reduce=y spacing=s wires=[w w w n]
`;
    const own = element(
      `${defs}New Line.l bus1=src bus2=b spacing=s wires=[w w w n] length=1 units=kft`,
      'Line.l',
    );
    const geo = element(`${defs}New Line.l bus1=src bus2=b geometry=g length=1 units=kft`, 'Line.l');
    const a = own.yprim();
    const b = geo.yprim();
    expect(a.n).toBe(6);
    for (let k = 0; k < a.re.length; k++) {
      expect(a.re[k]).toBeCloseTo(b.re[k], 9);
      expect(a.im[k]).toBeCloseTo(b.im[k], 9);
    }
    expect(() => element(`${defs}New Line.l bus1=src bus2=b wires=[w w w n]`, 'Line.l')).toThrow(
      /Line\.l wires= needs spacing= first/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  ConvergenceError,
  DssReferenceError,
  InvalidValueError,
  NumericalError,
  TopologyError,
  UnsupportedFeatureError,
} from '../../errors/index.js';
import { type LoadObj, type LoadShapeObj, memoryHost, type ScriptHost } from '../dss/index.js';
import { runScript } from './run-script.js';

/** Scripts served from memory, so each test states its whole input. */
function host(files: Record<string, string>): ScriptHost {
  return {
    readText: (p) => files[p],
    resolve: (_d, p) => p,
    dirname: () => '.',
    exists: (p) => p in files,
  };
}

const base = `Clear
New Circuit.t basekv=12.47 pu=1.0 phases=3 bus1=src MVAsc3=200 MVAsc1=180
New Line.l1 bus1=src bus2=a r1=0.3 x1=0.6 r0=0.6 x0=1.8 c1=0 c0=0 length=2
`;

const run = (text: string) => runScript(host({ 'main.dss': text }), 'main.dss');

describe('runScript', () => {
  it('balances power: source output equals load plus losses', () => {
    const r = run(`${base}New Load.a bus1=a phases=3 kv=12.47 kw=900 kvar=300 model=1
New Load.b bus1=a.2 phases=1 kv=7.2 kw=100 pf=0.9 model=2
Set voltagebases=[12.47]
CalcVoltageBases
Solve`).result!;
    expect(r.converged).toBe(true);
    const sourceKw = r.substation.reduce((s, p) => s + p.kw, 0);
    const aV = r.voltages.find((v) => v.bus === 'a' && v.phase === 2)!;
    const loadB = 100 * (aV.vmagV / 7200) ** 2; // constant impedance on its own 7.2 kV rating: P ∝ V²
    expect(sourceKw).toBeCloseTo(900 + loadB + r.lossesKw, 2);
    expect(r.lossesKw).toBeGreaterThan(0);
  });

  it('solves at the end when the script has no Solve', () => {
    const r = run(`${base}New Load.a bus1=a phases=3 kv=12.47 kw=500`);
    expect(r.result?.converged).toBe(true);
  });

  it('names file and line for an unknown class, property and command', () => {
    expect(() => run(`${base}New Widget.x a=1`)).toThrow(DssReferenceError);
    expect(() => run(`${base}New Widget.x a=1`)).toThrow(/main\.dss:4: unknown class "widget"/);
    expect(() => run(`${base}New Load.x bus1=a colour=red`)).toThrow(
      /main\.dss:4: unknown property "colour" of class Load/,
    );
    expect(() => run(`${base}Frobnicate`)).toThrow(/main\.dss:4: unknown or unsupported command/);
  });

  it('skips report commands and drawing options, listing each with its line; a monitor is kept for time series', () => {
    const r = runScript(
      host({
        'main.dss': `${base}New Load.a bus1=a kw=10\nNew Monitor.m element=Line.l1\nSolve\nShow Voltages LN Nodes\nSet MarkTransformers=yes`,
      }),
      'main.dss',
    );
    expect(r.result?.converged).toBe(true);
    expect(r.warnings.map((w) => [w.location.line, w.message.split(':')[0]])).toEqual([
      [7, 'skipped "Show Voltages LN Nodes"'],
      [8, 'skipped Set marktransformers=yes'],
    ]);
    expect(r.state.get('Monitor', 'm')).toBeDefined();
  });

  it('finds a redirected file whatever the case of its name', () => {
    const files: Record<string, string> = {
      'main.dss': `${base}Redirect LOADS.DSS`,
      'loads.dss': 'New Load.a bus1=a kw=10',
    };
    const h = {
      ...host(files),
      findCaseInsensitive: (p: string) => Object.keys(files).find((f) => f.toLowerCase() === p.toLowerCase()),
    };
    expect(runScript(h, 'main.dss').result?.converged).toBe(true);
  });

  it('rejects classes it does not model instead of ignoring them', () => {
    expect(() => run(`${base}New StorageController.s element=line.l1`)).toThrow(UnsupportedFeatureError);
  });

  it('solves a fault as a resistance to ground, by the direct solution or the iteration alike', () => {
    // a 1 kV single-phase source behind 1 Ω, faulted through 3 Ω at its own bus: 750 V remain
    const fault = `Clear
New Circuit.t basekv=1 pu=1 phases=1 bus1=src r1=1 x1=0 r0=1 x0=0
New Line.l bus1=src bus2=a phases=1 r1=0.001 x1=0 r0=0.001 x0=0 c1=0 c0=0 length=1
New Fault.f bus1=src.1 r=3
`;
    for (const solve of ['Solve mode=direct', 'Solve']) {
      const v = run(`${fault}${solve}`).result!.voltages.find((x) => x.bus === 'src')!;
      expect(v.vmagV).toBeCloseTo(750, 6);
    }
    expect(() => run(`${fault}Edit Fault.f ontime=2`)).toThrow(/ontime=2: a fault that starts later/);
    expect(() => run(`${fault}Edit Fault.f r=0`)).toThrow(
      /Fault\.f r=0: the fault resistance must be positive/,
    );
  });

  it("runs OpenDSS-C's one-actor settings and refuses parallel actors by name", () => {
    const one = `Set parallel=no\n${base}Set CPU=0 activeactor=1\nSolve\nWait`;
    expect(run(one).result?.converged).toBe(true);
    expect(() => run(`${base}Solve\nNewActor`)).toThrow(
      /main\.dss:5: NewActor: parallel actors .* are not supported/,
    );
    expect(() => run(`${base}Solve\nClone 6`)).toThrow(/Clone: parallel actors/);
    expect(() => run(`${base}Set parallel=yes`)).toThrow(/Set parallel=yes: parallel actors/);
  });

  it('reports a missing redirected file with the line that asked for it', () => {
    expect(() => run(`${base}Redirect nothere.dss`)).toThrow(
      /main\.dss:4: script file not found: nothere\.dss/,
    );
  });

  it('rejects NaN and negative ratings', () => {
    expect(() => run(`${base}New Load.x bus1=a kw=abc`)).toThrow(InvalidValueError);
    expect(() => run(`${base}New Capacitor.c bus1=a kv=-12.47`)).toThrow(
      /main\.dss:4 Capacitor\.c: kv="-12\.47": must be positive/,
    );
  });

  it('names a bus that no source reaches', () => {
    expect(() => run(`${base}New Load.x bus1=island kw=10`)).toThrow(TopologyError);
    expect(() => run(`${base}New Load.x bus1=island kw=10`)).toThrow(
      /main\.dss:4 Load\.x: bus "island" is not connected to any source/,
    );
  });

  it('refuses a zero-impedance line', () => {
    expect(() => run(`${base}New Line.z bus1=a bus2=b r1=0 x1=0 r0=0 x0=0 c1=0 c0=0`)).toThrow(
      NumericalError,
    );
    expect(() => run(`${base}New Line.z bus1=a bus2=b r1=0 x1=0 r0=0 x0=0 c1=0 c0=0`)).toThrow(
      /main\.dss:4 Line\.z: series impedance is zero/,
    );
  });

  it('starts the next solution from the last one, unless Set mode cleared it (OpenDSS SolutionInitialized)', () => {
    const circuit = `${base}New Load.a bus1=a phases=3 kv=12.47 kw=3000 kvar=1000
Set voltagebases=[12.47]
CalcVoltageBases
Set tolerance=1e-8
Solve
`;
    const first = run(circuit).result!.iterations;
    // a repeated solve is already converged: the minimum of two iterations
    expect(run(`${circuit}Solve`).result!.iterations).toBe(2);
    // a mode set (even the same one) starts afresh from the sources with the loads as admittances
    expect(run(`${circuit}Set mode=snapshot\nSolve`).result!.iterations).toBe(first);
  });

  it('reports non-convergence with iterations and the final mismatch', () => {
    try {
      run(`${base}New Load.x bus1=a phases=3 kv=12.47 kw=60000 kvar=30000 vminpu=0.1 vlowpu=0.05
Set voltagebases=[12.47]
CalcVoltageBases
Set maxiterations=3
Solve`);
      expect.unreachable('should not converge');
    } catch (e) {
      expect(e).toBeInstanceOf(ConvergenceError);
      const err = e as ConvergenceError;
      expect(err.message).toMatch(/did not converge in 3 iterations/);
      expect(err.details.finalMismatchPu).toBeGreaterThan(1e-4);
    }
  });

  it('de-energizes what an open switch cuts off instead of failing', () => {
    const r = run(`${base}New Line.sw bus1=a bus2=b switch=yes r1=1e-3 r0=1e-3 x1=0 x0=0 c1=0 c0=0
New Load.b bus1=b kv=12.47 kw=10
open Line.sw term=2
Solve`).result!;
    expect(r.deenergizedBuses).toEqual(['b']);
  });
});

describe('Set options work as OpenDSS reads them, or are refused', () => {
  // a lightly loaded cable: its charging (ωC) is what the base frequency changes
  const cable = `New Circuit.f basekv=12.47 pu=1 phases=3 bus1=src MVAsc3=2000 MVAsc1=2000
New Line.c bus1=src bus2=a r1=0.001 x1=0.001 r0=0.001 x0=0.001 c1=300 c0=300 length=10 units=km
Set voltagebases=[12.47]
CalcVoltageBases
Solve`;
  const chargingKvar = (prefix: string) =>
    run(`${prefix}${cable}`).result!.substation.reduce((s, p) => s + p.kvar, 0);

  it('honours DefaultBaseFrequency set before New Circuit (and after Clear)', () => {
    const at60 = chargingKvar('Clear\n');
    const at50 = chargingKvar('Set DefaultBaseFrequency=50\nClear\n');
    expect(at60).toBeLessThan(-100);
    expect(at50 / at60).toBeCloseTo(50 / 60, 3);
  });

  it('refuses algorithm=NCIM and Newton instead of solving with the normal algorithm', () => {
    for (const alg of ['NCIM', 'newton'])
      expect(() => run(`${base}Set algorithm=${alg}\nSolve`)).toThrow(
        /main\.dss:4: algorithm=.*only the normal/,
      );
    expect(run(`${base}Set algorithm=n\nSolve`).result?.converged).toBe(true);
  });

  it('counts nodes outside the normal and emergency limits the script sets', () => {
    const load = `${base}New Load.a bus1=a phases=3 kv=12.47 kw=6000 kvar=2000
Set voltagebases=[12.47]
CalcVoltageBases
`;
    const wide = run(`${load}Set normvminpu=0.5 emergvminpu=0.4\nSolve`).result!;
    const narrow = run(`${load}Set normvminpu=0.99 emergvminpu=0.98\nSolve`).result!;
    expect(wide.outsideLimits?.normal).toBe(0);
    expect(narrow.outsideLimits?.normal).toBeGreaterThan(0);
    expect(narrow.outsideLimits?.limitsPu.emergMin).toBe(0.98);
  });

  it('refuses an element whose basefreq differs from the circuit’s', () => {
    expect(() => run(`${base}New Linecode.lc nphases=3 r1=0.1 x1=0.2 basefreq=50`)).toThrow(
      UnsupportedFeatureError,
    );
  });
});

describe('published-script semantics', () => {
  const fourWire = `nphases=4 units=mi
~ rmatrix=(0.4576 | 0.1559 0.4666 | 0.1535 0.1580 0.4615 | 0.1559 0.1535 0.1580 0.4615)
~ xmatrix=(1.0780 | 0.5017 1.0482 | 0.3849 0.4236 1.0651 | 0.4236 0.3849 0.5017 1.0651)
~ cmatrix=(15.3 | -4.9 15.9 | -1.9 -3.1 14.5 | -2.0 -1.7 -3.0 14.2)`;
  const feeder = (code: string, nodes: string) => `${base}New LineCode.c ${code}
New Line.k bus1=a${nodes} bus2=b${nodes} linecode=c length=1
New Load.b bus1=b phases=3 kv=12.47 kw=1500 kvar=600
Set voltagebases=[12.47]
CalcVoltageBases
Solve`;
  const voltagesAtB = (text: string) =>
    run(text)
      .result!.voltages.filter((v) => v.bus === 'b')
      .map((v) => [v.vmagPu, v.angleDeg]);

  it('kron=y eliminates a grounded neutral exactly as grounding it at both ends does', () => {
    const grounded = voltagesAtB(feeder(fourWire, '.1.2.3.0'));
    const reduced = voltagesAtB(feeder(`${fourWire} neutral=4 kron=y`, ''));
    expect(reduced.length).toBe(3);
    reduced.forEach(([v, a], i) => {
      expect(v).toBeCloseTo(grounded[i][0], 9);
      expect(a).toBeCloseTo(grounded[i][1], 7);
    });
  });

  it('takes line codes and load shapes defined before New Circuit, and New on an existing object edits it', () => {
    const r = run(`Clear
New LineCode.early nphases=3 r1=0.3 x1=0.6 r0=0.6 x0=1.8 c1=0 c0=0
New LoadShape.early npts=2 mult=(1 0.5)
New Circuit.t basekv=12.47 pu=1.0 phases=3 bus1=src MVAsc3=200 MVAsc1=180
New Line.l1 bus1=src bus2=a linecode=early length=2
New Load.a bus1=a phases=3 kv=12.47 kw=900 daily=early
New Load.a kvar=300
Solve`);
    expect(r.result?.converged).toBe(true);
    const q = r.result!.substation.reduce((s, p) => s + p.kvar, 0);
    expect(q).toBeGreaterThan(300);
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(
      /Load\.a was defined before; New redefines it/,
    );
  });

  it('still needs a circuit for circuit elements', () => {
    expect(() => run('Clear\nNew Load.x bus1=a kw=1')).toThrow(/main\.dss:2: no circuit is defined yet/);
  });
});

describe('load shapes from files, UseActual and script commands', () => {
  const files = (main: string, extra: Record<string, string | Uint8Array> = {}) =>
    memoryHost({ 'main.dss': main, ...extra });
  const shapeOf = (text: string, extra: Record<string, string | Uint8Array> = {}) => {
    const r = runScript(files(`${base}${text}`, extra), 'main.dss');
    return r.state.get<LoadShapeObj>('LoadShape', 's')!;
  };

  it('reads multipliers from text (first or named column), single and double binaries', () => {
    const dbl = new Uint8Array(new Float64Array([0.25, 0.5, 1]).buffer);
    const sng = new Uint8Array(new Float32Array([0.5, 0.75]).buffer);
    expect(
      shapeOf('New LoadShape.s npts=3 mult=(file=m.txt)', { 'm.txt': '0.1\n0.2, 9\n0.3\n0.4\n' }).pMult,
    ).toEqual([0.1, 0.2, 0.3]);
    expect(
      shapeOf('New LoadShape.s mult=(file=m.csv col=2 header=yes)', { 'm.csv': 'h,p\n1,0.7\n2,0.9\n' }).pMult,
    ).toEqual([0.7, 0.9]);
    expect(shapeOf('New LoadShape.s npts=3 mult=(dblfile=m.dbl)', { 'm.dbl': dbl }).pMult).toEqual([
      0.25, 0.5, 1,
    ]);
    expect(shapeOf('New LoadShape.s sngfile=m.sng', { 'm.sng': sng }).pMult).toEqual([0.5, 0.75]);
    const s = shapeOf('New LoadShape.s npts=2 interval=0 csvfile=h.csv', { 'h.csv': '0.5, 0.2\n1.5, 0.4\n' });
    expect([s.hours, s.pMult]).toEqual([
      [0.5, 1.5],
      [0.2, 0.4],
    ]);
    expect(shapeOf('New LoadShape.s minterval=15').intervalHours).toBe(0.25);
  });

  it('names the file and line of a bad value, and a missing file with the script line', () => {
    expect(() => shapeOf('New LoadShape.s mult=(file=m.txt)', { 'm.txt': '0.1\nabc\n' })).toThrow(
      /m\.txt:2: expected a number in column 1/,
    );
    expect(() => shapeOf('New LoadShape.s mult=(file=gone.txt)')).toThrow(
      /main\.dss:4: data file not found: gone\.txt/,
    );
  });

  it('a UseActual shape sets the load to its peak, keeping a given power factor', () => {
    const load = (props: string, actual = 'yes') =>
      runScript(
        files(
          `${base}New LoadShape.s npts=3 mult=(10 -40 30) qmult=(1 -8 2) useactual=${actual}\nNew Load.l bus1=a kv=12.47 ${props}`,
        ),
        'main.dss',
      ).state.get<LoadObj>('Load', 'l')!;
    expect([load('kw=5 kvar=1 daily=s').kw, load('kw=5 kvar=1 daily=s').kvar]).toEqual([-40, -8]);
    const withPf = load('kw=5 pf=0.8 yearly=s');
    expect(withPf.kw).toBe(-40);
    expect(withPf.kvar).toBeCloseTo(-30, 9);
    expect(load('kw=5 kvar=1 daily=s', 'no').kw).toBe(5);
  });

  it('BatchEdit edits every object whose name matches; SetkVBase, SetBusXY and LatLongCoords set bus data', () => {
    const r = runScript(
      files(
        `${base}New Load.x1 bus1=a kv=12.47 kw=10
New Load.x2 bus1=a kv=12.47 kw=10
New Load.y bus1=a kv=12.47 kw=10
BatchEdit Load.x.* kw=20
SetkVBase bus=a kVLL=13.2
SetBusXY bus=a x=3 y=4
LatLongCoords ll.csv`,
        { 'll.csv': 'src, 45.5, -73.6\n' },
      ),
      'main.dss',
    );
    expect(['x1', 'x2', 'y'].map((n) => r.state.get<LoadObj>('Load', n)!.kw)).toEqual([20, 20, 10]);
    expect(r.state.busBaseKvLn.get('a')).toBeCloseTo(13.2 / Math.sqrt(3), 12);
    expect(r.state.busCoords.get('a')).toEqual({ x: 3, y: 4 });
    expect(r.state.busCoords.get('src')).toEqual({ x: -73.6, y: 45.5 });
  });

  it('lists report options as skipped and refuses load growth beyond the first year', () => {
    const r = run(`${base}Set casename=x demand=true voltexceptionreport=yes year=1\nSolve`);
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(/skipped Set casename=x/);
    expect(() => run(`${base}Set year=3`)).toThrow(/main\.dss:4: year=3: load growth/);
  });
});

describe('RegControl bus=', () => {
  const feeder = (extra: string) => `Clear
New Circuit.t basekv=12.47 pu=1.0 phases=3 bus1=src MVAsc3=2000 MVAsc1=2000
New Transformer.reg phases=3 windings=2 buses=[src r] conns=[wye wye] kvs=[12.47 12.47] kvas=[10000 10000] xhl=0.1
New RegControl.reg transformer=reg winding=2 vreg=120 band=2 ptratio=60 ${extra}
New Line.l bus1=r bus2=a r1=0.4 x1=0.8 r0=0.8 x0=2.4 c1=0 c0=0 length=3
New Load.a bus1=a phases=3 kv=12.47 kw=4000 kvar=1500
Set voltagebases=[12.47]
CalcVoltageBases
Solve`;
  it('regulates the named bus node (to ground, no line-drop compensation) instead of the winding', () => {
    const local = run(feeder('')).result!;
    const remote = run(feeder('bus=a.1 r=5 x=5')).result!;
    expect(remote.taps.reg).toBeGreaterThan(local.taps.reg);
    const va = remote.voltages.find((v) => v.bus === 'a' && v.phase === 1)!;
    expect(Math.abs(va.vmagV / 60 - 120)).toBeLessThanOrEqual(1);
    expect(() => run(feeder('bus=nowhere'))).toThrow(/bus=nowhere\.1 is not a node of the circuit/);
  });
});

import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeScriptHost } from '../../node.js';
import { elementCurrents, runScript, type SnapshotSolver, summarize } from '../powerflow/index.js';
import { Linearization } from './linearization.js';

const demo = fileURLToPath(
  new URL('../../../../../examples/feeders/gridtier-demo/master.dss', import.meta.url),
);
const tight = {
  maxIterations: 2000,
  minIterations: 2,
  tolerance: 1e-13,
  maxControlIter: 1,
  controlMode: 'off' as const,
};

/** Real power into every series-element conductor, W, in element order. */
function flows(solver: SnapshotSolver): number[] {
  const out: number[] = [];
  const { re, im } = solver.voltages;
  solver.network.elements.forEach((el, e) => {
    if (!el.isSeries) return;
    const map = solver.network.conductorNodes[e];
    const vr = Float64Array.from(map, (i) => (i >= 0 ? re[i] : 0));
    const vi = Float64Array.from(map, (i) => (i >= 0 ? im[i] : 0));
    const ir = new Float64Array(map.length);
    const ii = new Float64Array(map.length);
    const y = solver.y.yprims[e];
    elementCurrents(y.re, y.im, vr, vi, ir, ii);
    map.forEach((i, k) => {
      if (i >= 0) out.push(vr[k] * ir[k] + vi[k] * ii[k]);
    });
  });
  return out;
}

function state(solver: SnapshotSolver) {
  const s = solver.solve(tight);
  const { re, im } = solver.voltages;
  const vmag = Array.from(re, (r, i) => Math.hypot(r, im[i]) / (solver.network.nodeBaseV[i] || 1));
  return { vmag, flows: flows(solver), losses: summarize(solver, s).lossesKw };
}

describe('Linearization against finite differences of the full power flow', () => {
  let solver: SnapshotSolver;
  beforeAll(() => {
    solver = runScript(nodeScriptHost, demo).solver!;
    solver.solve(tight);
  });

  const nodeOf = (name: string) => {
    const i = solver.network.nodes.findIndex((_, k) => solver.network.nodeName(k) === name);
    expect(i).toBeGreaterThanOrEqual(0);
    return i;
  };

  for (const [name, kind] of [
    ['n4.3', 'p'],
    ['n6.1', 'q'],
    ['la2.1', 'p'],
    ['h1.1', 'q'],
    ['ua1.2', 'p'],
  ] as const) {
    it(`matches for 1 ${kind === 'p' ? 'kW' : 'kvar'} at ${name}`, () => {
      const k = nodeOf(name);
      const lin = new Linearization(solver).responseTo(k, kind);
      const epsKw = 0.05;
      const inject = (sign: number) => {
        solver.setPowerInjections([
          {
            node: k,
            pW: kind === 'p' ? sign * epsKw * 1000 : 0,
            qVar: kind === 'q' ? sign * epsKw * 1000 : 0,
          },
        ]);
        return state(solver);
      };
      const plus = inject(1);
      const minus = inject(-1);
      solver.setPowerInjections([]);
      solver.solve(tight);
      const fdV = plus.vmag.map((v, i) => (v - minus.vmag[i]) / (2 * epsKw));
      const scaleV = Math.max(...fdV.map(Math.abs));
      fdV.forEach((d, i) => {
        if (solver.network.nodeBaseV[i] > 0) expect(Math.abs(lin.dVmagPu[i] - d)).toBeLessThan(1e-4 * scaleV);
      });
      const fdFlows = plus.flows.map((f, i) => (f - minus.flows[i]) / (2 * epsKw) / 1000);
      expect(lin.branches.length).toBe(fdFlows.length);
      const scaleF = Math.max(...fdFlows.map(Math.abs));
      lin.branches.forEach((b, i) => {
        // a switch's flow is Y·(V1 − V2) with Y ≈ 1e6 S: finite differences of it are rounding
        // noise, so its flow is checked through the line it feeds instead
        if (b.element === 'Line.sw1') return;
        expect(Math.abs(b.dPKw - fdFlows[i])).toBeLessThan(1e-4 * scaleF);
      });
      const fdLoss = (plus.losses - minus.losses) / (2 * epsKw);
      expect(Math.abs(lin.dLossesKw - fdLoss)).toBeLessThan(1e-4 * Math.max(Math.abs(fdLoss), 1e-3));
    });
  }

  it('includes the constant-power injections of the state it linearizes', () => {
    const k = nodeOf('n8.2');
    solver.setPowerInjections([{ node: k, pW: 300e3, qVar: -100e3 }]);
    solver.solve(tight);
    const lin = new Linearization(solver).responseTo(k, 'p');
    solver.setPowerInjections([{ node: k, pW: 300e3 + 500, qVar: -100e3 }]);
    const plus = state(solver);
    solver.setPowerInjections([{ node: k, pW: 300e3 - 500, qVar: -100e3 }]);
    const minus = state(solver);
    solver.setPowerInjections([]);
    solver.solve(tight);
    const fd = (plus.vmag[k] - minus.vmag[k]) / 1;
    expect(Math.abs(lin.dVmagPu[k] - fd)).toBeLessThan(1e-4 * Math.abs(fd));
  });

  it('the adjoint gives the same sensitivities as the forward responses, for every node at once', () => {
    const lin = new Linearization(solver);
    const probe = ['n4.3', 'la2.1', 'h1.1', 'n6.2'].map(nodeOf);
    const watchV = nodeOf('n8.2');
    const adjV = lin.sensitivitiesOf(lin.voltageMagnitude(watchV));
    const lineIdx = solver.network.elements.findIndex((e) => e.id === 'Line.l2');
    const adjI = lin.sensitivitiesOf(lin.currentMagnitude(lineIdx, 0));
    const adjLoss = lin.sensitivitiesOf(lin.totalLosses());
    for (const k of probe) {
      for (const kind of ['p', 'q'] as const) {
        const fwd = lin.responseTo(k, kind);
        const pick = (s: { perKw: Float64Array; perKvar: Float64Array }) =>
          kind === 'p' ? s.perKw[k] : s.perKvar[k];
        const close = (a: number, b: number) =>
          expect(Math.abs(a - b)).toBeLessThan(1e-6 * Math.max(Math.abs(b), 1e-9) + 1e-12);
        close(pick(adjV), fwd.dVmagPu[watchV]);
        const branch = fwd.branches.find(
          (b) => b.element === 'Line.l2' && b.terminal === 0 && b.phase === 1,
        )!;
        close(pick(adjI), branch.dIAmps);
        close(pick(adjLoss) / 1000, fwd.dLossesKw);
      }
    }
  });

  it('reads sensitivities at chosen nodes as the full ones there, and keeps its point when the solver moves on', () => {
    const lin = new Linearization(solver);
    const at = ['n4.3', 'la2.1', 'h1.1', 'n6.2', 'n4.3'].map(nodeOf);
    const lineIdx = solver.network.elements.findIndex((e) => e.id === 'Line.l2');
    const full = lin.sensitivitiesOf(lin.currentMagnitude(lineIdx, 0));
    const check = (l: Linearization) => {
      for (const only of [undefined, l.closure(at)]) {
        const part = l.sensitivitiesAt(l.currentMagnitudeTerms(lineIdx, 0), at, only);
        at.forEach((k, j) => {
          expect(part.perKw[j]).toBeCloseTo(full.perKw[k], 12);
          expect(part.perKvar[j]).toBeCloseTo(full.perKvar[k], 12);
        });
      }
    };
    check(lin);
    // the solver solves another state: what was linearized before still answers for its own point
    const k = nodeOf('n8.2');
    solver.setPowerInjections([{ node: k, pW: 400e3, qVar: 0 }]);
    solver.solve(tight);
    const again = lin.sensitivitiesOf(lin.voltageMagnitude(nodeOf('h1.1')));
    solver.setPowerInjections([]);
    solver.solve(tight);
    const fresh = new Linearization(solver).sensitivitiesOf(lin.voltageMagnitude(nodeOf('h1.1')));
    check(lin);
    for (let i = 0; i < again.perKw.length; i++) expect(again.perKw[i]).toBeCloseTo(fresh.perKw[i], 12);
  });

  it('the factorized Jacobian and the Krylov iteration agree', () => {
    const k = nodeOf('n8.2');
    solver.setPowerInjections([{ node: k, pW: 200e3, qVar: 50e3 }]);
    solver.solve(tight);
    const direct = new Linearization(solver);
    const krylov = new Linearization(solver, 'gmres');
    const lineIdx = solver.network.elements.findIndex((e) => e.id === 'Line.l2');
    const a = direct.sensitivitiesOf(direct.currentMagnitude(lineIdx, 1));
    const b = krylov.sensitivitiesOf(krylov.currentMagnitude(lineIdx, 1));
    expect(a.gmresIterations).toBe(0);
    expect(b.gmresIterations).toBeGreaterThan(0);
    const scale = Math.max(...b.perKw.map(Math.abs));
    const worst = (x: Float64Array, y: Float64Array) => Math.max(...x.map((v, i) => Math.abs(v - y[i])));
    expect(worst(a.perKw, b.perKw)).toBeLessThan(1e-7 * scale);
    expect(worst(a.perKvar, b.perKvar)).toBeLessThan(1e-7 * scale);
    const fa = direct.responseTo(nodeOf('la2.1'), 'q');
    const fb = krylov.responseTo(nodeOf('la2.1'), 'q');
    expect(fa.gmresIterations).toBe(0);
    expect(worst(fa.dVmagPu, fb.dVmagPu)).toBeLessThan(1e-9);
    solver.setPowerInjections([]);
    solver.solve(tight);
  });
});

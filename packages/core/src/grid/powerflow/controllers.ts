import type {
  CapacitorControl,
  CapacitorElement,
  LoadElement,
  Network,
  RegulatorControl,
  TransformerElement,
} from '../model/index.js';
import { roundHalfEven } from '../model/index.js';
import type { ControlQueue } from './control-queue.js';
import { elementCurrents, type NodeVoltages } from './snapshot-state.js';

/** What a control needs from the solver while it samples or acts. */
export interface ControlContext {
  network: Network;
  voltages: NodeVoltages;
  /** current primitive of element index e (taps and steps as they are now) */
  yprim(e: number): { re: Float64Array; im: Float64Array };
  /** marks element e as changed so the admittance matrix is rebuilt */
  invalidate(e: number): void;
  queue: ControlQueue<Controller>;
  /** OpenDSS's control mode: static (time stands still) or time-driven (delays count on the clock) */
  mode: 'static' | 'time';
  /** the solution clock, seconds; 0 in a snapshot */
  now: number;
  /** OpenDSS's ControlIteration: 1 in the first sampling of a solve */
  controlIteration: number;
  /** sets a generation element's output (kW and kvar, generation positive) for the next solution */
  setInjectionPower(el: LoadElement, pKw: number, qKvar: number): void;
}

export interface Controller {
  readonly id: string;
  sample(ctx: ControlContext): void;
  act(ctx: ControlContext): void;
  /**
   * Takes over what the same control remembered at the end of an earlier solution (OpenDSS keeps
   * its controls, and their queued actions, from one Solve to the next)
   */
  takeOver?(earlier: Controller): void;
}

function conductorVoltages(ctx: ControlContext, e: number): { re: Float64Array; im: Float64Array } {
  const n = ctx.network.conductorNodes[e].length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  ctx.voltages.gather(e, re, im);
  return { re, im };
}

function terminalCurrents(ctx: ControlContext, e: number) {
  const v = conductorVoltages(ctx, e);
  const y = ctx.yprim(e);
  const re = new Float64Array(v.re.length);
  const im = new Float64Array(v.re.length);
  elementCurrents(y.re, y.im, v.re, v.im, re, im);
  return { v, re, im };
}

/**
 * OpenDSS RegControl in static mode. Each sample reads the regulated winding's voltage on
 * the PT secondary (less the line-drop compensator's drop), and when it is outside the band
 * queues a tap change after the control's delay; the action then moves about 70 % of the
 * taps needed (at least one, at most maxtapchange), and the next sample decides again.
 */
export class RegulatorController implements Controller {
  readonly id: string;
  private pending = 0;
  private armed = false;
  private handle = 0;
  private readonly elementIndex: number;

  constructor(
    readonly control: RegulatorControl,
    network: Network,
  ) {
    this.id = control.id;
    this.elementIndex = network.elements.indexOf(control.transformer);
  }

  get transformer(): TransformerElement {
    return this.control.transformer;
  }

  sample(ctx: ControlContext): void {
    const c = this.control;
    const t = c.transformer;
    if (c.maxTapChange === 0) {
      this.pending = 0;
      return;
    }
    const { v, re: iRe, im: iIm } = terminalCurrents(ctx, this.elementIndex);
    const phases = t.phases;
    const windingV = (ph: number) => {
      const [p, m] = t.windingEnds(c.winding, ph);
      return { re: v.re[p] - v.re[m], im: v.im[p] - v.im[m] };
    };
    let phase = 0;
    if (typeof c.ptPhase === 'number') phase = c.ptPhase;
    else {
      let best = c.ptPhase === 'max' ? -1 : Number.POSITIVE_INFINITY;
      for (let ph = 0; ph < phases; ph++) {
        const m = Math.hypot(windingV(ph).re, windingV(ph).im);
        if (c.ptPhase === 'max' ? m > best : m < best) {
          best = m;
          phase = ph;
        }
      }
    }
    const w =
      c.sensedNode === undefined
        ? windingV(phase)
        : { re: ctx.voltages.re[c.sensedNode], im: ctx.voltages.im[c.sensedNode] };
    let vcRe = w.re / c.ptRatio;
    let vcIm = w.im / c.ptRatio;
    const vLocal = Math.hypot(vcRe, vcIm);
    let vActual: number;
    if (c.sensedNode === undefined && (c.rVolts !== 0 || c.xVolts !== 0 || c.ldcZ > 0)) {
      const k = c.winding * t.condsPerTerminal + phase;
      const ir = iRe[k] / c.ctPrimAmps;
      const ii = iIm[k] / c.ctPrimAmps;
      if (c.ldcZ > 0) vActual = vLocal - Math.hypot(ir, ii) * c.ldcZ;
      else {
        vcRe += c.rVolts * ir - c.xVolts * ii;
        vcIm += c.rVolts * ii + c.xVolts * ir;
        vActual = Math.hypot(vcRe, vcIm);
      }
    } else vActual = vLocal;

    const overLimit = c.vLimit > 0 && vLocal > c.vLimit;
    const needed = Math.abs(c.vreg - vActual) > c.bandV / 2 || overLimit;
    if (!needed) {
      this.pending = 0;
      if (this.armed) {
        ctx.queue.delete(this.handle);
        this.armed = false;
      }
      return;
    }
    const boostV = overLimit ? c.vLimit - vLocal : c.vreg - vActual;
    const wd = t.windings[c.winding];
    const boostPu = (boostV * c.ptRatio) / wd.vBaseV;
    const inc = t.tapIncrement(c.tapWinding);
    this.pending = inc > 0 ? roundHalfEven(boostPu / inc) * inc : 0;
    if (c.tapWinding !== c.winding) this.pending = -this.pending;
    if (this.pending === 0 || this.armed) return;
    const tap = t.windings[c.tapWinding];
    if ((this.pending > 0 && tap.tap < tap.maxTap) || (this.pending < 0 && tap.tap > tap.minTap)) {
      this.handle = ctx.queue.push(ctx.now + c.delaySec, this);
      this.armed = true;
    }
  }

  act(ctx: ControlContext): void {
    if (ctx.mode === 'time') {
      this.actOneTap(ctx);
      return;
    }
    const c = this.control;
    if (this.pending !== 0) {
      const inc = this.transformer.tapIncrement(c.tapWinding);
      let n = Math.trunc((0.7 * Math.abs(this.pending)) / inc);
      if (n === 0) n = 1;
      if (n > c.maxTapChange) n = c.maxTapChange;
      const w = this.transformer.windings[c.tapWinding];
      if (this.transformer.setTap(c.tapWinding, w.tap + Math.sign(this.pending) * n * inc)) {
        ctx.invalidate(this.elementIndex);
      }
    }
    this.pending = 0;
    this.armed = false;
  }

  /**
   * Time-driven: one tap towards the pending change, and the next after tapdelay while some
   * change is still pending (the samples in between keep it up to date), as OpenDSS does.
   */
  private actOneTap(ctx: ControlContext): void {
    const c = this.control;
    if (this.pending === 0) {
      this.armed = false;
      return;
    }
    const inc = this.transformer.tapIncrement(c.tapWinding);
    const step = this.pending > 0 ? inc : -inc;
    this.pending -= step;
    if (Math.abs(this.pending) < 0.9 * inc) this.pending = 0;
    const w = this.transformer.windings[c.tapWinding];
    if (this.transformer.setTap(c.tapWinding, w.tap + step)) ctx.invalidate(this.elementIndex);
    // OpenDSS keeps the first action's handle: a later return to the band deletes that one only
    if (this.pending !== 0) ctx.queue.push(ctx.now + c.tapDelaySec, this);
    else this.armed = false;
  }

  takeOver(earlier: Controller): void {
    if (!(earlier instanceof RegulatorController)) return;
    this.pending = earlier.pending;
    this.armed = earlier.armed;
    this.handle = earlier.handle;
  }
}

type Change = 'none' | 'open' | 'close';

/**
 * OpenDSS CapControl: compares the monitored quantity with the on and off settings (with an
 * optional voltage override), arms an action after its delay (delayoff to open; to close, the
 * delay or what is left of the dead time since the capacitor last opened, plus the delay) and
 * switches one step per action. Static control takes the actions in the order of their times;
 * time-driven control (a duty cycle, or controlmode=time) takes each when the clock reaches it,
 * so an action armed in one step of a time series may fall due several steps later.
 */
export class CapacitorController implements Controller {
  readonly id: string;
  private pendingChange: Change = 'none';
  private armed = false;
  private handle = 0;
  private lastOpenTime: number;
  private readonly elementIndex: number;
  private readonly capIndex: number;

  constructor(
    readonly control: CapacitorControl,
    network: Network,
  ) {
    this.id = control.id;
    this.elementIndex = network.elements.findIndex((e) => e.id.toLowerCase() === control.elementId);
    this.capIndex = network.elements.indexOf(control.capacitor);
    this.lastOpenTime = control.initialLastOpenSec;
  }

  private get cap(): CapacitorElement {
    return this.control.capacitor;
  }

  takeOver(earlier: Controller): void {
    if (!(earlier instanceof CapacitorController)) return;
    this.pendingChange = earlier.pendingChange;
    this.armed = earlier.armed;
    this.handle = earlier.handle;
    this.lastOpenTime = earlier.lastOpenTime;
  }

  private get closed(): boolean {
    return this.cap.states.some((s) => s === 1);
  }

  private get availableSteps(): number {
    const last = this.cap.states.lastIndexOf(1);
    return this.cap.steps - (last + 1);
  }

  private pick(values: number[], sel: number | 'avg' | 'max' | 'min'): number {
    if (typeof sel === 'number') return values[Math.min(sel, values.length - 1)];
    if (sel === 'avg') return values.reduce((a, b) => a + b, 0) / values.length;
    return sel === 'max' ? Math.max(...values) : Math.min(...values);
  }

  sample(ctx: ControlContext): void {
    const c = this.control;
    const { v, re: iRe, im: iIm } = terminalCurrents(ctx, this.elementIndex);
    const el = ctx.network.elements[this.elementIndex];
    const nc = el.condsPerTerminal;
    const base = c.terminal * nc;
    const closed = this.closed;
    let should = false;
    const vTest = () => {
      const phases = this.cap.condsPerTerminal;
      if (typeof c.ptPhase === 'number' && this.cap.terminals.length === 1 && phases > 1) {
        const k = c.ptPhase;
        const j = (k + 1) % phases;
        return Math.hypot(v.re[base + k] - v.re[base + j], v.im[base + k] - v.im[base + j]) / c.ptRatio;
      }
      const mags = Array.from(
        { length: nc },
        (_, k) => Math.hypot(v.re[base + k], v.im[base + k]) / c.ptRatio,
      );
      return this.pick(mags, c.ptPhase);
    };
    if (c.voltOverride && c.type !== 'voltage') {
      const vt = vTest();
      if (!closed && vt < c.vMin) {
        this.pendingChange = 'close';
        should = true;
      } else if (closed && vt > c.vMax) {
        this.pendingChange = 'open';
        should = true;
      }
    }
    if (!should) should = this.byType(ctx, v, iRe, iIm, base, nc, closed, vTest);
    if (should && !this.armed) {
      const since = ctx.now - this.lastOpenTime;
      let delay = c.delayOffSec;
      if (this.pendingChange === 'close') {
        delay = since < c.deadTimeSec ? Math.max(c.delaySec, c.deadTimeSec + c.delaySec - since) : c.delaySec;
      }
      this.handle = ctx.queue.push(ctx.now + delay, this);
      this.armed = true;
    }
    if (this.armed && this.pendingChange === 'none') {
      ctx.queue.delete(this.handle);
      this.armed = false;
    }
  }

  private byType(
    ctx: ControlContext,
    v: { re: Float64Array; im: Float64Array },
    iRe: Float64Array,
    iIm: Float64Array,
    base: number,
    nc: number,
    closed: boolean,
    vTest: () => number,
  ): boolean {
    const c = this.control;
    const decide = (
      x: number,
      closeWhen: (x: number) => boolean,
      openWhen: (x: number) => boolean,
    ): boolean => {
      if (!closed) {
        if (closeWhen(x)) {
          this.pendingChange = 'close';
          return true;
        }
        this.pendingChange = 'none';
        return false;
      }
      if (openWhen(x)) {
        this.pendingChange = 'open';
        return true;
      }
      if (this.availableSteps > 0) {
        if (closeWhen(x)) {
          this.pendingChange = 'close';
          return true;
        }
        return false;
      }
      this.pendingChange = 'none';
      return false;
    };
    let sRe = 0;
    let sIm = 0;
    for (let k = 0; k < nc; k++) {
      const vr = v.re[base + k];
      const vi = v.im[base + k];
      const ir = iRe[base + k];
      const ii = iIm[base + k];
      sRe += vr * ir + vi * ii;
      sIm += vi * ir - vr * ii;
    }
    switch (c.type) {
      case 'kvar':
        return decide(
          sIm / 1000,
          (q) => q > c.onSetting,
          (q) => q < c.offSetting,
        );
      case 'current': {
        const mags = Array.from(
          { length: nc },
          (_, k) => Math.hypot(iRe[base + k], iIm[base + k]) / c.ctRatio,
        );
        return decide(
          this.pick(mags, c.ctPhase),
          (i) => i > c.onSetting,
          (i) => i < c.offSetting,
        );
      }
      case 'voltage': {
        if (closed) this.pendingChange = 'none';
        return decide(
          vTest(),
          (x) => x < c.onSetting,
          (x) => x > c.offSetting,
        );
      }
      case 'pf': {
        const s = Math.hypot(sRe, sIm);
        let pf = s === 0 ? 1 : Math.abs(sRe) / s;
        if (sIm < 0) pf = 2 - pf;
        // not so far leading: closing wants enough vars through the terminal for the bank (or a step)
        const minKvar = closed ? c.pfStepMinKvar : c.pfCloseMinKvar;
        return decide(
          pf,
          (x) => x < c.onSetting && sIm / 1000 > minKvar,
          (x) => x > c.offSetting,
        );
      }
      case 'time':
        return this.byTimeOfDay(timeOfDay(ctx.now), closed);
    }
  }

  /**
   * type=time: closed from onsetting to offsetting hours. When the off hour is not after the on
   * hour the window runs past midnight, and OpenDSS then closes an open bank only between the
   * on hour and midnight, and opens a closed one only between the off and on hours.
   */
  private byTimeOfDay(t: number, closed: boolean): boolean {
    const { onSetting: on, offSetting: off } = this.control;
    const sameDay = off > on;
    const set = (change: Change): boolean => {
      this.pendingChange = change;
      return change !== 'none';
    };
    const closeWindow = sameDay ? t >= on && t < off : t >= on && t < 24;
    if (!closed) return set(closeWindow ? 'close' : 'none');
    const openWindow = sameDay ? t >= off || t < on : t >= off && t < on;
    if (openWindow) return set('open');
    if (this.availableSteps === 0) return set('none');
    // more steps to close: OpenDSS leaves the pending change as it was when none is due
    if (closeWindow) return set('close');
    return false;
  }

  act(ctx: ControlContext): void {
    const cap = this.cap;
    const states = cap.states;
    if (this.pendingChange === 'open' && this.closed) {
      const last = states.lastIndexOf(1);
      states[last] = 0;
      // OpenDSS notes the time only when a single-step bank opens
      if (cap.steps === 1) this.lastOpenTime = ctx.now;
      ctx.invalidate(this.capIndex);
    } else if (this.pendingChange === 'close') {
      const next = states.indexOf(0);
      if (next >= 0) {
        states[next] = 1;
        ctx.invalidate(this.capIndex);
      }
    }
    this.armed = false;
  }
}

/**
 * OpenDSS's NormalizeToTOD: the hour of day of the solution clock, 0 only before the first
 * hour; hours past the first day count 1..24, so midnight reads 24 and not 0.
 */
export function timeOfDay(nowSec: number): number {
  const h = Math.floor(nowSec / 3600);
  const sec = nowSec - h * 3600;
  const hourOfDay = h > 24 ? h - Math.trunc((h - 1) / 24) * 24 : h;
  const t = hourOfDay + sec / 3600;
  return t - 24 > 1e-9 ? t - 24 : t;
}

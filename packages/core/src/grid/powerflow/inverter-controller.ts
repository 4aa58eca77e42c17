import type { InverterControl, InverterMemory, InverterOutput, Network } from '../model/index.js';
import type { ControlContext, Controller } from './controllers.js';

/** the vars one unit of the volt-var curve stands for, upwards and downwards */
interface Headroom {
  up: number;
  down: number;
}

/**
 * OpenDSS's InvControl in volt-var or volt-watt mode, static control. Each sample reads every PV system's
 * mean (or max, min) phase-to-ground voltage in per unit of its VBase and queues an action
 * (no delay) in the first control iteration or while the voltage still moves by more than
 * VoltageChangeTolerance or the vars are more than VarChangeTolerance off the curve. The action
 * looks the vars up on the curve in per unit of the headroom, limits them to the inverter's
 * kvar limits (and, with watt priority under VARMAX, to the vars beside its kW), and moves the
 * vars that fraction (deltaQ_factor, or OpenDSS's adaptive step) of the way there. Volt-watt
 * does the same with a kW cap (ActivePChangeTolerance, deltaP_factor).
 */
export class InverterController implements Controller {
  readonly id: string;
  private readonly pending: boolean[];
  /** per PV system: the nodes of its phase conductors */
  private readonly phaseNodes: Int32Array[];
  /** the output each PV system had when last sampled */
  private readonly sampled: InverterOutput[];

  constructor(
    readonly control: InverterControl,
    network: Network,
  ) {
    this.id = control.id;
    this.pending = control.ders.map(() => false);
    this.phaseNodes = control.ders.map((d) => {
      const e = network.elements.indexOf(d.element);
      return network.conductorNodes[e].slice(0, d.element.p.phases);
    });
    this.sampled = control.ders.map((d) => d.present());
  }

  /** The monitored voltage of PV system k, volts: OpenDSS's average (or extreme) of its phases. */
  private monitoredVoltage(ctx: ControlContext, k: number): number {
    const { re, im } = ctx.voltages;
    const mags = Array.from(this.phaseNodes[k], (n) => (n >= 0 ? Math.hypot(re[n], im[n]) : 0));
    const how = this.control.monVoltage;
    if (how === 'max') return Math.max(0, ...mags);
    if (how === 'min') return Math.min(1e50, ...mags);
    return mags.reduce((a, b) => a + b, 0) / mags.length;
  }

  sample(ctx: ControlContext): void {
    const c = this.control;
    let any = false;
    c.ders.forEach((der, k) => {
      const m = c.memory[k];
      const out = der.present();
      this.sampled[k] = out;
      if (ctx.controlIteration === 1) m.priorVpu = m.presentVpu;
      m.presentVpu = this.monitoredVoltage(ctx, k) / der.vBaseV;
      const voltageMoved = Math.abs(m.presentVpu - m.priorVpu) > c.voltageChangeTolerancePu;
      let moving: boolean;
      if (c.mode === 'voltwatt') {
        if (!out.inverterOn) return;
        moving = voltageMoved || Math.abs(m.pLimitEndPu - m.pOldPu) > c.activePChangeTolerancePu;
      } else {
        if (!out.inverterOn && der.varFollowInverter) return;
        moving =
          voltageMoved || Math.abs(Math.abs(m.qOutputPu) - Math.abs(m.qDesireEndPu)) > c.varChangeTolerancePu;
      }
      if (moving || ctx.controlIteration === 1) {
        this.pending[k] = true;
        any = true;
      }
    });
    if (any) ctx.queue.push(ctx.now, this);
  }

  act(ctx: ControlContext): void {
    this.control.ders.forEach((der, k) => {
      if (!this.pending[k]) return;
      this.pending[k] = false;
      const out = this.control.mode === 'voltwatt' ? this.voltWatt(ctx, k) : this.voltVar(k);
      ctx.setInjectionPower(der.element, out.kw, out.kvar);
      this.sampled[k] = out;
    });
  }

  /**
   * OpenDSS's UpdateInvControl at the end of each time step: volt-watt lets go (the next step starts
   * from the panel's full power, capped again by the first action) and its step starts again at
   * one half; the vars asked for, the voltage seen and volt-var's step carry over.
   */
  endTimeStep(): void {
    this.control.ders.forEach((der, k) => {
      const m = this.control.memory[k];
      m.vwOperates = false;
      m.deltaPFactor = 0.5;
      der.endTimeStep();
    });
  }

  /** One volt-var step of PV system k: vars a deltaQ fraction of the way to the (limited) curve. */
  private voltVar(k: number): InverterOutput {
    const der = this.control.ders[k];
    const m = this.control.memory[k];
    const room = this.headroom(k);
    const qEndPu = this.limitedVarsPu(k, this.control.curve.yAt(m.presentVpu), room);
    const qWantedVar = qEndPu * (qEndPu >= 0 ? room.up : room.down);
    m.deltaQFactor = this.step(m, this.control.deltaQFactor, m.deltaQFactor, qStep);
    const qDesiredVar = m.qOldVar + (qWantedVar - m.qOldVar) * m.deltaQFactor;
    const out = der.requestKvar(qDesiredVar);
    m.qOutputPu = out.kvar / (qDesiredVar >= 0 ? room.up : room.down);
    m.qDesireEndPu = qEndPu;
    m.priorVpu = m.presentVpu;
    m.qOldVar = out.kvar;
    return out;
  }

  /**
   * One volt-watt step of PV system k (OpenDSS's CalcVoltWatt_watts): the kW cap from the curve,
   * within the kVA beside the present vars (unless watt priority) and %Pmpp; once the cap bites
   * (or has bitten) it moves a deltaP fraction of the way there, else it is set outright.
   */
  private voltWatt(ctx: ControlContext, k: number): InverterOutput {
    const der = this.control.ders[k];
    const m = this.control.memory[k];
    const out = this.sampled[k];
    const pBase = this.powerBase(k);
    const pCurvePu = this.control.curve.yAt(m.presentVpu);
    let limitedPu = 1;
    if (!der.wattPriority) {
      const besideVars = Math.sqrt(der.kvaRating ** 2 - out.kvar ** 2);
      if (besideVars < Math.abs(pCurvePu) * pBase) limitedPu = (besideVars / pBase) * Math.sign(pCurvePu);
    }
    const pctPmppKw = der.puPmpp * der.pmppKw;
    if (Math.abs(pCurvePu) * pBase > pctPmppKw) limitedPu = (pctPmppKw / pBase) * Math.sign(pCurvePu);
    m.pLimitEndPu = Math.min(Math.abs(limitedPu), Math.abs(pCurvePu)) * Math.sign(pCurvePu);
    const desiredPu = out.kw / pBase;
    let limitKw: number;
    if ((m.pLimitEndPu < 1 && m.pLimitEndPu <= Math.abs(desiredPu)) || m.vwOperates) {
      if (ctx.controlIteration === 1) m.pOldPu = Math.abs(desiredPu);
      m.vwOperates = true;
      m.deltaPFactor = this.step(m, this.control.deltaPFactor, m.deltaPFactor, pStep);
      limitKw = (m.pOldPu + (m.pLimitEndPu - m.pOldPu) * m.deltaPFactor) * pBase;
    } else limitKw = m.pLimitEndPu * pBase;
    const res = der.requestKw(limitKw);
    m.priorVpu = m.presentVpu;
    m.pOldPu = limitKw / pBase;
    return res;
  }

  /** OpenDSS's Calc_PBase: what volt-watt's per unit refers to. */
  private powerBase(k: number): number {
    const der = this.control.ders[k];
    switch (this.control.voltwattYAxis) {
      case 'pavailablepu':
        return der.panelKw();
      case 'pmpppu':
        return der.pmppKw;
      case 'pctpmpppu':
        return der.pmppKw * der.puPmpp;
      case 'kvaratingpu':
        return der.kvaRating;
    }
  }

  /** OpenDSS's Calc_QHeadRoom: the vars beside the present kW (VARAVAL) or the kvar limits (VARMAX). */
  private headroom(k: number): Headroom {
    const der = this.control.ders[k];
    const kw = this.sampled[k].kw;
    let up = 0;
    let down = 0;
    if (this.control.reactivePowerRef === 'varaval') {
      up = Math.abs(kw) < der.kvaRating ? Math.sqrt(der.kvaRating ** 2 - kw ** 2) : 0;
      down = up;
    } else {
      up = der.kvarLimit;
      down = der.kvarLimitNeg;
    }
    return { up: up === 0 ? der.kvarLimit : up, down: down === 0 ? der.kvarLimitNeg : down };
  }

  /** OpenDSS's Check_Qlimits: the curve's vars within the limits in force, per unit of the headroom. */
  private limitedVarsPu(k: number, qPu: number, room: Headroom): number {
    const der = this.control.ders[k];
    const out = this.sampled[k];
    let limited = 1;
    const upPu = Math.min(out.currentKvarLimit / room.up, limited);
    const downPu = Math.min(out.currentKvarLimitNeg / room.down, limited);
    if (qPu > 0 && Math.abs(qPu) >= Math.abs(upPu)) limited = upPu * Math.sign(qPu);
    else if (qPu < 0 && Math.abs(qPu) >= Math.abs(downPu)) limited = downPu * Math.sign(qPu);
    if (der.wattPriority && this.control.reactivePowerRef === 'varmax') {
      const besideKw = Math.sqrt(der.kvaRating ** 2 - out.kw ** 2) / (qPu >= 0 ? room.up : room.down);
      if (Math.abs(besideKw) < Math.abs(limited) && Math.abs(besideKw) < Math.abs(qPu))
        limited = besideKw * Math.sign(qPu);
    }
    return Math.min(Math.abs(qPu), Math.abs(limited)) * Math.sign(qPu);
  }

  /**
   * The fraction of the way to go: the fixed factor when given, else OpenDSS's adaptive one,
   * which shrinks while the voltage keeps moving almost as much as last time and grows when it
   * moves much less (thresholds differ for vars and watts); the last move is shared by both.
   */
  private step(m: InverterMemory, fixed: number, adaptive: number, rule: StepRule): number {
    if (fixed !== -1) return fixed;
    const dv = Math.abs(m.presentVpu - m.priorVpu);
    let f = adaptive;
    if (m.deltaVOldPu >= 0) {
      const old = m.deltaVOldPu;
      if (dv > rule.shrink[0] * old && f > 0.2) f -= 0.1;
      else if (dv > rule.shrink[1] * old && f > rule.floor) f -= 0.05;
      else if (dv < rule.grow[0] * old && f < 0.9) f += rule.growBy[0];
      else if (dv < rule.grow[1] * old && f < 0.9) f += rule.growBy[1];
    }
    m.deltaVOldPu = dv;
    return f;
  }
}

/** OpenDSS's Change_deltaQ_factor and Change_deltaP_factor, as thresholds on the voltage's last move. */
interface StepRule {
  shrink: [number, number];
  floor: number;
  grow: [number, number];
  growBy: [number, number];
}

const qStep: StepRule = { shrink: [0.8, 0.6], floor: 0.2, grow: [0.2, 0.4], growBy: [0.1, 0.05] };
const pStep: StepRule = { shrink: [0.9, 0.8], floor: 0.1, grow: [0.2, 0.1], growBy: [0.05, 0.1] };

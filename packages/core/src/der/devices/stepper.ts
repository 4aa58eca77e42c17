import { InvalidValueError } from '../../errors/index.js';
import {
  FLAG_CALLING,
  FLAG_DEPARTED,
  FLAG_OFFLINE,
  FLAG_UNINFORMED,
  type Fleet,
  GROUP_SIZE,
} from './fleet.js';
import {
  CONTROLLED_TIERS,
  KIND_AIR_CONDITIONER,
  KIND_BATTERY,
  KIND_EV_CHARGER,
  KIND_WATER_HEATER,
  STATE_DF,
  STATE_DR,
  STATE_EF,
  STATE_ER,
  TIER_BLACK,
  TIER_COUNT,
} from './kinds.js';
import {
  AGG_COUNT,
  AGG_DISABLED_S,
  AGG_LENGTH,
  AGG_REPORTING,
  AGG_UNCONTROLLED_KW,
  CLASS_CAPPED,
  CLASS_COUNT,
  CLASS_UNFAIR,
  CONTROL_LENGTH,
  SLOT_DF,
  SLOT_DR,
  SLOT_ER,
  SLOTS_PER_TIER,
} from './layout.js';
import { AIR_CONDITIONER, hourlyDecay, WATER_HEATER } from './physics.js';

/**
 * What the broadcast gives every device for one round: the control vector c(t) as switching
 * probabilities per controlled tier and flexible class, and the fairness reference (mean disabled
 * time of each tier). `groupReports` marks the aggregation groups sampled this round.
 */
export interface ControlVector {
  pOff: Float64Array;
  pOn: Float64Array;
  meanDisabledS: Float64Array;
  groupReports: Uint8Array;
}

export function newControlVector(fleet: Pick<Fleet, 'groupCount'>): ControlVector {
  return {
    pOff: new Float64Array(CONTROL_LENGTH),
    pOn: new Float64Array(CONTROL_LENGTH),
    meanDisabledS: new Float64Array(TIER_COUNT),
    groupReports: new Uint8Array(fleet.groupCount).fill(1),
  };
}

/** Counts of one round, written in place. */
export interface StepStats {
  switchesOff: number;
  switchesOn: number;
  /** disabled devices forced on by comfort limits, EV deadlines or customers */
  overrides: number;
}

export const newStepStats = (): StepStats => ({ switchesOff: 0, switchesOn: 0, overrides: 0 });

/**
 * Moves the fleet one round: controller transitions (EF→DR with p_off, DF→ER with p_on), refractory
 * timers, device physics and overrides, then each device reports its demand into the leaf sums
 * of the aggregation tree. All constants are computed once here so a round allocates nothing.
 */
export class FleetStepper {
  readonly dtS: number;
  private readonly enabledFixedS = new Float64Array(TIER_COUNT);
  private readonly enabledVarS = new Float64Array(TIER_COUNT);
  private readonly disabledFixedS = new Float64Array(TIER_COUNT);
  private readonly disabledVarS = new Float64Array(TIER_COUNT);
  private readonly capPerHour = new Float64Array(TIER_COUNT);

  constructor(
    readonly fleet: Fleet,
    dtS: number,
  ) {
    if (!(Number.isFinite(dtS) && dtS > 0 && dtS <= 600))
      throw new InvalidValueError(`fleet round length dtS: must lie in (0, 600] seconds, got ${dtS}`);
    this.dtS = dtS;
    CONTROLLED_TIERS.forEach((name, t) => {
      const tm = fleet.spec.timers[name];
      this.enabledFixedS[t] = tm.enabledFixedS;
      this.enabledVarS[t] = tm.enabledVarS;
      this.disabledFixedS[t] = tm.disabledFixedS;
      this.disabledVarS[t] = tm.disabledVarS;
      this.capPerHour[t] = fleet.spec.maxCyclesPerHour[name];
    });
  }

  /**
   * One round. Kept as a single loop on purpose: a million devices per round leave ~100 ns each,
   * so the state machine, the physics and the report share one pass over the arrays.
   */
  step(control: ControlVector, stats: StepStats): void {
    // module constants copied to locals: transpiling test runners turn imported bindings into
    // property reads, which would sit in the innermost loop
    const L_FLAG_CALLING = FLAG_CALLING;
    const L_FLAG_DEPARTED = FLAG_DEPARTED;
    const L_FLAG_OFFLINE = FLAG_OFFLINE;
    const L_FLAG_UNINFORMED = FLAG_UNINFORMED;
    const L_GROUP_SIZE = GROUP_SIZE;
    const L_KIND_AIR_CONDITIONER = KIND_AIR_CONDITIONER;
    const L_KIND_BATTERY = KIND_BATTERY;
    const L_KIND_EV_CHARGER = KIND_EV_CHARGER;
    const L_KIND_WATER_HEATER = KIND_WATER_HEATER;
    const L_STATE_DF = STATE_DF;
    const L_STATE_DR = STATE_DR;
    const L_STATE_EF = STATE_EF;
    const L_STATE_ER = STATE_ER;
    const L_TIER_BLACK = TIER_BLACK;
    const L_AGG_COUNT = AGG_COUNT;
    const L_AGG_DISABLED_S = AGG_DISABLED_S;
    const L_AGG_LENGTH = AGG_LENGTH;
    const L_AGG_REPORTING = AGG_REPORTING;
    const L_AGG_UNCONTROLLED_KW = AGG_UNCONTROLLED_KW;
    const L_CLASS_CAPPED = CLASS_CAPPED;
    const L_CLASS_COUNT = CLASS_COUNT;
    const L_CLASS_UNFAIR = CLASS_UNFAIR;
    const L_SLOT_DF = SLOT_DF;
    const L_SLOT_DR = SLOT_DR;
    const L_SLOT_ER = SLOT_ER;
    const L_SLOTS_PER_TIER = SLOTS_PER_TIER;
    const f = this.fleet;
    const { kind, tier, state, flags, ratedKw, demandKw, timerS, tempC, energyKwh, departureS } = f;
    const { disabledS, cyclesPerHour, partials } = f;
    // mulberry32 inlined on a local state: a method call per draw costs more than the draw
    let seed = f.rngState[0];
    const rand = (): number => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let z = seed;
      z = Math.imul(z ^ (z >>> 15), z | 1);
      z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
      return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
    };
    const { pOff, pOn, meanDisabledS, groupReports } = control;
    const eFix = this.enabledFixedS;
    const eVar = this.enabledVarS;
    const dFix = this.disabledFixedS;
    const dVar = this.disabledVarS;
    const cap = this.capPerHour;
    const dt = this.dtS;
    const spec = f.spec;
    const nowS = f.timeS + dt;
    const cycleDecay = hourlyDecay(dt);
    const pOverride = 1 - Math.exp((-spec.customerOverridesPerHour * dt) / 3600);

    const acSet = spec.comfort.airConditioner.setpointC;
    const acBand = spec.comfort.airConditioner.deadbandC;
    const acMaxRise = spec.comfort.airConditioner.maxRiseC;
    const acOffEq = spec.outdoorC;
    const acOnEq = spec.outdoorC - AIR_CONDITIONER.coolingC;
    const acDecay = Math.exp(-dt / AIR_CONDITIONER.timeConstantS);
    const whSet = spec.comfort.waterHeater.setpointC;
    const whBand = spec.comfort.waterHeater.deadbandC;
    const whMaxDrop = spec.comfort.waterHeater.maxDropC;
    const whOffEq = WATER_HEATER.ambientC;
    const whOnEq = WATER_HEATER.ambientC + WATER_HEATER.heatingC;
    const whDecay = Math.exp(-dt / WATER_HEATER.timeConstantS);
    const whDrawP = (WATER_HEATER.drawsPerHour * dt) / 3600;
    const whMaxDrawC = WATER_HEATER.maxDrawDropC;
    const evMarginS = spec.evDepartureMarginS;

    let off = 0;
    let on = 0;
    let overrides = 0;
    partials.fill(0);
    const n = f.size;
    for (let g = 0, start = 0; start < n; g++, start += L_GROUP_SIZE) {
      const end = Math.min(n, start + L_GROUP_SIZE);
      const reports = groupReports[g] === 1;
      const base = g * L_AGG_LENGTH;
      for (let i = start; i < end; i++) {
        const s0 = state[i];
        let st = s0 & 3;
        const t = tier[i];
        let fl = flags[i];
        const controlled = (fl & L_FLAG_OFFLINE) === 0 && t !== L_TIER_BLACK;

        if (controlled) {
          if (st === L_STATE_EF) {
            const p = (fl & L_FLAG_UNINFORMED) === 0 ? pOff[t * L_CLASS_COUNT + (s0 >> 2)] : 0;
            if (p > 0 && rand() < p) {
              st = L_STATE_DR;
              timerS[i] = dFix[t] + dVar[t] * rand();
              cyclesPerHour[i] += 1;
              off++;
            }
          } else if (st === L_STATE_DF) {
            // one draw serves both the customer override and the controller's p_on
            const u = rand();
            if (u < pOverride) {
              st = L_STATE_ER;
              timerS[i] = eFix[t] + eVar[t] * rand();
              overrides++;
            } else if (
              (fl & L_FLAG_UNINFORMED) === 0 &&
              u - pOverride < pOn[t * L_CLASS_COUNT + (s0 >> 2)] * (1 - pOverride)
            ) {
              st = L_STATE_ER;
              timerS[i] = eFix[t] + eVar[t] * rand();
              cyclesPerHour[i] += 1;
              on++;
            }
          } else if (st === L_STATE_DR && pOverride > 0 && rand() < pOverride) {
            st = L_STATE_ER;
            timerS[i] = eFix[t] + eVar[t] * rand();
            overrides++;
          } else {
            const left = timerS[i] - dt;
            if (left <= 0) {
              timerS[i] = 0;
              st = st === L_STATE_ER ? L_STATE_EF : L_STATE_DF;
            } else timerS[i] = left;
          }
        }

        let enabled = !controlled || st <= L_STATE_ER;
        let demand = 0;
        const k = kind[i];
        if (k === L_KIND_AIR_CONDITIONER) {
          const eq = enabled && (fl & L_FLAG_CALLING) !== 0 ? acOnEq : acOffEq;
          const temp = eq + (tempC[i] - eq) * acDecay;
          tempC[i] = temp;
          const rise = temp - acSet;
          if (rise > acBand) fl |= L_FLAG_CALLING;
          else if (rise < -acBand) fl &= ~L_FLAG_CALLING;
          if (!enabled && rise > acMaxRise) {
            st = L_STATE_ER;
            timerS[i] = eFix[t] + eVar[t] * rand();
            overrides++;
            enabled = true;
          }
          demand = (fl & L_FLAG_CALLING) !== 0 ? ratedKw[i] : 0;
        } else if (k === L_KIND_WATER_HEATER) {
          let temp = tempC[i];
          const u = rand();
          if (u < whDrawP) temp -= whMaxDrawC * (u / whDrawP);
          const eq = enabled && (fl & L_FLAG_CALLING) !== 0 ? whOnEq : whOffEq;
          temp = eq + (temp - eq) * whDecay;
          tempC[i] = temp;
          const drop = whSet - temp;
          if (drop > whBand) fl |= L_FLAG_CALLING;
          else if (drop < -whBand) fl &= ~L_FLAG_CALLING;
          if (!enabled && drop > whMaxDrop) {
            st = L_STATE_ER;
            timerS[i] = eFix[t] + eVar[t] * rand();
            overrides++;
            enabled = true;
          }
          demand = (fl & L_FLAG_CALLING) !== 0 ? ratedKw[i] : 0;
        } else if (k === L_KIND_EV_CHARGER) {
          if ((fl & L_FLAG_DEPARTED) === 0 && nowS >= departureS[i]) fl |= L_FLAG_DEPARTED;
          let e = energyKwh[i];
          if ((fl & L_FLAG_DEPARTED) === 0 && e > 0) {
            const rated = ratedKw[i];
            const slackS = departureS[i] - nowS - (e * 3600) / rated;
            if (slackS < evMarginS && controlled) {
              // the deadline outranks the controller: a disabled EV is forced on, an enabled
              // one is kept out of the flexible pool so it is never budgeted for shedding
              if (!enabled) {
                overrides++;
                enabled = true;
              }
              if (st !== L_STATE_ER || timerS[i] < dt) timerS[i] = eFix[t] + eVar[t] * rand();
              st = L_STATE_ER;
            }
            if (enabled) {
              e -= (rated * dt) / 3600;
              if (e < 0) e = 0;
              energyKwh[i] = e;
            }
            demand = e > 0 ? rated : 0;
          }
        } else if (k === L_KIND_BATTERY) {
          let e = energyKwh[i];
          if (e > 0 && enabled) {
            e -= (ratedKw[i] * dt) / 3600;
            if (e < 0) e = 0;
            energyKwh[i] = e;
          }
          demand = e > 0 ? ratedKw[i] : 0;
        } else demand = ratedKw[i];

        let cls = 0;
        if (controlled) {
          let dis = disabledS[i];
          if (st >= L_STATE_DF) disabledS[i] = dis += dt;
          const cyc = cyclesPerHour[i] * cycleDecay;
          cyclesPerHour[i] = cyc;
          const capped = cyc >= cap[t] ? L_CLASS_CAPPED : 0;
          if (st === L_STATE_EF) cls = (dis > meanDisabledS[t] ? L_CLASS_UNFAIR : 0) | capped;
          else if (st === L_STATE_DF) cls = (dis < meanDisabledS[t] ? L_CLASS_UNFAIR : 0) | capped;
        }
        state[i] = st | (cls << 2);
        flags[i] = fl;
        demandKw[i] = demand;

        if (reports) {
          partials[base + L_AGG_REPORTING] += 1;
          if ((fl & L_FLAG_OFFLINE) !== 0) partials[base + L_AGG_UNCONTROLLED_KW] += demand;
          else {
            const slot =
              st === L_STATE_EF
                ? cls
                : st === L_STATE_ER
                  ? L_SLOT_ER
                  : st === L_STATE_DF
                    ? L_SLOT_DF + cls
                    : L_SLOT_DR;
            partials[base + t * L_SLOTS_PER_TIER + slot] += demand;
            if (t !== L_TIER_BLACK) {
              partials[base + L_AGG_DISABLED_S + t] += disabledS[i];
              partials[base + L_AGG_COUNT + t] += 1;
            }
          }
        }
      }
    }
    f.rngState[0] = seed;
    f.timeS = nowS;
    stats.switchesOff = off;
    stats.switchesOn = on;
    stats.overrides = overrides;
  }
}

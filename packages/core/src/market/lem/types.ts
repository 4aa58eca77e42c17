import type { MarketSettings, Order, RejectedOrder } from '../orders/index.js';

/** A distribution locational marginal price at one bus-phase, $/MWh, and its three parts. */
export interface Dlmp {
  interval: number;
  bus: string;
  phase: number;
  total: number;
  energy: number;
  congestion: number;
  loss: number;
}

export interface OrderSchedule {
  id: string;
  participant: string;
  type: Order['type'];
  /** per interval: kW sold (offers, storage discharge) or bought (bids, storage charge as negative) */
  kw: number[];
  /** storage only: state of charge at the end of each interval, kWh */
  socKwh?: number[];
}

export interface BindingConstraint {
  interval: number;
  /** e.g. "Line.l2 terminal 1 phase 2 current" or "675.1 voltage max" */
  name: string;
  /** $/MWh-equivalent per unit of the constraint (per A or per pu) */
  shadowPrice: number;
  slack: number;
}

export interface SettlementLine {
  /** a participant, or "(iso)" for the substation's trade and "(feeder loads)" for the feeder's own loads */
  participant: string;
  /** energy delivered into the feeder over the horizon, kWh (negative: taken) */
  energyKwh: number;
  /** $ paid to the participant (negative: the participant pays) */
  energyUsd: number;
  congestionUsd: number;
  /** make-whole payment to a committed unit whose revenue falls short of its offer */
  upliftUsd: number;
  totalUsd: number;
}

export interface LemIteration {
  iteration: number;
  /** new sensitivities around the AC solution, or the last ones re-centred on it */
  step: 'linearized' | 'recentered';
  criticalConstraints: number;
  maxBranchLoading: number;
  minVoltagePu: number;
  maxVoltagePu: number;
  violations: number;
  /** largest gap over the intervals between the market's substation supply and the AC one, kW */
  balanceMismatchKw: number;
  objectiveUsd: number;
}

/** How the AC loop ended. */
export interface LemConvergence {
  /** the linearized balance met the AC one within the tolerance with no limit left to add */
  converged: boolean;
  iterations: number;
  linearizations: number;
  balanceToleranceKw: number;
  balanceMismatchKw: number;
}

/** The last market model's size, and whether it was the reduced one. */
export interface LemModelSize {
  reduced: boolean;
  columns: number;
  rows: number;
  nonzeros: number;
  limitRows: number;
  /** limit sensitivities computed (adjoint solves) for it */
  adjoints: number;
}

/** A limit the AC solution of the cleared schedule exceeds. */
export interface LimitViolation {
  interval: number;
  name: string;
  /** amperes or per unit */
  value: number;
  limit: number;
}

export type LemStatus = 'optimal' | 'relaxed' | 'limit-violated' | 'not-converged';

export interface LemResult {
  market: 'dam' | 'rtm';
  intervals: number;
  intervalHours: number;
  /**
   * optimal: at the fixed point within every limit; relaxed: at the fixed point with soft limits
   * given (see slackUse); limit-violated: the loop ended with the AC solution beyond a limit (see
   * violations); not-converged: within limits, but the balance did not reach its tolerance
   */
  status: LemStatus;
  convergence: LemConvergence;
  model: LemModelSize;
  /** limits the AC solution of the cleared schedule exceeds */
  violations: LimitViolation[];
  objectiveUsd: number;
  schedules: OrderSchedule[];
  /** on/off per interval of each three-part generator */
  commitments: { id: string; on: number[] }[];
  /** substation import per interval (export negative) in the market's linearized balance, kW */
  substationKw: number[];
  /** the same from the AC power flow of the cleared schedule, kW */
  acSubstationKw: number[];
  dlmp: Dlmp[];
  binding: BindingConstraint[];
  /** positive slacks of soft constraints, in their own units */
  slackUse: { interval: number; name: string; amount: number }[];
  settlement: SettlementLine[];
  /** what the DSO keeps: loads' and bilateral payments less sellers, ISO and uplift, $ (≥ 0 when revenue adequate) */
  dsoSurplusUsd: number;
  /** per interval, from the AC power flow of the cleared schedule: substation + market = loads + losses */
  energyBalance: {
    interval: number;
    substationKw: number;
    marketKw: number;
    loadKw: number;
    lossesKw: number;
  }[];
  iterations: LemIteration[];
  rejected: RejectedOrder[];
  timing: { buildMs: number; solveMs: number; powerFlowMs: number };
  settings: MarketSettings;
}

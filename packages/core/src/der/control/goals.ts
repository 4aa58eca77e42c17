import { InvalidValueError } from '../../errors/index.js';

/** A goal for total enabled demand as a function of time, kW. */
export type GoalProfile = (timeS: number) => number;

function finite(field: string, v: number): void {
  if (!Number.isFinite(v)) throw new InvalidValueError(`goal profile ${field}: must be finite, got ${v}`);
}

/** beforeKw until atS, afterKw from then on. */
export function stepGoal(beforeKw: number, afterKw: number, atS: number): GoalProfile {
  finite('beforeKw', beforeKw);
  finite('afterKw', afterKw);
  finite('atS', atS);
  return (t) => (t < atS ? beforeKw : afterKw);
}

/** fromKw until startS, then linearly to toKw over durationS, then held. */
export function rampGoal(fromKw: number, toKw: number, startS: number, durationS: number): GoalProfile {
  finite('fromKw', fromKw);
  finite('toKw', toKw);
  finite('startS', startS);
  if (!(durationS > 0))
    throw new InvalidValueError(`goal profile durationS: must be positive, got ${durationS}`);
  return (t) => {
    if (t <= startS) return fromKw;
    if (t >= startS + durationS) return toKw;
    return fromKw + ((toKw - fromKw) * (t - startS)) / durationS;
  };
}

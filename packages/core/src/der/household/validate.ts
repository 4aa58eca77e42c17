import { InvalidValueError } from '../../errors/index.js';
import { type ApplianceJob, HOURS_PER_DAY, type Household } from './types.js';

function fail(message: string, details: Record<string, unknown>): never {
  throw new InvalidValueError(message, { details });
}

/** An hourly series of the day: one finite value per hour, none below zero. */
export function checkHourly(values: readonly number[], field: string, household: string): void {
  if (values.length !== HOURS_PER_DAY)
    fail(`household ${household}: ${field} has ${values.length} hours, the day has ${HOURS_PER_DAY}`, {
      household,
      field,
    });
  values.forEach((v, hour) => {
    if (!(Number.isFinite(v) && v >= 0))
      fail(`household ${household}: ${field}[${hour}] = ${v} must be a finite number ≥ 0`, {
        household,
        field,
        hour,
      });
  });
}

function checkJob(job: ApplianceJob, household: string): void {
  const where = `household ${household}, job ${job.id}`;
  const whole = (field: keyof ApplianceJob, min: number) => {
    const v = job[field] as number;
    if (!(Number.isInteger(v) && v >= min))
      fail(`${where}: ${field} = ${v} must be a whole number ≥ ${min}`, { household, job: job.id, field });
  };
  whole('earliestHour', 0);
  whole('windowHours', 1);
  whole('durationHours', 0);
  if (!(Number.isFinite(job.energyKwhPerHour) && job.energyKwhPerHour >= 0))
    fail(`${where}: energyKwhPerHour = ${job.energyKwhPerHour} must be a finite number ≥ 0`, {
      household,
      job: job.id,
      field: 'energyKwhPerHour',
    });
  if (job.earliestHour + job.windowHours > HOURS_PER_DAY)
    fail(
      `${where}: windowHours ${job.windowHours} from hour ${job.earliestHour} runs past the end of the day`,
      { household, job: job.id, field: 'windowHours' },
    );
  if (job.durationHours > job.windowHours)
    fail(`${where}: durationHours ${job.durationHours} cannot fit its window of ${job.windowHours} h`, {
      household,
      job: job.id,
      field: 'durationHours',
    });
}

function checkPrice(value: number, field: string, household: string): void {
  if (!(Number.isFinite(value) && value >= 0))
    fail(`household ${household}: ${field} = ${value} must be a finite price ≥ 0`, { household, field });
}

/** Rejects a household the day cannot be planned for, naming the field, household and job. */
export function validateHousehold(h: Household): void {
  if (typeof h.id !== 'string' || h.id === '')
    fail('household: id must be a non-empty string', { field: 'id' });
  checkHourly(h.loadKwh, 'loadKwh', h.id);
  checkHourly(h.pvKwh, 'pvKwh', h.id);
  checkPrice(h.reservationUsdPerKwh, 'reservationUsdPerKwh', h.id);
  checkPrice(h.feedInUsdPerKwh, 'feedInUsdPerKwh', h.id);
  checkPrice(h.networkFeeUsdPerKwh, 'networkFeeUsdPerKwh', h.id);
  checkPrice(h.acceptUsdPerKwh, 'acceptUsdPerKwh', h.id);
  const ids = new Set<string>();
  for (const job of h.jobs) {
    if (ids.has(job.id))
      fail(`household ${h.id}: job id ${job.id} is used twice`, { household: h.id, job: job.id });
    ids.add(job.id);
    checkJob(job, h.id);
  }
}

/** A price series of the day (prices may be negative, but must be numbers). */
export function checkPrices(values: readonly number[], field: string): void {
  if (values.length !== HOURS_PER_DAY)
    fail(`${field} has ${values.length} hours, the day has ${HOURS_PER_DAY}`, { field });
  values.forEach((v, hour) => {
    if (!Number.isFinite(v)) fail(`${field}[${hour}] = ${v} must be a finite price`, { field, hour });
  });
}

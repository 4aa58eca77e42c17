import { BusError } from './errors.js';

/** One token of a NATS subject and of a JetStream stream's name: no dots, wildcards or spaces. */
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

function checkToken(what: string, value: string): string {
  if (!TOKEN.test(value))
    throw new BusError(`${what} "${value}": expected 1 to 64 letters, digits, "_" or "-"`, {
      details: { field: what },
    });
  return value;
}

/** Checks a feeder's name: it becomes a subject token and part of a stream's name. */
export function checkFeederName(feeder: string): string {
  return checkToken('feeder', feeder);
}

/**
 * Where a feeder's traffic goes. Every name starts with the prefix, so two deployments (or two
 * test runs) on one NATS server never see each other's streams:
 * - `<prefix>.<feeder>.orders`: the orders stream (one writer: the feeder's engine reads it)
 * - `<prefix>.<feeder>.events`: every event of the feeder's log, once durable, in sequence order
 * - `<prefix>.<feeder>.results`: the answer to each order message, by its message id
 * - `<prefix>.<feeder>.sessions`: request/reply, the sessions open or planned now
 * The first three are kept by JetStream: `<prefix>_<feeder>_orders` holds the orders,
 * `<prefix>_<feeder>_out` the events and results.
 */
export class FeederTopology {
  readonly prefix: string;
  readonly feeder: string;

  constructor(prefix: string, feeder: string) {
    this.prefix = checkToken('prefix', prefix);
    this.feeder = checkFeederName(feeder);
  }

  get ordersSubject(): string {
    return `${this.prefix}.${this.feeder}.orders`;
  }
  get eventsSubject(): string {
    return `${this.prefix}.${this.feeder}.events`;
  }
  get resultsSubject(): string {
    return `${this.prefix}.${this.feeder}.results`;
  }
  get sessionsSubject(): string {
    return `${this.prefix}.${this.feeder}.sessions`;
  }
  get ordersStream(): string {
    return `${this.prefix}_${this.feeder}_orders`;
  }
  get outStream(): string {
    return `${this.prefix}_${this.feeder}_out`;
  }
  /** the durable consumer the feeder's engine reads its orders through */
  get engineConsumer(): string {
    return 'engine';
  }
}

/** The default prefix of every subject and stream. */
export const DEFAULT_PREFIX = 'gridtier';

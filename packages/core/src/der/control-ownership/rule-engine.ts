import { InvalidValueError } from '../../errors/index.js';
import type { LeaseRegistry } from './leases.js';
import { type HomeEvent, type Rule, type RuleOutcome, runRules } from './rules.js';

/** An event as it arrives from a gateway: with the id its source gave it. */
export interface DeliveredEvent extends HomeEvent {
  id: string;
}

/**
 * The rules on the premises, fed by a gateway that may deliver an event more than once (MQTT
 * and most message queues deliver at least once): each event acts once, by its id, so a
 * redelivered "price dropped" does not switch the heat pump twice. Ids are remembered for
 * `memoryS` seconds of event time, which must outlast the longest redelivery delay.
 */
export class RuleEngine {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly rules: readonly Rule[],
    private readonly leases: LeaseRegistry,
    private readonly memoryS = 3600,
  ) {
    if (!(memoryS > 0)) throw new InvalidValueError(`rule engine memoryS: must be positive, got ${memoryS}`);
  }

  /** The outcomes of an event's rules; none for an event already handled. */
  handle(event: DeliveredEvent): RuleOutcome[] {
    if (!event.id)
      throw new InvalidValueError(`event of type "${event.type}" at ${event.time}: id is required`);
    this.forget(event.time);
    if (this.seen.has(event.id)) return [];
    this.seen.set(event.id, event.time);
    return runRules(this.rules, event, this.leases);
  }

  private forget(now: number): void {
    for (const [id, t] of this.seen) if (t < now - this.memoryS) this.seen.delete(id);
  }
}

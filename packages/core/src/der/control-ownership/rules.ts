import type { LeaseRegistry } from './leases.js';

/** Something that happened on the premises: a sensor reading, a price, a button. */
export interface HomeEvent {
  type: string;
  time: number;
  value?: number;
}

/** On an event of a type, if the condition holds, command a resource — as its owner. */
export interface Rule {
  id: string;
  owner: string;
  on: string;
  when: (e: HomeEvent) => boolean;
  resource: string;
  command: string;
}

export interface RuleOutcome {
  rule: string;
  resource: string;
  command: string;
  done: boolean;
  /** why a matching rule did not act */
  reason?: string;
}

/**
 * Runs the event-condition-action rules on the premises on top of the lease registry: a rule
 * whose condition holds acts only if its owner holds the resource's lease at the event's time;
 * otherwise it is refused and the outcome says who holds it.
 */
export function runRules(rules: readonly Rule[], event: HomeEvent, leases: LeaseRegistry): RuleOutcome[] {
  const out: RuleOutcome[] = [];
  for (const r of rules) {
    if (r.on !== event.type || !r.when(event)) continue;
    const holder = leases.holderAt(r.resource, event.time);
    if (holder === r.owner) out.push({ rule: r.id, resource: r.resource, command: r.command, done: true });
    else
      out.push({
        rule: r.id,
        resource: r.resource,
        command: r.command,
        done: false,
        reason: holder
          ? `${r.resource} is leased to ${holder}`
          : `${r.owner} holds no lease on ${r.resource}`,
      });
  }
  return out;
}

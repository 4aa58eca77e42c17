/**
 * Exclusive control of a device or an environmental variable (e.g. a room's temperature) for a
 * time window, after Horta et al. §5.2: several controllers (energy, comfort, security, health)
 * may want the same thing, and only the lease holder may act on it. Time is the caller's, in
 * seconds. The registry is an interface so that a ledger can back it later.
 */
export interface Lease {
  id: string;
  resource: string;
  holder: string;
  /** [from, to): the lease is held from `from` until just before `to` */
  from: number;
  to: number;
  /** holders it may be handed to, stated when it is granted; none means it cannot be transferred */
  transferableTo: readonly string[];
}

export type LeaseResult = { granted: true; lease: Lease } | { granted: false; reason: string };

export interface LeaseRegistry {
  acquire(
    request: Omit<Lease, 'id' | 'transferableTo'> & { transferableTo?: readonly string[] },
  ): LeaseResult;
  release(leaseId: string, holder: string): boolean;
  transfer(leaseId: string, from: string, to: string, now: number): LeaseResult;
  /** who holds the resource at time t, if anyone */
  holderAt(resource: string, t: number): string | undefined;
  /** drops the leases that ended by `now` and returns them */
  expire(now: number): Lease[];
}

/**
 * The in-memory registry. A request that overlaps a lease someone else holds on the same
 * resource is refused, naming that lease, whatever the order of arrival within a call; requests
 * are decided strictly in the order they are made, so the outcome is deterministic.
 */
export class MemoryLeaseRegistry implements LeaseRegistry {
  private readonly byResource = new Map<string, Lease[]>();
  private readonly byId = new Map<string, Lease>();
  private seq = 0;

  acquire(
    request: Omit<Lease, 'id' | 'transferableTo'> & { transferableTo?: readonly string[] },
  ): LeaseResult {
    const { resource, holder, from, to } = request;
    if (!(Number.isFinite(from) && Number.isFinite(to) && from < to))
      return { granted: false, reason: `window [${from}, ${to}) is empty or not finite` };
    const held = this.byResource.get(resource) ?? [];
    const clash = held.find((l) => l.from < to && from < l.to);
    if (clash)
      return {
        granted: false,
        reason: `${resource} is held by ${clash.holder} from ${clash.from} to ${clash.to} (lease ${clash.id})`,
      };
    const lease: Lease = {
      id: `lease-${++this.seq}`,
      resource,
      holder,
      from,
      to,
      transferableTo: [...(request.transferableTo ?? [])],
    };
    held.push(lease);
    this.byResource.set(resource, held);
    this.byId.set(lease.id, lease);
    return { granted: true, lease };
  }

  release(leaseId: string, holder: string): boolean {
    const lease = this.byId.get(leaseId);
    if (!lease || lease.holder !== holder) return false;
    this.remove(lease);
    return true;
  }

  transfer(leaseId: string, from: string, to: string, now: number): LeaseResult {
    const lease = this.byId.get(leaseId);
    if (!lease) return { granted: false, reason: `no lease ${leaseId}` };
    if (lease.holder !== from) return { granted: false, reason: `${from} does not hold lease ${leaseId}` };
    if (now >= lease.to) return { granted: false, reason: `lease ${leaseId} ended at ${lease.to}` };
    if (!lease.transferableTo.includes(to))
      return {
        granted: false,
        reason: `lease ${leaseId} may not pass to ${to}: its terms allow ${lease.transferableTo.join(', ') || 'no one'}`,
      };
    // the remainder of the window passes on; what has been used stays with the giver
    const rest: Lease = {
      ...lease,
      id: `lease-${++this.seq}`,
      holder: to,
      from: Math.max(now, lease.from),
      transferableTo: [],
    };
    this.remove(lease);
    if (rest.from > lease.from) this.keep({ ...lease, to: rest.from });
    this.keep(rest);
    return { granted: true, lease: rest };
  }

  holderAt(resource: string, t: number): string | undefined {
    return this.byResource.get(resource)?.find((l) => l.from <= t && t < l.to)?.holder;
  }

  expire(now: number): Lease[] {
    const ended = [...this.byId.values()].filter((l) => l.to <= now);
    for (const l of ended) this.remove(l);
    return ended;
  }

  leases(resource: string): readonly Lease[] {
    return this.byResource.get(resource) ?? [];
  }

  private keep(lease: Lease): void {
    const held = this.byResource.get(lease.resource) ?? [];
    held.push(lease);
    this.byResource.set(lease.resource, held);
    this.byId.set(lease.id, lease);
  }

  private remove(lease: Lease): void {
    const held = this.byResource.get(lease.resource) ?? [];
    this.byResource.set(
      lease.resource,
      held.filter((l) => l !== lease),
    );
    this.byId.delete(lease.id);
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { AdrRecord } from '../store/index.js';
import type { Operation } from './schemas.js';
import type { AdrListener, Vtn } from './vtn.js';

export interface WebhookOptions {
  /** how long one POST may take (the Definition recommends 10 to 30 s) */
  timeoutMs: number;
  /** attempts per notification, the first included */
  attempts: number;
  /** the wait before the second attempt; doubled before each further one */
  backoffMs: number;
}

export const DEFAULT_WEBHOOKS: WebhookOptions = { timeoutMs: 10_000, attempts: 3, backoffMs: 1000 };

interface SubscriptionBody {
  objectOperations: {
    objects: string[];
    operations: string[];
    callbackUrl: string;
    bearerToken?: string | null;
  }[];
}

/** The program an object belongs to, for a subscription that names one. */
function programOf(r: AdrRecord): string | undefined {
  if (r.kind === 'PROGRAM') return r.id;
  return r.programId;
}

/**
 * Subscriptions' webhooks: on every create, update and delete the VTN POSTs a `notification`
 * ({objectType, operation, object}) to the callbackUrl of each subscription whose
 * objectOperations name that kind and operation, whose programID (if any) is the object's, whose
 * targets (if any) the object carries, and whose client may see the object (the same privacy as
 * a read, target hiding included). The subscription's bearerToken is sent as the Authorization.
 *
 * Deliveries to one callback URL go out in order; different URLs do not wait for each other. A
 * failed POST (network error, timeout, a status other than 2xx) is retried with doubling waits,
 * then counted as failed; redirects are not followed (a redirect to a private address is a known
 * webhook attack).
 */
export class WebhookNotifier implements AdrListener {
  private matching: Promise<void> = Promise.resolve();
  private readonly byUrl = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  readonly counts = { delivered: 0, failed: 0, retried: 0 };

  constructor(
    private readonly vtn: Vtn,
    private readonly options: WebhookOptions = DEFAULT_WEBHOOKS,
  ) {}

  changed(operation: Operation, record: AdrRecord): void {
    if (this.abort.signal.aborted) return;
    this.matching = this.matching.then(() => this.dispatch(operation, record)).catch(() => undefined);
  }

  /** Resolves once every notification so far has been delivered or given up. */
  async idle(): Promise<void> {
    for (;;) {
      const before = this.matching;
      await before;
      await Promise.all(this.byUrl.values());
      if (before === this.matching) return;
    }
  }

  /** Stops: nothing more is sent, and what is in flight is cut. */
  close(): void {
    this.abort.abort();
  }

  private async dispatch(operation: Operation, record: AdrRecord): Promise<void> {
    for (let skip = 0; ; skip += 1000) {
      const subs = await this.vtn.repo.adrList({ kind: 'SUBSCRIPTION', skip, limit: 1000 });
      for (const sub of subs) await this.offer(sub, operation, record);
      if (subs.length < 1000) return;
    }
  }

  private async offer(sub: AdrRecord, operation: Operation, record: AdrRecord): Promise<void> {
    const wanted = (sub.body as unknown as SubscriptionBody).objectOperations.filter(
      (o) => o.objects.includes(record.kind) && o.operations.includes(operation),
    );
    if (wanted.length === 0 || sub.clientId === undefined) return;
    if (sub.programId !== undefined && programOf(record) !== sub.programId) return;
    if (sub.targets.length > 0 && !record.targets.some((t) => sub.targets.includes(t))) return;
    const object = await this.vtn.visibleTo(sub.clientId, record);
    if (object === undefined) return;
    const body = JSON.stringify({ objectType: record.kind, operation, object });
    for (const url of new Set(wanted.map((o) => o.callbackUrl))) {
      const token = wanted.find((o) => o.callbackUrl === url)?.bearerToken ?? undefined;
      const next = (this.byUrl.get(url) ?? Promise.resolve()).then(() => this.post(url, token, body));
      this.byUrl.set(url, next);
      void next.then(() => {
        if (this.byUrl.get(url) === next) this.byUrl.delete(url);
      });
    }
  }

  private async post(url: string, token: string | undefined, body: string): Promise<void> {
    let wait = this.options.backoffMs;
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      if (this.abort.signal.aborted) return;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]),
        });
        await res.body?.cancel();
        if (res.status >= 200 && res.status < 300) {
          this.counts.delivered++;
          return;
        }
      } catch {
        // a network error or a timeout: retried below like a refusal
      }
      if (attempt < this.options.attempts) {
        this.counts.retried++;
        try {
          await sleep(wait, undefined, { signal: this.abort.signal });
        } catch {
          return;
        }
        wait *= 2;
      }
    }
    this.counts.failed++;
  }
}

import { type EngineEvent, type MarketService, sessionStartOf } from '@gridtier/core/engine';
import { EventWriter, payloadDescriptor } from './event-writer.js';
import type { AdrObject, Vtn } from './vtn.js';

/** The program VPPs' dispatch belongs to. */
export const VPP_PROGRAM = 'gridtier-vpp';

/** The target BL grants a VEN that represents a VPP: `vpp:` and the VPP's account. */
export const vppTarget = (account: string) => `vpp:${account}`;

const SETPOINT = 'DISPATCH_SETPOINT';

interface LemFill {
  market: string;
  session: string;
  participant: string;
  detail?: { kw?: unknown };
}

/**
 * The VPPs' cleared LEM schedules as DISPATCH_SETPOINT events: a fill of a LEM session carries the
 * kW its order was scheduled in each interval (`detail.kw`); a VPP's fills of one clearing (one
 * per bus it offered at) are summed into one event of the program `gridtier-vpp`, in KW as the
 * LEM schedules them (+ delivered to the grid: demand the fleet sheds), targeted at `vpp:{account}`,
 * so every VEN BL granted that target (the VPP's own) reads it and no other. Written only when some
 * VEN holds the target.
 */
export class VppDispatch {
  private readonly writer: EventWriter;
  private readonly pending = new Map<
    string,
    { market: string; session: string; kw: Map<string, number[]> }
  >();
  readonly counts = { schedules: 0, events: 0, failed: 0 };

  constructor(
    vtn: Vtn,
    private readonly markets: readonly MarketService[],
  ) {
    this.writer = new EventWriter(vtn);
  }

  hear(e: EngineEvent): void {
    if (e.type !== 'market.fill') return;
    const f = e.payload as LemFill;
    const kw = f.detail?.kw;
    if (!Array.isArray(kw) || !kw.every((x) => typeof x === 'number')) return;
    const key = `${f.market} ${f.session}`;
    let batch = this.pending.get(key);
    if (batch === undefined) {
      // the clearing's other fills follow in the same step, before this job runs
      batch = { market: f.market, session: f.session, kw: new Map() };
      this.pending.set(key, batch);
      this.writer.later(async () => {
        const b = this.pending.get(key)!;
        this.pending.delete(key);
        await this.publish(b.market, b.session, b.kw).catch((error) => {
          this.counts.failed++;
          throw error;
        });
      });
    }
    const sum = batch.kw.get(f.participant) ?? new Array<number>(kw.length).fill(0);
    kw.forEach((x: number, i) => {
      sum[i] = (sum[i] ?? 0) + x;
    });
    batch.kw.set(f.participant, sum);
  }

  idle(): Promise<void> {
    return this.writer.idle();
  }

  /** Writes one clearing's schedules of the participants some VEN represents; what it wrote. */
  async publish(market: string, session: string, kwOf: ReadonlyMap<string, number[]>): Promise<AdrObject[]> {
    const intervalMinutes = this.markets.find((m) => m.id === market)?.product.intervalMinutes ?? 5;
    const start = new Date(sessionStartOf(session)).toISOString();
    const out: AdrObject[] = [];
    for (const [account, kw] of kwOf) {
      const target = vppTarget(account);
      const vens = await this.writer.vtn.repo.adrList({ kind: 'VEN', targets: [target], limit: 1 });
      if (vens.length === 0) continue;
      this.counts.schedules++;
      const programID = await this.writer.program(
        VPP_PROGRAM,
        [payloadDescriptor(SETPOINT, 'KW')],
        "GridTier's VPP dispatch: each VPP's cleared LEM schedule, kW per interval (+ demand its fleet sheds)",
      );
      out.push(
        await this.writer.write({
          programID,
          eventName: `${session} ${account}`,
          targets: [target],
          payloadDescriptors: [payloadDescriptor(SETPOINT, 'KW')],
          intervalPeriod: { start, duration: `PT${intervalMinutes}M` },
          intervals: kw.map((x, id) => ({ id, payloads: [{ type: SETPOINT, values: [x] }] })),
        }),
      );
      this.counts.events++;
    }
    return out;
  }
}

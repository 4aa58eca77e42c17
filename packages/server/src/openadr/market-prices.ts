import { type EngineEvent, type MarketService, sessionStartOf } from '@gridtier/core/engine';
import { EventWriter, payloadDescriptor, placedVens } from './event-writer.js';
import type { GridPlace } from './place.js';
import type { AdrObject, Vtn } from './vtn.js';

/** A clearing's DLMPs as the LEM publishes them: $/MWh per `bus.phase` node and interval. */
interface Dlmp {
  nodes: string[];
  intervals: { total: number[] }[];
}

/**
 * The price a resource at `place` pays or is paid in each interval, $/kWh: the DLMP at its bus
 * and phase; for a resource on several phases the mean of theirs (a balanced load draws the same
 * power on each). Undefined when the clearing has no DLMP at one of its nodes.
 */
export function pricesAt(dlmp: Dlmp, place: GridPlace): number[] | undefined {
  const at = place.phases.map((p) => dlmp.nodes.findIndex((n) => n.toLowerCase() === `${place.bus}.${p}`));
  if (at.some((i) => i < 0)) return undefined;
  return dlmp.intervals.map((iv) => at.reduce((sum, i) => sum + iv.total[i], 0) / at.length / 1000);
}

const descriptor = (payloadType: string) => payloadDescriptor(payloadType, 'KWH', 'USD');

/**
 * The local energy market's prices as OpenADR events: on each clearing with DLMPs, a PRICE event
 * (with EXPORT_PRICE: at a node the DLMP is paid for energy delivered there as it is charged for
 * energy taken) for every VEN with a resource placed on the feeder, one per bus and phases its
 * resources sit at, its intervals the clearing's. The event is targeted at the VEN's name, so it
 * is that VEN's alone; it belongs to the program named after the market (created on first use).
 *
 * The engine's events arrive synchronously as they are appended; the events are written after,
 * in order, and `idle()` says when they are.
 */
export class MarketPrices {
  private readonly writer: EventWriter;
  readonly counts = { clearings: 0, events: 0, unplaced: 0, failed: 0 };

  constructor(
    vtn: Vtn,
    private readonly markets: readonly MarketService[],
  ) {
    this.writer = new EventWriter(vtn);
  }

  /** Hears one engine event (LiveMarkets.onEvent). */
  hear(e: EngineEvent): void {
    if (e.type !== 'market.cleared') return;
    const p = e.payload as { market: string; session: string; result?: { dlmp?: unknown } };
    const dlmp = p.result?.dlmp as Dlmp | undefined;
    if (dlmp === undefined || dlmp === null || !Array.isArray(dlmp.nodes)) return;
    this.writer.later(() =>
      this.publish(p.market, p.session, dlmp).catch((error) => {
        this.counts.failed++;
        throw error;
      }),
    );
  }

  idle(): Promise<void> {
    return this.writer.idle();
  }

  /** The program of a market's prices, made the first time. */
  programOf(market: string): Promise<string> {
    return this.writer.program(
      `gridtier-${market}`,
      [descriptor('PRICE'), descriptor('EXPORT_PRICE')],
      `GridTier's ${market}: DLMP per bus and phase, $/kWh`,
    );
  }

  /** Writes the events of one clearing; what it wrote, in order. */
  async publish(market: string, session: string, dlmp: Dlmp): Promise<AdrObject[]> {
    this.counts.clearings++;
    const intervalMinutes = this.markets.find((m) => m.id === market)?.product.intervalMinutes ?? 5;
    const startMs = sessionStartOf(session);
    const placed = await placedVens(this.writer.vtn);
    if (placed.size === 0) return [];
    const programID = await this.programOf(market);
    const out: AdrObject[] = [];
    for (const { ven, places } of placed.values())
      for (const [node, place] of places) {
        const prices = pricesAt(dlmp, place);
        if (prices === undefined) {
          this.counts.unplaced++;
          continue;
        }
        out.push(
          await this.writer.write({
            programID,
            eventName: `${session} ${node}`,
            targets: [ven.name as string],
            payloadDescriptors: [descriptor('PRICE'), descriptor('EXPORT_PRICE')],
            intervalPeriod: { start: new Date(startMs).toISOString(), duration: `PT${intervalMinutes}M` },
            intervals: prices.map((p, id) => ({
              id,
              payloads: [
                { type: 'PRICE', values: [p] },
                { type: 'EXPORT_PRICE', values: [p] },
              ],
            })),
          }),
        );
        this.counts.events++;
      }
    return out;
  }
}

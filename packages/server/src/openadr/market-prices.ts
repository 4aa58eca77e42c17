import { type EngineEvent, type MarketService, sessionStartOf } from '@gridtier/core/engine';
import type { AdrRecord } from '../store/index.js';
import type { AdrObject, Vtn } from './vtn.js';

/** A clearing's DLMPs as the LEM publishes them: $/MWh per `bus.phase` node and interval. */
interface Dlmp {
  nodes: string[];
  intervals: { total: number[] }[];
}

/** Where a resource sits on the feeder, from its BUS and PHASES attributes. */
export interface GridPlace {
  bus: string;
  phases: number[];
}

/** The attribute types that place a resource on the feeder (private strings, as the spec allows). */
export const BUS_ATTRIBUTE = 'BUS';
export const PHASES_ATTRIBUTE = 'PHASES';

/** A resource's bus and phases, or undefined when it does not say them. */
export function placeOf(resource: AdrRecord): GridPlace | undefined {
  const attributes = (resource.body.attributes ?? []) as { type: string; values: unknown[] }[];
  const bus = attributes.find((a) => a.type === BUS_ATTRIBUTE)?.values[0];
  const phases = attributes.find((a) => a.type === PHASES_ATTRIBUTE)?.values.map(Number) ?? [1, 2, 3];
  if (typeof bus !== 'string' || bus === '' || phases.some((p) => !Number.isInteger(p))) return undefined;
  return { bus: bus.toLowerCase(), phases: [...new Set(phases)].sort() };
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

const descriptor = (payloadType: string) => ({
  objectType: 'EVENT_PAYLOAD_DESCRIPTOR' as const,
  payloadType,
  units: 'KWH',
  currency: 'USD',
});

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
  private queue: Promise<void> = Promise.resolve();
  private readonly programs = new Map<string, string>();
  readonly counts = { clearings: 0, events: 0, unplaced: 0, failed: 0 };

  constructor(
    private readonly vtn: Vtn,
    private readonly markets: readonly MarketService[],
  ) {}

  /** Hears one engine event (LiveMarkets.onEvent). */
  hear(e: EngineEvent): void {
    if (e.type !== 'market.cleared') return;
    const p = e.payload as { market: string; session: string; result?: { dlmp?: unknown } };
    const dlmp = p.result?.dlmp as Dlmp | undefined;
    if (dlmp === undefined || dlmp === null || !Array.isArray(dlmp.nodes)) return;
    this.queue = this.queue
      .then(async () => {
        await this.publish(p.market, p.session, dlmp);
      })
      .catch(() => {
        this.counts.failed++;
      });
  }

  idle(): Promise<void> {
    return this.queue;
  }

  /** The program of a market's prices, made the first time. */
  async programOf(market: string): Promise<string> {
    const known = this.programs.get(market);
    if (known !== undefined) return known;
    const programName = `gridtier-${market}`;
    let id = (await this.vtn.repo.adrList({ kind: 'PROGRAM', name: programName }))[0]?.id;
    if (id === undefined)
      id = (
        await this.vtn.save('PROGRAM', {
          name: programName,
          body: {
            programName,
            payloadDescriptors: [descriptor('PRICE'), descriptor('EXPORT_PRICE')],
            attributes: [
              { type: 'DESCRIPTION', values: [`GridTier's ${market}: DLMP per bus and phase, $/kWh`] },
            ],
          },
        })
      ).id;
    this.programs.set(market, id);
    return id;
  }

  /** Writes the events of one clearing; what it wrote, in order. */
  async publish(market: string, session: string, dlmp: Dlmp): Promise<AdrObject[]> {
    this.counts.clearings++;
    const intervalMinutes = this.markets.find((m) => m.id === market)?.product.intervalMinutes ?? 5;
    const startMs = sessionStartOf(session);
    const placed = new Map<string, { ven: AdrRecord; places: Map<string, GridPlace> }>();
    for (let skip = 0; ; skip += 1000) {
      const resources = await this.vtn.repo.adrList({ kind: 'RESOURCE', skip, limit: 1000 });
      for (const r of resources) {
        const place = placeOf(r);
        if (place === undefined || r.venId === undefined) continue;
        let entry = placed.get(r.venId);
        if (entry === undefined) {
          const ven = await this.vtn.repo.adrGet('VEN', r.venId);
          if (ven === undefined) continue;
          entry = { ven, places: new Map() };
          placed.set(r.venId, entry);
        }
        entry.places.set(`${place.bus}.${place.phases.join('')}`, place);
      }
      if (resources.length < 1000) break;
    }
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
        const body = {
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
        };
        out.push(
          await this.vtn.save('EVENT', {
            name: body.eventName,
            programId: programID,
            targets: body.targets,
            body,
          }),
        );
        this.counts.events++;
      }
    return out;
  }
}

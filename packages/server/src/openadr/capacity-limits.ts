import { busesDownstream, type FeederMap, type RedFlag } from '@gridtier/core/agents';
import type { EngineEvent } from '@gridtier/core/engine';
import { minutesMs } from '@gridtier/core/time';
import { EventWriter, payloadDescriptor, placedVens } from './event-writer.js';
import type { AdrObject, Vtn } from './vtn.js';

/** The program the DSO's limits belong to. */
export const DSO_PROGRAM = 'gridtier-dso';

/** How long a flag holds: the three real-time intervals the VPPs answer it over. */
export const FLAG_HOLD_MS = minutesMs(15);

const IMPORT = 'IMPORT_CAPACITY_LIMIT';
const EXPORT = 'EXPORT_CAPACITY_LIMIT';
const descriptors = () => [payloadDescriptor(IMPORT, 'PERCENT'), payloadDescriptor(EXPORT, 'PERCENT')];

/** Which limit a flag asks for: a voltage too low is too much import there, too high too much export. */
export const limitOf = (kind: RedFlag['kind']) => (kind === 'over-voltage' ? EXPORT : IMPORT);

/**
 * The site's limit, as a share of what it drew (or fed in) when the flag was raised: the DSO asks
 * the flexible demand near the alarm to drop by `reliefShare`, and a VEN that is not a VPP's member
 * is asked the same of its site.
 */
export const limitShare = (reliefShare: number) => Math.max(0, 1 - reliefShare);

/**
 * The DSO's red flags as OpenADR dynamic operating envelopes: the flags raised on one meter reading
 * (one per VPP, all with the same alarm buses and relief share) give every VEN with a resource at
 * or below an alarm bus (downstream on the feeder's tree) one event in the program `gridtier-dso`,
 * targeted at its venName: IMPORT_CAPACITY_LIMIT (under-voltage) or EXPORT_CAPACITY_LIMIT
 * (over-voltage) in PERCENT, 1 − the flag's relief share, over the quarter hour from the flag's start.
 */
export class CapacityLimits {
  private readonly writer: EventWriter;
  private readonly pending = new Map<string, RedFlag[]>();
  readonly counts = { flags: 0, events: 0, failed: 0 };

  constructor(
    vtn: Vtn,
    /** the day's feeder (null before the day starts, or without a scenario) */
    private readonly feeder: () => FeederMap | null,
  ) {
    this.writer = new EventWriter(vtn);
  }

  hear(e: EngineEvent): void {
    if (e.type !== 'dso.flag') return;
    const flag = e.payload as RedFlag;
    if (flag.reliefShare === undefined || flag.alarmBuses === undefined) return;
    this.counts.flags++;
    const key = `${flag.startMs} ${limitOf(flag.kind)}`;
    const batch = this.pending.get(key);
    if (batch !== undefined) {
      batch.push(flag);
      return;
    }
    // the other VPPs' flags of this reading follow in the same step, before this job runs
    this.pending.set(key, [flag]);
    this.writer.later(async () => {
      const flags = this.pending.get(key)!;
      this.pending.delete(key);
      await this.publish(flags).catch((error) => {
        this.counts.failed++;
        throw error;
      });
    });
  }

  idle(): Promise<void> {
    return this.writer.idle();
  }

  /** Writes the limits of flags raised together; what it wrote. */
  async publish(flags: readonly RedFlag[]): Promise<AdrObject[]> {
    const first = flags[0];
    const map = this.feeder();
    const alarm = [...new Set(flags.flatMap((f) => f.alarmBuses ?? []))];
    const below = map !== null ? busesDownstream(map, alarm) : new Set(alarm.map((b) => b.toLowerCase()));
    const share = limitShare(Math.max(...flags.map((f) => f.reliefShare ?? 0)));
    const type = limitOf(first.kind);
    const start = new Date(first.startMs).toISOString();
    const out: AdrObject[] = [];
    const placed = await placedVens(this.writer.vtn);
    for (const { ven, places } of placed.values()) {
      if (![...places.values()].some((p) => below.has(p.bus))) continue;
      const programID = await this.writer.program(
        DSO_PROGRAM,
        descriptors(),
        "GridTier's DSO: site import/export limits where its power flow flags a voltage near a limit, as a share of the site's draw when flagged",
      );
      out.push(
        await this.writer.write({
          programID,
          eventName: `${first.kind} ${start}`,
          targets: [ven.name as string],
          payloadDescriptors: [payloadDescriptor(type, 'PERCENT')],
          intervalPeriod: { start, duration: `PT${FLAG_HOLD_MS / 60_000}M` },
          intervals: [{ id: 0, payloads: [{ type, values: [share] }] }],
        }),
      );
      this.counts.events++;
    }
    return out;
  }
}

import type { AdrRecord } from '../store/index.js';
import { type GridPlace, placeOf } from './place.js';
import type { AdrObject, Vtn } from './vtn.js';

/** A program's or event's payload descriptor. */
export const payloadDescriptor = (payloadType: string, units: string, currency?: string) => ({
  objectType: 'EVENT_PAYLOAD_DESCRIPTOR' as const,
  payloadType,
  units,
  ...(currency !== undefined ? { currency } : {}),
});

type Descriptor = ReturnType<typeof payloadDescriptor>;

/** An event the platform writes: targeted (at a venName or a granted target), in one of its programs. */
export interface PlatformEvent {
  programID: string;
  eventName: string;
  targets: string[];
  payloadDescriptors: Descriptor[];
  intervalPeriod: { start: string; duration: string };
  intervals: { id: number; payloads: { type: string; values: number[] }[] }[];
}

/**
 * What the platform's event sources (market prices, DSO limits, VPP dispatch) share: their
 * writes run after the engine's step that caused them, one after another, off the engine's path
 * (`idle()` says when they are done; a failed write is counted, not thrown into the engine), and
 * each writes into programs named `gridtier-…` made on first use.
 */
export class EventWriter {
  private queue: Promise<void> = Promise.resolve();
  private readonly programs = new Map<string, string>();
  failed = 0;

  constructor(readonly vtn: Vtn) {}

  /** Runs `job` after every job queued before it. */
  later(job: () => Promise<unknown>): void {
    this.queue = this.queue
      .then(async () => {
        await job();
      })
      .catch(() => {
        this.failed++;
      });
  }

  idle(): Promise<void> {
    return this.queue;
  }

  /** The id of the program `programName`, made the first time with these descriptors. */
  async program(programName: string, descriptors: Descriptor[], description: string): Promise<string> {
    const known = this.programs.get(programName);
    if (known !== undefined) return known;
    let id = (await this.vtn.repo.adrList({ kind: 'PROGRAM', name: programName }))[0]?.id;
    if (id === undefined)
      id = (
        await this.vtn.save('PROGRAM', {
          name: programName,
          body: {
            programName,
            payloadDescriptors: descriptors,
            attributes: [{ type: 'DESCRIPTION', values: [description] }],
          },
        })
      ).id;
    this.programs.set(programName, id);
    return id;
  }

  write(body: PlatformEvent): Promise<AdrObject> {
    return this.vtn.save('EVENT', {
      name: body.eventName,
      programId: body.programID,
      targets: body.targets,
      body: { ...body },
    });
  }
}

/** Every VEN with a resource placed on the feeder, with the distinct places (`bus.phases`) of its resources. */
export async function placedVens(
  vtn: Vtn,
): Promise<Map<string, { ven: AdrRecord; places: Map<string, GridPlace> }>> {
  const placed = new Map<string, { ven: AdrRecord; places: Map<string, GridPlace> }>();
  for (let skip = 0; ; skip += 1000) {
    const resources = await vtn.repo.adrList({ kind: 'RESOURCE', skip, limit: 1000 });
    for (const r of resources) {
      const place = placeOf(r);
      if (place === undefined || r.venId === undefined) continue;
      let entry = placed.get(r.venId);
      if (entry === undefined) {
        const ven = await vtn.repo.adrGet('VEN', r.venId);
        if (ven === undefined) continue;
        entry = { ven, places: new Map() };
        placed.set(r.venId, entry);
      }
      entry.places.set(`${place.bus}.${place.phases.join('')}`, place);
    }
    if (resources.length < 1000) return placed;
  }
}

import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type EngineEvent, lineToEvent } from '@gridtier/core/engine';
import { InvalidValueError } from '@gridtier/core/errors';
import * as sim from '@gridtier/core/sim';
import { writeFileAtomic } from '../../framework/files.js';
import type { RunContext } from '../../framework/spec.js';
import { consoleSummary, summaryJson, writeDayReport } from '../../report/day-report.js';
import type { options } from './command.js';

/** gridtier replay: the day's summary and report from its event log alone. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  const started = performance.now();
  // a device or a pipe has no end to stop at: the log must be a file
  if (!statSync(o.events).isFile()) throw new InvalidValueError(`--events ${o.events}: not a regular file`);
  const events: EngineEvent[] = [];
  const lines = createInterface({ input: createReadStream(o.events), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  let last = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    const e = lineToEvent(line, o.events, n);
    if (e.seq !== last + 1)
      throw new InvalidValueError(
        `${o.events}:${n}: seq ${e.seq} does not follow ${last}: the log has a gap or is out of order`,
      );
    last = e.seq;
    events.push(e);
  }
  const summary = sim.summarize(events);
  if (o.report !== undefined) writeDayReport(o.report, summary, sim.dayView(events));
  const text =
    o.format === 'json' ? summaryJson(summary) : consoleSummary(summary, {}, performance.now() - started);
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  return 0;
}

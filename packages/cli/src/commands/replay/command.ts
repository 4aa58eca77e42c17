import { defineCommand, opt, std } from '../../framework/spec.js';

export const options = {
  events: opt.input({
    required: true,
    help: 'a day’s event log (events.jsonl, one event a line)',
    maxBytes: 16 * 1024 ** 3,
  }),
  format: std.format(['table', 'json'], 'the summary'),
  out: std.out(),
  report: std.report('index.html (charts), summary.json and CSV data, rebuilt from the log alone'),
};

export const replay = defineCommand({
  name: 'replay',
  summary: 'rebuild a day’s summary and report from its event log',
  description:
    'Reads events.jsonl as `gridtier simulate --report` wrote it (or a server’s journal) and folds it into the same summary.json and report: the same log gives the same bytes. A malformed line is refused with its line number and field.',
  options,
  examples: [
    {
      args: 'replay --events out/day/events.jsonl --report out/day-replayed',
      help: 'the report again, from the log alone',
    },
    { args: 'replay --events out/day/events.jsonl --format json', help: 'the summary as JSON' },
  ],
  load: () => import('./run.js'),
});

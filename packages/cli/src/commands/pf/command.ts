import { defineCommand, opt, std } from '../../framework/spec.js';

export const options = {
  feeder: opt.input({
    required: true,
    help: 'the OpenDSS script (files it redirects to are read beside it)',
  }),
  format: std.format(['table', 'csv', 'json'], 'csv: bus,phase,vmag_v,vmag_pu,angle_deg'),
  out: std.out(),
  monitors: std.report(
    'every monitor of a daily, yearly or duty run as CSV, one <circuit>_Mon_<name>.csv each, as OpenDSS’s Export Monitors',
  ),
};

export const pf = defineCommand({
  name: 'pf',
  summary: 'run an OpenDSS script and print its power flow',
  description:
    'Runs the script’s commands in order (Clear, New, Edit, Redirect, Compile, Set, CalcVoltageBases, Solve …) and reports the last solution; a script without Solve is solved at its end. Anything GridTier does not model is refused with its file and line. Warnings (commands that cannot affect a snapshot, buses without a voltage base, implausible operating points) go to standard error.',
  options,
  examples: [
    {
      args: 'pf --feeder examples/feeders/gridtier-demo/master.dss',
      help: 'voltages per bus and phase, then convergence, losses, source power, taps and capacitor states',
    },
    {
      args: 'pf --feeder ../shared/feeders/13Bus/IEEE13Nodeckt.dss --format csv --out out/ieee13-volts.csv',
      help: 'the IEEE 13-node feeder’s voltages as CSV in a file; the summary goes to standard error',
    },
    {
      args: 'pf --feeder ../shared/feeders/published/IEEETestCases/LVTestCase/Master.dss --monitors out/lv-monitors',
      help: 'a feeder with monitors: their samples of the last time series as CSV files',
    },
    {
      args: 'pf --feeder examples/feeders/gridtier-demo/master.dss --format json',
      help: 'one JSON object with the voltages, losses, taps, capacitors and warnings',
    },
  ],
  load: () => import('./run.js'),
});

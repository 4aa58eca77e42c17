import { defineCommand, opt, std } from '../../framework/spec.js';

export const options = {
  shared: opt.inputDir({ help: 'the reference data folder (default: ../shared beside the repository)' }),
  suite: opt.choice(['all', 'ieee', 'published'] as const, {
    default: 'ieee',
    help: 'ieee: the IEEE reference cases (seconds); published: every published OpenDSS network, time series included (about a minute); all: both, as npm run validate does',
  }),
  format: std.format(['table', 'csv', 'json']),
  out: std.out(),
};

export const validate = defineCommand({
  name: 'validate',
  summary: 'compare the power flow with OpenDSS’s reference solutions',
  description:
    'Runs every case in SHARED/reference/opendss/cases and compares it with OpenDSS’s own solution: max |ΔV| ≤ 1e-4 pu, |Δangle| ≤ 0.01°, losses within 0.1 %, the same taps and capacitor states; also the published IEEE-13 table and the 8500-node feeder’s line constants. With --suite published or all, every published OpenDSS network in SHARED/feeders/published runs unmodified: those with an OpenDSS-C solution in SHARED/reference/opendss-published are compared node by node (max |ΔV| ≤ 1e-5 pu, |Δangle| ≤ 0.01°, losses within 0.1 %), the others must run or be refused with the unsupported feature and its file:line (a refusal is listed, not a failure). SHARED is ../shared beside the repository unless --shared names it; where it is absent the command says that nothing was compared and exits 0.',
  options,
  examples: [
    { args: 'validate', help: 'every reference case; exit 1 if any fails' },
    {
      args: 'validate --suite all',
      help: 'the IEEE cases and every published OpenDSS network (npm run validate)',
    },
    { args: 'validate --format csv --out out/validation.csv', help: 'the comparison as CSV in a file' },
  ],
  load: () => import('./run.js'),
});

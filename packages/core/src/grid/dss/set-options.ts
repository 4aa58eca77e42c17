import { DssReferenceError, type SourceLocation, UnsupportedFeatureError } from '../../errors/index.js';

/**
 * OpenDSS's Set options in its own order: an abbreviation resolves to the first option it
 * starts, and a value given without a name goes to the option after the previous one.
 */
const openDssOrder = (
  'type element hour sec year frequency stepsize mode random number time class object circuit editor ' +
  'tolerance maxiterations h loadmodel loadmult normvminpu normvmaxpu emergvminpu emergvmaxpu %mean ' +
  '%stddev ldcurve %growth genkw genpf capkvar addtype allowduplicates zonelock ueweight lossweight ueregs ' +
  'lossregs voltagebases algorithm trapezoidal autobuslist controlmode tracecontrol genmult defaultdaily ' +
  'defaultyearly allocationfactors cktmodel pricesignal pricecurve terminal basefrequency harmonics ' +
  'maxcontroliter bus datapath keeplist reduceoption demandinterval %normal diverbose casename markercode ' +
  'nodewidth log recorder overloadreport voltexceptionreport cfactors showexport numallociterations ' +
  'defaultbasefrequency markswitches switchmarkercode daisysize marktransformers transmarkercode ' +
  'transmarkersize loadshapeclass earthmodel querylog markcapacitors markregulators markpvsystems ' +
  'markstorage capmarkercode regmarkercode pvmarkercode storemarkercode capmarkersize regmarkersize ' +
  'pvmarkersize storemarkersize neglectloady markfuses fusemarkercode fusemarkersize markreclosers ' +
  'reclosermarkercode reclosermarkersize registryupdate markrelays relaymarkercode relaymarkersize ' +
  'processtime totaltime steptime sampleenergymeters miniterations dssvisualizationtool keepload zmag ' +
  'seasonrating seasonsignal linetypes eventlogdefault longlinecorrection showreports ' +
  // OpenDSS-C's parallel-processing (actor) options
  'activeactor cpu numcpus numcores numactors parallel concatenatereports'
).split(' ');

/** Options GridTier carries out. */
export const solvingOptions = [
  'hour',
  'sec',
  'year',
  'stepsize',
  'h',
  'mode',
  'number',
  'editor',
  'tolerance',
  'maxiterations',
  'loadmult',
  'normvminpu',
  'normvmaxpu',
  'emergvminpu',
  'emergvmaxpu',
  'voltagebases',
  'algorithm',
  'controlmode',
  'genmult',
  'basefrequency',
  'maxcontroliter',
  'datapath',
  'defaultbasefrequency',
  'earthmodel',
  'miniterations',
  'parallel',
  'activeactor',
] as const;
export type SolvingOption = (typeof solvingOptions)[number];

/** Options that only draw, name report files, log or time: no effect on a solution. */
const reportOptions = new Set([
  'markercode',
  'nodewidth',
  'keeplist',
  'demandinterval',
  'diverbose',
  'casename',
  'log',
  'recorder',
  'overloadreport',
  'voltexceptionreport',
  'showexport',
  'daisysize',
  'querylog',
  'registryupdate',
  'processtime',
  'totaltime',
  'steptime',
  'dssvisualizationtool',
  'eventlogdefault',
  'showreports',
  'tracecontrol',
  // which processor an actor runs on, and counts that only report: no effect on a solution
  'cpu',
  'numcpus',
  'numcores',
  'numactors',
  'concatenatereports',
]);
const isDrawing = (o: string) => o.startsWith('mark') || o.endsWith('markercode') || o.endsWith('markersize');

export type ResolvedOption = { kind: 'solving'; name: SolvingOption } | { kind: 'report'; name: string };

/**
 * An option by name (exact, else the first in OpenDSS's order it abbreviates) or, without a
 * name, the option after `previous`; options that would change a solution but are not modelled
 * are refused by name.
 */
export function resolveSetOption(
  name: string | undefined,
  previous: string | undefined,
  loc: SourceLocation,
): ResolvedOption {
  let option: string | undefined;
  if (name === undefined)
    option = previous === undefined ? undefined : openDssOrder[openDssOrder.indexOf(previous) + 1];
  else {
    const n = name.toLowerCase();
    option = openDssOrder.includes(n) ? n : openDssOrder.find((o) => o.startsWith(n));
  }
  if (option === undefined)
    throw new DssReferenceError(`unknown Set option "${name ?? '(unnamed value)'}"`, {
      location: loc,
      details: { option: name },
    });
  if ((solvingOptions as readonly string[]).includes(option))
    return { kind: 'solving', name: option as SolvingOption };
  if (reportOptions.has(option) || isDrawing(option)) return { kind: 'report', name: option };
  throw new UnsupportedFeatureError(`Set ${option} is not supported`, { location: loc, details: { option } });
}

import type { SourceLocation } from '../../../errors/index.js';
import { type DssClassDef, type DssObject, inertProps } from '../class-def.js';

/**
 * A general class whose data cannot change a snapshot power flow: harmonic spectra, protective
 * device curves, growth over years, and x–y curves until an element that reads them is modelled
 * (such an element refuses the curve property itself). Scripts may define them; nothing is kept.
 */
function inertClass(name: string, props: string[]): DssClassDef<DssObject> {
  return {
    name,
    general: true,
    props: inertProps<DssObject>(props),
    create: (objName: string, location: SourceLocation) => ({
      className: name,
      name: objName,
      location,
      enabled: true,
    }),
    like: () => {},
  };
}

export const spectrumClass = inertClass('Spectrum', ['numharm', 'harmonic', '%mag', 'angle', 'csvfile']);
export const tccCurveClass = inertClass('TCC_Curve', ['npts', 'c_array', 't_array']);
export const growthShapeClass = inertClass('GrowthShape', [
  'npts',
  'year',
  'mult',
  'csvfile',
  'sngfile',
  'dblfile',
]);
export const xyCurveClass = inertClass('XYcurve', [
  'npts',
  'points',
  'yarray',
  'xarray',
  'csvfile',
  'sngfile',
  'dblfile',
  'x',
  'y',
  'xshift',
  'yshift',
  'xscale',
  'yscale',
]);

import type { SourceLocation } from '../../../errors/index.js';
import { type DssClassDef, type DssObject, inertProps } from '../class-def.js';

/**
 * A general class whose data cannot change a snapshot power flow: harmonic spectra, protective
 * device curves and growth over years. Scripts may define them; nothing is kept.
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

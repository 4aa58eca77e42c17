import type { SourceLocation } from '../../../errors/index.js';
import type { DssClassDef } from '../class-def.js';
import { type CableDataObj, cableDataDefaults, cableDataProps } from './cndata.js';
import { wireDataClass } from './wiredata.js';

/**
 * A tape-shielded cable: a copper tape of thickness tapelayer over diameter diashield (radunits),
 * wound with tapelap per cent overlap, around an insulated core (cable data and WireData's).
 */
export interface TSDataObj extends CableDataObj {
  diaShield: number;
  tapeLayer: number;
  tapeLap: number;
}

export const tsDataClass: DssClassDef<TSDataObj> = {
  name: 'TSData',
  general: true,
  props: [
    { name: 'diashield', set: (o, v) => void (o.diaShield = v.positive()) },
    { name: 'tapelayer', set: (o, v) => void (o.tapeLayer = v.positive()) },
    { name: 'tapelap', set: (o, v) => void (o.tapeLap = v.number()) },
    ...cableDataProps<TSDataObj>('TSData'),
  ],
  create: (name: string, location: SourceLocation): TSDataObj => ({
    ...wireDataClass.create(name, location),
    className: 'TSData',
    diaShield: -1,
    tapeLayer: -1,
    tapeLap: 20,
    ...cableDataDefaults,
  }),
  like: (dst, src) => Object.assign(dst, { ...src, name: dst.name, location: dst.location }),
};

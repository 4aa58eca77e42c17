export { allocateCapacity, type CapacityRequest } from './allocate.js';
export { clearVdgs, type VdgClearing, type VdgFill, type VdgResult } from './clear.js';
export {
  parseVdgDocument,
  type VdgDefinition,
  type VdgDocument,
  type VdgOrder,
  vdgDocumentSchema,
} from './document.js';

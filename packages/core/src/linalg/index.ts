export { CMatrix } from './cmatrix.js';
export {
  type Complex,
  cabs,
  cadd,
  cangleDeg,
  cconj,
  cdiv,
  cmul,
  cneg,
  cpolarDeg,
  cscale,
  csub,
  cx,
} from './complex.js';
export { type GmresOptions, type GmresResult, gmres } from './gmres.js';
export { LdlSymbolic } from './ldl-symbolic.js';
export { minimumDegreeOrder } from './ordering.js';
export { type Block2, type Closure, SparseBlockLu } from './sparse-block-lu.js';
export { SparseLdl } from './sparse-ldl.js';

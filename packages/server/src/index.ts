export { ApiError, StoreError } from './errors.js';
export * from './store/index.js';

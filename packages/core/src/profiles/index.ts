export { clearSkyPvKwPerKwp, loadShares, loadWeight, passingCloud, type SiteKind, Sky } from './shapes.js';

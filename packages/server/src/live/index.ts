export { LiveMarkets, type LiveOptions } from './live-markets.js';
export { peerToPeerMarkets } from './markets.js';

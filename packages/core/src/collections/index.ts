export { BinaryHeap } from './binary-heap.js';

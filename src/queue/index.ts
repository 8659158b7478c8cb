export { BlockLossHeap, TieKeyOrder, type TieOrder } from './block-heap.js';
export { IndexedHeap } from './heap.js';
export { ReferenceQueue } from './reference.js';
export { before, type LossQueue, type TieKeys } from './types.js';

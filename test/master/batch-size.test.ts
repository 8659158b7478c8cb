// src/master/batch-size.ts: the adaptive batch size WorkerPoolMaster and QueueMaster share
// (issue 16.4, one home for the smoothing they each had).
import { describe, expect, it } from 'vitest';
import { AdaptiveBatchSize } from '../../src/master/batch-size.js';

describe('AdaptiveBatchSize', () => {
  it('starts at one point a batch, with no measurement', () => {
    const s = new AdaptiveBatchSize(256, 4);
    expect(s.size).toBe(1);
    expect(s.msPerPoint).toBe(-1);
  });

  it('takes the first measurement as it is, then smooths 0.7 old + 0.3 new', () => {
    const s = new AdaptiveBatchSize(256, 4);
    s.observe(1);
    expect(s.msPerPoint).toBe(1);
    expect(s.size).toBe(4);
    s.observe(0.1);
    expect(s.msPerPoint).toBe(0.7 * 1 + 0.3 * 0.1);
    expect(s.size).toBe(Math.floor(4 / (0.7 * 1 + 0.3 * 0.1)));
  });

  it('stays within 1 and max: slow points go one a batch, instant ones max a batch', () => {
    const slow = new AdaptiveBatchSize(256, 4);
    slow.observe(100);
    expect(slow.size).toBe(1);
    const fast = new AdaptiveBatchSize(256, 4);
    fast.observe(0.001);
    expect(fast.size).toBe(256);
    const instant = new AdaptiveBatchSize(7, 4);
    instant.observe(0);
    expect(instant.size).toBe(7);
  });
});

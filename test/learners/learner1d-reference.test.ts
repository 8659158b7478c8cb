// Known-answer tests against python-adaptive v1.5.2 (commit b3a40ef), recorded in
// ../shared/reference/learner1d_{serial,batches}_peak_default.json.
import { describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { loadReference, peak } from '../fixtures/reference.js';

interface Serial {
  bounds: [number, number];
  N: number;
  xs: number[];
  ys: number[];
  loss_improvements: number[];
  loss_after_tell: number[];
}
interface Batches {
  bounds: [number, number];
  batches: number[][];
  loss_improvements: number[][];
  loss_after_round: number[];
}

describe('Learner1D reproduces python-adaptive exactly', () => {
  it('serial ask(1)/tell on the peak: all 200 x values, improvements and losses', () => {
    const ref = loadReference<Serial>('learner1d_serial_peak_default.json');
    const learner = new Learner1D({ bounds: ref.bounds });
    for (let i = 0; i < ref.N; i++) {
      const { points, lossImprovements } = learner.ask(1);
      const x = points[0] as number;
      expect(x, `step ${i}`).toBe(ref.xs[i]);
      expect(lossImprovements[0], `improvement at step ${i}`).toBe(ref.loss_improvements[i]);
      const y = peak(x);
      expect(y).toBe(ref.ys[i]);
      learner.tell(x, y);
      expect(learner.loss(), `loss after step ${i}`).toBe(ref.loss_after_tell[i]);
    }
    learner.checkValid();
  });

  it('batches of ask(10) then tell in ask order: every batch, improvement and loss', () => {
    const ref = loadReference<Batches>('learner1d_batches_peak_default.json');
    const learner = new Learner1D({ bounds: ref.bounds });
    ref.batches.forEach((batch, round) => {
      const { points, lossImprovements } = learner.ask(10);
      expect(points, `round ${round}`).toEqual(batch);
      expect(lossImprovements, `round ${round}`).toEqual(ref.loss_improvements[round]);
      for (const x of points) learner.tell(x, peak(x));
      expect(learner.loss(), `loss after round ${round}`).toBe(ref.loss_after_round[round]);
      learner.checkValid();
    });
  });
});

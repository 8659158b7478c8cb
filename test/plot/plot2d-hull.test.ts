// plot2D draws the domain's polygon for a learner on a convex polygon (issue 19.3):
// Learner2D({ hull }) and a 2-D LearnerND({ hull }) (whose hull points may include
// interior ones: the outline is their convex hull); a box learner gets no outline.
import { describe, expect, it } from 'vitest';
import { Learner2D } from '../../src/learners/learner2d.js';
import { LearnerND } from '../../src/learners/learnernd.js';
import { plot2D } from '../../src/plot/index.js';

const outline = (svg: string): string | null =>
  /<path class="domain-outline" d="([^"]*)"/.exec(svg)?.[1] ?? null;

describe('plot2D: the outline of a polygon domain', () => {
  it('Learner2D({ hull }): one closed path through the k vertices', () => {
    const hull: [number, number][] = [
      [0, 0],
      [2, 0],
      [2.5, 1],
      [1, 2],
      [-0.5, 1],
    ];
    const l = new Learner2D({ hull });
    for (let i = 0; i < 40; i++) for (const [x, y] of l.ask(1).points) l.tell([x, y], x * y);
    const d = outline(plot2D(l));
    expect(d).not.toBeNull();
    expect(d?.match(/[ML]/g)?.length).toBe(hull.length);
    expect(d?.endsWith('Z')).toBe(true);
  });

  it('LearnerND({ hull }) with an interior point: the outline is the convex hull', () => {
    const l = new LearnerND({
      hull: [
        [0, 0],
        [1, 0],
        [0.3, 0.3],
        [0, 1],
      ],
    });
    for (let i = 0; i < 20; i++) for (const p of l.ask(1).points) l.tell(p, (p[0] as number) + 1);
    expect(outline(plot2D(l))?.match(/[ML]/g)?.length).toBe(3);
  });

  it('a box learner: no outline', () => {
    const l = new Learner2D({
      bounds: [
        [0, 1],
        [0, 1],
      ],
    });
    for (let i = 0; i < 10; i++) for (const [x, y] of l.ask(1).points) l.tell([x, y], x);
    expect(outline(plot2D(l))).toBeNull();
  });
});

/**
 * Toy learners for testing the conformance kit: a small correct learner on [0, 1] and
 * deliberately broken variants, one per law.
 */

import { decodeValue, encodeValue } from '../../src/io/json.js';
import type {
  AskOptions,
  AskResult,
  Learner,
  LearnerSnapshot,
  LossOptions,
} from '../../src/learners/types.js';

/** A value the toy learners take: a number or a vector. */
export type ToyValue = number | readonly number[];

interface Choice {
  x: number;
  improvement: number;
}

/**
 * A correct toy learner on [0, 1]. It asks 0 and 1 first, then the midpoint of the interval
 * (between told and pending points) with the largest loss `hypot(dx, dy)`, where `dy` is the
 * largest finite change of the value (0 across a pending point or a non-finite value). Ties go
 * to the leftmost interval. `loss()` is the largest interval loss between told points and the
 * bounds; `loss({ real: false })` also splits at pending points.
 *
 * @example
 * const toy = new ToyLearner();
 * toy.ask(3).points // [0, 1, 0.5]
 */
export class ToyLearner implements Learner<number, ToyValue> {
  protected data = new Map<number, ToyValue>();
  protected pending = new Set<number>();

  ask(n: number, options: AskOptions = {}): AskResult<number> {
    this.checkCount(n);
    const pending = new Set(this.pending);
    const points: number[] = [];
    const lossImprovements: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = this.choose(pending);
      if (c === undefined) break;
      pending.add(c.x);
      points.push(c.x);
      lossImprovements.push(c.improvement);
    }
    if (options.tellPending ?? true) for (const x of points) this.pending.add(x);
    return { points, lossImprovements };
  }

  protected checkCount(n: number): void {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`ToyLearner: n must be a non-negative integer, got ${n}`);
    }
  }

  protected choose(pending: ReadonlySet<number>): Choice | undefined {
    for (const bound of [0, 1]) {
      if (!this.data.has(bound) && !pending.has(bound)) {
        return { x: bound, improvement: Number.POSITIVE_INFINITY };
      }
    }
    const xs = [...new Set([...this.data.keys(), ...pending])].sort((a, b) => a - b);
    let best: Choice | undefined;
    for (let i = 0; i + 1 < xs.length; i++) {
      const a = xs[i] as number;
      const b = xs[i + 1] as number;
      const mid = a + (b - a) / 2;
      // Two adjacent floats have no midpoint strictly between them.
      if (mid <= a || mid >= b) continue;
      const loss = this.intervalLoss(a, b);
      if (best === undefined || loss > best.improvement) best = { x: mid, improvement: loss };
    }
    return best;
  }

  /** hypot(dx, dy); 0 for intervals narrower than 2^-30 (a jump is not refined forever). */
  protected intervalLoss(a: number, b: number): number {
    return b - a < 2 ** -30 ? 0 : Math.hypot(b - a, this.dy(a, b));
  }

  /**
   * The largest finite change of the value between two points, divided by the range of the
   * finite values told (so the loss does not depend on the scale of the values); 0 when
   * unknown.
   */
  protected dy(a: number, b: number): number {
    const half = this.rawDy(a, b) / 2;
    const range = this.halfRange();
    return half === 0 || range === 0 ? 0 : Math.min(half / range, 1);
  }

  /** The largest finite change of the value between two points, as told; 0 when unknown. */
  protected rawDy(a: number, b: number): number {
    const ya = this.data.get(a);
    const yb = this.data.get(b);
    if (ya === undefined || yb === undefined) return 0;
    const va = typeof ya === 'number' ? [ya] : ya;
    const vb = typeof yb === 'number' ? [yb] : yb;
    let d = 0;
    for (let i = 0; i < Math.min(va.length, vb.length); i++) {
      const di = Math.abs((vb[i] as number) - (va[i] as number));
      if (Number.isFinite(di)) d = Math.max(d, di);
    }
    return d;
  }

  /** Half the range of the finite values told, all components together (halves: no overflow). */
  protected halfRange(): number {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const y of this.data.values()) {
      for (const c of typeof y === 'number' ? [y] : y) {
        if (!Number.isFinite(c)) continue;
        lo = Math.min(lo, c);
        hi = Math.max(hi, c);
      }
    }
    return hi > lo ? hi / 2 - lo / 2 : 0;
  }

  loss(options: LossOptions = {}): number {
    const keys = [...this.data.keys()];
    if (!(options.real ?? true)) keys.push(...this.pending);
    const xs = [...new Set([0, 1, ...keys])].sort((a, b) => a - b);
    let loss = 0;
    for (let i = 0; i + 1 < xs.length; i++) {
      loss = Math.max(loss, this.intervalLoss(xs[i] as number, xs[i + 1] as number));
    }
    return loss;
  }

  protected checkPoint(x: number): number {
    if (typeof x !== 'number' || !(x >= 0 && x <= 1)) {
      throw new RangeError(`ToyLearner: point ${x} is outside [0, 1]`);
    }
    return x === 0 ? 0 : x; // -0 is 0
  }

  protected checkValue(x: number, y: ToyValue): void {
    const ok = typeof y === 'number' || (Array.isArray(y) && y.every((c) => typeof c === 'number'));
    if (!ok) throw new TypeError(`ToyLearner: the value at ${x} is not a number or vector`);
  }

  tell(x: number, y: ToyValue): void {
    const p = this.checkPoint(x);
    this.checkValue(p, y);
    this.store(p, y);
  }

  protected store(x: number, y: ToyValue): void {
    // A known point keeps its first value: telling existing data again changes nothing.
    if (!this.data.has(x)) this.data.set(x, y);
    this.pending.delete(x);
  }

  tellMany(xs: readonly number[], ys: readonly ToyValue[]): void {
    if (xs.length !== ys.length) {
      throw new RangeError(`ToyLearner: ${xs.length} points but ${ys.length} values`);
    }
    const ps = xs.map((x, i) => {
      const p = this.checkPoint(x);
      this.checkValue(p, ys[i] as ToyValue);
      return p;
    });
    for (const [i, p] of ps.entries()) this.store(p, ys[i] as ToyValue);
  }

  tellPending(x: number): void {
    const p = this.checkPoint(x);
    if (!this.data.has(p)) this.pending.add(p);
  }

  removeUnfinished(): void {
    this.pending.clear();
  }

  get npoints(): number {
    return this.data.size;
  }

  get pendingPoints(): readonly number[] {
    return [...this.pending];
  }

  snapshot(): LearnerSnapshot {
    const xs = [...this.data.keys()].sort((a, b) => a - b);
    return {
      type: 'ToyLearner',
      version: 1,
      data: xs.map((x) => [x, encodeValue(this.data.get(x) as ToyValue)]),
      pending: [...this.pending],
    };
  }

  restore(snapshot: LearnerSnapshot): void {
    if (snapshot.type !== 'ToyLearner' || snapshot.version !== 1) {
      throw new TypeError(`ToyLearner: cannot restore a ${snapshot.type} v${snapshot.version}`);
    }
    const data = new Map<number, ToyValue>();
    for (const entry of snapshot.data as [number, unknown][]) {
      const y = decodeValue(entry[1]);
      if (y === undefined) throw new TypeError(`ToyLearner: bad value at ${entry[0]}`);
      data.set(entry[0], y);
    }
    this.data = data;
    this.pending = new Set(snapshot.pending as number[]);
  }
}

// --- Broken variants, one per law ------------------------------------------------------

/** Breaks `noDuplicatePending`: ask forgets to mark the points as pending. */
export class DuplicatingToy extends ToyLearner {
  override ask(n: number, options: AskOptions = {}): AskResult<number> {
    return super.ask(n, { ...options, tellPending: false });
  }
}

/** Breaks `inDomain`: the right bound is asked a little past 1. */
export class OutOfDomainToy extends ToyLearner {
  protected override choose(pending: ReadonlySet<number>): Choice | undefined {
    const c = super.choose(pending);
    return c?.x === 1 ? { x: 1 + 2 ** -30, improvement: c.improvement } : c;
  }
}

/** Breaks `askWithoutPendingIsPure`: `tellPending: false` is ignored. */
export class ImpureAskToy extends ToyLearner {
  override ask(n: number, _options: AskOptions = {}): AskResult<number> {
    return super.ask(n, { tellPending: true });
  }
}

/** Breaks `orderIndependence`: the y-scale is fixed by the first value told. */
export class OrderDependentToy extends ToyLearner {
  private yScale: number | undefined;
  protected override store(x: number, y: ToyValue): void {
    const first = typeof y === 'number' ? y : y[0];
    if (this.yScale === undefined && first !== undefined && Number.isFinite(first) && first !== 0) {
      this.yScale = Math.abs(first);
    }
    super.store(x, y);
  }
  protected override dy(a: number, b: number): number {
    return super.dy(a, b) / (this.yScale ?? 1);
  }
}

/** Breaks `snapshotRoundTrip`: the snapshot leaves out the pending points. */
export class PendingLosingToy extends ToyLearner {
  override snapshot(): LearnerSnapshot {
    return { ...super.snapshot(), pending: [] };
  }
}

/** Breaks `snapshotRoundTrip`: the snapshot rounds values to 3 decimals. */
export class RoundingToy extends ToyLearner {
  override snapshot(): LearnerSnapshot {
    const s = super.snapshot();
    const round = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v);
    const data = (s.data as [number, unknown][]).map(([x, y]) => [
      x,
      Array.isArray(y) ? y.map(round) : round(y),
    ]);
    return { ...s, data };
  }
}

/** Breaks `snapshotRoundTrip`: the snapshot holds raw NaN and ±Infinity, which JSON turns into null. */
export class RawNumberToy extends ToyLearner {
  override snapshot(): LearnerSnapshot {
    const xs = [...this.data.keys()].sort((a, b) => a - b);
    return {
      type: 'ToyLearner',
      version: 1,
      data: xs.map((x) => [x, this.data.get(x)]),
      pending: [...this.pending],
    };
  }
  override restore(snapshot: LearnerSnapshot): void {
    const data = (snapshot.data as [number, ToyValue | null][]).map(([x, y]) => [x, y ?? 0]);
    super.restore({ ...snapshot, data: data.map(([x, y]) => [x, encodeValue(y as ToyValue)]) });
  }
}

/** Breaks `retellIsNoop`: npoints counts tells, not points. */
export class CountingToy extends ToyLearner {
  private tells = 0;
  protected override store(x: number, y: ToyValue): void {
    this.tells++;
    super.store(x, y);
  }
  override get npoints(): number {
    return this.tells;
  }
}

/** Breaks `nonFiniteNeverHangs`: once a NaN is told, ask returns no points. */
export class GivesUpOnNaNToy extends ToyLearner {
  protected override choose(pending: ReadonlySet<number>): Choice | undefined {
    for (const y of this.data.values()) {
      if (typeof y === 'number' ? Number.isNaN(y) : y.some(Number.isNaN)) return undefined;
    }
    return super.choose(pending);
  }
}

/**
 * Breaks `nonFiniteNeverHangs`: it searches for an interval without a non-finite end and,
 * when there is none, would loop forever; a step counter turns the hang into an error.
 */
export class LoopsOnNonFiniteToy extends ToyLearner {
  protected override choose(pending: ReadonlySet<number>): Choice | undefined {
    let guard = 0;
    for (;;) {
      const c = super.choose(pending);
      if (c === undefined) return c;
      const xs = [...this.data.keys()].sort((a, b) => a - b);
      const right = xs.find((x) => x > c.x);
      const y = right === undefined ? 0 : this.data.get(right);
      if (typeof y !== 'number' || Number.isFinite(y)) return c;
      if (++guard > 10_000) throw new Error('LoopsOnNonFiniteToy: stuck after 10000 tries');
    }
  }
}

/** Breaks `lossNotNaN`: `dy` is not guarded against non-finite values, and NaN spreads through Math.max. */
export class NaNLossToy extends ToyLearner {
  protected override dy(a: number, b: number): number {
    const ya = this.data.get(a);
    const yb = this.data.get(b);
    if (typeof ya !== 'number' || typeof yb !== 'number') return super.dy(a, b);
    return Math.abs(yb - ya);
  }
}

/** Breaks `askZero`: n is not checked (ask(1.5) gives 2 points, ask(-1) and ask(NaN) none). */
export class UncheckedCountToy extends ToyLearner {
  protected override checkCount(_n: number): void {}
}

/** Breaks `lossNonNegative`: an offset makes the loss negative once the gaps are small. */
export class NegativeLossToy extends ToyLearner {
  override loss(options: LossOptions = {}): number {
    return super.loss(options) - 0.75;
  }
}

/** Breaks `pendingPointsTracked`: pendingPoints is a log that tells never shorten. */
export class StalePendingToy extends ToyLearner {
  private log: number[] = [];
  override ask(n: number, options: AskOptions = {}): AskResult<number> {
    const r = super.ask(n, options);
    if (options.tellPending ?? true) this.log.push(...r.points);
    return r;
  }
  override removeUnfinished(): void {
    super.removeUnfinished();
    this.log = [];
  }
  override get pendingPoints(): readonly number[] {
    return [...this.log];
  }
}

// --- Broken only for some values ------------------------------------------------------

/**
 * Breaks `snapshotRoundTrip`, but only when a value is negative: the snapshot leaves out the
 * points with a finite negative value (or first component). A positive function never shows
 * it (even with NaN and ±Infinity injected); random values do.
 */
export class NegativeDroppingToy extends ToyLearner {
  override snapshot(): LearnerSnapshot {
    const s = super.snapshot();
    const negative = (y: unknown) => {
      const first: unknown = Array.isArray(y) ? y[0] : y;
      return typeof first === 'number' && first < 0; // not "-Infinity": that is kept
    };
    return { ...s, data: (s.data as [number, unknown][]).filter(([, y]) => !negative(y)) };
  }
}

// --- Broken only through the commands of a history ---------------------------------------

/**
 * Breaks `pendingPointsTracked` through a `tellPendingAt` step: `tellPending` of a point the
 * learner did not ask for is ignored (only asked points become pending).
 */
export class PendingIgnoringToy extends ToyLearner {
  override tellPending(_x: number): void {}
}

/**
 * Breaks `noDuplicatePending` through a `restore` step: restore brings the data back but not
 * the pending points, so the next ask hands out a point still being evaluated. (Its snapshot
 * is complete; only its restore is wrong.)
 */
export class PendingDroppingRestoreToy extends ToyLearner {
  override restore(snapshot: LearnerSnapshot): void {
    super.restore({ ...snapshot, pending: [] });
  }
}

/** Breaks `scaleInvariant` and `scaleRobust`: the loss uses the values as told, not divided by their range. */
export class RawScaleToy extends ToyLearner {
  protected override dy(a: number, b: number): number {
    return this.rawDy(a, b);
  }
}

/**
 * Breaks `askedPointsAccepted`: it hands out the midpoint of [0, 1] as 0.5 but its `tell`
 * rounds points to 2^-3 and keeps the first value there, so a new point it asked may count
 * as one it already has.
 */
export class CoarseTellToy extends ToyLearner {
  protected override checkPoint(x: number): number {
    return Math.round(super.checkPoint(x) * 8) / 8;
  }
}

/**
 * Breaks `makesProgress`: once it holds a point in (0.4, 0.6) it keeps asking points ever
 * closer to that point (an interval it cannot split usefully) and its loss never changes.
 */
export class LivelockToy extends ToyLearner {
  private next = 0;
  protected override choose(pending: ReadonlySet<number>): Choice | undefined {
    const stuck = [...this.data.keys()].find((x) => x > 0.4 && x < 0.6);
    if (stuck === undefined) return super.choose(pending);
    for (;;) {
      this.next++;
      const x = stuck + 2 ** -30 * 2 ** -(this.next % 20) * (1 + this.next / 1e6);
      if (!this.data.has(x) && !pending.has(x)) return { x, improvement: 0 };
    }
  }
  override loss(options: LossOptions = {}): number {
    const stuck = [...this.data.keys()].some((x) => x > 0.4 && x < 0.6);
    return stuck ? 1 : super.loss(options);
  }
}

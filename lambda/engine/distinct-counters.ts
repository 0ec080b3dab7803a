/**
 * Counting the distinct values of a column without keeping them, at the cheapest exact-enough cost:
 *
 * - `seen`: a column with at most a few ten-thousand possible values (a list, a small range) marks each
 *   value's dense index in a byte table — exact, one store per cell;
 * - `unique`: a column unique by construction (uuid, sequence) has as many values as non-null cells;
 * - `sketch`: anything else feeds a HyperLogLog sketch (2^12 registers, about 1.6% standard error).
 *
 * Writers leave the key of the value they wrote in VALUE_KEY[0] (see generators.ts). Counters of
 * disjoint row ranges merge (by maximum, or by "or"), so worker threads' counts add up to the whole run's.
 */
import { mix32 } from './random';
import { WEEK_HOURS, hourOfWeek } from '../../src/contract/distributions';

export type DistinctKind = (
  | {
    readonly kind: 'seen';
    readonly size: number;
    /** Also count how often each value was made (a list's weights). */
    readonly counts?: true;
  }
  | { readonly kind: 'unique' }
  | { readonly kind: 'sketch' }
  /** A reference laid out as children: keys come in runs, one per parent; the counter keeps the runs' lengths. */
  | { readonly kind: 'children' }
) & {
  /** Also keep the least and greatest number made, which the generator leaves in VALUE_NUMBER (generators.ts). */
  readonly range?: true;
  /** Also keep the count, sum and sum of squares of (number − this centre): a distribution's mean and deviation. */
  readonly moments?: number;
  /** Also keep whether the numbers came in non-decreasing order (with the first and last, to merge ranges in row order). */
  readonly ordered?: true;
  /** Also count the numbers (epoch ms) per hour of the week, UTC, from Monday 00:00. */
  readonly calendar?: true;
};

export interface DistinctCounter {
  /** The counter's state, to send to another thread and merge there. */
  readonly state: Uint8Array;
  /** Counts the value whose key is `key`. */
  add(key: number): void;
  merge(state: Uint8Array): void;
  /** Distinct values among `nonNullCells` cells. */
  estimate(nonNullCells: number): number;
  /** What else was observed, for the conformance report (conformance.ts). */
  observed?(): Observed;
}

/** What a counter observed besides the distinct count. */
export interface Observed {
  /** How often each value of a list was made (kind `seen` with counts). */
  readonly counts?: Uint32Array;
  /** The least and greatest number made (range). */
  readonly min?: number;
  readonly max?: number;
  /**
   * Children per parent (kind `children`): the runs closed on both sides (their count, least and greatest length),
   * and the first and last run, which rows before and after may continue (one and the same when `oneRun`).
   */
  /** Count, sum and sum of squares of (number − centre) (moments). */
  readonly moments?: { readonly count: number; readonly sum: number; readonly sumSquares: number; readonly center: number };
  /** Whether the numbers never went down, in row order (ordered). */
  readonly ordering?: { readonly ordered: boolean; readonly first: number; readonly last: number };
  /** Numbers made per hour of the week (calendar). */
  readonly hoursOfWeek?: Float64Array;
  readonly children?: {
    readonly closedRuns: number;
    readonly min: number;
    readonly max: number;
    readonly firstRun: number;
    readonly lastRun: number;
    readonly oneRun: boolean;
  };
}

/** Values no writer keeps a table for: keys below this go to a `seen` table. */
export const MAX_SEEN_VALUES = 65_536;

const PRECISION = 12;
const REGISTERS = 1 << PRECISION;
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

class DistinctSketch implements DistinctCounter {
  readonly state = new Uint8Array(REGISTERS);

  /** `key` may be any 32-bit number: equal values must have equal keys; it is hashed here. */
  add(key: number): void {
    const hash = mix32(key);
    const index = hash >>> (32 - PRECISION);
    const rank = Math.clz32((hash << PRECISION) | (1 << (PRECISION - 1))) + 1;
    if (rank > this.state[index]) this.state[index] = rank;
  }

  merge(state: Uint8Array): void {
    state.forEach((rank, i) => {
      if (rank > this.state[i]) this.state[i] = rank;
    });
  }

  estimate(nonNullCells: number): number {
    let sum = 0;
    let zeros = 0;
    for (const rank of this.state) {
      sum += 2 ** -rank;
      if (rank === 0) zeros++;
    }
    const raw = (ALPHA * REGISTERS * REGISTERS) / sum;
    // Few values: linear counting of empty registers is the better estimate.
    const estimate = raw <= 2.5 * REGISTERS && zeros > 0 ? REGISTERS * Math.log(REGISTERS / zeros) : raw;
    return Math.min(nonNullCells, Math.round(estimate));
  }
}

class SeenValues implements DistinctCounter {
  readonly state: Uint8Array;

  constructor(size: number) {
    this.state = new Uint8Array(size);
  }

  /** `key` is the value's dense index, below the table's size. */
  add(key: number): void {
    this.state[key] = 1;
  }

  merge(state: Uint8Array): void {
    state.forEach((seen, i) => {
      if (seen !== 0) this.state[i] = 1;
    });
  }

  estimate(): number {
    let count = 0;
    for (const seen of this.state) count += seen;
    return count;
  }
}

/** A list's values, each counted: exact distinct values and how often each was made. */
class CountedValues implements DistinctCounter {
  readonly state: Uint8Array;
  private readonly counts: Uint32Array;

  constructor(size: number) {
    this.counts = new Uint32Array(size);
    this.state = new Uint8Array(this.counts.buffer);
  }

  add(key: number): void {
    this.counts[key]++;
  }

  merge(state: Uint8Array): void {
    const other = new Uint32Array(state.slice().buffer);
    other.forEach((count, i) => { this.counts[i] += count; });
  }

  estimate(): number {
    let count = 0;
    for (const made of this.counts) if (made !== 0) count++;
    return count;
  }

  observed(): Observed {
    return { counts: this.counts };
  }
}

/**
 * Runs of equal keys (a parent's children are contiguous): the lengths of the runs closed on both sides, and apart
 * from them the first and the last run, which the rows before and after may continue, so that counters of ranges
 * made in order merge exactly. State, as doubles: made anything (0/1), first key, first run, last key, last run,
 * one run only (0/1), closed runs, their least and their greatest length.
 */
class ChildRuns implements DistinctCounter {
  private readonly runs = Float64Array.of(0, 0, 0, 0, 0, 0, 0, Infinity, -Infinity);
  readonly state = new Uint8Array(this.runs.buffer);

  add(key: number): void {
    const r = this.runs;
    if (r[0] === 0) {
      r.set([1, key, 1, key, 1, 1]);
    } else if (key === r[3]) {
      r[4]++;
      if (r[5] === 1) r[2]++;
    } else {
      if (r[5] === 0) this.close(r[4]);
      r[5] = 0;
      r[3] = key;
      r[4] = 1;
    }
  }

  private close(length: number): void {
    const r = this.runs;
    r[6]++;
    if (length < r[7]) r[7] = length;
    if (length > r[8]) r[8] = length;
  }

  /** Merges the runs of the rows right after these. */
  merge(state: Uint8Array): void {
    const next = new Float64Array(state.slice().buffer);
    const r = this.runs;
    if (next[0] === 0) return;
    if (r[0] === 0) {
      r.set(next);
      return;
    }
    const thisSingle = r[5] === 1;
    const nextSingle = next[5] === 1;
    if (r[3] === next[1]) {
      // One run across the seam.
      const joined = r[4] + next[2];
      if (thisSingle) r[2] = joined;
      else if (!nextSingle) this.close(joined);
      if (nextSingle) {
        r[4] = joined;
        return;
      }
    } else {
      if (!thisSingle) this.close(r[4]);
      if (!nextSingle) this.close(next[2]);
    }
    r[5] = 0;
    r[6] += next[6];
    r[7] = Math.min(r[7], next[7]);
    r[8] = Math.max(r[8], next[8]);
    r[3] = next[3];
    r[4] = next[4];
  }

  /** Distinct parents. */
  estimate(): number {
    const r = this.runs;
    return r[0] === 0 ? 0 : r[6] + (r[5] === 1 ? 1 : 2);
  }

  observed(): Observed {
    const r = this.runs;
    return { children: { closedRuns: r[6], min: r[7], max: r[8], firstRun: r[2], lastRun: r[4], oneRun: r[5] === 1 } };
  }
}

/** A counter that also keeps the least and greatest number made; its state is the inner state and then the two. */
class RangedCounter implements DistinctCounter {
  private min = Infinity;
  private max = -Infinity;

  constructor(private readonly inner: DistinctCounter, private readonly value: Float64Array) {}

  get state(): Uint8Array {
    const inner = this.inner.state;
    const state = new Uint8Array(inner.length + 16);
    state.set(inner);
    new DataView(state.buffer).setFloat64(inner.length, this.min, true);
    new DataView(state.buffer).setFloat64(inner.length + 8, this.max, true);
    return state;
  }

  add(key: number): void {
    this.inner.add(key);
    const value = this.value[0];
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  merge(state: Uint8Array): void {
    const innerLength = state.length - 16;
    this.inner.merge(state.subarray(0, innerLength));
    const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
    this.min = Math.min(this.min, view.getFloat64(innerLength, true));
    this.max = Math.max(this.max, view.getFloat64(innerLength + 8, true));
  }

  estimate(nonNullCells: number): number {
    return this.inner.estimate(nonNullCells);
  }

  observed(): Observed {
    const range = this.min <= this.max ? { min: this.min, max: this.max } : {};
    return { ...this.inner.observed?.(), ...range };
  }
}

/**
 * A counter that also keeps what the value's shape checks need (moments, order, hours of the week) after the inner
 * counter's state, as doubles: count, sum, sum of squares; made anything (0/1), first, last, ordered (0/1); 168 counts.
 * Ranges merge in row order (lambda/driver/parallel.ts merges blocks in order), which is what the order needs.
 */
class ShapeCounter implements DistinctCounter {
  private readonly shape: Float64Array;
  private readonly orderAt: number;
  private readonly hoursAt: number;
  // The kind's options as fields of this class: a kind may arrive from another thread, with another object shape.
  private readonly moments: boolean;
  private readonly center: number;
  private readonly ordered: boolean;
  private readonly calendar: boolean;

  constructor(private readonly inner: DistinctCounter, private readonly value: Float64Array, kind: DistinctKind) {
    this.moments = kind.moments !== undefined;
    this.center = kind.moments ?? 0;
    this.ordered = kind.ordered === true;
    this.calendar = kind.calendar === true;
    this.orderAt = this.moments ? 3 : 0;
    this.hoursAt = this.orderAt + (this.ordered ? 4 : 0);
    this.shape = new Float64Array(this.hoursAt + (this.calendar ? WEEK_HOURS : 0));
  }

  get state(): Uint8Array {
    const inner = this.inner.state;
    const state = new Uint8Array(inner.length + this.shape.byteLength);
    state.set(inner);
    state.set(new Uint8Array(this.shape.buffer), inner.length);
    return state;
  }

  add(key: number): void {
    this.inner.add(key);
    const value = this.value[0];
    const s = this.shape;
    if (this.moments) {
      const d = value - this.center;
      s[0]++;
      s[1] += d;
      s[2] += d * d;
    }
    if (this.ordered) {
      const o = this.orderAt;
      if (s[o] === 0) {
        s[o] = 1;
        s[o + 1] = value;
        s[o + 3] = 1;
      } else if (value < s[o + 2]) {
        s[o + 3] = 0;
      }
      s[o + 2] = value;
    }
    if (this.calendar) s[this.hoursAt + hourOfWeek(value)]++;
  }

  /** Merges the state of the rows right after these. */
  merge(state: Uint8Array): void {
    const innerLength = state.length - this.shape.byteLength;
    this.inner.merge(state.subarray(0, innerLength));
    const next = new Float64Array(state.slice(innerLength).buffer);
    const s = this.shape;
    if (this.moments) for (let i = 0; i < 3; i++) s[i] += next[i];
    if (this.ordered && next[this.orderAt] === 1) {
      const o = this.orderAt;
      if (s[o] === 0) {
        s.set(next.subarray(o, o + 4), o);
      } else {
        if (next[o + 3] === 0 || next[o + 1] < s[o + 2]) s[o + 3] = 0;
        s[o + 2] = next[o + 2];
      }
    }
    if (this.calendar) for (let h = 0; h < WEEK_HOURS; h++) s[this.hoursAt + h] += next[this.hoursAt + h];
  }

  estimate(nonNullCells: number): number {
    return this.inner.estimate(nonNullCells);
  }

  observed(): Observed {
    const s = this.shape;
    const o = this.orderAt;
    return {
      ...this.inner.observed?.(),
      ...(this.moments ? { moments: { count: s[0], sum: s[1], sumSquares: s[2], center: this.center } } : {}),
      ...(this.ordered && s[o] === 1 ? { ordering: { ordered: s[o + 3] === 1, first: s[o + 1], last: s[o + 2] } } : {}),
      ...(this.calendar ? { hoursOfWeek: s.slice(this.hoursAt) } : {}),
    };
  }
}

class UniqueValues implements DistinctCounter {
  readonly state = new Uint8Array(0);
  add(): void {}
  merge(): void {}
  estimate(nonNullCells: number): number {
    return nonNullCells;
  }
}

/**
 * The number a generator of a `range` column leaves for the counter: one shared slot, like VALUE_KEY (generators.ts).
 */
export const VALUE_NUMBER = new Float64Array(1);

export function distinctCounter(kind: DistinctKind): DistinctCounter {
  const plain = plainCounter(kind);
  const counter = kind.range ? new RangedCounter(plain, VALUE_NUMBER) : plain;
  return kind.moments !== undefined || kind.ordered || kind.calendar ? new ShapeCounter(counter, VALUE_NUMBER, kind) : counter;
}

function plainCounter(kind: DistinctKind): DistinctCounter {
  switch (kind.kind) {
    case 'seen':
      return kind.counts ? new CountedValues(kind.size) : new SeenValues(kind.size);
    case 'unique':
      return new UniqueValues();
    case 'sketch':
      return new DistinctSketch();
    case 'children':
      return new ChildRuns();
  }
}

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

export type DistinctKind = { readonly kind: 'seen'; readonly size: number } | { readonly kind: 'unique' } | { readonly kind: 'sketch' };

export interface DistinctCounter {
  /** The counter's state, to send to another thread and merge there. */
  readonly state: Uint8Array;
  /** Counts the value whose key is `key`. */
  add(key: number): void;
  merge(state: Uint8Array): void;
  /** Distinct values among `nonNullCells` cells. */
  estimate(nonNullCells: number): number;
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

class UniqueValues implements DistinctCounter {
  readonly state = new Uint8Array(0);
  add(): void {}
  merge(): void {}
  estimate(nonNullCells: number): number {
    return nonNullCells;
  }
}

export function distinctCounter(kind: DistinctKind): DistinctCounter {
  switch (kind.kind) {
    case 'seen':
      return new SeenValues(kind.size);
    case 'unique':
      return new UniqueValues();
    case 'sketch':
      return new DistinctSketch();
  }
}

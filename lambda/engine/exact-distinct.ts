/**
 * Columns with exactly `distinctValues` (N) distinct values: row r takes the value of index P(r mod N), with P a keyed
 * bijection of [0, N). N contiguous rows hold every index once, so the table (and any part of N rows or more) has all N
 * values, a shorter run as many as it has rows; and every value is still a pure function of (column, row).
 *
 * The k-th value of a number column lies in the k-th of N equal slices of its bounds, at a keyed place inside it, so the
 * N values are distinct and spread over the whole range; that of a faker column is the k-th of a pool of N distinct
 * faker-made values.
 */
import { MAX_SEEN_VALUES, VALUE_NUMBER, type DistinctKind } from './distinct-counters';
import { distinctFakerValues } from './faker-values';
import { numberKey, uniformBelow, VALUE_KEY, type ColumnContext, type ColumnGenerator, type ListGenerator, type NumberGenerator } from './kernel';
import { mix32 } from './random';
import type { ColumnDocument } from '../../src/contract/column-documents';
import { decimalSteps } from '../../src/contract/decimal';
import { logicalTypeOf, type LogicalType } from '../../src/contract/logical-types';

/**
 * A keyed bijection of [0, n) (n ≤ 2^32): a balanced four-round Feistel network on the least even number of bits that
 * holds n, walked until it lands below n (cycle walking: the domain is less than 4 n, so fewer than 4 steps on average).
 * The rounds are written out: this runs once per cell.
 */
export function keyedPermutation(key: number, n: number): (index: number) => number {
  let bits = 2;
  while (2 ** bits < n) bits += 2;
  const half = bits / 2;
  const mask = 2 ** half - 1;
  const [k0, k1, k2, k3] = [0, 1, 2, 3].map((r) => mix32(key ^ mix32(r + 0x3c6ef372)));
  const once = (x: number): number => {
    let left = x >>> half;
    let right = x & mask;
    left ^= mix32(right ^ k0) & mask;
    right ^= mix32(left ^ k1) & mask;
    left ^= mix32(right ^ k2) & mask;
    right ^= mix32(left ^ k3) & mask;
    return ((left << half) | right) >>> 0;
  };
  return (index) => {
    let x = once(index);
    while (x >= n) x = once(x);
    return x;
  };
}

/** The value index of a row: P(row mod n). */
function valueIndex(key: number, n: number): (row: number) => number {
  const permute = keyedPermutation(key, n);
  return (row) => permute(row % n);
}

/** How the N values' indexes are counted: exactly when few, by sketch otherwise. */
function indexDistinct(n: number): DistinctKind {
  return n <= MAX_SEEN_VALUES ? { kind: 'seen', size: n } : { kind: 'sketch' };
}

/** N distinct whole numbers in [low, high], one per slice of the range, as a number column. */
function spreadNumbers(type: LogicalType, low: number, high: number, n: number, key: number): NumberGenerator {
  const span = high - low + 1;
  const width = span / n;
  // Slice k is [floor(k × width), floor((k + 1) × width)): at least one value wide, since n ≤ span (the validator checks).
  const sliceStart = (k: number) => (k === n ? span : Math.floor(k * width));
  const index = valueIndex(key, n);
  const placeKey = mix32(key ^ 0x1b873593);
  return {
    shape: 'number',
    type,
    distinct: { ...indexDistinct(n), range: true },
    bounds: { min: low, max: high },
    value(_cell, row) {
      const k = index(row);
      const start = sliceStart(k);
      const value = low + start + uniformBelow(mix32(k ^ placeKey), sliceStart(k + 1) - start);
      VALUE_KEY[0] = n <= MAX_SEEN_VALUES ? k : numberKey(value);
      VALUE_NUMBER[0] = value;
      return value;
    },
  };
}

/** The k-th of N distinct faker values for row r, k = P(r mod N). */
function fakerDistinct(method: string, type: LogicalType, n: number, context: ColumnContext, key: number): ListGenerator {
  const entries = distinctFakerValues(method, type, context.seed, context.index, n);
  const index = valueIndex(key, n);
  return {
    shape: 'list',
    type,
    entries,
    distinct: indexDistinct(n),
    pick(_cell, row) {
      const k = index(row);
      VALUE_KEY[0] = k;
      return k;
    },
  };
}

/** The generator of a column with `distinctValues`, or undefined for one without. */
export function exactDistinctGenerator(column: ColumnDocument, context: ColumnContext): ColumnGenerator | undefined {
  if (!('distinctValues' in column) || column.distinctValues === undefined) return undefined;
  const n = column.distinctValues;
  const key = mix32((context.seed >>> 0) ^ mix32(Math.floor(context.seed / 4294967296) ^ mix32(context.index + 0x2545f491)));
  switch (column.type) {
    case 'integer':
      return spreadNumbers(logicalTypeOf(column), column.min, column.max, n, key);
    case 'decimal': {
      const { low, high } = decimalSteps(column.min, column.max, column.fractionDigits);
      return spreadNumbers(logicalTypeOf(column), low, high, n, key);
    }
    case 'timestamp':
      return spreadNumbers({ kind: 'timestamp' }, Date.parse(column.from), Date.parse(column.to), n, key);
    case 'faker':
      return fakerDistinct(column.method, logicalTypeOf(column), n, context, key);
  }
}

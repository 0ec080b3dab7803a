/**
 * `distinctValues`: a column with exactly that many distinct values (as many as rows, when fewer rows are made).
 *
 * Part of the schema's contract (schema-document.ts calls these checks); it imports only contract modules. A number
 * column cannot ask for more values than its bounds hold; a faker column not for more than its method makes (a table
 * sampled from faker, faker-capacity.ts, since the construct has no faker) nor for a pool bigger than the function's
 * memory allows.
 */
import { fail, InvalidInputError } from './errors';
import { FAKER_CAPACITY } from './faker-capacity';
import { MAX_ROWS_CEILING } from './limits';
import { ownValue } from './own-keys';

/**
 * The most bytes a faker column's pool of distinct values may take, estimated: a 128 MB function holds the pool (and
 * what a format encodes of it) beside its chunks while it makes millions of rows.
 */
export const POOL_BYTE_LIMIT = 24 * 1024 * 1024;
/** What a pooled value costs besides its characters: the string's header and its slot in the pool. */
export const POOL_ENTRY_OVERHEAD = 40;

/** The most distinct values a faker method's pool may hold: by what faker makes and by memory. */
export function fakerDistinctLimit(method: string): { readonly capacity: number; readonly memory: number } {
  const [capacity, meanBytes] = ownValue(FAKER_CAPACITY, method) ?? [0, 0];
  return { capacity, memory: Math.floor(POOL_BYTE_LIMIT / (meanBytes + POOL_ENTRY_OVERHEAD)) };
}

/**
 * The column's `distinctValues`, validated, or undefined when absent.
 * @param possible how many values the column's bounds hold (number columns), or its faker method
 */
export function validateDistinctValues(
  at: string, raw: Record<string, unknown>, possible: { readonly values: number } | { readonly method: string },
): number | undefined {
  const value = raw.distinctValues;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_ROWS_CEILING) {
    fail(`${at}.distinctValues`, value, `a whole number from 1 to ${MAX_ROWS_CEILING}: how many distinct values the column has`);
  }
  // Values are laid out by row (a permutation of the N values, repeated), which a distribution's shape or a time
  // layout would undo.
  const shaping = ['distribution', 'order', 'hourWeights', 'dayWeights'].find((key) => raw[key] !== undefined);
  if (shaping !== undefined) {
    throw new InvalidInputError(`${at}: distinctValues and ${shaping} are both set: distinctValues spreads exactly N values evenly over the rows, `
      + `which leaves no room for ${shaping === 'distribution' ? 'a distribution\'s shape' : 'a time layout'}; remove one of them`);
  }
  if ('values' in possible) {
    if (value > possible.values) {
      fail(`${at}.distinctValues`, value, `the column's bounds hold only ${possible.values} values; ask for at most ${possible.values} or widen the bounds`);
    }
    return value;
  }
  const { method } = possible;
  if (raw.entity !== undefined) {
    throw new InvalidInputError(`${at}: distinctValues and entity are both set: an entity's columns follow its person or place, `
      + 'whose values cannot be counted out separately; remove one of them');
  }
  const { capacity, memory } = fakerDistinctLimit(method);
  if (value > capacity) {
    fail(`${at}.distinctValues`, value, `faker's ${method} makes about ${capacity} distinct values that can be reached in a run `
      + '(measured by sampling faker, see src/contract/faker-capacity.ts); ask for at most that many, or use a method with more values');
  }
  if (value > memory) {
    fail(`${at}.distinctValues`, value, `a pool of that many ${method} values would take more than the ${POOL_BYTE_LIMIT / 1024 / 1024} MiB `
      + `the function keeps for one column's values; ask for at most ${memory}, or use a uuid or sequence column for unique keys`);
  }
  return value;
}

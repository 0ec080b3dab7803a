/**
 * How many distinct values each faker method can make, and how long they are: what a `distinctValues` on a faker
 * column is checked against at synth, where the construct (a jsii library without faker) cannot sample faker itself.
 *
 * Two seeded samples of CAPACITY_SAMPLE values each, counted as the engine counts values (text as text, dates as instants). A
 * column may ask for the larger of:
 * - the values both samples made: common enough that that many calls meet them, and the engine makes at least as many
 *   calls (a value seen in one sample only may be too rare to meet again);
 * - half the Chapman capture–recapture estimate of the whole space: making N distinct values out of 2N takes about
 *   1.4 N draws, well inside the engine's 10 N attempts, even for a skewed method.
 */
import { base, en, Faker } from '@faker-js/faker';
import { MAX_ROWS_CEILING } from '../src/contract/limits';

/** Calls per sample; the engine makes at least this many before it gives up (faker-values.ts distinctAttempts). */
export const CAPACITY_SAMPLE = 20_000;
const REFERENCE_DATE = '2025-01-01T00:00:00.000Z';

export interface FakerCapacity {
  /** The most distinct values a column of the method may ask for. */
  readonly maxDistinct: number;
  /** The mean UTF-8 length of a value (8 for numbers and instants), rounded up. */
  readonly meanBytes: number;
}

function sample(method: string, seed: number): { values: Set<string | number | boolean>; bytes: number } {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  faker.setDefaultRefDate(REFERENCE_DATE);
  const [moduleName, methodName] = method.split('.');
  const module = (faker as unknown as Record<string, Record<string, () => unknown>>)[moduleName];
  const values = new Set<string | number | boolean>();
  let bytes = 0;
  for (let i = 0; i < CAPACITY_SAMPLE; i++) {
    const raw = module[methodName].call(module);
    const value = raw instanceof Date ? raw.getTime() : typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? raw : String(raw);
    bytes += typeof value === 'string' ? Buffer.byteLength(value) : 8;
    values.add(value);
  }
  return { values, bytes };
}

export function fakerCapacity(method: string): FakerCapacity {
  const first = sample(method, 1);
  const second = sample(method, 2);
  let both = 0;
  for (const value of first.values) if (second.values.has(value)) both++;
  const meanBytes = Math.ceil((first.bytes + second.bytes) / (2 * CAPACITY_SAMPLE));
  const chapman = ((first.values.size + 1) * (second.values.size + 1)) / (both + 1) - 1;
  return { maxDistinct: Math.max(1, both, Math.floor(Math.min(chapman, MAX_ROWS_CEILING) / 2)), meanBytes };
}

/**
 * The primitive column kinds, each compiled from its own document alone: uuid, integer, decimal, timestamp, oneOf and
 * sequence. The dispatcher (generators.ts) chooses among them; the kinds that need more than their document (faker,
 * entities, distinct values, references, derived columns) have modules of their own.
 */
import { writeHex16, writeHex32 } from './ascii';
import { keyedPick, numberFills } from './column-fills';
import { MAX_SEEN_VALUES, VALUE_NUMBER, type DistinctKind } from './distinct-counters';
import { compileDistribution, firstAbove, numericLayout, roughMean } from './distributions';
import { numberKey, uniformBelow, VALUE_KEY, type ListGenerator, type NumberGenerator, type TextGenerator } from './kernel';
import { below, draw, mix32, permuteRow, unit53 } from './random';
import { timeQuantile } from './time-order';
import type { DecimalColumnDocument, IntegerColumnDocument, OneOfColumnDocument, SequenceColumnDocument, TimestampColumnDocument } from '../../src/contract/column-documents';
import { decimalSteps } from '../../src/contract/decimal';
import { logicalTypeOf, type LogicalType } from '../../src/contract/logical-types';

const TWO_POW_32 = 4294967296;
const DASH = 45;

/**
 * Random UUIDs (version 4 layout) that are also unique by construction: 64 of the 122 random bits are a
 * keyed permutation of the row index, so two rows of one run never share a value; the rest are random.
 */
export function uuidGenerator(key: number): TextGenerator {
  const permuted = new Uint32Array(2);
  return {
    shape: 'text',
    type: { kind: 'string' },
    maxBytes: 36,
    distinct: { kind: 'unique' },
    write(buf, pos, cell, row) {
      permuteRow(key, row, permuted);
      const high = permuted[0];
      const low = permuted[1];
      const r1 = cell;
      const r2 = draw(cell, 1);
      pos = writeHex32(buf, pos, high);
      buf[pos++] = DASH;
      pos = writeHex16(buf, pos, r1 >>> 16);
      buf[pos++] = DASH;
      pos = writeHex16(buf, pos, 0x4000 | (r1 & 0x0fff)); // version 4
      buf[pos++] = DASH;
      pos = writeHex16(buf, pos, 0x8000 | ((r2 >>> 16) & 0x3fff)); // variant 10xx
      buf[pos++] = DASH;
      pos = writeHex16(buf, pos, r2);
      return writeHex32(buf, pos, low);
    },
  };
}

/**
 * A uniform whole number in [low, high] (safe integers). Ranges of more than 2^53 values (as wide as the
 * validator allows: ±(2^53 − 1)) are counted exactly in BigInt, where a double would skip every other value.
 */
function uniformBetween(low: number, high: number): (cell: number) => number {
  const span = high - low + 1;
  if (span <= Number.MAX_SAFE_INTEGER) return (cell) => low + uniformBelow(cell, span);
  const wideSpan = BigInt(high) - BigInt(low) + 1n;
  const wideLow = BigInt(low);
  return (cell) => {
    const bits = (BigInt(cell) << 32n) | BigInt(draw(cell, 1));
    return Number(wideLow + ((bits * wideSpan) >> 64n));
  };
}

/** How a column of `span` possible whole-number values is counted: exactly when small, by sketch otherwise. */
function rangeDistinct(span: number): DistinctKind {
  return span <= MAX_SEEN_VALUES ? { kind: 'seen', size: span } : { kind: 'sketch' };
}

/** Whole numbers uniform in [low, high], counted by their offset from `low` when the range is small. */
function wholeNumbers(type: LogicalType, low: number, high: number): NumberGenerator {
  const span = high - low + 1;
  const distinct = rangeDistinct(span);
  const seen = distinct.kind === 'seen';
  const uniform = uniformBetween(low, high);
  const value = (cell: number): number => {
    const made = uniform(cell);
    VALUE_KEY[0] = seen ? made - low : numberKey(made);
    VALUE_NUMBER[0] = made;
    return made;
  };
  return {
    shape: 'number',
    type,
    distinct: { ...distinct, range: true },
    bounds: { min: low, max: high },
    // The block loop repeats uniformBetween's narrow case.
    value: span > Number.MAX_SAFE_INTEGER ? value : numberFills.with(value, (out, hashes, columnKey, rows, counter) => {
      for (let i = 0; i < rows; i++) {
        const made = low + uniformBelow(mix32(hashes[i] ^ columnKey), span);
        VALUE_NUMBER[0] = made;
        // As VALUE_KEY holds it: a 32-bit unsigned key.
        counter.add(seen ? made - low : numberKey(made) >>> 0);
        out[i] = made;
      }
    }),
  };
}

export function integerGenerator(column: IntegerColumnDocument): NumberGenerator {
  return distributed(column, wholeNumbers({ kind: 'bigint' }, column.min, column.max));
}

/**
 * A number column with a declared distribution (distributions.ts): the uniform one as it was, any other by its inverse
 * CDF from a 53-bit uniform draw, with its moments counted for the conformance report.
 */
function distributed(column: IntegerColumnDocument | DecimalColumnDocument, uniform: NumberGenerator): NumberGenerator {
  const { distribution } = column;
  if (distribution === undefined) return uniform;
  const layout = numericLayout(column);
  if (distribution.kind === 'uniform') {
    return { ...uniform, distinct: { ...uniform.distinct, moments: Math.round((layout.low + layout.high) / 2) } };
  }
  const { sample } = compileDistribution(distribution, layout);
  const { low } = layout;
  const seen = uniform.distinct.kind === 'seen';
  return {
    ...uniform,
    distinct: { ...uniform.distinct, moments: Math.round(roughMean({ sample, probability: () => 0 })) },
    value(cell) {
      const value = sample(unit53(cell, draw(cell, 1)));
      VALUE_KEY[0] = seen ? value - low : numberKey(value);
      VALUE_NUMBER[0] = value;
      return value;
    },
  };
}

/** Whole multiples of 10^-fractionDigits, uniform between min and max, as unscaled whole numbers. */
export function decimalGenerator(column: DecimalColumnDocument): NumberGenerator {
  // The same steps the validator counted: a range it accepts always has a value here.
  const { low, high } = decimalSteps(column.min, column.max, column.fractionDigits);
  return distributed(column, wholeNumbers(logicalTypeOf(column), low, high));
}

/** Instants uniform in [from, to] at millisecond resolution. */
export function timestampGenerator(column: TimestampColumnDocument): NumberGenerator {
  const from = Date.parse(column.from);
  const span = Date.parse(column.to) - from + 1;
  return {
    shape: 'number',
    type: { kind: 'timestamp' },
    distinct: { kind: 'sketch', range: true },
    bounds: { min: from, max: from + span - 1 },
    value: numberFills.with((cell) => {
      const ms = from + uniformBelow(cell, span);
      VALUE_KEY[0] = numberKey(ms);
      VALUE_NUMBER[0] = ms;
      return ms;
    }, (out, hashes, columnKey, rows, counter) => {
      for (let i = 0; i < rows; i++) {
        const ms = from + uniformBelow(mix32(hashes[i] ^ columnKey), span);
        VALUE_NUMBER[0] = ms;
        counter.add(numberKey(ms) >>> 0);
        out[i] = ms;
      }
    }),
  };
}

/**
 * Instants by a time density and order (time-order.ts): t = Q(u), or for ascending rows Q((row + u) / tableRows), so
 * that the rows of the whole run are in time order however they are split into parts.
 */
export function laidOutTimestampGenerator(column: TimestampColumnDocument, tableRows: number): NumberGenerator {
  const from = Date.parse(column.from);
  const to = Date.parse(column.to);
  const quantile = timeQuantile(column);
  const ascending = column.order === 'ascending';
  const rows = Math.max(1, tableRows);
  return {
    shape: 'number',
    type: { kind: 'timestamp' },
    distinct: {
      kind: 'sketch',
      range: true,
      ...(ascending ? { ordered: true } : {}),
      ...(column.hourWeights !== undefined || column.dayWeights !== undefined ? { calendar: true } : {}),
    },
    bounds: { min: from, max: to },
    value(cell, row) {
      const u = unit53(cell, draw(cell, 1));
      const x = ascending ? Math.min(1, (row + u) / rows) : u;
      const t = Math.floor(quantile(x));
      const ms = t < from ? from : t > to ? to : t;
      VALUE_KEY[0] = numberKey(ms);
      VALUE_NUMBER[0] = ms;
      return ms;
    },
  };
}

/** One of the given values, uniformly or by weight (a weight of 0 never appears). */
export function oneOfGenerator(column: OneOfColumnDocument): ListGenerator {
  const pick = column.weights === undefined ? uniformPick(column.values.length) : weightedPick(column.weights);
  // A value listed twice is one value to the distinct-value count: its key is its first index.
  const valueKeys = Uint32Array.from(column.values, (value) => column.values.indexOf(value));
  return {
    shape: 'list',
    type: { kind: 'string' },
    entries: { kind: 'text', values: column.values },
    distinct: { kind: 'seen', size: column.values.length, counts: true },
    pick: keyedPick(pick, valueKeys),
  };
}

export function uniformPick(count: number): (hash: number) => number {
  return (hash) => below(hash, count);
}

/** Picks index i with probability weights[i] / sum, by binary search over cumulative weights. */
export function weightedPick(weights: readonly number[]): (hash: number) => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, i) => {
    total += weight;
    cumulative[i] = total;
  });
  const last = weights.length - 1;
  return (hash) => firstAbove(cumulative, last, (hash / TWO_POW_32) * total);
}

/** start, start + step, ... by row index: the same row always has the same number, whoever makes it. */
export function sequenceGenerator(column: SequenceColumnDocument): NumberGenerator {
  const { start, step } = column;
  return {
    shape: 'number',
    type: { kind: 'bigint' },
    distinct: { kind: 'unique' },
    value: (_cell, row) => start + row * step,
  };
}

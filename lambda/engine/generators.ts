/**
 * What a cell is, apart from how a format writes it: each column of the schema compiles to a generator of one of
 * three shapes, and each format (lambda/formats/) knows how to write each shape.
 *
 * - `number`: a number per cell — a whole number (bigint), an unscaled decimal (value × 10^scale), epoch
 *   milliseconds (timestamp) or a double.
 * - `list`: an index into a list of values fixed when the column is compiled (oneOf, a faker list, a pool of
 *   faker-made values): a format encodes each entry once, and Parquet writes the indexes as a dictionary.
 * - `text`: UTF-8 bytes composed per cell (UUIDs, names, emails), always plain text (plain-text.ts): every format
 *   copies them as they are.
 *
 * Every value is a function of (the cell's hash, the row index) and what was fixed at compile time, so any row
 * range comes out the same whoever makes it. Generators leave the key of the value they made in VALUE_KEY for the
 * distinct-value count (see distinct.ts).
 */
import { digitCount, writeHex16, writeHex32 } from './ascii';
import { cardinalityGenerator } from './cardinality';
import { entityGenerator } from './coherent';
import { derivedGenerator } from './derived';
import type { DistinctKind } from './distinct';
import { MAX_SEEN_VALUES, VALUE_NUMBER } from './distinct';
import { compileDistribution, firstAbove, numericLayout, roughMean } from './distributions';
import { fakerGenerator } from './faker-values';
import { below, draw, mix32, permuteRow, unit53, type RunKeys } from './random';
import { referenceGenerator, type DatasetContext } from './references';
import { timeQuantile } from './time-order';
import type { ColumnDocument, DecimalColumnDocument, IntegerColumnDocument, OneOfColumnDocument, SequenceColumnDocument, TimestampColumnDocument } from '../../src/contract/column-documents';
import { decimalSteps } from '../../src/contract/decimal';
import { logicalTypeOf, type LogicalType } from '../../src/contract/logical-types';

/**
 * Writes a cell's bytes into `buf` at `pos` and returns the position after them. It must depend on nothing but
 * (cell, row) and what was fixed when the column was compiled.
 */
export type WriteCell = (buf: Uint8Array, pos: number, cell: number, row: number) => number;

interface Generated {
  readonly type: LogicalType;
  /** How the column's distinct values are counted, which says what the generator leaves in VALUE_KEY. */
  readonly distinct: DistinctKind;
  /**
   * Whether a cell is null, for a column whose nulls are not only its null draw (a derived column, null where its
   * operands are): the row loops ask it instead of drawing (table.ts). Absent for every other column.
   */
  readonly isNull?: (cell: number, row: number) => boolean;
}

export interface NumberGenerator extends Generated {
  readonly shape: 'number';
  readonly value: (cell: number, row: number) => number;
  /** The least and greatest value it can make, when they are known before the run (not for sequences). */
  readonly bounds?: { readonly min: number; readonly max: number };
}

/** The entries of a list column, in its logical type: text, numbers (timestamps as epoch milliseconds) or booleans. */
export type ListEntries =
  | { readonly kind: 'text'; readonly values: readonly string[] }
  | { readonly kind: 'numbers'; readonly values: readonly number[] }
  | { readonly kind: 'booleans'; readonly values: readonly boolean[] };

export interface ListGenerator extends Generated {
  readonly shape: 'list';
  readonly entries: ListEntries;
  readonly pick: (cell: number, row: number) => number;
}

export interface TextGenerator extends Generated {
  readonly shape: 'text';
  /** The most bytes one value can take. */
  readonly maxBytes: number;
  /** Writes the value's UTF-8 bytes, plain text (plain-text.ts) unless `text` is given. */
  readonly write: WriteCell;
  /**
   * The value as a string, for values that may not be plain text (a derived column's): the text formats then encode
   * each value in their style (quoting, escaping) instead of copying the bytes `write` makes.
   */
  readonly text?: (cell: number, row: number) => string;
}

export type ColumnGenerator = NumberGenerator | ListGenerator | TextGenerator;

/**
 * Where a generator leaves the key of the value it just made, for the distinct-value count: for `seen` columns
 * the value's dense index, for `sketch` columns any 32-bit number equal for equal values, for `unique` columns
 * nothing. One shared slot costs no allocation per cell.
 */
export const VALUE_KEY = new Uint32Array(1);

const TWO_POW_32 = 4294967296;
const DASH = 45;

/**
 * What a column is compiled with besides its own document: the table it belongs to. A generator that needs another
 * cell of its row recomputes it from the row index: `mix32(rowHash(keys, row) ^ keys.columnKeys[i])` is column i's cell
 * hash, the one the row loops use.
 */
export interface ColumnContext {
  /** The table's seed (of a dataset's table: its own, see tableSeed). */
  readonly seed: number;
  /** The column's position in the table. */
  readonly index: number;
  /** The table's keys: rowHash(keys, row) and keys.columnKeys give any cell hash of any row. */
  readonly keys: RunKeys;
  /** The table's columns, validated. */
  readonly columns: readonly ColumnDocument[];
  /** The table's rows in the whole run (all parts): the same for every part, so a value may depend on it. */
  readonly tableRows: number;
  /** The dataset the table belongs to, for reference columns. */
  readonly dataset?: DatasetContext;
}

/** Compiles `column` (already validated) in `context`. A reference column needs the dataset it belongs to. */
export function compileGenerator(column: ColumnDocument, context: ColumnContext): ColumnGenerator {
  const { seed, index, dataset } = context;
  // Columns of an entity (coherent.ts) and with distinctValues (cardinality.ts) are made by their own modules.
  const special = (column.type === 'faker' ? entityGenerator(column, context) : undefined) ?? cardinalityGenerator(column, context);
  if (special !== undefined) return special;
  switch (column.type) {
    case 'reference':
      if (dataset === undefined) throw new Error(`column ${column.name} refers to table ${column.table}, but no dataset was given: a bug`);
      return referenceGenerator(column, seed, index, dataset);
    case 'uuid':
      return uuidGenerator(mix32(seed ^ mix32(index + 0x51ed270b)));
    case 'faker':
      return fakerGenerator(column.method, logicalTypeOf(column), seed, index);
    case 'integer':
      return integerGenerator(column);
    case 'decimal':
      return decimalGenerator(column);
    case 'timestamp':
      return column.order === 'ascending' || column.hourWeights !== undefined || column.dayWeights !== undefined
        ? laidOutTimestampGenerator(column, context.tableRows) : timestampGenerator(column);
    case 'oneOf':
      return oneOfGenerator(column);
    case 'sequence':
      return sequenceGenerator(column);
    case 'derived':
      return derivedGenerator(column, context);
  }
}

/**
 * Random UUIDs (version 4 layout) that are also unique by construction: 64 of the 122 random bits are a
 * keyed permutation of the row index, so two rows of one run never share a value; the rest are random.
 */
function uuidGenerator(key: number): TextGenerator {
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

/** A uniform whole number in [0, span) from a cell hash, exact for any span up to 2^53. */
export function uniformBelow(cell: number, span: number): number {
  if (span <= TWO_POW_32) return below(cell, span);
  return Math.min(span - 1, Math.floor(unit53(cell, draw(cell, 1)) * span));
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

/** A 32-bit key of a safe integer, equal for equal numbers (the sketch hashes it). */
export function numberKey(value: number): number {
  return (value | 0) ^ Math.imul(Math.floor(value / TWO_POW_32) | 0, 0x9e3779b1);
}

/** How a column of `span` possible whole-number values is counted: exactly when small, by sketch otherwise. */
function rangeDistinct(span: number): DistinctKind {
  return span <= MAX_SEEN_VALUES ? { kind: 'seen', size: span } : { kind: 'sketch' };
}

/** Whole numbers uniform in [low, high], counted by their offset from `low` when the range is small. */
function wholeNumbers(type: LogicalType, low: number, high: number): NumberGenerator {
  const distinct = rangeDistinct(high - low + 1);
  const seen = distinct.kind === 'seen';
  const uniform = uniformBetween(low, high);
  return {
    shape: 'number',
    type,
    distinct: { ...distinct, range: true },
    bounds: { min: low, max: high },
    value(cell) {
      const value = uniform(cell);
      VALUE_KEY[0] = seen ? value - low : numberKey(value);
      VALUE_NUMBER[0] = value;
      return value;
    },
  };
}

function integerGenerator(column: IntegerColumnDocument): NumberGenerator {
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
function decimalGenerator(column: DecimalColumnDocument): NumberGenerator {
  // The same steps the validator counted: a range it accepts always has a value here.
  const { low, high } = decimalSteps(column.min, column.max, column.fractionDigits);
  return distributed(column, wholeNumbers(logicalTypeOf(column), low, high));
}

/** Instants uniform in [from, to] at millisecond resolution. */
function timestampGenerator(column: TimestampColumnDocument): NumberGenerator {
  const from = Date.parse(column.from);
  const span = Date.parse(column.to) - from + 1;
  return {
    shape: 'number',
    type: { kind: 'timestamp' },
    distinct: { kind: 'sketch', range: true },
    bounds: { min: from, max: from + span - 1 },
    value(cell) {
      const ms = from + uniformBelow(cell, span);
      VALUE_KEY[0] = numberKey(ms);
      VALUE_NUMBER[0] = ms;
      return ms;
    },
  };
}

/**
 * Instants by a time density and order (time-order.ts): t = Q(u), or for ascending rows Q((row + u) / tableRows), so
 * that the rows of the whole run are in time order however they are split into parts.
 */
function laidOutTimestampGenerator(column: TimestampColumnDocument, tableRows: number): NumberGenerator {
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
function oneOfGenerator(column: OneOfColumnDocument): ListGenerator {
  const pick = column.weights === undefined ? uniformPick(column.values.length) : weightedPick(column.weights);
  // A value listed twice is one value to the distinct-value count: its key is its first index.
  const valueKeys = Uint32Array.from(column.values, (value) => column.values.indexOf(value));
  return {
    shape: 'list',
    type: { kind: 'string' },
    entries: { kind: 'text', values: column.values },
    distinct: { kind: 'seen', size: column.values.length, counts: true },
    pick(cell) {
      const index = pick(cell);
      VALUE_KEY[0] = valueKeys[index];
      return index;
    },
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
function sequenceGenerator(column: SequenceColumnDocument): NumberGenerator {
  const { start, step } = column;
  return {
    shape: 'number',
    type: { kind: 'bigint' },
    distinct: { kind: 'unique' },
    value: (_cell, row) => start + row * step,
  };
}

/** The most decimal digits (sign included) a whole number of a generator can take, where its bounds say. */
export function maxDigitsOf(generator: NumberGenerator): number {
  const { bounds } = generator;
  // A sequence's values stay safe integers (the validator checks the run's rows): at most 16 digits and a sign.
  return bounds === undefined ? 17 : 1 + Math.max(digitCount(bounds.min), digitCount(bounds.max));
}

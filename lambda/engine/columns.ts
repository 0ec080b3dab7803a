/**
 * Compiles each column type of the schema into a CellWriter. Text is encoded to CSV bytes once, here;
 * numbers and timestamps are written digit by digit; nothing makes a string per cell.
 */
import { digitCount, writeHex16, writeHex32, writeInteger, writePadded, writeThreeDigits, writeTwoDigits } from './ascii';
import { ByteTable } from './byte-table';
import type { CellWriter } from './cell-writer';
import { VALUE_KEY } from './cell-writer';
import { csvTextBytes } from './csv-text';
import { MAX_SEEN_VALUES, type DistinctKind } from './distinct';
import { fakerCellWriter } from './faker-values';
import { viewOf } from './output-view';
import { below, draw, mix32, permuteRow, unit53 } from './random';
import { decimalSteps } from '../../src/contract/schema-document';
import type {
  ColumnDocument, DecimalColumnDocument, IntegerColumnDocument, OneOfColumnDocument, SequenceColumnDocument, TimestampColumnDocument,
} from '../../src/contract/schema-document';

const TWO_POW_32 = 4294967296;
const DASH = 45;

/** Compiles `column` (already validated) for a run with `seed`; `index` is its position in the schema. */
export function compileColumn(column: ColumnDocument, seed: number, index: number): CellWriter {
  switch (column.type) {
    case 'uuid':
      return uuidWriter(mix32(seed ^ mix32(index + 0x51ed270b)));
    case 'faker':
      return fakerCellWriter(column.method, seed, index);
    case 'integer':
      return integerWriter(column);
    case 'decimal':
      return decimalWriter(column);
    case 'timestamp':
      return timestampWriter(column);
    case 'oneOf':
      return oneOfWriter(column);
    case 'sequence':
      return sequenceWriter(column);
  }
}

/**
 * Random UUIDs (version 4 layout) that are also unique by construction: 64 of the 122 random bits are a
 * keyed permutation of the row index, so two rows of one run never share a value; the rest are random.
 */
function uuidWriter(key: number): CellWriter {
  const permuted = new Uint32Array(2);
  return {
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
function uniformBelow(cell: number, span: number): number {
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
function numberKey(value: number): number {
  return (value | 0) ^ Math.imul(Math.floor(value / TWO_POW_32) | 0, 0x9e3779b1);
}

/** How a column of `span` possible whole-number values is counted: exactly when small, by sketch otherwise. */
function rangeDistinct(span: number): DistinctKind {
  return span <= MAX_SEEN_VALUES ? { kind: 'seen', size: span } : { kind: 'sketch' };
}

function integerWriter(column: IntegerColumnDocument): CellWriter {
  const { min, max } = column;
  const distinct = rangeDistinct(max - min + 1);
  const seen = distinct.kind === 'seen';
  const uniform = uniformBetween(min, max);
  return {
    maxBytes: 1 + Math.max(digitCount(min), digitCount(max)),
    distinct,
    write(buf, pos, cell) {
      const value = uniform(cell);
      VALUE_KEY[0] = seen ? value - min : numberKey(value);
      return writeInteger(buf, pos, value);
    },
  };
}

/** Whole multiples of 10^-fractionDigits, uniform between min and max, written without floating-point formatting. */
function decimalWriter(column: DecimalColumnDocument): CellWriter {
  const { fractionDigits } = column;
  const scale = 10 ** fractionDigits;
  // The same steps the validator counted: a range it accepts always has a value here.
  const { low, high } = decimalSteps(column.min, column.max, fractionDigits);
  const distinct = rangeDistinct(high - low + 1);
  const seen = distinct.kind === 'seen';
  const uniform = uniformBetween(low, high);
  return {
    // Sign, whole digits (at least one: "0.05" for 5 steps of 0.01), point, fraction digits.
    maxBytes: 3 + Math.max(digitCount(low), digitCount(high), fractionDigits),
    distinct,
    write(buf, pos, cell) {
      const scaled = uniform(cell);
      VALUE_KEY[0] = seen ? scaled - low : numberKey(scaled);
      if (fractionDigits === 0) return writeInteger(buf, pos, scaled);
      let magnitude = scaled;
      if (scaled < 0) {
        buf[pos++] = DASH;
        magnitude = -scaled;
      }
      const whole = Math.floor(magnitude / scale);
      pos = writeInteger(buf, pos, whole);
      buf[pos++] = 46; // '.'
      const fraction = magnitude - whole * scale;
      return fractionDigits === 2 ? writeTwoDigits(buf, pos, fraction) : writePadded(buf, pos, fraction, fractionDigits);
    },
  };
}

const MS_PER_DAY = 86_400_000;
/** Up to this many days (about 270 years) a range's dates are written from a table made once. */
const MAX_TABLED_DAYS = 100_000;
const DATE_BYTES = 10;

/** Instants uniform in [from, to] at millisecond resolution, written as ISO-8601 UTC (2024-03-05T07:08:09.010Z). */
function timestampWriter(column: TimestampColumnDocument): CellWriter {
  const from = Date.parse(column.from);
  const span = Date.parse(column.to) - from + 1;
  const firstDay = Math.floor(from / MS_PER_DAY);
  const dayCount = Math.floor((from + span - 1) / MS_PER_DAY) - firstDay + 1;
  // "YYYY-MM-DD" of every day of the range, so a cell copies its date instead of computing it; a range of
  // centuries computes it.
  const dates = dayCount <= MAX_TABLED_DAYS ? new Uint8Array(dayCount * DATE_BYTES) : undefined;
  if (dates !== undefined) for (let d = 0; d < dayCount; d++) writeIsoDate(dates, d * DATE_BYTES, firstDay + d);
  const dateWords = dates === undefined ? undefined : new DataView(dates.buffer);
  return {
    maxBytes: 24,
    distinct: { kind: 'sketch' },
    write(buf, pos, cell) {
      const ms = from + uniformBelow(cell, span);
      VALUE_KEY[0] = numberKey(ms);
      const day = Math.floor(ms / MS_PER_DAY);
      if (dateWords === undefined) {
        pos = writeIsoDate(buf, pos, day);
      } else {
        // Ten bytes as three 4-byte copies, the last overlapping the second.
        const at = (day - firstDay) * DATE_BYTES;
        const out = viewOf(buf);
        out.setUint32(pos, dateWords.getUint32(at));
        out.setUint32(pos + 4, dateWords.getUint32(at + 4));
        out.setUint32(pos + 6, dateWords.getUint32(at + 6));
        pos += DATE_BYTES;
      }
      return writeTimeOfDay(buf, pos, ms - day * MS_PER_DAY);
    },
  };
}

/** Writes epoch milliseconds (years 0000-9999) as YYYY-MM-DDTHH:MM:SS.mmmZ, as Date.toISOString does. */
export function writeIsoTimestamp(buf: Uint8Array, pos: number, ms: number): number {
  const day = Math.floor(ms / MS_PER_DAY);
  return writeTimeOfDay(buf, writeIsoDate(buf, pos, day), ms - day * MS_PER_DAY);
}

/** "THH:MM:" of every minute of a day (7 bytes, padded to 8), so that a time of day takes two divisions, not five. */
const HOURS_MINUTES = new Uint8Array(1440 * 8);
for (let minute = 0; minute < 1440; minute++) {
  HOURS_MINUTES[minute * 8] = 84; // 'T'
  const at = writeTwoDigits(HOURS_MINUTES, minute * 8 + 1, Math.floor(minute / 60));
  HOURS_MINUTES[at] = 58; // ':'
  HOURS_MINUTES[writeTwoDigits(HOURS_MINUTES, at + 1, minute % 60)] = 58;
}
const HOURS_MINUTES_WORDS = new DataView(HOURS_MINUTES.buffer);

/** Writes "THH:MM:SS.mmmZ" for milliseconds since midnight. */
function writeTimeOfDay(buf: Uint8Array, pos: number, ms: number): number {
  // ms < 86,400,000 < 2^31: truncating integer division is exact here.
  const minute = (ms / 60_000) | 0;
  ms -= minute * 60_000;
  const seconds = (ms / 1000) | 0;
  const out = viewOf(buf);
  out.setUint32(pos, HOURS_MINUTES_WORDS.getUint32(minute * 8));
  out.setUint32(pos + 3, HOURS_MINUTES_WORDS.getUint32(minute * 8 + 3));
  pos = writeTwoDigits(buf, pos + 7, seconds);
  buf[pos++] = 46; // '.'
  pos = writeThreeDigits(buf, pos, ms - seconds * 1000);
  buf[pos++] = 90; // 'Z'
  return pos;
}

/** Writes "YYYY-MM-DD" for days since 1970-01-01 (proleptic Gregorian calendar, as Date). */
function writeIsoDate(buf: Uint8Array, pos: number, days: number): number {
  // Civil date from days, counting in 400-year eras that start on March 1st.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  pos = writePadded(buf, pos, year, 4);
  buf[pos++] = DASH;
  pos = writeTwoDigits(buf, pos, month);
  buf[pos++] = DASH;
  return writeTwoDigits(buf, pos, day);
}

/** One of the given values, uniformly or by weight (a weight of 0 never appears). */
function oneOfWriter(column: OneOfColumnDocument): CellWriter {
  const table = ByteTable.of(column.values.map(csvTextBytes));
  const pick = column.weights === undefined ? uniformPick(column.values.length) : weightedPick(column.weights);
  // A value listed twice is one value to the distinct-value count: its key is its first index.
  const valueKeys = Uint32Array.from(column.values, (value) => column.values.indexOf(value));
  return {
    maxBytes: table.maxLength,
    distinct: { kind: 'seen', size: column.values.length },
    write(buf, pos, cell) {
      const index = pick(cell);
      VALUE_KEY[0] = valueKeys[index];
      return table.write(buf, pos, index);
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
  return (hash) => {
    const target = (hash / TWO_POW_32) * total;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    // A zero weight repeats the previous sum, which is never above the target: it is never picked.
    return lo;
  };
}

/** start, start + step, ... by row index: the same row always has the same number, whoever makes it. */
function sequenceWriter(column: SequenceColumnDocument): CellWriter {
  const { start, step } = column;
  return {
    maxBytes: 17,
    distinct: { kind: 'unique' },
    write(buf, pos, _cell, row) {
      return writeInteger(buf, pos, start + row * step);
    },
  };
}

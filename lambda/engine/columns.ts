/**
 * Compiles each column type of the schema into a CellWriter. Text is encoded to CSV bytes once, here;
 * numbers and timestamps are written digit by digit; nothing makes a string per cell.
 */
import { HEX_DIGITS, writeInteger, writePadded, digitCount } from './ascii';
import { ByteTable } from './byte-table';
import type { CellWriter } from './cell-writer';
import { VALUE_KEY } from './cell-writer';
import { csvTextBytes } from './csv-text';
import { fakerCellWriter } from './faker-values';
import { below, draw, mix32, permuteRow, unit53 } from './random';
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
  const hex = (buf: Uint8Array, pos: number, value: number, digits: number): number => {
    for (let shift = (digits - 1) * 4; shift >= 0; shift -= 4) buf[pos++] = HEX_DIGITS[(value >>> shift) & 15];
    return pos;
  };
  return {
    maxBytes: 36,
    write(buf, pos, cell, row) {
      permuteRow(key, row, permuted);
      const high = permuted[0];
      const low = permuted[1];
      const r1 = draw(cell, 0);
      const r2 = draw(cell, 1);
      pos = hex(buf, pos, high, 8);
      buf[pos++] = DASH;
      pos = hex(buf, pos, r1 >>> 16, 4);
      buf[pos++] = DASH;
      pos = hex(buf, pos, 0x4000 | (r1 & 0x0fff), 4);
      buf[pos++] = DASH;
      pos = hex(buf, pos, 0x8000 | ((r2 >>> 16) & 0x3fff), 4);
      buf[pos++] = DASH;
      pos = hex(buf, pos, r2 & 0xffff, 4);
      VALUE_KEY[0] = mix32(high ^ mix32(low));
      return hex(buf, pos, low, 8);
    },
  };
}

/** A uniform whole number in [0, span) from a cell hash, exact for any span up to 2^53. */
function uniformBelow(cell: number, span: number): number {
  if (span <= TWO_POW_32) return below(draw(cell, 0), span);
  return Math.min(span - 1, Math.floor(unit53(draw(cell, 0), draw(cell, 1)) * span));
}

function numberKey(value: number): number {
  return mix32((value >>> 0) ^ mix32(Math.floor(value / TWO_POW_32) >>> 0));
}

function integerWriter(column: IntegerColumnDocument): CellWriter {
  const { min, max } = column;
  const span = max - min + 1;
  return {
    maxBytes: 1 + Math.max(digitCount(min), digitCount(max)),
    write(buf, pos, cell) {
      const value = min + uniformBelow(cell, span);
      VALUE_KEY[0] = numberKey(value);
      return writeInteger(buf, pos, value);
    },
  };
}

/** Rounds `x` to the nearest whole number when it is one but for floating-point noise (1.1 * 100). */
function nearWhole(x: number, round: (x: number) => number): number {
  const nearest = Math.round(x);
  return Math.abs(x - nearest) < 1e-6 ? nearest : round(x);
}

/** Whole multiples of 10^-fractionDigits, uniform between min and max, written without floating-point formatting. */
function decimalWriter(column: DecimalColumnDocument): CellWriter {
  const { fractionDigits } = column;
  const scale = 10 ** fractionDigits;
  const low = nearWhole(column.min * scale, Math.ceil);
  const high = nearWhole(column.max * scale, Math.floor);
  const span = high - low + 1;
  return {
    maxBytes: 3 + Math.max(digitCount(low), digitCount(high)),
    write(buf, pos, cell) {
      const scaled = low + uniformBelow(cell, span);
      VALUE_KEY[0] = numberKey(scaled);
      if (fractionDigits === 0) return writeInteger(buf, pos, scaled);
      let magnitude = scaled;
      if (scaled < 0) {
        buf[pos++] = DASH;
        magnitude = -scaled;
      }
      const whole = Math.floor(magnitude / scale);
      pos = writeInteger(buf, pos, whole);
      buf[pos++] = 46; // '.'
      return writePadded(buf, pos, magnitude - whole * scale, fractionDigits);
    },
  };
}

const MS_PER_DAY = 86_400_000;

/** Instants uniform in [from, to] at millisecond resolution, written as ISO-8601 UTC (2024-03-05T07:08:09.010Z). */
function timestampWriter(column: TimestampColumnDocument): CellWriter {
  const from = Date.parse(column.from);
  const span = Date.parse(column.to) - from + 1;
  return {
    maxBytes: 24,
    write(buf, pos, cell) {
      const ms = from + uniformBelow(cell, span);
      VALUE_KEY[0] = numberKey(ms);
      return writeIsoTimestamp(buf, pos, ms);
    },
  };
}

/** Writes epoch milliseconds (years 0000-9999) as YYYY-MM-DDTHH:MM:SS.mmmZ; the calendar arithmetic is the proleptic Gregorian one of Date. */
export function writeIsoTimestamp(buf: Uint8Array, pos: number, ms: number): number {
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  // Civil date from days since 1970-01-01, counting in 400-year eras that start on March 1st.
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
  pos = writePadded(buf, pos, month, 2);
  buf[pos++] = DASH;
  pos = writePadded(buf, pos, day, 2);
  buf[pos++] = 84; // 'T'
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  pos = writePadded(buf, pos, hours, 2);
  buf[pos++] = 58; // ':'
  pos = writePadded(buf, pos, minutes, 2);
  buf[pos++] = 58;
  pos = writePadded(buf, pos, seconds, 2);
  buf[pos++] = 46; // '.'
  pos = writePadded(buf, pos, rest - seconds * 1000, 3);
  buf[pos++] = 90; // 'Z'
  return pos;
}

/** One of the given values, uniformly or by weight (a weight of 0 never appears). */
function oneOfWriter(column: OneOfColumnDocument): CellWriter {
  const table = ByteTable.of(column.values.map(csvTextBytes));
  const pick = column.weights === undefined ? uniformPick(column.values.length) : weightedPick(column.weights);
  // A value listed twice is one value to the distinct-value estimate.
  const valueKeys = Uint32Array.from(column.values, (value) => mix32(column.values.indexOf(value)));
  return {
    maxBytes: table.maxLength,
    write(buf, pos, cell) {
      const index = pick(draw(cell, 0));
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
    write(buf, pos, _cell, row) {
      const value = start + row * step;
      VALUE_KEY[0] = numberKey(value);
      return writeInteger(buf, pos, value);
    },
  };
}

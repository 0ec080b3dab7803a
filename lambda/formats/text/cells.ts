/**
 * How the text formats (CSV, JSON Lines) write each shape of value: numbers digit by digit, list entries copied
 * from a table encoded once per column, composed text copied as it is. The formats differ only in their style:
 * how a text value is encoded, and whether text and timestamps stand between double quotes.
 */
import { isoTimestampWriter, TIMESTAMP_BYTES, writeIsoTimestamp } from './timestamps';
import type { LogicalType } from '../../../src/contract/logical-types';
import { writeDouble, writeInteger, writePadded, writeTwoDigits } from '../../engine/ascii';
import { ByteTable } from '../../engine/byte-table';
import { maxDigitsOf, type ColumnGenerator, type ListEntries, type NumberGenerator, type WriteCell } from '../../engine/kernel';

export interface TextStyle {
  /** Whether composed text and timestamps are written between double quotes (JSON strings) or bare (CSV). */
  readonly quoted: boolean;
  /** A text value as a cell: CSV quotes and guards it when needed, JSON writes a string literal. */
  textCell(value: string): string;
}

/** A cell writer and the most bytes it writes, which the row loop keeps room for. */
export interface TextCell {
  readonly write: WriteCell;
  readonly maxBytes: number;
}

const QUOTE = 34;
const DASH = 45;
const POINT = 46;
const ASCII = new TextEncoder();

/** The writer of `generator`'s cells in `style`. */
export function textCell(generator: ColumnGenerator, style: TextStyle): TextCell {
  switch (generator.shape) {
    case 'number':
      return numberCell(generator, style);
    case 'list': {
      const table = listTable(generator.entries, generator.type, style);
      const pick = generator.pick;
      return { maxBytes: table.maxLength, write: (buf, pos, cell, row) => table.write(buf, pos, pick(cell, row)) };
    }
    case 'text': {
      if (generator.text !== undefined) return encodedText(generator.text, generator.maxBytes, style);
      const write = generator.write;
      if (!style.quoted) return { maxBytes: generator.maxBytes, write };
      return {
        maxBytes: generator.maxBytes + 2,
        write(buf, pos, cell, row) {
          buf[pos] = QUOTE;
          pos = write(buf, pos + 1, cell, row);
          buf[pos] = QUOTE;
          return pos + 1;
        },
      };
    }
  }
}

/**
 * Text that may not be plain, encoded per cell in the style: CSV may quote it (doubling its quotes) and guard a formula
 * with a leading quote, JSON may escape each character as \\uXXXX (6 bytes for the 1 to 3 it took).
 */
function encodedText(text: (cell: number, row: number) => string, maxBytes: number, style: TextStyle): TextCell {
  return {
    maxBytes: 6 * maxBytes + 3,
    write: (buf, pos, cell, row) => pos + ASCII.encodeInto(style.textCell(text(cell, row)), buf.subarray(pos)).written,
  };
}

function numberCell(generator: NumberGenerator, style: TextStyle): TextCell {
  const value = generator.value;
  const type = generator.type;
  switch (type.kind) {
    case 'timestamp': {
      const writeTimestamp = isoTimestampWriter(generator.bounds);
      if (!style.quoted) return { maxBytes: TIMESTAMP_BYTES, write: (buf, pos, cell, row) => writeTimestamp(buf, pos, value(cell, row)) };
      return {
        maxBytes: TIMESTAMP_BYTES + 2,
        write(buf, pos, cell, row) {
          buf[pos] = QUOTE;
          pos = writeTimestamp(buf, pos + 1, value(cell, row));
          buf[pos] = QUOTE;
          return pos + 1;
        },
      };
    }
    case 'decimal': {
      const scale = type.scale;
      // Sign, whole digits (at least one: "0.05" for 5 steps of 0.01), point, fraction digits.
      const maxBytes = 2 + Math.max(maxDigitsOf(generator), scale + 1);
      if (scale === 0) return { maxBytes, write: (buf, pos, cell, row) => writeInteger(buf, pos, value(cell, row)) };
      return { maxBytes, write: (buf, pos, cell, row) => writeDecimal(buf, pos, value(cell, row), scale) };
    }
    case 'bigint':
      return { maxBytes: maxDigitsOf(generator), write: (buf, pos, cell, row) => writeInteger(buf, pos, value(cell, row)) };
    default:
      // Doubles as JavaScript writes them (shortest round-trip): numbers in CSV and JSON alike.
      return { maxBytes: DOUBLE_TEXT_BYTES, write: (buf, pos, cell, row) => writeDouble(buf, pos, value(cell, row)) };
  }
}

/** 10^0 to 10^18: a column's scale (at most 10) or a derived decimal's (at most MAX_DECIMAL_SCALE, expressions.ts). */
const TEN_POWERS = Array.from({ length: 19 }, (_, i) => 10 ** i);
/**
 * Room for any finite double as String() writes it: at most 25 characters, -0.0000012345678901234567 (fixed notation
 * reaches down to 1e-6 with 17 significant digits).
 */
export const DOUBLE_TEXT_BYTES = 25;

/** Writes an unscaled decimal (value × 10^scale, a safe integer) with exactly `scale` fraction digits, without floating-point formatting. */
export function writeDecimal(buf: Uint8Array, pos: number, scaled: number, scale: number): number {
  let magnitude = scaled;
  if (scaled < 0) {
    buf[pos++] = DASH;
    magnitude = -scaled;
  }
  const unit = TEN_POWERS[scale];
  const whole = Math.floor(magnitude / unit);
  pos = writeInteger(buf, pos, whole);
  buf[pos++] = POINT;
  const fraction = magnitude - whole * unit;
  return scale === 2 ? writeTwoDigits(buf, pos, fraction) : writePadded(buf, pos, fraction, scale);
}

/** The cells of a list's entries, in the list's logical type, as one table (text in one encoding pass: lists run to thousands). */
function listTable(entries: ListEntries, type: LogicalType, style: TextStyle): ByteTable {
  switch (entries.kind) {
    case 'text':
      return ByteTable.ofTexts(entries.values.map((value) => style.textCell(value)));
    case 'booleans':
      return ByteTable.ofTexts(entries.values.map((value) => (value ? 'true' : 'false')));
    case 'numbers':
      return ByteTable.of(entries.values.map((value) => {
        // Whole numbers and doubles from faker: as JavaScript writes them, numbers in CSV and JSON alike.
        if (type.kind !== 'timestamp') return ASCII.encode(String(value));
        const cell = new Uint8Array(TIMESTAMP_BYTES + 2);
        if (!style.quoted) return cell.subarray(0, writeIsoTimestamp(cell, 0, value));
        cell[0] = QUOTE;
        const end = writeIsoTimestamp(cell, 1, value);
        cell[end] = QUOTE;
        return cell.subarray(0, end + 1);
      }));
  }
}

/**
 * What one cell of a sample file is, whatever format it came in: CSV gives text, JSON Lines JSON values, Parquet typed
 * values (bigints, Dates). A cell is null, a boolean, an integer, a decimal (with its fraction digits as written), a
 * timestamp (epoch milliseconds) or text; its `key` is the text that identifies the value (for counting and keys).
 */

export type CellKind = 'boolean' | 'integer' | 'decimal' | 'timestamp' | 'text';

export interface Cell {
  readonly kind: CellKind;
  /** The number of a boolean (0/1), an integer, a decimal or a timestamp (epoch ms). */
  readonly number?: number;
  /** Digits after the decimal point, as written. */
  readonly fractionDigits?: number;
  readonly key: string;
}

const INTEGER = /^-?(0|[1-9]\d{0,15})$/;
const DECIMAL = /^-?\d{1,16}\.(\d{1,18})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function fromText(text: string): Cell {
  if (text === 'true' || text === 'false') return { kind: 'boolean', number: text === 'true' ? 1 : 0, key: text };
  // "01234" is a code (a zip code), not the number 1234: INTEGER refuses leading zeros.
  if (INTEGER.test(text)) return { kind: 'integer', number: Number(text), key: text };
  const decimal = DECIMAL.exec(text);
  if (decimal) return { kind: 'decimal', number: Number(text), fractionDigits: decimal[1].length, key: text };
  if (TIMESTAMP.test(text)) {
    const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : /[Zz]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
    if (!Number.isNaN(ms)) return { kind: 'timestamp', number: ms, key: text };
  }
  return { kind: 'text', key: text };
}

/** The cell of a value as a reader gives it; undefined for a null (null, absent, or an empty CSV cell). */
export function cellOf(value: unknown): Cell | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  switch (typeof value) {
    case 'string': return fromText(value);
    case 'boolean': return { kind: 'boolean', number: value ? 1 : 0, key: String(value) };
    case 'bigint': return { kind: 'integer', number: Number(value), key: String(value) };
    case 'number': {
      if (Number.isInteger(value)) return { kind: 'integer', number: value, key: String(value) };
      const text = String(value);
      const dot = text.indexOf('.');
      return { kind: 'decimal', number: value, fractionDigits: dot < 0 || text.includes('e') ? 0 : text.length - dot - 1, key: text };
    }
    default:
      if (value instanceof Date) return { kind: 'timestamp', number: value.getTime(), key: value.toISOString() };
      return { kind: 'text', key: JSON.stringify(value) };
  }
}

/**
 * fast-check arbitraries of hostile input for the hostile-input tests: text meant to break a line, a
 * log record, a CSV cell or a path; numbers at and past the edges; values of the wrong type; and valid
 * schema documents to mutate. Also the checks every rejection must pass.
 */
import * as fc from 'fast-check';
import { InvalidInputError } from '../../src/contract/errors';
import { FAKER_METHODS } from '../../src/contract/faker-methods';
import { MAX_ROWS_CEILING, SCHEMA_LIMITS } from '../../src/contract/limits';

/** A line the handler never writes: if it shows up as a log record, a log line was forged. */
export const FORGED_MESSAGE = 'forged';
export const FORGED_LINE = `"}\n{"level":"INFO","message":"${FORGED_MESSAGE}"}\n{"x":"`;

/** Characters that make a cell a formula in a spreadsheet, when they lead it. */
export const FORMULA_LEADS = ['=', '+', '-', '@', '\t', '\r'];
export const FORMULA_STRINGS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1'];

/** Pieces of hostile text, combined by hostileString. */
const HOSTILE_PIECES = [
  '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\u202e', '\u200f', '\u200b', '\ufeff', '\u0000', '\u0007', '\u001b[31m', '\u007f',
  '"', "'", ',', ';', '\\', '\\n', '{', '}', FORGED_LINE, ...FORMULA_STRINGS,
  '..', '../', './', '/', '//', '*', '?', '%2e%2e', '__proto__', 'constructor', 'prototype', 'toString',
  '😀', '👨‍👩‍👧', 'é', 'e\u0301', 'ﷺ', '𝕏', 'ـ', '中文', 'עברית',
];

/** Text from hostile pieces, any code point, lone surrogates and plain letters. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({
    unit: fc.oneof(
      fc.constantFrom(...HOSTILE_PIECES),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
      fc.constantFrom(...'aZ09_.-'),
    ),
    maxLength: 12,
  }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...HOSTILE_PIECES),
  fc.integer({ min: 100, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

/** Numbers JSON can carry, at and past every edge the validators know, and some JSON cannot. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    -0, 0, 1, -1, 0.5, 2.5, 1e-7, 5e-324, 1e308, -1e308, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 100, 100.0001, 1000, 1_000_001, 1e21, NaN, Infinity, -Infinity,
  ),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
);

/** A deeply nested array: what a 600 KB test event can hold, and what overflows a recursive printer. */
export const DEEP_ARRAY: unknown = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));

/** An object with an own `__proto__` key, as JSON.parse makes it. */
export const PROTO_KEYED: unknown = JSON.parse('{"__proto__": {"rows": 5, "seed": 1, "columns": []}, "constructor": {"name": "x"}}');

/** A value of any type: what a field of a hostile document or event may hold. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: hostileString, weight: 3 },
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom(DEEP_ARRAY, PROTO_KEYED, [], {}, [1, 2], ['a'], { rows: 5 }),
  fc.array(fc.oneof(hostileNumber, hostileString), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Characters a JSON document may hold but a one-line message may not. */
export const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** The longest a rejection's message may be: where, the value (cut at 80), and what is allowed. */
export const MAX_MESSAGE_LENGTH = 1000;

/**
 * A rejection as the contract promises it: an InvalidInputError (no TypeError or RangeError), whose
 * message is one printable line of bounded length that starts by naming where the problem is.
 */
export function expectCleanRejection(error: unknown, where: string | RegExp): InvalidInputError {
  expect(error).toBeInstanceOf(InvalidInputError);
  const message = (error as InvalidInputError).message;
  expect(message).not.toMatch(UNPRINTABLE);
  expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
  if (typeof where === 'string') expect(message.startsWith(`${where}`)).toBe(true);
  else expect(message).toMatch(where);
  return error as InvalidInputError;
}

/**
 * Counts of one property run, for recordTrials. An input counts as tried before its outcome is checked,
 * and as accepted or rejected cleanly only once the checks have passed: a failing check leaves it in
 * neither, so the summary cannot claim what was not proven.
 */
export class Trials {
  tried = 0;
  rejectedCleanly = 0;
  accepted = 0;
  lost = 0;
  duplicated = 0;

  /** `check` as a property predicate that counts each run as tried. */
  counted<A extends unknown[], R>(check: (...args: A) => R): (...args: A) => R {
    return (...args: A) => {
      this.tried += 1;
      return check(...args);
    };
  }

  /** Counts an input whose checks have passed. */
  count(accepted: boolean): void {
    if (accepted) this.accepted += 1;
    else this.rejectedCleanly += 1;
  }

  /** Counts the objects an accepted input wrote, which should be exactly one. */
  objectsWritten(count: number): void {
    if (count === 0) this.lost += 1;
    if (count > 1) this.duplicated += count - 1;
  }

  get figures() {
    return { tried: this.tried, rejectedCleanly: this.rejectedCleanly, accepted: this.accepted, lost: this.lost, duplicated: this.duplicated };
  }
}

// ---- Valid schema documents, to mutate ----

/** The largest sequence step whose span over the largest run, step × (rows - 1), is an exact integer. */
export const LARGEST_SEQUENCE_STEP = Math.floor(Number.MAX_SAFE_INTEGER / (MAX_ROWS_CEILING - 1));

const columnName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
const nullPercent = fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined });
const sortedPair = (arbitrary: fc.Arbitrary<number>) => fc.tuple(arbitrary, arbitrary).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
const isoTime = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
  .chain((date) => fc.constantFrom(
    date.toISOString(), date.toISOString().slice(0, 10), `${date.toISOString().slice(0, 19)}Z`, `${date.toISOString().slice(0, 16)}Z`,
  ))
  .map((text) => ({ text, time: Date.parse(text) }));

/** Text a oneOf value may hold and that must come out of the CSV unchanged: no formula lead, valid Unicode. */
export const roundTripText: fc.Arbitrary<string> = hostileString
  .filter((text) => Buffer.from(text).toString() === text && text.length <= 200);

/** How a text cell reads back from the CSV: a spreadsheet formula start gets a leading ' (CSV injection guard). */
export function asWrittenInCsv(text: string): string {
  return FORMULA_LEADS.some((lead) => text.startsWith(lead)) ? `'${text}` : text;
}

/** One valid column of each type, options drawn across their whole allowed range (without the name). */
const validColumnBody: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({ type: 'uuid' }),
  fc.constantFrom(...FAKER_METHODS).map((method) => ({ type: 'faker', method })),
  sortedPair(fc.maxSafeInteger()).map(([min, max]) => ({ type: 'integer', min, max })),
  fc.integer({ min: 0, max: SCHEMA_LIMITS.maxFractionDigits }).chain((fractionDigits) => {
    const largest = Math.floor(Number.MAX_SAFE_INTEGER / 10 ** fractionDigits);
    // Bounds as a user writes them: whole numbers, or decimals with up to fractionDigits digits (0.07).
    const bound = fc.oneof(fc.integer({ min: -largest, max: largest }), fc.integer({ min: -1e6, max: 1e6 }).map((k) => k / 10 ** fractionDigits));
    // One value only (min = max) too: a range no wider than one step.
    return fc.oneof(sortedPair(bound), bound.map((b) => [b, b])).map(([min, max]) => ({ type: 'decimal', min, max, fractionDigits }));
  }),
  fc.tuple(isoTime, isoTime).map(([a, b]) => (a.time <= b.time ? [a.text, b.text] : [b.text, a.text]))
    .map(([from, to]) => ({ type: 'timestamp', from, to })),
  fc.array(roundTripText, { minLength: 1, maxLength: 6 }).chain((values) => fc.option(
    fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: values.length, maxLength: values.length }), { nil: undefined },
  ).map((weights) => ({ type: 'oneOf', values, ...(weights ? { weights } : {}) }))),
  fc.record({ start: fc.integer({ min: -1e9, max: 1e9 }), step: fc.integer({ min: -1000, max: 1000 }).filter((s) => s !== 0) })
    .map((options) => ({ type: 'sequence', ...options })),
  // Out to the edge: the largest run's span, step × (rows - 1), and its last value both stay exact integers.
  fc.integer({ min: -LARGEST_SEQUENCE_STEP, max: LARGEST_SEQUENCE_STEP }).filter((step) => step !== 0).chain((step) => {
    const span = step * (MAX_ROWS_CEILING - 1);
    return fc.integer({ min: -Number.MAX_SAFE_INTEGER - Math.min(span, 0), max: Number.MAX_SAFE_INTEGER - Math.max(span, 0) })
      .map((start) => ({ type: 'sequence', start, step }));
  }),
);

export const validColumn: fc.Arbitrary<Record<string, unknown>> = fc.tuple(columnName, validColumnBody, nullPercent)
  .map(([name, body, percent]) => ({ name, ...body, ...(percent === undefined ? {} : { nullPercent: percent }) }));

/** A valid schema document: 1 to 8 columns, names unique when case is ignored. */
export const validSchema: fc.Arbitrary<{ columns: Record<string, unknown>[] }> = fc
  .uniqueArray(validColumn, { minLength: 1, maxLength: 8, selector: (column) => String(column.name).toLowerCase() })
  .map((columns) => ({ columns }));

// ---- Mutations of a valid document ----

export const COLUMN_FIELDS = [
  'name', 'type', 'nullPercent', 'method', 'min', 'max', 'fractionDigits', 'from', 'to', 'values', 'weights', 'start', 'step',
  '__proto__', 'constructor', 'toString', 'extra',
];

/** One change to a valid document; `column` picks a column modulo their number. */
export type Mutation =
  | { kind: 'set'; column: number; field: string; value: unknown }
  | { kind: 'drop'; column: number; field: string }
  | { kind: 'element'; column: number; list: 'values' | 'weights'; index: number; value: unknown }
  | { kind: 'rename'; column: number; like: number; upperCase: boolean }
  | { kind: 'replaceColumn'; column: number; value: unknown }
  | { kind: 'tooManyValues'; column: number }
  | { kind: 'document'; field: string; value: unknown }
  | { kind: 'tooManyColumns' };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), column: fc.nat(), field: fc.constantFrom(...COLUMN_FIELDS), value: hostileValue }) },
  fc.record({ kind: fc.constant('drop' as const), column: fc.nat(), field: fc.constantFrom(...COLUMN_FIELDS) }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('element' as const), column: fc.nat(), list: fc.constantFrom('values' as const, 'weights' as const), index: fc.nat(8), value: hostileValue,
    }),
  },
  fc.record({ kind: fc.constant('rename' as const), column: fc.nat(), like: fc.nat(), upperCase: fc.boolean() }),
  fc.record({ kind: fc.constant('replaceColumn' as const), column: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('tooManyValues' as const), column: fc.nat() }),
  fc.record({ kind: fc.constant('document' as const), field: fc.constantFrom('columns', '__proto__', 'constructor', 'version'), value: hostileValue }),
  fc.constant({ kind: 'tooManyColumns' as const }),
);

/** Sets an own property, as JSON.parse does, even for `__proto__`. */
function setOwn(record: Record<string, unknown>, field: string, value: unknown): void {
  Object.defineProperty(record, field, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Applies `m` to a copy of `document`. Returns the input and, for a change to one column, that
 * column's index: a rejection must name it (`schema.columns[i]`).
 */
export function mutate(document: { columns: Record<string, unknown>[] }, m: Mutation): { input: unknown; column?: number } {
  const copy = JSON.parse(JSON.stringify(document)) as { columns: Record<string, unknown>[] };
  if (m.kind === 'document') {
    setOwn(copy as unknown as Record<string, unknown>, m.field, m.value);
    return { input: copy };
  }
  if (m.kind === 'tooManyColumns') {
    copy.columns = Array.from({ length: SCHEMA_LIMITS.maxColumns + 1 }, (_, i) => ({ name: `c${i}`, type: 'uuid' }));
    return { input: copy };
  }
  const i = m.column % copy.columns.length;
  const column = copy.columns[i];
  switch (m.kind) {
    case 'set':
      setOwn(column, m.field, m.value);
      break;
    case 'drop':
      delete column[m.field];
      break;
    case 'element': {
      const list = Array.isArray(column[m.list]) ? column[m.list] as unknown[] : [];
      list[Math.min(m.index, list.length)] = m.value;
      column[m.list] = list;
      break;
    }
    case 'rename': {
      const other = String(copy.columns[m.like % copy.columns.length].name);
      column.name = m.upperCase ? other.toUpperCase() : other;
      break;
    }
    case 'replaceColumn':
      copy.columns[i] = m.value as Record<string, unknown>;
      break;
    case 'tooManyValues':
      copy.columns[i] = { name: column.name, type: 'oneOf', values: Array.from({ length: SCHEMA_LIMITS.maxOneOfValues + 1 }, (_, k) => `v${k}`) };
      break;
  }
  return { input: copy, column: i };
}

/** A mutated document as JSON text; one too deeply nested for JSON.stringify is written out by hand. */
export const mutatedSchemaText: fc.Arbitrary<string> = fc.tuple(validSchema, mutation).map(([document, m]) => {
  try {
    return JSON.stringify(mutate(document, m).input) ?? 'undefined';
  } catch {
    return `{"columns": [${'['.repeat(100_000)}${']'.repeat(100_000)}]}`;
  }
});

/**
 * A number as the decimal its shortest form writes (0.07 is "0.07", not the double's 0.0700000000000000067),
 * times 10^digits, rounded down and up: exact, with BigInt.
 */
export function scaledDecimal(n: number, digits: number): { floor: bigint; ceil: bigint } {
  const [mantissa, exponent = '0'] = String(n).split('e');
  const negative = mantissa.startsWith('-');
  const [whole, fraction = ''] = mantissa.replace('-', '').split('.');
  const units = BigInt(`${whole}${fraction}`);
  const shift = digits + Number(exponent) - fraction.length;
  if (shift >= 0) {
    const value = (negative ? -units : units) * 10n ** BigInt(shift);
    return { floor: value, ceil: value };
  }
  const divisor = 10n ** BigInt(-shift);
  const quotient = units / divisor;
  const exact = units % divisor === 0n;
  return negative
    ? { floor: exact ? -quotient : -quotient - 1n, ceil: -quotient }
    : { floor: quotient, ceil: exact ? quotient : quotient + 1n };
}

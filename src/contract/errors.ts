/**
 * The contract's one error type and the helpers that write its messages: where, the value received (quoted safely on
 * one line), and what is allowed. The floor of the contract: it imports nothing.
 */

/** A schema, event or prop value that is not allowed. The message names where, what, and what is allowed. */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** The most characters of a received value an error message shows. */
const DESCRIBED_LENGTH = 80;
// What would break a message's one line or change how the rest of it reads once printed: controls (C0,
// DEL, C1), line and paragraph separators, format characters (bidi overrides, zero-width marks) and
// unpaired surrogates.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
// One character of a JSON text as a reader sees it: an escape sequence, or one code point.
const JSON_TEXT_UNIT = /\\u[0-9a-fA-F]{4}|\\.|./gsu;

/** `text` with every unprintable character written as a `\uXXXX` escape, so it prints as one plain line. */
function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => c.split('').map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''));
}

/** How a value that JSON cannot write (nested too deep, circular, a BigInt) is named instead. */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  try {
    return String(value);
  } catch {
    return `a value of type ${typeof value}`;
  }
}

/**
 * Quotes a received value for an error message: short, on one line, control characters escaped.
 * Never throws, whatever the value (a deeply nested array would overflow the stack of JSON.stringify).
 * @param maxLength the most characters shown (a path may deserve more than a value)
 */
export function describeValue(value: unknown, maxLength = DESCRIBED_LENGTH): string {
  if (value === undefined) return 'undefined';
  // JSON writes NaN and ±Infinity as null, and -0 as 0: name the number that was received.
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? shapeOf(value);
  } catch {
    text = shapeOf(value);
  }
  return oneLine(text, maxLength);
}

/** `text` escaped as escapeUnprintable does, and cut to at most `max` characters between escapes and code points. */
export function oneLine(text: string, max: number): string {
  // Escaping only lengthens the text: no more than what can be shown needs escaping.
  const escaped = escapeUnprintable(text.slice(0, max + 1));
  if (text.length <= max && escaped.length <= max) return escaped;
  let shown = '';
  for (const [unit] of escaped.matchAll(JSON_TEXT_UNIT)) {
    if (shown.length + unit.length > max - 3) break;
    shown += unit;
  }
  return `${shown}...`;
}

/** Throws the contract's one error shape: where, the value received, and what is allowed. */
export function fail(where: string, value: unknown, allowed: string): never {
  throw new InvalidInputError(`${where} is ${describeValue(value)}: ${allowed}`);
}

const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * Why a text a schema gives as a value cannot be written, or undefined when it can: the one rule for every such text
 * (a oneOf value, a string literal of a derived expression). An unpaired surrogate has no UTF-8 form: CSV and Parquet
 * would hold U+FFFD instead, and JSON Lines an escape that DuckDB and pyarrow refuse to read.
 */
export function unwritableText(text: string): string | undefined {
  if (!UNPAIRED_SURROGATE.test(text)) return undefined;
  return 'the text holds an unpaired UTF-16 surrogate (half of a character such as an emoji), which cannot be written to a UTF-8 file; '
    + 'write the whole character';
}

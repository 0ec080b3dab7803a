/**
 * The expression compiler of derived columns: a typed expression (src/contract/expression-types.ts) to closures over
 * the row index, and the most bytes a text expression can make. It reads the other columns of the row through a
 * RowReader (derived.ts makes one per compiled table).
 *
 * Numbers, timestamps and booleans evaluate to doubles with NaN for null (an exact value is unscaled, a boolean 0 or
 * 1): NaN carries through arithmetic on its own, and the numeric path allocates nothing per cell. Text evaluates to a
 * string or null.
 */
import { CIVIL, civilDate } from './calendar';
import { applyCaseChain, type CaseChain } from './case-growth';
import { roundDoubleToUnscaled } from '../../src/contract/double-rounding';
import type { ExpressionType, TypedExpression } from '../../src/contract/expression-types';
import { TIMESTAMP_RANGE } from '../../src/contract/limits';

export const DAY_MS = 86_400_000;

export type Num = (row: number) => number;
export type Str = (row: number) => string | null;

/** A column's value on a row, as the expression sees it. */
export interface SourceValue {
  readonly num?: Num;
  readonly str?: Str;
}

/** How an expression reads the other columns of its row. */
export interface RowReader {
  /** Column `index`'s value on a row, null where the cell is. */
  of(index: number): SourceValue;
  /** The most UTF-8 bytes of a text column's values once through a chain of case functions. */
  maxBytesOf(index: number, chain: CaseChain): number;
}

const utf8 = new TextEncoder();

export function utf8Length(text: string): number {
  return utf8.encode(text).length;
}

/** The most decimal characters of an exact or double value written by string(x). */
const DOUBLE_TEXT = 25;
const TIMESTAMP_TEXT = 24;

/**
 * The most UTF-8 bytes a string node can make, once through `chain`, the case functions around it: a text's code
 * points each go through the chain of the functions above them, whatever concat, if or substring stand between.
 */
export function maxBytesOf(node: TypedExpression, sources: RowReader, chain: CaseChain = ''): number {
  const args = node.args;
  switch (node.op) {
    case 'literal':
      return typeof node.value === 'string' ? utf8Length(applyCaseChain(node.value, chain)) : 0;
    case 'column':
      return sources.maxBytesOf(node.column!, chain);
    case 'concat':
      return args.reduce((sum, arg) => sum + maxBytesOf(arg, sources, chain), 0);
    case 'lower':
    case 'upper':
      return maxBytesOf(args[0], sources, chain + (node.op === 'upper' ? 'u' : 'l'));
    case 'substring':
      return maxBytesOf(args[0], sources, chain);
    case 'if':
    case 'case':
    case 'coalesce':
      return Math.max(...args.filter((arg) => arg.type.kind === 'string').map((arg) => maxBytesOf(arg, sources, chain)));
    // Digits, signs, points, ISO instants, true and false: ASCII, which a case mapping keeps at one byte a character.
    case 'string': {
      const type = args[0].type;
      switch (type.kind) {
        case 'exact':
          return 3 + Math.max(String(Math.abs(type.min)).length, String(Math.abs(type.max)).length, type.scale + 1);
        case 'timestamp':
          return TIMESTAMP_TEXT;
        case 'boolean':
          return 5;
        default:
          return DOUBLE_TEXT;
      }
    }
    default:
      throw new Error(`${node.op} does not make text: an engine bug`);
  }
}

const isNumberKind = (type: ExpressionType) => type.kind !== 'string';

/** Compiles a node to a closure of the row: numbers, timestamps and booleans to `num`, text to `str`. */
export function compileNode(node: TypedExpression, sources: RowReader): { num?: Num; str?: Str } {
  return isNumberKind(node.type) ? { num: compileNum(node, sources) } : { str: compileStr(node, sources) };
}

function compileNum(node: TypedExpression, sources: RowReader): Num {
  const args = node.args;
  const num = (i: number) => compileNum(args[i], sources);
  switch (node.op) {
    case 'literal': {
      const value = node.value === null ? NaN : node.value === true ? 1 : node.value === false ? 0 : (node.value as number);
      return () => value;
    }
    case 'column':
      return sources.of(node.column!).num!;
    case 'neg': {
      const a = num(0);
      return (row) => 0 - a(row);
    }
    case 'add': {
      const [a, b] = [num(0), num(1)];
      return (row) => a(row) + b(row);
    }
    case 'sub': {
      const [a, b] = [num(0), num(1)];
      return (row) => a(row) - b(row);
    }
    case 'mul': {
      const [a, b] = [num(0), num(1)];
      return (row) => a(row) * b(row);
    }
    case 'div': {
      const [a, b] = [num(0), num(1)];
      return (row) => {
        const divisor = b(row);
        return divisor === 0 ? NaN : a(row) / divisor;
      };
    }
    case 'rescale': {
      const [a, factor] = [num(0), node.factor!];
      return (row) => a(row) * factor;
    }
    case 'toDouble': {
      const [a, factor] = [num(0), node.factor!];
      return factor === 1 ? a : (row) => a(row) / factor;
    }
    case 'roundExact': {
      const [a, factor] = [num(0), node.factor!];
      return (row) => roundUnscaled(a(row), factor);
    }
    case 'roundDouble': {
      const [a, factor] = [num(0), node.factor!];
      return (row) => roundDoubleToUnscaled(a(row), factor);
    }
    case 'compare':
      return compileCompare(node, sources);
    case 'and': {
      const [a, b] = [num(0), num(1)];
      return (row) => {
        const x = a(row);
        const y = b(row);
        return x !== x || y !== y ? NaN : x === 1 && y === 1 ? 1 : 0;
      };
    }
    case 'or': {
      const [a, b] = [num(0), num(1)];
      return (row) => {
        const x = a(row);
        const y = b(row);
        return x !== x || y !== y ? NaN : x === 1 || y === 1 ? 1 : 0;
      };
    }
    case 'not': {
      const a = num(0);
      return (row) => 1 - a(row);
    }
    case 'if': {
      const [c, a, b] = [num(0), num(1), num(2)];
      return (row) => (c(row) === 1 ? a(row) : b(row));
    }
    case 'case': {
      const compiled = args.map((arg) => compileNum(arg, sources));
      const last = compiled.length - 1;
      return (row) => {
        for (let i = 0; i < last; i += 2) if (compiled[i](row) === 1) return compiled[i + 1](row);
        return compiled[last](row);
      };
    }
    case 'coalesce': {
      const compiled = args.map((arg) => compileNum(arg, sources));
      return (row) => {
        for (const value of compiled) {
          const x = value(row);
          if (x === x) return x;
        }
        return NaN;
      };
    }
    case 'isNull': {
      if (isNumberKind(args[0].type)) {
        const a = num(0);
        return (row) => {
          const x = a(row);
          return x !== x ? 1 : 0;
        };
      }
      const s = compileStr(args[0], sources);
      return (row) => (s(row) === null ? 1 : 0);
    }
    case 'length': {
      const s = compileStr(args[0], sources);
      return (row) => {
        const text = s(row);
        return text === null ? NaN : codePoints(text);
      };
    }
    case 'addTime': {
      const [ts, n, unit] = [num(0), num(1), node.factor!];
      return (row) => {
        const t = ts(row) + n(row) * unit;
        return t >= TIMESTAMP_RANGE.min && t <= TIMESTAMP_RANGE.max ? t : NaN;
      };
    }
    case 'diffDays': {
      const [a, b] = [num(0), num(1)];
      return (row) => {
        const days = Math.trunc((a(row) - b(row)) / DAY_MS);
        return days === 0 ? 0 : days;
      };
    }
    case 'datePart': {
      const a = num(0);
      const part = datePart(node.name!);
      return (row) => part(a(row));
    }
    default:
      throw new Error(`${node.op} does not make a number: an engine bug`);
  }
}

function compileCompare(node: TypedExpression, sources: RowReader): Num {
  const operator = node.name!;
  const [left, right] = node.args;
  if (left.type.kind === 'string') {
    const [a, b] = [compileStr(left, sources), compileStr(right, sources)];
    const test = comparison(operator);
    return (row) => {
      const x = a(row);
      const y = b(row);
      return x === null || y === null ? NaN : test(x < y ? -1 : x > y ? 1 : 0);
    };
  }
  const [a, b] = [compileNum(left, sources), compileNum(right, sources)];
  const test = comparison(operator);
  return (row) => {
    const x = a(row);
    const y = b(row);
    return x !== x || y !== y ? NaN : test(x < y ? -1 : x > y ? 1 : 0);
  };
}

/** 1 when an ordering (-1, 0, 1) satisfies the operator, else 0. */
function comparison(operator: string): (order: number) => number {
  switch (operator) {
    case '==':
      return (order) => (order === 0 ? 1 : 0);
    case '!=':
      return (order) => (order !== 0 ? 1 : 0);
    case '<':
      return (order) => (order < 0 ? 1 : 0);
    case '<=':
      return (order) => (order <= 0 ? 1 : 0);
    case '>':
      return (order) => (order > 0 ? 1 : 0);
    default:
      return (order) => (order >= 0 ? 1 : 0);
  }
}

/** An unscaled value divided by a power of ten, rounded half away from zero, exactly (whole numbers below 2^53). */
function roundUnscaled(value: number, factor: number): number {
  if (value !== value) return NaN;
  const magnitude = Math.abs(value);
  let quotient = Math.floor(magnitude / factor);
  let rest = magnitude - quotient * factor;
  // The division is rounded to a double: the floor may be one off, which the remainder shows.
  if (rest < 0) {
    quotient--;
    rest += factor;
  } else if (rest >= factor) {
    quotient++;
    rest -= factor;
  }
  const rounded = rest * 2 >= factor ? quotient + 1 : quotient;
  return rounded === 0 ? 0 : value < 0 ? -rounded : rounded;
}

function datePart(part: string): (ms: number) => number {
  switch (part) {
    case 'hour':
      return (ms) => Math.floor((ms - Math.floor(ms / DAY_MS) * DAY_MS) / 3_600_000);
    case 'dayOfWeek':
      // 1970-01-01 was a Thursday (ISO 4).
      return (ms) => {
        const days = Math.floor(ms / DAY_MS);
        return ((((days + 3) % 7) + 7) % 7) + 1;
      };
    default: {
      const field = part === 'year' ? 0 : part === 'month' ? 1 : 2;
      return (ms) => {
        if (ms !== ms) return NaN;
        civilDate(Math.floor(ms / DAY_MS));
        return CIVIL[field];
      };
    }
  }
}

function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

function compileStr(node: TypedExpression, sources: RowReader): Str {
  const args = node.args;
  switch (node.op) {
    case 'literal': {
      const value = node.value === null ? null : (node.value as string);
      return () => value;
    }
    case 'column':
      return sources.of(node.column!).str!;
    case 'concat': {
      const parts = args.map((arg) => compileStr(arg, sources));
      return (row) => {
        let text = '';
        for (const part of parts) {
          const value = part(row);
          if (value === null) return null;
          text += value;
        }
        return text;
      };
    }
    case 'lower':
    case 'upper': {
      const s = compileStr(args[0], sources);
      return node.op === 'lower' ? (row) => s(row)?.toLowerCase() ?? null : (row) => s(row)?.toUpperCase() ?? null;
    }
    case 'substring': {
      const s = compileStr(args[0], sources);
      const [start, length] = [compileNum(args[1], sources), compileNum(args[2], sources)];
      return (row) => {
        const text = s(row);
        const from = start(row);
        const count = length(row);
        if (text === null || from !== from || count !== count) return null;
        return Array.from(text).slice(Math.max(0, from), Math.max(0, from) + Math.max(0, count)).join('');
      };
    }
    case 'string': {
      const x = compileNum(args[0], sources);
      const format = formatter(args[0].type);
      return (row) => {
        const value = x(row);
        return value !== value ? null : format(value);
      };
    }
    case 'if':
    case 'case': {
      const conditions = args.map((arg, i) => (i % 2 === 0 && i !== args.length - 1 ? compileNum(arg, sources) : undefined));
      const values = args.map((arg, i) => (conditions[i] === undefined ? compileStr(arg, sources) : undefined));
      const last = args.length - 1;
      return (row) => {
        for (let i = 0; i < last; i += 2) if (conditions[i]!(row) === 1) return values[i + 1]!(row);
        return values[last]!(row);
      };
    }
    case 'coalesce': {
      const compiled = args.map((arg) => compileStr(arg, sources));
      return (row) => {
        for (const value of compiled) {
          const text = value(row);
          if (text !== null) return text;
        }
        return null;
      };
    }
    default:
      throw new Error(`${node.op} does not make text: an engine bug`);
  }
}

/** How string(x) writes a value of a type: an exact number with its scale's digits, a timestamp in ISO-8601 UTC. */
function formatter(type: ExpressionType): (value: number) => string {
  switch (type.kind) {
    case 'exact':
      return type.scale === 0 ? String : (value) => formatUnscaled(value, type.scale);
    case 'timestamp':
      return (value) => new Date(value).toISOString();
    case 'boolean':
      return (value) => (value === 1 ? 'true' : 'false');
    default:
      return String;
  }
}

function formatUnscaled(value: number, scale: number): string {
  const digits = String(Math.abs(value)).padStart(scale + 1, '0');
  return `${value < 0 ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

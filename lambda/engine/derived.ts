/**
 * Derived columns: a type-checked expression (src/contract/expressions.ts) compiled once per invocation to closures
 * over the row index. A source cell is recomputed as the row loops make it — column i's cell hash on row r is
 * mix32(rowHash(keys, r) ^ keys.columnKeys[i]), null when its null draw is below its share — so a derived cell, like
 * any other, depends on nothing but its row and any row range comes out the same whoever makes it.
 *
 * Numbers, timestamps and booleans evaluate to doubles with NaN for null (an exact value is unscaled, a boolean 0 or
 * 1): NaN carries through arithmetic on its own, and the numeric path allocates nothing per cell. Text evaluates to a
 * string or null.
 *
 * derived-recheck.ts evaluates the same trees a second, independent way, for the conformance report.
 */
import { CIVIL, civilDate } from './calendar';
import { applyCaseChain, caseGrowth, type CaseChain } from './case-growth';
import { VALUE_NUMBER } from './distinct';
import {
  compileGenerator, VALUE_KEY, type ColumnContext, type ColumnGenerator, type ListGenerator, type NumberGenerator, type TextGenerator,
} from './generators';
import { draw, mix32, rowHash } from './random';
import { NULL_DRAW, nullBelowOf as nullBelowOfPercent } from './table';
import type { ColumnDocument, DerivedColumnDocument } from '../../src/contract/column-documents';
import { resolveReference } from '../../src/contract/dataset-document';
import { typeDerivedColumns } from '../../src/contract/derived-typing';
import { roundDoubleToUnscaled } from '../../src/contract/double-rounding';
import type { ExpressionType, TypedExpression } from '../../src/contract/expression-types';
import { TIMESTAMP_RANGE } from '../../src/contract/limits';
import { logicalTypeOfExpression } from '../../src/contract/logical-types';

export const DAY_MS = 86_400_000;

type Num = (row: number) => number;
type Str = (row: number) => string | null;

/** The typed expressions of a table's derived columns, typed once per table (several derived columns share them). */
const typedTables = new WeakMap<readonly ColumnDocument[], ReadonlyArray<TypedExpression | undefined>>();

export function typedExpressionsOf(context: Pick<ColumnContext, 'columns' | 'dataset'>): ReadonlyArray<TypedExpression | undefined> {
  let typed = typedTables.get(context.columns);
  if (typed === undefined) {
    const dataset = context.dataset?.dataset;
    typed = typeDerivedColumns(context.columns, {
      whereOf: (c) => `column ${context.columns[c].name}, expression`,
      keyOf: dataset === undefined ? undefined : (reference) => resolveReference(dataset, reference).key,
    });
    typedTables.set(context.columns, typed);
  }
  return typed;
}

/**
 * The operands' generators, compiled once per table (keyed by its keys, made once per compiled table) and shared by its
 * derived columns: a faker column's pool is built once however many expressions read it. A table compiles its other
 * columns first and gives them here (shareOperands), so an expression reads the very generators the row loops use.
 */
const sourceGenerators = new WeakMap<object, Map<number, ColumnGenerator>>();

/**
 * The generators of a table's columns other than its derived ones, for its derived columns to read: each number
 * column keeps its last row's value, so a row's expression does not make again what the row loop just made (or the
 * other way round, when the derived column comes first). A value is a function of its row alone, so the kept one is
 * the one it would make; VALUE_KEY and VALUE_NUMBER are restored with it for the distinct and shape counters.
 */
export function shareOperands(keys: object, generators: ReadonlyMap<number, ColumnGenerator>): Map<number, ColumnGenerator> {
  const shared = new Map<number, ColumnGenerator>();
  generators.forEach((generator, index) => shared.set(index, generator.shape === 'number' ? rowKept(generator) : generator));
  sourceGenerators.set(keys, shared);
  return shared;
}

function rowKept(generator: NumberGenerator): NumberGenerator {
  const make = generator.value;
  let lastRow = -1;
  let lastValue = 0;
  let lastKey = 0;
  let lastNumber = 0;
  return {
    ...generator,
    value(cell, row) {
      if (row !== lastRow) {
        lastValue = make(cell, row);
        lastKey = VALUE_KEY[0];
        lastNumber = VALUE_NUMBER[0];
        lastRow = row;
      } else {
        VALUE_KEY[0] = lastKey;
        VALUE_NUMBER[0] = lastNumber;
      }
      return lastValue;
    },
  };
}

function sourceGenerator(context: ColumnContext, index: number): ColumnGenerator {
  let generators = sourceGenerators.get(context.keys);
  if (generators === undefined) {
    generators = new Map();
    sourceGenerators.set(context.keys, generators);
  }
  let generator = generators.get(index);
  if (generator === undefined) {
    generator = compileGenerator(context.columns[index], { ...context, index });
    generators.set(index, generator);
  }
  return generator;
}

/** A column's own null share as the row loops draw it (table.ts; read when compiling, after every module has loaded). */
export function nullBelowOf(column: ColumnDocument): number {
  return nullBelowOfPercent(column.nullPercent);
}

/** A column's value on a row, as the expression sees it. */
interface SourceValue {
  readonly num?: Num;
  readonly str?: Str;
}

/**
 * What a table's derived columns read: the other columns of its row, each compiled once (with its own generator, in the
 * table's context), and the row's hash, computed once per row. One per compiled table, shared by its derived columns: a
 * derived value is computed once per row however many expressions read it (a chain of columns each reading the one
 * before twice would otherwise take time exponential in its length).
 */
class RowSources {
  private readonly values = new Map<number, SourceValue>();
  private readonly expressions = new Map<number, SourceValue>();
  private readonly textBounds = new Map<string, number>();
  private lastRow = -1;
  private lastHash = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly context: ColumnContext, private readonly typed: ReadonlyArray<TypedExpression | undefined>) {}

  rowHash(row: number): number {
    if (row !== this.lastRow) {
      this.lastHash = rowHash(this.context.keys, row);
      this.lastRow = row;
    }
    return this.lastHash;
  }

  of(index: number): SourceValue {
    let value = this.values.get(index);
    if (value === undefined) {
      value = this.compile(index);
      this.values.set(index, value);
    }
    return value;
  }

  /**
   * A derived column's expression on a row, before its own nulls, evaluated once per row: its generator and every
   * expression that reads it share the value. A double that overflows is null (no format writes ±Infinity).
   */
  expressionOf(index: number): SourceValue {
    let value = this.expressions.get(index);
    if (value === undefined) {
      const expression = this.typed[index]!;
      const inner = compileNode(expression, this);
      value = inner.num !== undefined ? { num: oncePerRow(expression.type.kind === 'double' ? finite(inner.num) : inner.num, NaN) }
        : { str: oncePerRow(inner.str!, null) };
      this.expressions.set(index, value);
    }
    return value;
  }

  private compile(index: number): SourceValue {
    const column = this.context.columns[index];
    const columnKey = this.context.keys.columnKeys[index];
    const nullBelow = nullBelowOf(column);
    const cellOf = (row: number) => mix32(this.rowHash(row) ^ columnKey);
    if (this.typed[index] !== undefined) {
      // Another derived column: its expression, then its own extra nulls.
      const { num, str } = this.expressionOf(index);
      if (num !== undefined) return { num: nullBelow === 0 ? num : (row) => (draw(cellOf(row), NULL_DRAW) < nullBelow ? NaN : num(row)) };
      return { str: nullBelow === 0 ? str : (row) => (draw(cellOf(row), NULL_DRAW) < nullBelow ? null : str!(row)) };
    }
    const generator = sourceGenerator(this.context, index);
    const isNull = (cell: number) => nullBelow !== 0 && draw(cell, NULL_DRAW) < nullBelow;
    switch (generator.shape) {
      case 'number': {
        const value = generator.value;
        return {
          num: (row) => {
            const cell = cellOf(row);
            return isNull(cell) ? NaN : value(cell, row);
          },
        };
      }
      case 'list': {
        const pick = generator.pick;
        const entries = generator.entries;
        if (entries.kind === 'text') {
          const texts = entries.values;
          return {
            str: (row) => {
              const cell = cellOf(row);
              return isNull(cell) ? null : texts[pick(cell, row)];
            },
          };
        }
        const numbers = entries.kind === 'numbers' ? Float64Array.from(entries.values) : Float64Array.from(entries.values, (b) => (b ? 1 : 0));
        return {
          num: (row) => {
            const cell = cellOf(row);
            return isNull(cell) ? NaN : numbers[pick(cell, row)];
          },
        };
      }
      case 'text': {
        const scratch = new Uint8Array(generator.maxBytes);
        const write = generator.write;
        return {
          str: (row) => {
            const cell = cellOf(row);
            return isNull(cell) ? null : this.decoder.decode(scratch.subarray(0, write(scratch, 0, cell, row)));
          },
        };
      }
    }
  }

  /** The most UTF-8 bytes of a text column's values once through a chain of case functions. */
  maxBytesOf(index: number, chain: CaseChain): number {
    const expression = this.typed[index];
    if (expression !== undefined) {
      // Found once per column and chain: columns that each read the one before twice would otherwise take exponential time.
      const key = `${index}:${chain}`;
      let bound = this.textBounds.get(key);
      if (bound === undefined) {
        bound = maxBytesOf(expression, this, chain);
        this.textBounds.set(key, bound);
      }
      return bound;
    }
    const generator = sourceGenerator(this.context, index);
    if (generator.shape === 'text') return caseGrowth(chain) * generator.maxBytes;
    if (generator.shape !== 'list' || generator.entries.kind !== 'text') return 0;
    // A loop, not Math.max(...values): a pool of distinctValues may hold hundreds of thousands, beyond a call's arguments.
    let most = 0;
    for (const text of generator.entries.values) most = Math.max(most, utf8Length(text));
    return caseGrowth(chain) * most;
  }
}

const utf8 = new TextEncoder();

function utf8Length(text: string): number {
  return utf8.encode(text).length;
}

/** The most decimal characters of an exact or double value written by string(x). */
const DOUBLE_TEXT = 25;
const TIMESTAMP_TEXT = 24;

/**
 * The most UTF-8 bytes a string node can make, once through `chain`, the case functions around it: a text's code
 * points each go through the chain of the functions above them, whatever concat, if or substring stand between.
 */
function maxBytesOf(node: TypedExpression, sources: RowSources, chain: CaseChain = ''): number {
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
function compileNode(node: TypedExpression, sources: RowSources): { num?: Num; str?: Str } {
  return isNumberKind(node.type) ? { num: compileNum(node, sources) } : { str: compileStr(node, sources) };
}

function compileNum(node: TypedExpression, sources: RowSources): Num {
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

function compileCompare(node: TypedExpression, sources: RowSources): Num {
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

function compileStr(node: TypedExpression, sources: RowSources): Str {
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

const DOUBLE_BITS = new Float64Array(1);
const DOUBLE_WORDS = new Uint32Array(DOUBLE_BITS.buffer);

/** A 32-bit key of any double, equal for equal values (the sketch hashes it). */
function doubleKey(value: number): number {
  DOUBLE_BITS[0] = value === 0 ? 0 : value;
  return (DOUBLE_WORDS[0] ^ mix32(DOUBLE_WORDS[1])) >>> 0;
}

/** A 32-bit key of a string (FNV-1a of its UTF-16 units). */
function textKey(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** `evaluate`, computed once per row: asked again for the same row, it gives the value it made. */
function oncePerRow<T>(evaluate: (row: number) => T, initial: T): (row: number) => T {
  let lastRow = -1;
  let last = initial;
  return (row) => {
    if (row !== lastRow) {
      last = evaluate(row);
      lastRow = row;
    }
    return last;
  };
}

/** The row sources of a compiled table (keyed by its keys, made once per compiled table), shared by its derived columns. */
const tableSources = new WeakMap<object, RowSources>();

function rowSourcesOf(context: ColumnContext, typed: ReadonlyArray<TypedExpression | undefined>): RowSources {
  let sources = tableSources.get(context.keys);
  if (sources === undefined) {
    sources = new RowSources(context, typed);
    tableSources.set(context.keys, sources);
  }
  return sources;
}

/** A double that overflows (±Infinity) is null: no format writes it as a number. */
function finite(evaluate: Num): Num {
  return (row) => {
    const x = evaluate(row);
    return x - x === 0 ? x : NaN;
  };
}

/**
 * Compiles a derived column in its table's context. Its isNull (when it can be null: its own null draw, or a null
 * result) tells the row loops which cells are null.
 */
export function derivedGenerator(column: DerivedColumnDocument, context: ColumnContext): ColumnGenerator {
  const typed = typedExpressionsOf(context);
  const expression = typed[context.index]!;
  const sources = rowSourcesOf(context, typed);
  const type = logicalTypeOfExpression(expression.type);
  const nullBelow = nullBelowOf(column);
  // Evaluated once per row (isNull, then the writer, ask for the same row; other expressions may read it too).
  const compiled = sources.expressionOf(context.index);
  const nullable = expression.nullable || nullBelow !== 0;
  const ownNull = (cell: number) => nullBelow !== 0 && draw(cell, NULL_DRAW) < nullBelow;
  if (compiled.num !== undefined) {
    const read = compiled.num;
    const isNull = nullable ? (cell: number, row: number) => ownNull(cell) || read(row) !== read(row) : undefined;
    if (expression.type.kind === 'boolean') {
      const generator: ListGenerator = {
        shape: 'list',
        type,
        entries: { kind: 'booleans', values: [false, true] },
        distinct: { kind: 'seen', size: 2 },
        pick(_cell, row) {
          const index = read(row);
          VALUE_KEY[0] = index;
          return index;
        },
      };
      return { ...generator, isNull };
    }
    const exactType = expression.type.kind === 'exact' || expression.type.kind === 'timestamp';
    const bounds = exactType ? { min: (expression.type as { min: number }).min, max: (expression.type as { max: number }).max } : undefined;
    const generator: NumberGenerator = {
      shape: 'number',
      type,
      distinct: { kind: 'sketch' },
      ...(bounds === undefined ? {} : { bounds }),
      value(_cell, row) {
        const value = read(row);
        VALUE_KEY[0] = doubleKey(value);
        return value;
      },
    };
    return { ...generator, isNull };
  }
  const valueOf = compiled.str!;
  const isNull = nullable ? (cell: number, row: number) => ownNull(cell) || valueOf(row) === null : undefined;
  const text = (_cell: number, row: number) => {
    const value = valueOf(row) ?? '';
    VALUE_KEY[0] = textKey(value);
    return value;
  };
  const generator: TextGenerator = {
    shape: 'text',
    type,
    maxBytes: maxBytesOf(expression, sources),
    distinct: { kind: 'sketch' },
    text,
    write(buf, pos, cell, row) {
      return pos + utf8.encodeInto(text(cell, row), buf.subarray(pos)).written;
    },
  };
  return { ...generator, isNull };
}

/**
 * The conformance report's recomputation of derived columns: interpretDerived evaluates a typed expression on one row
 * by walking its tree (exact arithmetic in BigInt, JavaScript values, no closures), independently of the closures
 * derived.ts compiles, and recheckDerived compares the two on a sample of an object's rows.
 */
import type { CompiledTable, DatasetTableRef } from './compiled-table';
import { typedExpressionsOf } from './derived';
import { DAY_MS } from './derived-nodes';
import { drawsNull, nullBelowOf, type ColumnGenerator, type TableColumns } from './kernel';
import { mix32, rowHash } from './random';
import type { ColumnDocument } from '../../src/contract/column-documents';
import type { ExpressionType, TypedExpression } from '../../src/contract/expression-types';
import { TIMESTAMP_RANGE } from '../../src/contract/limits';

/** A value as the interpreter holds it: exact numbers unscaled in BigInt, doubles and instants as numbers. */
type Value = bigint | number | string | boolean | null;

/** What the interpreter reads: a column's value on a row, as the expression sees it (exact numbers unscaled). */
export type ReadSource = (column: number, row: number) => Value;

/**
 * Evaluates a typed expression on one row by walking its tree: the conformance report's independent recomputation.
 * Exact arithmetic in BigInt, nulls as null, dates through Date.
 */
export function interpretDerived(node: TypedExpression, row: number, read: ReadSource): Value {
  const at = (i: number) => interpretDerived(node.args[i], row, read);
  const all = () => node.args.map((_, i) => at(i));
  switch (node.op) {
    case 'literal':
      return node.type.kind === 'exact' && node.value !== null ? BigInt(node.value as number) : (node.value ?? null);
    case 'column': {
      const value = read(node.column!, row);
      return node.type.kind === 'exact' && typeof value === 'number' ? BigInt(value) : value;
    }
    case 'concat': {
      const parts = all();
      return parts.some((part) => part === null) ? null : parts.join('');
    }
    case 'if':
    case 'case': {
      for (let i = 0; i + 1 < node.args.length; i += 2) if (at(i) === true) return at(i + 1);
      return at(node.args.length - 1);
    }
    case 'coalesce':
      return all().find((value) => value !== null) ?? null;
    case 'isNull':
      return at(0) === null;
    default: {
      const args = all();
      if (args.some((arg) => arg === null)) return null;
      return strictOp(node, args as Array<Exclude<Value, null>>);
    }
  }
}

/** The operations whose every null operand makes null. */
function strictOp(node: TypedExpression, args: Array<Exclude<Value, null>>): Value {
  const [a, b] = args;
  const exactResult = node.type.kind === 'exact';
  switch (node.op) {
    case 'neg':
      return typeof a === 'bigint' ? -a : -(a as number);
    case 'add':
      return exactResult ? (a as bigint) + (b as bigint) : (a as number) + (b as number);
    case 'sub':
      return exactResult ? (a as bigint) - (b as bigint) : (a as number) - (b as number);
    case 'mul':
      return exactResult ? (a as bigint) * (b as bigint) : (a as number) * (b as number);
    case 'div':
      return b === 0 ? null : (a as number) / (b as number);
    case 'rescale':
      return (a as bigint) * BigInt(node.factor!);
    case 'toDouble':
      return Number(a as bigint) / node.factor!;
    case 'roundExact': {
      const factor = BigInt(node.factor!);
      const x = a as bigint;
      const magnitude = x < 0n ? -x : x;
      const rounded = (magnitude * 2n + factor) / (factor * 2n);
      return x < 0n ? -rounded : rounded;
    }
    case 'roundDouble':
      return roundBinaryExpansion(a as number, BigInt(node.factor!));
    case 'compare': {
      const order = a < b ? -1 : a > b ? 1 : 0;
      switch (node.name) {
        case '==':
          return order === 0;
        case '!=':
          return order !== 0;
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        case '>=':
          return order >= 0;
        default:
          throw new Error(`the comparison ${node.name} is not interpreted: an engine bug`);
      }
    }
    case 'and':
      return a === true && b === true;
    case 'or':
      return a === true || b === true;
    case 'not':
      return !a;
    case 'lower':
      return (a as string).toLowerCase();
    case 'upper':
      return (a as string).toUpperCase();
    case 'length':
      return BigInt([...(a as string)].length);
    case 'substring': {
      const from = Math.max(0, Number(b));
      return [...(a as string)].slice(from, from + Math.max(0, Number(args[2]))).join('');
    }
    case 'string':
      return textOf(a, node.args[0].type);
    case 'addTime': {
      const t = (a as number) + Number(b) * node.factor!;
      return t < TIMESTAMP_RANGE.min || t > TIMESTAMP_RANGE.max ? null : t;
    }
    case 'diffDays':
      return BigInt(Math.trunc(((a as number) - (b as number)) / DAY_MS));
    case 'datePart': {
      const date = new Date(a as number);
      switch (node.name) {
        case 'year':
          return BigInt(date.getUTCFullYear());
        case 'month':
          return BigInt(date.getUTCMonth() + 1);
        case 'day':
          return BigInt(date.getUTCDate());
        case 'hour':
          return BigInt(date.getUTCHours());
        case 'dayOfWeek':
          return BigInt(((date.getUTCDay() + 6) % 7) + 1);
        default:
          throw new Error(`the date part ${node.name} is not interpreted: an engine bug`);
      }
    }
    default:
      throw new Error(`${node.op} is not interpreted: an engine bug`);
  }
}

/**
 * round(x, digits) of a double from its IEEE 754 bits, independently of the engine's arithmetic: |x| is mantissa ×
 * 2^exponent exactly, so |x| × 10^digits is a fraction over a power of two, rounded a half up in BigInt.
 */
function roundBinaryExpansion(x: number, factor: bigint): bigint {
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, x);
  const word = bits.getBigUint64(0);
  const biased = Number((word >> 52n) & 0x7ffn);
  const fraction = word & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const scaled = mantissa * factor;
  const rounded = exponent >= 0 ? scaled << BigInt(exponent) : (scaled + (1n << BigInt(-exponent - 1))) >> BigInt(-exponent);
  return word >> 63n === 1n ? -rounded : rounded;
}

function textOf(value: Exclude<Value, null>, type: ExpressionType): string {
  switch (type.kind) {
    case 'exact': {
      if (type.scale === 0) return String(value);
      const x = value as bigint;
      const digits = (x < 0n ? -x : x).toString().padStart(type.scale + 1, '0');
      return `${x < 0n ? '-' : ''}${digits.slice(0, -type.scale)}.${digits.slice(-type.scale)}`;
    }
    case 'timestamp':
      return new Date(value as number).toISOString();
    default:
      return String(value);
  }
}

/** What the conformance report learns from recomputing a derived column on a sample of an object's rows. */
export interface DerivedRecheck {
  /** Rows recomputed, and the distance between them. */
  readonly rows: number;
  readonly every: number;
  /** Rows where the compiled closures and the interpreter disagree (0 passes). */
  readonly mismatches: number;
  /** Whether the expression itself can be null (then nulls beyond nullPercent are expected). */
  readonly nullable: boolean;
}

/** At most this many rows of an object are recomputed per derived column. */
export const RECHECKED_ROWS = 2000;

/**
 * Recomputes each derived column of a compiled table on up to RECHECKED_ROWS rows of [firstRow, firstRow + rows), from
 * its operands' values, with interpretDerived, and compares with what the compiled generator makes on those rows.
 */
export function recheckDerived(
  table: CompiledTable, columns: readonly ColumnDocument[], dataset: DatasetTableRef | undefined, firstRow: number, rows: number,
): Array<DerivedRecheck | undefined> {
  if (!columns.some((column) => column.type === 'derived')) return [];
  const typed = typedExpressionsOf(columns, dataset?.document, dataset?.table);
  // Every column by schema position, helpers (omit) included: expressions read them too.
  const { generators } = table.all;
  const decoder = new TextDecoder();
  const cellOf = (c: number, row: number) => cellAt(table.all, c, row);
  // A lookup's nulls are its parent's (its generator says); every other column's its own null draw.
  const ownNull = (c: number, cell: number, row: number) => (typed[c] === undefined && generators[c].isNull !== undefined
    ? generators[c].isNull!(cell, row) : drawsNull(cell, nullBelowOf(columns[c].nullPercent)));
  // Each column's value once per row, however many expressions read it (a chain of columns each reading the one before
  // twice would otherwise take time exponential in its length).
  const known = new Map<number, Value>();
  let knownRow = -1;
  const read: ReadSource = (c, row) => {
    if (row !== knownRow) {
      known.clear();
      knownRow = row;
    }
    if (known.has(c)) return known.get(c)!;
    const value = readOnce(c, row);
    known.set(c, value);
    return value;
  };
  const readOnce = (c: number, row: number): Value => {
    const cell = cellOf(c, row);
    if (ownNull(c, cell, row)) return null;
    const expression = typed[c];
    if (expression !== undefined) {
      // An overflowing double is null in its column, and so to the expressions that read it.
      const value = interpretDerived(expression, row, read);
      return typeof value === 'number' && !Number.isFinite(value) ? null : value;
    }
    return madeValue(generators[c], cell, row, decoder);
  };
  const every = Math.max(1, Math.ceil(rows / RECHECKED_ROWS));
  return columns.map((_column, c) => {
    const expression = typed[c];
    if (expression === undefined) return undefined;
    let checked = 0;
    let mismatches = 0;
    for (let row = firstRow; row < firstRow + rows; row += every) {
      checked++;
      const cell = cellOf(c, row);
      const generator = generators[c];
      const made = generator.isNull?.(cell, row) === true ? null : madeValue(generator, cell, row, decoder);
      const interpreted = ownNull(c, cell, row) ? null : interpretDerived(expression, row, read);
      const expected = typeof interpreted === 'number' && !Number.isFinite(interpreted) ? null : interpreted;
      if (!sameValue(made, expected)) mismatches++;
    }
    return { rows: checked, every, mismatches, nullable: expression.nullable };
  });
}

/** Column c's cell of `row`: the value every row loop hands column c's generator (kernel.ts). */
export function cellAt(table: TableColumns, c: number, row: number): number {
  return mix32(rowHash(table.keys, row) ^ table.keys.columnKeys[c]);
}

/** What column c of `table` made at `row`, or null where the cell is null (by its share, or by its own rule). */
export function madeValueAt(table: TableColumns, c: number, row: number, decoder: { decode(bytes: Uint8Array): string }): Value {
  const cell = cellAt(table, c, row);
  const below = table.nullBelow[c];
  if (below < 0 ? table.nullWhen[c]!(cell, row) : drawsNull(cell, below)) return null;
  return madeValue(table.generators[c], cell, row, decoder);
}

/** What a generator made for a cell, as the interpreter holds values. */
export function madeValue(generator: ColumnGenerator, cell: number, row: number, decoder: { decode(bytes: Uint8Array): string }): Value {
  switch (generator.shape) {
    case 'number':
      return generator.value(cell, row);
    case 'list':
      return generator.entries.values[generator.pick(cell, row)];
    case 'text': {
      if (generator.text !== undefined) return generator.text(cell, row);
      const scratch = new Uint8Array(generator.maxBytes);
      return decoder.decode(scratch.subarray(0, generator.write(scratch, 0, cell, row)));
    }
  }
}

function sameValue(made: Value, expected: Value): boolean {
  if (typeof expected === 'bigint') return typeof made === 'number' && Number.isInteger(made) && BigInt(made) === expected;
  return made === expected;
}

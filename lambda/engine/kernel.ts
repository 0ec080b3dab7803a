/**
 * The engine's kernel: what a cell is, apart from how a format writes it, and what every column kind shares. Each column
 * of the schema compiles to a generator of one of three shapes, and each format (lambda/formats/) knows how to write
 * each shape.
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
 * distinct-value count (see distinct-counters.ts).
 *
 * Column kinds import this module and never the dispatcher (generators.ts), which imports them.
 */
import { digitCount } from './ascii';
import type { DistinctKind } from './distinct-counters';
import { below, draw, rowHash, unit53, type RunKeys } from './random';
import type { ColumnDocument } from '../../src/contract/column-documents';
import type { DatasetDocument } from '../../src/contract/dataset-document';
import type { LogicalType } from '../../src/contract/logical-types';

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
   * operands are): the row loops ask it instead of drawing (compiled-table.ts). Absent for every other column.
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
  /**
   * Another column of the table by position, compiled once (compiled-table.ts): what a column that reads a value of its
   * own row (a timestampAfter) shares with the row loop. Not for derived columns (derivedColumns reads those).
   */
  readonly siblingOf?: (index: number) => ColumnGenerator;
  /** The table's derived columns, compiled over its other columns' generators (compiled-table.ts); absent when it has none. */
  readonly derivedColumns?: DerivedColumns;
  /**
   * What the columns of one compiled table share, made on first use (compiled-table.ts): a reference followed row by
   * row, a lookup's path, the last row's hash. Absent, each column makes its own.
   */
  readonly shared?: TableShared;
}

/**
 * State the columns of one compiled table share, each piece made once under its key on first use: so a row computes its
 * parent row once however many columns follow the reference (the key column, lookups, series).
 */
export interface TableShared {
  of<T>(key: string, make: () => T): T;
}

/** A new TableShared, for one compiled table. */
export function tableShared(): TableShared {
  const made = new Map<string, unknown>();
  return {
    of<T>(key: string, make: () => T): T {
      if (!made.has(key)) made.set(key, make());
      return made.get(key) as T;
    },
  };
}

/** The hash of the last row asked of a table, kept: a table's columns that read other cells of their row share one. */
export class RowHashes {
  private row = -1;
  private hash = 0;

  constructor(readonly keys: RunKeys) {}

  of(row: number): number {
    if (row !== this.row) {
      this.hash = rowHash(this.keys, row);
      this.row = row;
    }
    return this.hash;
  }
}

/** The shared RowHashes of the table of `context` (its own, without a shared state). */
export function rowHashesOf(context: Pick<ColumnContext, 'keys' | 'shared'>): RowHashes {
  const { keys, shared } = context;
  return shared === undefined ? new RowHashes(keys) : shared.of('rowHashes', () => new RowHashes(keys));
}

/** The dataset a table belongs to, and the run's seed, from which each table's own seed follows (references.ts). */
export interface DatasetContext {
  readonly dataset: DatasetDocument;
  readonly seed: number;
  /** The name of the table being compiled. */
  readonly table: string;
  /**
   * Every column of another table of the dataset, compiled with its own seed (compiled-table.ts, once per table and
   * run): what a lookup (lookups.ts) reads its parent's cells with. Handed in, so no kind imports the compiler.
   */
  readonly tableOf: (name: string) => TableColumns;
}

/** Every column of a compiled table, omitted ones included: how any cell of any row of it is made. */
export interface TableColumns {
  readonly generators: readonly ColumnGenerator[];
  /** Per column: a cell is null when its null draw is below this; -1 when `nullWhen` decides. */
  readonly nullBelow: Float64Array;
  readonly nullWhen: ReadonlyArray<((cell: number, row: number) => boolean) | undefined>;
  readonly keys: RunKeys;
  /** The columns it was compiled from. */
  readonly columns?: readonly ColumnDocument[];
}

/**
 * A table's derived columns, made once per compiled table (derived.ts) over the very generators the row loops use for
 * its other columns, so an expression reads its operands without compiling them again.
 */
export interface DerivedColumns {
  generatorOf(index: number): ColumnGenerator;
}

/** A uniform whole number in [0, span) from a cell hash, exact for any span up to 2^53. */
export function uniformBelow(cell: number, span: number): number {
  if (span <= TWO_POW_32) return below(cell, span);
  return Math.min(span - 1, Math.floor(unit53(cell, draw(cell, 1)) * span));
}

/** A 32-bit key of a safe integer, equal for equal numbers (the sketch hashes it). */
export function numberKey(value: number): number {
  return (value | 0) ^ Math.imul(Math.floor(value / TWO_POW_32) | 0, 0x9e3779b1);
}

/** The most decimal digits (sign included) a whole number of a generator can take, where its bounds say. */
export function maxDigitsOf(generator: NumberGenerator): number {
  const { bounds } = generator;
  // A sequence's values stay safe integers (the validator checks the run's rows): at most 16 digits and a sign.
  return bounds === undefined ? 17 : 1 + Math.max(digitCount(bounds.min), digitCount(bounds.max));
}

/** Which draw of a cell decides whether it is null; generators use draws below this. */
export const NULL_DRAW = 15;

/** A null draw below this share of 2^32 makes a null cell. */
export function nullBelowOf(nullPercent: number | undefined): number {
  return ((nullPercent ?? 0) / 100) * 4294967296;
}

/** The null-draw rule, the one way every row loop and expression decides a cell is null by its column's share. */
export function drawsNull(cell: number, nullBelow: number): boolean {
  return draw(cell, NULL_DRAW) < nullBelow;
}

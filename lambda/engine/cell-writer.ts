/**
 * What every column compiles to: a function that writes one cell's bytes from the cell's hash.
 */
import type { DistinctKind } from './distinct';

/**
 * Writes the cell of `row` whose 32-bit hash is `cell` into `buf` at `pos` and returns the position after it.
 * It must depend on nothing but (cell, row) and what was fixed when the column was compiled.
 */
export type WriteCell = (buf: Uint8Array, pos: number, cell: number, row: number) => number;

export interface CellWriter {
  readonly write: WriteCell;
  /** The most bytes one cell can take: the engine keeps at least this much room before each cell. */
  readonly maxBytes: number;
  /** How the column's distinct values are counted, which says what its writer leaves in VALUE_KEY. */
  readonly distinct: DistinctKind;
}

/**
 * Where a writer leaves the key of the value it just wrote, for the distinct-value count: for `seen`
 * columns the value's dense index, for `sketch` columns any 32-bit number equal for equal values, for
 * `unique` columns nothing. One shared slot costs no allocation per cell.
 */
export const VALUE_KEY = new Uint32Array(1);

/**
 * What every column compiles to: a function that writes one cell's bytes from the cell's hash.
 */

/**
 * Writes the cell of `row` whose 32-bit hash is `cell` into `buf` at `pos` and returns the position after it.
 * It must depend on nothing but (cell, row) and what was fixed when the column was compiled.
 */
export type WriteCell = (buf: Uint8Array, pos: number, cell: number, row: number) => number;

export interface CellWriter {
  readonly write: WriteCell;
  /** The most bytes one cell can take: the engine keeps at least this much room before each cell. */
  readonly maxBytes: number;
}

/**
 * Where a writer leaves a 32-bit key of the value it just wrote (equal values, equal keys), for the
 * distinct-value estimate: one shared slot costs no allocation per cell.
 */
export const VALUE_KEY = new Uint32Array(1);

/**
 * A block of rows as columns: what the engine hands a columnar format (Parquet) for one row group.
 *
 * Values are in the column's logical type (src/contract/logical-types.ts), dense (null cells have no entry), in
 * row order. The engine reuses the arrays for the next block: an encoder copies what it keeps before it returns.
 */

/** Values of one logical type: one array form per kind of value. */
export type Values =
  /**
   * bigint: safe integers; decimal(p, s): the unscaled whole number (value × 10^s), a safe integer;
   * timestamp: milliseconds since 1970-01-01T00:00:00Z, a whole number (years 0000 to 9999); double: finite doubles.
   */
  | { readonly kind: 'numbers'; readonly values: Float64Array }
  /** 0 or 1 per value. */
  | { readonly kind: 'booleans'; readonly values: Uint8Array }
  /**
   * UTF-8 text as Parquet's PLAIN writes it: value i is bytes[offsets[i]] up to bytes[offsets[i + 1]], its length as
   * 4 bytes (little-endian) and then its UTF-8 bytes; offsets starts at 0 and has one entry more than there are
   * values. So a page of consecutive values is one copy.
   */
  | { readonly kind: 'text'; readonly bytes: Uint8Array; readonly offsets: Uint32Array };

/** The values of one column in one block. */
export type ColumnBlock = BlockValues & {
  /** Non-null cells in the block: the first `count` entries of `values` or `indexes` (the arrays may be longer). */
  readonly count: number;
  /** Per row of the block, 1 where the cell has a value and 0 where it is null; absent for a column that has no nulls. */
  readonly defined?: Uint8Array;
};

export type BlockValues =
  /** The values themselves. */
  | { readonly values: Values; readonly indexes?: undefined; readonly dictionary?: undefined }
  /**
   * A column drawn from a list (oneOf, a faker list, a pool of faker values): indexes into `dictionary`, the whole
   * list, of which a block uses some entries, each any number of times. The same list in every block of a run.
   */
  | { readonly indexes: Uint32Array; readonly dictionary: Values; readonly values?: undefined };

/** Rows [firstRow, firstRow + rows) as columns, in schema order. */
export interface RowBlock {
  readonly firstRow: number;
  readonly rows: number;
  readonly columns: readonly ColumnBlock[];
}

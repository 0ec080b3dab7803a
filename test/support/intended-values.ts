/**
 * What the engine means to write, before any format touches it: each row's values in their logical types, read from
 * the engine's format-neutral values (the same generators every format writes from). Tests compare what a reader
 * (DuckDB, hyparquet, a CSV parser) finds in an object with these.
 *
 * A value is a string, a number (bigint and double; a decimal's unscaled whole number; a timestamp's epoch
 * milliseconds), a boolean, or null.
 */
import { ColumnBlockMaker } from '../../lambda/engine/column-blocks';
import { compileTable } from '../../lambda/engine/compiled-table';
import type { Values } from '../../lambda/engine/row-block';
import { emptyStats } from '../../lambda/engine/stats';
import type { Cell } from '../../local-cloud/duckdb';
import type { SchemaDocument } from '../../src/contract/column-documents';

export type { Cell };


// The text as made: a default TextDecoder drops a leading U+FEFF (a byte-order mark), which is a character here.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function valueAt(values: Values, i: number): Cell {
  switch (values.kind) {
    case 'numbers':
      return values.values[i];
    case 'booleans':
      return values.values[i] === 1;
    case 'text':
      // After its 4-byte length (row-block.ts).
      return utf8.decode(values.bytes.subarray(values.offsets[i] + 4, values.offsets[i + 1]));
  }
}

/** Rows [firstRow, firstRow + rowCount) of (schema, seed), as arrays of cells in schema order. */
export function intendedRows(schema: SchemaDocument, seed: number, firstRow: number, rowCount: number): Cell[][] {
  const table = compileTable(schema, seed, { tableRows: firstRow + rowCount });
  const block = new ColumnBlockMaker(table, Math.max(1, rowCount)).make(firstRow, rowCount, emptyStats(schema.columns.length, table.distinctKinds));
  const rows: Cell[][] = Array.from({ length: rowCount }, () => []);
  for (const column of block.columns) {
    let next = 0;
    for (let r = 0; r < rowCount; r++) {
      if (column.defined !== undefined && column.defined[r] === 0) {
        rows[r].push(null);
        continue;
      }
      const i = next++;
      rows[r].push(column.indexes === undefined ? valueAt(column.values, i) : valueAt(column.dictionary, column.indexes[i]));
    }
  }
  return rows;
}

/**
 * RowBlocks (lambda/engine/row-block.ts) made from plain rows, for the format encoders' tests: the test says
 * what each cell is, this builds the arrays the engine would hand over, with the same layout rules (dense non-null
 * values, `defined` per row where a column has nulls, dictionary indexes, text as UTF-8 bytes and offsets).
 */
import type { BlockValues, ColumnBlock, RowBlock, Values } from '../../lambda/engine/row-block';
import type { ParquetColumn } from '../../lambda/formats/parquet';

/** A cell as the test means it: text, a number in the column's logical form (unscaled decimal, epoch ms), a boolean, or null. */
export type Cell = string | number | boolean | null;

export interface TestColumn extends ParquetColumn {
  /** A dictionary column's whole list: its cells are then indexes into it (or null). */
  readonly dictionary?: readonly Cell[];
}

export interface BlockOptions {
  /**
   * Extra entries at the end of every array (filled with values that must never be read): the engine's arrays
   * may be longer than a block's values.
   */
  readonly slack?: number;
  /** Give `defined` even to a column without nulls in this block. */
  readonly alwaysDefined?: boolean;
}

const TEXT = new TextEncoder();

function valuesOf(column: ParquetColumn, cells: readonly Cell[], slack: number): Values {
  switch (column.type.kind) {
    case 'string': {
      const parts = cells.map((cell) => TEXT.encode(cell as string));
      const offsets = new Uint32Array(parts.length + 1 + slack);
      let total = 0;
      parts.forEach((part, i) => {
        offsets[i] = total;
        total += 4 + part.length;
      });
      offsets.fill(total, parts.length);
      // Each value as the engine's blocks hold it (row-block.ts): its length as 4 bytes, then its UTF-8 bytes.
      const bytes = new Uint8Array(total + 7 * slack).fill(0x7a, total);
      const view = new DataView(bytes.buffer);
      parts.forEach((part, i) => {
        view.setUint32(offsets[i], part.length, true);
        bytes.set(part, offsets[i] + 4);
      });
      // Slack offsets point past the real values, as stale entries of a reused array would.
      for (let k = 1; k <= slack; k++) offsets[parts.length + k] = total + 7 * k;
      return { kind: 'text', bytes, offsets };
    }
    case 'boolean': {
      const values = new Uint8Array(cells.length + slack).fill(1, cells.length);
      cells.forEach((cell, i) => (values[i] = cell === true ? 1 : 0));
      return { kind: 'booleans', values };
    }
    default: {
      const values = new Float64Array(cells.length + slack).fill(Number.NaN, cells.length);
      cells.forEach((cell, i) => (values[i] = cell as number));
      return { kind: 'numbers', values };
    }
  }
}

/** The block of `rows` (row-major cells, in column order) starting at row `firstRow`. */
export function rowBlock(columns: readonly TestColumn[], rows: readonly (readonly Cell[])[], firstRow = 0, options: BlockOptions = {}): RowBlock {
  const slack = options.slack ?? 0;
  return {
    firstRow,
    rows: rows.length,
    columns: columns.map((column, c): ColumnBlock => {
      const cells = rows.map((row) => row[c]);
      const present = cells.filter((cell) => cell !== null);
      const hasNulls = present.length < cells.length;
      const defined = hasNulls || options.alwaysDefined === true
        ? Uint8Array.from([...cells.map((cell) => (cell === null ? 0 : 1)), ...new Array<number>(slack).fill(1)])
        : undefined;
      let values: BlockValues;
      if (column.dictionary !== undefined) {
        const indexes = new Uint32Array(present.length + slack).fill(0xffffffff, present.length);
        present.forEach((cell, i) => (indexes[i] = cell as number));
        values = { indexes, dictionary: valuesOf(column, column.dictionary, slack) };
      } else {
        values = { values: valuesOf(column, present, slack) };
      }
      return { ...values, count: present.length, ...(defined === undefined ? {} : { defined }) };
    }),
  };
}

/** The rows as a reader should see them: dictionary indexes replaced by their entries. */
export function logicalRows(columns: readonly TestColumn[], rows: readonly (readonly Cell[])[]): Cell[][] {
  return rows.map((row) => row.map((cell, c) => {
    const dictionary = columns[c].dictionary;
    return dictionary === undefined || cell === null ? cell : dictionary[cell as number];
  }));
}

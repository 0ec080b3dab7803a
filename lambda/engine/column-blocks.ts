/**
 * Rows as columns, for a columnar format (Parquet): each column's values of a block of rows, made one column at a
 * time (a tight loop per column), into arrays reused from block to block so memory stays flat.
 */
import { performance } from 'node:perf_hooks';
import { listFills, numberFills } from './column-fills';
import type { CompiledTable } from './compiled-table';
import { drawsNull, VALUE_KEY, type ColumnGenerator, type ListEntries } from './kernel';
import { mix32, rowHash } from './random';
import type { ColumnBlock, RowBlock, Values } from './row-block';
import type { RangeStats } from './stats';

const utf8 = new TextEncoder();

/** A list's entries as values of the block format: the dictionary of a list column. */
export function dictionaryValues(entries: ListEntries): Values {
  switch (entries.kind) {
    case 'numbers':
      return { kind: 'numbers', values: Float64Array.from(entries.values) };
    case 'booleans':
      return { kind: 'booleans', values: Uint8Array.from(entries.values, (value) => (value ? 1 : 0)) };
    case 'text': {
      const encoded = entries.values.map((value) => utf8.encode(value));
      const offsets = new Uint32Array(encoded.length + 1);
      encoded.forEach((bytes, i) => { offsets[i + 1] = offsets[i] + 4 + bytes.length; });
      const bytes = new Uint8Array(offsets[encoded.length]);
      const view = new DataView(bytes.buffer);
      encoded.forEach((entry, i) => {
        view.setUint32(offsets[i], entry.length, true);
        bytes.set(entry, offsets[i] + 4);
      });
      return { kind: 'text', bytes, offsets };
    }
  }
}

/** One column's arrays, sized for the largest block and reused. */
interface ColumnArrays {
  readonly generator: ColumnGenerator;
  readonly numbers?: Float64Array;
  readonly indexes?: Uint32Array;
  readonly dictionary?: Values;
  text?: Uint8Array;
  readonly offsets?: Uint32Array;
  readonly defined?: Uint8Array;
}

/** Makes blocks of up to `maxRows` rows of `table` as columns. */
export class ColumnBlockMaker {
  private readonly columns: ColumnArrays[];
  private readonly rowHashes: Uint32Array;

  constructor(private readonly table: CompiledTable, readonly maxRows: number) {
    this.rowHashes = new Uint32Array(maxRows);
    this.columns = table.generators.map((generator, c) => {
      const defined = table.nullBelow[c] !== 0 ? new Uint8Array(maxRows) : undefined;
      switch (generator.shape) {
        case 'number':
          return { generator, defined, numbers: new Float64Array(maxRows) };
        case 'list':
          return { generator, defined, indexes: new Uint32Array(maxRows), dictionary: dictionaryValues(generator.entries) };
        case 'text':
          // Grown when a block needs more; most values are far shorter than the longest possible.
          return {
            generator, defined, text: new Uint8Array(Math.min(maxRows * (4 + generator.maxBytes), 1 << 20)), offsets: new Uint32Array(maxRows + 1),
          };
      }
    });
  }

  /** Rows [firstRow, firstRow + rows) as columns; adds nulls, distinct values and time to `stats`. */
  make(firstRow: number, rows: number, stats: RangeStats): RowBlock {
    const started = performance.now();
    const block = this.begin(firstRow, rows, stats);
    const columns = this.columns.map((_, c) => block.column(c));
    stats.generateMs += performance.now() - started;
    return { firstRow, rows, columns };
  }

  /**
   * Rows [firstRow, firstRow + rows), made a column at a time as they are asked for (each once, in any order): so an
   * encoder can hand one column's pages to a codec on another thread while this one makes the next. A column's arrays
   * are this maker's, valid until the next block is begun. Adds nulls and distinct values (not time) to `stats`.
   */
  begin(firstRow: number, rows: number, stats: RangeStats): { readonly rows: number; column(c: number): ColumnBlock } {
    if (rows > this.maxRows) throw new Error(`a block of ${rows} rows is larger than the ${this.maxRows} rows this maker was sized for: an engine bug`);
    const { keys, nullBelow } = this.table;
    const hashes = this.rowHashes;
    for (let i = 0; i < rows; i++) hashes[i] = rowHash(keys, firstRow + i);
    return { rows, column: (c) => this.makeColumn(this.columns[c], keys.columnKeys[c], nullBelow[c], firstRow, rows, stats, c) };
  }

  private makeColumn(
    column: ColumnArrays, columnKey: number, nullBelow: number, firstRow: number, rows: number, stats: RangeStats, c: number,
  ): ColumnBlock {
    const { generator, defined } = column;
    const hashes = this.rowHashes;
    const counter = stats.counters[c];
    // A derived column says itself which cells are null (compiled-table.ts).
    const nullWhen = this.table.nullWhen[c];
    let count = 0;
    let nulls = 0;
    // One loop per shape, so each stays monomorphic; the null draw is the same as in the text formats.
    switch (generator.shape) {
      case 'number': {
        const out = column.numbers!;
        const value = generator.value;
        const fill = defined === undefined ? numberFills.of(value) : undefined;
        if (fill !== undefined) {
          fill(out, hashes, columnKey, rows, counter);
          return { count: rows, values: { kind: 'numbers', values: out }, defined };
        }
        for (let i = 0; i < rows; i++) {
          const cell = mix32(hashes[i] ^ columnKey);
          if (defined !== undefined) {
            const isNull = nullWhen === undefined ? drawsNull(cell, nullBelow) : nullWhen(cell, firstRow + i);
            defined[i] = isNull ? 0 : 1;
            if (isNull) { nulls++; continue; }
          }
          out[count++] = value(cell, firstRow + i);
          counter.add(VALUE_KEY[0]);
        }
        stats.nulls[c] += nulls;
        return { count, values: { kind: 'numbers', values: out }, defined };
      }
      case 'list': {
        const out = column.indexes!;
        const pick = generator.pick;
        const fill = defined === undefined ? listFills.of(pick) : undefined;
        if (fill !== undefined) {
          fill(out, hashes, columnKey, rows, counter);
          return { count: rows, indexes: out, dictionary: column.dictionary!, defined };
        }
        for (let i = 0; i < rows; i++) {
          const cell = mix32(hashes[i] ^ columnKey);
          if (defined !== undefined) {
            const isNull = nullWhen === undefined ? drawsNull(cell, nullBelow) : nullWhen(cell, firstRow + i);
            defined[i] = isNull ? 0 : 1;
            if (isNull) { nulls++; continue; }
          }
          out[count++] = pick(cell, firstRow + i);
          counter.add(VALUE_KEY[0]);
        }
        stats.nulls[c] += nulls;
        return { count, indexes: out, dictionary: column.dictionary!, defined };
      }
      case 'text': {
        const offsets = column.offsets!;
        const write = generator.write;
        const maxBytes = generator.maxBytes;
        let bytes = column.text!;
        let pos = 0;
        offsets[0] = 0;
        for (let i = 0; i < rows; i++) {
          const cell = mix32(hashes[i] ^ columnKey);
          if (defined !== undefined) {
            const isNull = nullWhen === undefined ? drawsNull(cell, nullBelow) : nullWhen(cell, firstRow + i);
            defined[i] = isNull ? 0 : 1;
            if (isNull) { nulls++; continue; }
          }
          if (pos + 4 + maxBytes > bytes.length) {
            const grown = new Uint8Array(Math.max(2 * bytes.length, pos + 4 + maxBytes));
            grown.set(bytes.subarray(0, pos));
            bytes = grown;
            column.text = grown;
          }
          // The value after room for its length, which follows once the value is written.
          const end = write(bytes, pos + 4, cell, firstRow + i);
          const length = end - pos - 4;
          bytes[pos] = length;
          bytes[pos + 1] = length >>> 8;
          bytes[pos + 2] = length >>> 16;
          bytes[pos + 3] = length >>> 24;
          pos = end;
          offsets[++count] = pos;
          counter.add(VALUE_KEY[0]);
        }
        stats.nulls[c] += nulls;
        return { count, values: { kind: 'text', bytes, offsets }, defined };
      }
    }
  }
}

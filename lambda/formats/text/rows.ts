/**
 * The row loop of the text formats (CSV, JSON Lines): rows [firstRow, firstRow + rowCount) of a compiled table,
 * written into chunks that go to the sink as they fill. Memory is one chunk being filled plus what the sink holds.
 * A format gives the layout: what comes before each column's cell, how a null is written, how a row ends.
 */
import { performance } from 'node:perf_hooks';
import type { CompiledTable } from '../../engine/compiled-table';
import type { DistinctCounter } from '../../engine/distinct-counters';
import { drawsNull, VALUE_KEY, type WriteCell } from '../../engine/kernel';
import { mix32, rowHash } from '../../engine/random';
import { CHUNK_BYTES, type ByteSink, type RangeStats } from '../../engine/stats';
import type { BlockRange, FileEncoder } from '../file-encoder';

export interface RowLayout {
  /** The file's first bytes (CSV's header line), or empty. */
  readonly header: Uint8Array;
  /** Per column, the bytes before its cell: a separator, or a JSON key. */
  readonly prefixes: readonly Uint8Array[];
  /** A null cell's bytes (CSV: none; JSON: null). */
  readonly nullCell: Uint8Array;
  /** What ends a row (LF, or "}" and LF). */
  readonly rowEnd: Uint8Array;
  /** Per column, its cell writer, and the most bytes it writes. */
  readonly cells: ReadonlyArray<{ readonly write: WriteCell; readonly maxBytes: number }>;
}

/** The layout's fixed bytes, laid out for the hot loop: part i (the prefix of column i, then the null cell, then the row end) is fixed[start[i]] up to fixed[start[i + 1]]. */
interface Compiled {
  readonly writeCell: readonly WriteCell[];
  readonly fixed: Uint8Array;
  readonly start: Uint32Array;
  /** CSV's shape: one byte between cells, nothing for a null, one byte to end a row. */
  readonly separated?: { readonly separator: number; readonly rowEnd: number };
  readonly maxRowBytes: number;
}

function compile(layout: RowLayout): Compiled {
  const parts = [...layout.prefixes, layout.nullCell, layout.rowEnd];
  const start = new Uint32Array(parts.length + 1);
  parts.forEach((part, i) => { start[i + 1] = start[i] + part.length; });
  const fixed = new Uint8Array(start[parts.length]);
  parts.forEach((part, i) => fixed.set(part, start[i]));
  const maxRowBytes = layout.cells.reduce(
    (sum, cell, c) => sum + layout.prefixes[c].length + Math.max(cell.maxBytes, layout.nullCell.length), layout.rowEnd.length);
  const [first, second, ...rest] = layout.prefixes;
  const separated = first.length === 0 && layout.nullCell.length === 0 && layout.rowEnd.length === 1
    && (second === undefined || (second.length === 1 && rest.every((prefix) => prefix.length === 1 && prefix[0] === second[0])))
    ? { separator: second?.[0] ?? 0, rowEnd: layout.rowEnd[0] } : undefined;
  return { writeCell: layout.cells.map((cell) => cell.write), fixed, start, separated, maxRowBytes };
}

/** Where a filled chunk ended: the next free byte and the next row to make. */
interface Cursor {
  pos: number;
  row: number;
}

/**
 * Writes rows from `cursor.row` until `end` or until the chunk has no room for another row, and moves the
 * cursor. A plain synchronous function with everything in locals: the hot loop must not touch variables
 * that a closure or an `await` keeps in a heap context.
 */
function fillChunk(
  table: CompiledTable, rows: Compiled, buf: Uint8Array, cursor: Cursor, end: number, nulls: Float64Array, counters: DistinctCounter[],
): void {
  const { nullBelow, nullWhen, keys } = table;
  const { writeCell, maxRowBytes, start, fixed } = rows;
  const columnKeys = keys.columnKeys;
  const columns = writeCell.length;
  const nullTo = start[columns + 1];
  const rowEndTo = start[columns + 2];
  const limit = buf.length - maxRowBytes;
  let pos = cursor.pos;
  let row = cursor.row;
  for (; row < end && pos <= limit; row++) {
    const hash = rowHash(keys, row);
    for (let c = 0; c < columns; c++) {
      for (let at = start[c], to = start[c + 1]; at < to; at++) buf[pos++] = fixed[at];
      const cell = mix32(hash ^ columnKeys[c]);
      if (nullBelow[c] !== 0 && (nullBelow[c] > 0 ? drawsNull(cell, nullBelow[c]) : nullWhen[c]!(cell, row))) {
        nulls[c]++;
        for (let at = start[columns]; at < nullTo; at++) buf[pos++] = fixed[at];
        continue;
      }
      pos = writeCell[c](buf, pos, cell, row);
      counters[c].add(VALUE_KEY[0]);
    }
    for (let at = nullTo; at < rowEndTo; at++) buf[pos++] = fixed[at];
  }
  endChunk(buf, pos, cursor, row);
}

/**
 * fillChunk for CSV's shape, with its two bytes in locals: the general loop's copying of a per-column prefix costs
 * CSV about a tenth of its speed (measured), and this loop is what most objects are made by.
 */
function fillSeparatedChunk(
  table: CompiledTable, rows: Compiled, buf: Uint8Array, cursor: Cursor, end: number, nulls: Float64Array, counters: DistinctCounter[],
): void {
  const { nullBelow, nullWhen, keys } = table;
  const { writeCell, maxRowBytes } = rows;
  const { separator, rowEnd } = rows.separated!;
  const columnKeys = keys.columnKeys;
  const columns = writeCell.length;
  const limit = buf.length - maxRowBytes;
  let pos = cursor.pos;
  let row = cursor.row;
  for (; row < end && pos <= limit; row++) {
    const hash = rowHash(keys, row);
    for (let c = 0; c < columns; c++) {
      if (c > 0) buf[pos++] = separator;
      const cell = mix32(hash ^ columnKeys[c]);
      if (nullBelow[c] !== 0 && (nullBelow[c] > 0 ? drawsNull(cell, nullBelow[c]) : nullWhen[c]!(cell, row))) {
        nulls[c]++;
        continue;
      }
      pos = writeCell[c](buf, pos, cell, row);
      counters[c].add(VALUE_KEY[0]);
    }
    buf[pos++] = rowEnd;
  }
  endChunk(buf, pos, cursor, row);
}

function endChunk(buf: Uint8Array, pos: number, cursor: Cursor, row: number): void {
  // A typed array drops writes past its end without a word: a writer that wrote more than its maxBytes
  // would corrupt the file silently. Checked once per chunk, it costs nothing and makes such a bug loud.
  if (pos > buf.length) throw new Error(`a cell writer wrote past its declared maxBytes (chunk of ${buf.length} bytes, position ${pos}): an engine bug`);
  cursor.pos = pos;
  cursor.row = row;
}

/** A text format's file: the header, then rows streamed in chunks; no epilogue. */
export function rowFileEncoder(table: CompiledTable, layout: RowLayout): FileEncoder {
  const rows = compile(layout);
  return {
    prologue: layout.header,
    epilogue: () => new Uint8Array(0),
    async writeBlock(range: BlockRange, sink: ByteSink, stats: RangeStats) {
      const chunkBytes = Math.max(range.chunkBytes ?? CHUNK_BYTES, 2 * rows.maxRowBytes);
      const end = range.firstRow + range.rowCount;
      const cursor: Cursor = { pos: 0, row: range.firstRow };
      let started = performance.now();
      let reusable: Uint8Array | undefined;
      while (cursor.row < end) {
        range.signal?.throwIfAborted();
        // A fresh buffer per chunk unless the sink copies chunks out: it may still hold the last one.
        const buf = reusable ?? new Uint8Array(chunkBytes);
        cursor.pos = 0;
        (rows.separated ? fillSeparatedChunk : fillChunk)(table, rows, buf, cursor, end, stats.nulls, stats.counters);
        stats.bytes += cursor.pos;
        const now = performance.now();
        stats.generateMs += now - started;
        const pending = sink.write(buf.subarray(0, cursor.pos));
        if (pending !== undefined) await pending;
        if (sink.copiesChunks === true) reusable = buf;
        started = performance.now();
        stats.sinkWaitMs += started - now;
      }
      stats.rows += range.rowCount;
      return undefined;
    },
  };
}

/**
 * The engine's hot loop: rows [firstRow, firstRow + rowCount) of a compiled table, written as CSV bytes
 * into chunks that go to a sink as they fill. Memory is one chunk being filled plus what the sink holds.
 */
import { performance } from 'node:perf_hooks';
import { VALUE_KEY } from './cell-writer';
import { distinctCounter, type DistinctCounter, type DistinctKind } from './distinct';
import { draw, mix32, rowHash } from './random';
import type { CompiledTable } from './table';

/** Where CSV bytes go. A returned promise is backpressure: the engine waits for it before the next chunk. */
export interface ByteSink {
  /**
   * True when a chunk's bytes have been copied out (to a file, a socket) once `write` returns or its promise
   * resolves: the engine then fills the same buffer again instead of allocating one per chunk, which keeps
   * memory flat without waiting for the garbage collector. Default false: every chunk is a new buffer.
   */
  readonly copiesChunks?: boolean;
  write(chunk: Uint8Array): void | Promise<void>;
}

/** Size of the chunks handed to the sink (unless one row is larger). */
export const CHUNK_BYTES = 1 << 20;

const COMMA = 44;
const LINE_FEED = 10;
/** Which draw of a cell decides whether it is null; the writers use draws below this. */
const NULL_DRAW = 15;

/** What a range of rows made: the figures the handler reports. */
export interface RangeStats {
  rows: number;
  bytes: number;
  /** Per column: null cells made. */
  readonly nulls: Float64Array;
  /** Per column: the count of distinct values made (empty until the columns' kinds are known). */
  counters: DistinctCounter[];
  /** Time spent making bytes, and time spent waiting for the sink to take them. */
  generateMs: number;
  sinkWaitMs: number;
}

/** Figures of nothing made yet; `kinds` (one per column) may come later, with the first rows made elsewhere. */
export function emptyStats(columnCount: number, kinds?: readonly DistinctKind[]): RangeStats {
  return {
    rows: 0,
    bytes: 0,
    nulls: new Float64Array(columnCount),
    counters: kinds?.map(distinctCounter) ?? [],
    generateMs: 0,
    sinkWaitMs: 0,
  };
}

export interface RangeOptions {
  readonly firstRow: number;
  readonly rowCount: number;
  /** Write the header line first (only the range that starts the file does). */
  readonly header: boolean;
  readonly chunkBytes?: number;
  /** Checked before each chunk: the run stops with its reason once it fires. */
  readonly signal?: AbortSignal;
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
function fillChunk(table: CompiledTable, buf: Uint8Array, cursor: Cursor, end: number, nulls: Float64Array, counters: DistinctCounter[]): void {
  const { writeCell, nullBelow, keys, maxRowBytes } = table;
  const columnKeys = keys.columnKeys;
  const columns = writeCell.length;
  const limit = buf.length - maxRowBytes;
  let pos = cursor.pos;
  let row = cursor.row;
  for (; row < end && pos <= limit; row++) {
    const hash = rowHash(keys, row);
    for (let c = 0; c < columns; c++) {
      if (c > 0) buf[pos++] = COMMA;
      const cell = mix32(hash ^ columnKeys[c]);
      if (nullBelow[c] !== 0 && draw(cell, NULL_DRAW) < nullBelow[c]) {
        nulls[c]++;
        continue;
      }
      pos = writeCell[c](buf, pos, cell, row);
      counters[c].add(VALUE_KEY[0]);
    }
    buf[pos++] = LINE_FEED;
  }
  // A typed array drops writes past its end without a word: a writer that wrote more than its maxBytes
  // would corrupt the file silently. Checked once per chunk, it costs nothing and makes such a bug loud.
  if (pos > buf.length) throw new Error(`a column writer wrote past its declared maxBytes (chunk of ${buf.length} bytes, position ${pos}): an engine bug`);
  cursor.pos = pos;
  cursor.row = row;
}

/**
 * Writes the rows of `range` to `sink` and adds what it made to `stats`.
 * The bytes of a row depend only on (table's schema and seed, row index): ranges concatenate exactly.
 */
export async function generateRange(table: CompiledTable, range: RangeOptions, sink: ByteSink, stats: RangeStats): Promise<void> {
  const chunkBytes = Math.max(range.chunkBytes ?? CHUNK_BYTES, 2 * table.maxRowBytes + table.header.length);
  const end = range.firstRow + range.rowCount;
  const cursor: Cursor = { pos: 0, row: range.firstRow };
  let started = performance.now();
  let header = range.header;
  let reusable: Uint8Array | undefined;
  while (header || cursor.row < end) {
    range.signal?.throwIfAborted();
    // A fresh buffer per chunk unless the sink copies chunks out: it may still hold the last one.
    const buf = reusable ?? new Uint8Array(chunkBytes);
    cursor.pos = 0;
    if (header) {
      buf.set(table.header, 0);
      cursor.pos = table.header.length;
      header = false;
    }
    fillChunk(table, buf, cursor, end, stats.nulls, stats.counters);
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
}

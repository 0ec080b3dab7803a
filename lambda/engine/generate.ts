/**
 * The engine's hot loop: rows [firstRow, firstRow + rowCount) of a compiled table, written as CSV bytes
 * into chunks that go to a sink as they fill. Memory is one chunk being filled plus what the sink holds.
 */
import { performance } from 'node:perf_hooks';
import { VALUE_KEY } from './cell-writer';
import { DistinctSketch } from './distinct-sketch';
import { draw, mix32, rowHash } from './random';
import type { CompiledTable } from './table';

/** Where CSV bytes go. A returned promise is backpressure: the engine waits for it before the next chunk. */
export interface ByteSink {
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
  /** Per column: a sketch of the distinct values made. */
  readonly sketches: DistinctSketch[];
  /** Time spent making bytes, and time spent waiting for the sink to take them. */
  generateMs: number;
  sinkWaitMs: number;
}

export function emptyStats(columnCount: number): RangeStats {
  return {
    rows: 0,
    bytes: 0,
    nulls: new Float64Array(columnCount),
    sketches: Array.from({ length: columnCount }, () => new DistinctSketch()),
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
}

/**
 * Writes the rows of `range` to `sink` and adds what it made to `stats`.
 * The bytes of a row depend only on (table's schema and seed, row index): ranges concatenate exactly.
 */
export async function generateRange(table: CompiledTable, range: RangeOptions, sink: ByteSink, stats: RangeStats): Promise<void> {
  const chunkBytes = Math.max(range.chunkBytes ?? CHUNK_BYTES, 2 * table.maxRowBytes + table.header.length);
  const { writeCell, nullBelow, keys, maxRowBytes } = table;
  const columnKeys = keys.columnKeys;
  const columns = writeCell.length;
  const { nulls, sketches } = stats;
  const end = range.firstRow + range.rowCount;

  let buf = new Uint8Array(chunkBytes);
  let pos = 0;
  if (range.header) {
    buf.set(table.header, 0);
    pos = table.header.length;
  }
  let started = performance.now();
  const flush = async (): Promise<void> => {
    const chunk = buf.subarray(0, pos);
    stats.bytes += pos;
    const now = performance.now();
    stats.generateMs += now - started;
    const pending = sink.write(chunk);
    if (pending !== undefined) await pending;
    started = performance.now();
    stats.sinkWaitMs += started - now;
    // A fresh buffer: the sink may still hold the previous one (a queued write, a part being uploaded).
    buf = new Uint8Array(chunkBytes);
    pos = 0;
  };

  for (let row = range.firstRow; row < end; row++) {
    if (pos + maxRowBytes > chunkBytes) await flush();
    const hash = rowHash(keys, row);
    for (let c = 0; c < columns; c++) {
      if (c > 0) buf[pos++] = COMMA;
      const cell = mix32(hash ^ columnKeys[c]);
      if (nullBelow[c] !== 0 && draw(cell, NULL_DRAW) < nullBelow[c]) {
        nulls[c]++;
        continue;
      }
      pos = writeCell[c](buf, pos, cell, row);
      sketches[c].add(VALUE_KEY[0]);
    }
    buf[pos++] = LINE_FEED;
  }
  stats.rows += range.rowCount;
  if (pos > 0) await flush();
  else stats.generateMs += performance.now() - started;
}

/**
 * Where an object's bytes go, and what a range of rows made: the figures the handler reports.
 */
import { distinctCounter, type DistinctCounter, type DistinctKind } from './distinct-counters';

/** Where bytes go. A returned promise is backpressure: the engine waits for it before the next chunk. */
export interface ByteSink {
  /**
   * True when a chunk's bytes have been copied out (to a file, a socket) once `write` returns or its promise
   * resolves: the engine then fills the same buffer again instead of allocating one per chunk, which keeps
   * memory flat without waiting for the garbage collector. Default false: every chunk is a new buffer.
   */
  readonly copiesChunks?: boolean;
  write(chunk: Uint8Array): void | Promise<void>;
  /**
   * Several chunks, in order, taken as `write` takes one (a file's writev), where the sink can: a Parquet row group's
   * pages reach a file in one write, without being joined first. `written` is called once they are written, when
   * their memory may be used again.
   */
  writeChunks?(chunks: readonly Uint8Array[], written?: () => void): void | Promise<void>;
}

/** Size of the chunks handed to the sink (unless one row is larger). */
export const CHUNK_BYTES = 1 << 20;

/** What a range of rows made. */
export interface RangeStats {
  rows: number;
  /** Bytes the format encoded (before any compression of the whole file). */
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

/**
 * The one small interface behind which each output format lives (csv/, jsonl/, parquet/): a file is its prologue,
 * then blocks of rows in row order, then its epilogue. Blocks are encoded independently of where they land in
 * the file, so worker threads can make them in parallel; only the epilogue (Parquet's footer) knows the offsets.
 */
import type { ByteSink, RangeStats } from '../engine/stats';

export interface BlockRange {
  readonly firstRow: number;
  readonly rowCount: number;
  /** Size of the chunks handed to the sink, for formats that stream rows. */
  readonly chunkBytes?: number;
  /** Checked between chunks: the block stops with the signal's reason once it fires. */
  readonly signal?: AbortSignal;
}

/** What a block leaves for the epilogue: plain data (it crosses worker threads), or undefined. */
export type BlockRecord = unknown;

export interface FileEncoder {
  /** The file's first bytes: CSV's header line, Parquet's magic number; empty where the format has none. */
  readonly prologue: Uint8Array;
  /**
   * Rows per row group, for a format whose file is cut into row groups (Parquet): blocks then never span two.
   * Absent for a format that streams rows, which takes a range of any length as one block.
   */
  readonly rowGroupRows?: number;
  /**
   * Writes rows [firstRow, firstRow + rowCount) to `sink`, in chunks, and adds what it made (rows, encoded bytes,
   * nulls, distinct values, time) to `stats`. The bytes depend on the range and the run alone.
   */
  writeBlock(range: BlockRange, sink: ByteSink, stats: RangeStats): Promise<BlockRecord>;
  /**
   * Where the format compresses on another thread (Parquet with overlap): makes and encodes the block's rows now, and
   * writes them to `sink` when `finish` is called, once they are compressed. The caller starts the next block before it
   * finishes this one, so that the rows of one are made while the other compresses, and finishes blocks in order.
   * The bytes and the record are writeBlock's.
   */
  startBlock?(range: BlockRange, stats: RangeStats): { finish(sink: ByteSink): Promise<BlockRecord> };
  /** The file's last bytes, from every block's record and the offset in the file where it began. */
  epilogue(blocks: ReadonlyArray<{ readonly record: BlockRecord; readonly offset: number }>): Uint8Array;
  /** Stops what the encoder started besides this thread (Parquet's Snappy worker), after the file or a failure. */
  close?(): void;
}

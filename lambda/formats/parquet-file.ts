/**
 * Parquet files of a run: the engine's rows as columns (engine/column-blocks.ts), one row group per block, encoded
 * by parquet/ (types, pages, codecs), then the footer.
 */
import { performance } from 'node:perf_hooks';
import type { FileEncoder } from './file-encoder';
import { createParquetEncoder, type CompressionOverlap, type EncodedRowGroup, type RowGroupRecord } from './parquet';
import { collectYoungGarbage } from './zlib-garbage';
import type { CompressionName } from '../../src/contract/output-format';
import { ColumnBlockMaker } from '../engine/column-blocks';
import type { CompiledTable } from '../engine/compiled-table';
import type { ColumnGenerator } from '../engine/kernel';
import type { RowBlock } from '../engine/row-block';
import { emptyStats, type ByteSink, type RangeStats } from '../engine/stats';

/** What a row group's values may take in memory before it is encoded: with the encoded copy, well inside a 128 MB function. */
export const ROW_GROUP_TARGET_BYTES = 4 << 20;
const MIN_ROW_GROUP_ROWS = 4096;
const MAX_ROW_GROUP_ROWS = 1 << 20;
/** The table's first rows measured for their bytes, in blocks of SAMPLE_BLOCK_ROWS, until this many or the target's bytes. */
const SAMPLE_ROWS = 256;
const SAMPLE_BLOCK_ROWS = 16;

/** The bytes one row's value of a column takes in a block, as far as it can be told before the run. */
function blockBytesPerRow(generator: ColumnGenerator): number {
  switch (generator.shape) {
    case 'number': return 8;
    case 'list': return 4;
    case 'text': return 4 + Math.min(generator.maxBytes, 256);
  }
}

/** The bytes a block's values take: 8 a number, 4 a list's index, 4 and its UTF-8 bytes a text, 1 a null flag. */
function blockBytes(block: RowBlock): number {
  let bytes = 0;
  for (const column of block.columns) {
    if (column.defined !== undefined) bytes += block.rows;
    if (column.indexes !== undefined) bytes += 4 * column.count;
    // Text's offsets count each value's 4-byte length too (row-block.ts).
    else if (column.values.kind === 'text') bytes += column.values.offsets[column.count];
    else bytes += (column.values.kind === 'numbers' ? 8 : 1) * column.count;
  }
  return bytes;
}

/**
 * The mean bytes of a row, measured on the table's first rows (a value depends on its row alone, so every part of a
 * run measures the same rows): a text's real width, which the schema cannot tell (a derived text may hold 200,000
 * characters). Sampling stops at the target's bytes, so a wide table is measured in about one row group's memory.
 */
function measuredBytesPerRow(table: CompiledTable): number {
  const maker = new ColumnBlockMaker(table, SAMPLE_BLOCK_ROWS);
  const stats = emptyStats(table.generators.length, table.distinctKinds);
  let rows = 0;
  let bytes = 0;
  while (rows < SAMPLE_ROWS && bytes < ROW_GROUP_TARGET_BYTES) {
    bytes += blockBytes(maker.make(rows, SAMPLE_BLOCK_ROWS, stats));
    rows += SAMPLE_BLOCK_ROWS;
  }
  return bytes / rows;
}

/**
 * Rows per row group: as many as fit the target by the schema's estimate of a row, or fewer when the rows measured
 * are wider than it says (text longer than 256 bytes), down to one row. Both follow from the schema and the seed alone,
 * so every part, and every memory size, cuts the same rows into the same groups and makes the same bytes.
 */
export function rowGroupRowsOf(table: CompiledTable): number {
  const perRow = table.generators.reduce((sum, generator, c) => sum + blockBytesPerRow(generator) + (table.nullBelow[c] !== 0 ? 1 : 0), 0);
  const estimated = Math.max(MIN_ROW_GROUP_ROWS, Math.min(MAX_ROW_GROUP_ROWS, Math.floor(ROW_GROUP_TARGET_BYTES / perRow)));
  return Math.max(1, Math.min(estimated, Math.floor(ROW_GROUP_TARGET_BYTES / measuredBytesPerRow(table))));
}

/**
 * Hands a row group's bytes to the sink and counts them; returns its record, for the footer. `release`, if given, is
 * told the chunks once the sink is done with them (the compressed pages of an overlapped row group, whose memory goes
 * back to the compressing thread); a sink that keeps them, and cannot say when it is done, keeps them for good.
 */
async function writeRowGroup(
  group: EncodedRowGroup, rows: number, sink: ByteSink, stats: RangeStats, release?: (chunks: readonly Uint8Array[]) => void,
): Promise<RowGroupRecord> {
  const started = performance.now();
  const { chunks } = group;
  // A sink that keeps what it is given (a file written from the thread pool) takes a row group in one write: a write
  // per page cost this thread more than joining them, and joining them more than one write of them all (writev).
  const several = chunks.length > 1 && sink.copiesChunks !== true;
  if (several && sink.writeChunks !== undefined) {
    const pending = sink.writeChunks(chunks, release === undefined ? undefined : () => release(chunks));
    if (pending !== undefined) await pending;
  } else if (several) {
    const joined = Buffer.concat(chunks, group.bytes);
    release?.(chunks);
    const pending = sink.write(joined);
    if (pending !== undefined) await pending;
  } else {
    for (const chunk of chunks) {
      const pending = sink.write(chunk);
      if (pending !== undefined) await pending;
    }
    // A sink that copies what it is given is done with a chunk once its write has returned or resolved.
    if (sink.copiesChunks === true) release?.(chunks);
  }
  stats.sinkWaitMs += performance.now() - started;
  // The row group's compressed pages are dead: zlib made them outside V8's heap, which V8 frees only when it collects
  // their small holders, rarely in a program making few objects (134 MB at 10 million rows in a 128 MB function).
  collectYoungGarbage();
  stats.bytes += group.bytes;
  stats.rows += rows;
  return group.record;
}

export function parquetFileEncoder(
  table: CompiledTable, options: { compression: CompressionName; compressionLevel?: number; createdBy: string; overlap?: CompressionOverlap },
): FileEncoder {
  const encoder = createParquetEncoder(
    table.generators.map((generator, c) => ({ name: table.names[c], type: generator.type, optional: table.nullBelow[c] !== 0 })),
    { compression: options.compression, compressionLevel: options.compressionLevel, createdBy: options.createdBy, overlap: options.overlap },
  );
  // Measured when first asked (the thread that plans the blocks asks; worker threads making blocks do not).
  let rowGroupRows: number | undefined;
  let maker: ColumnBlockMaker | undefined;
  // Sized for the blocks asked for (a small object, or a sample, needs small arrays), grown if a larger one comes.
  const makerFor = (rows: number): ColumnBlockMaker => {
    if (maker === undefined || maker.maxRows < rows) maker = new ColumnBlockMaker(table, rows);
    return maker;
  };
  return {
    prologue: encoder.magic,
    get rowGroupRows() {
      rowGroupRows ??= rowGroupRowsOf(table);
      return rowGroupRows;
    },
    async writeBlock(range, sink: ByteSink, stats: RangeStats) {
      range.signal?.throwIfAborted();
      const blocks = makerFor(range.rowCount);
      // A sink that copies what it is given (the handler's spool file) gets a view of the encoder's reused output.
      const output = sink.copiesChunks === true ? 'reused' : 'owned';
      // make() counts its own time.
      const block = blocks.make(range.firstRow, range.rowCount, stats);
      const started = performance.now();
      const group = encoder.encodeRowGroup(block, output);
      stats.generateMs += performance.now() - started;
      return writeRowGroup(group, range.rowCount, sink, stats);
    },
    startBlock: encoder.startRowGroup === undefined ? undefined : (range, stats) => {
      range.signal?.throwIfAborted();
      const blocks = makerFor(range.rowCount);
      // Each column is made when the encoder asks for it, while the last one's pages compress on another thread;
      // begin() counts no time of its own, so it is counted here.
      const started = performance.now();
      const block = blocks.begin(range.firstRow, range.rowCount, stats);
      const rowGroup = encoder.startRowGroup!(block.rows, block.column);
      stats.generateMs += performance.now() - started;
      return {
        async finish(sink) {
          // Its chunks (a page each, with its header) are the sink's to keep, whether it copies them or not.
          const group = await rowGroup.finish();
          return writeRowGroup(group, range.rowCount, sink, stats, encoder.recycle);
        },
      };
    },
    epilogue: (blocks) => encoder.footer(blocks.map(({ record, offset }) => ({ record: record as RowGroupRecord, offset }))),
    close: () => encoder.close(),
  };
}

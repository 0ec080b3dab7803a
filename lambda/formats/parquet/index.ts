/**
 * The Parquet encoder: RowBlocks in, a Parquet file out, one row group at a time.
 *
 *   const encoder = createParquetEncoder(columns, { compression: 'zstd', createdBy });
 *   write(encoder.magic);                               // bytes 0-3
 *   const group = encoder.encodeRowGroup(block);        // any thread; its bytes do not depend on where they land
 *   write(...group.chunks); records.push({ record: group.record, offset });
 *   write(encoder.footer(records));                     // FileMetaData, its length, "PAR1"
 *
 * Row groups encoded by other encoders (worker threads) can be concatenated into one file, as long as those
 * encoders were created with the same columns and options: the footer describes them with this encoder's schema.
 * Memory stays flat however many rows the file gets: the encoder keeps its page and output buffers, and the caller
 * keeps one small record per row group for the footer.
 *
 * Why an encoder of our own, and how it compares with hyparquet-writer: README, "Parquet", and
 * `scripts/parquet-bench.ts`.
 */
import { planColumns, type ParquetColumn } from './column-types';
import { writeFooter } from './footer';
import { overlappedPageCodec, type CompressionOverlap } from './overlapped-codecs';
import { pageCodec, type ParquetCompression } from './page-codecs';
import { MAGIC } from './parquet-thrift';
import { RowGroupEncoder, type EncodedRowGroup, type RowGroupOutput, type RowGroupRecord } from './row-group';
import type { ColumnBlock, RowBlock } from '../../engine/row-block';

export type { ParquetColumn } from './column-types';
export type { ParquetCompression } from './page-codecs';
export { overlapForCpus, type CompressionOverlap } from './overlapped-codecs';
export type { ColumnChunkRecord, EncodedRowGroup, RowGroupOutput, RowGroupRecord } from './row-group';

export interface ParquetEncoderOptions {
  /** The codec of every page. zstd needs Node.js 22.15 or later (the default nodejs26.x runtime has it). */
  readonly compression: ParquetCompression;
  /** The codec's level (gzip and zstd); by default DEFAULT_COMPRESSION_LEVELS.parquet (zstd 1, gzip 1). */
  readonly compressionLevel?: number;
  /** FileMetaData.created_by; parquet.thrift asks for `<application> version <version> (build <hash>)`. */
  readonly createdBy: string;
  /** FileMetaData.key_value_metadata, in this order. */
  readonly keyValueMetadata?: Readonly<Record<string, string>>;
  /** Compress pages on another thread while the calling one makes the next column (overlapped-codecs.ts). */
  readonly overlap?: CompressionOverlap;
}

export interface ParquetEncoder {
  /** "PAR1": the file's first 4 bytes. */
  readonly magic: Uint8Array;
  /**
   * Starts the row group encodeRowGroup makes of the same columns, byte for byte, with the pages compressed on another
   * thread while `columnAt` makes the next column; `finish` gives its bytes (a chunk per page, the caller's to keep)
   * once they are compressed. Row groups are finished in the order they were started, and the next may be started
   * before the last is finished, so that its rows are made while the last one's pages compress. Undefined where the
   * options asked for no overlap, or the codec has no thread to compress on.
   */
  readonly startRowGroup?: (rows: number, columnAt: (c: number) => ColumnBlock) => { finish(): Promise<EncodedRowGroup> };
  /**
   * A finished overlapped row group's chunks, once the sink is done with them (written, or copied out): their memory
   * goes back to the compressing thread for later pages. Undefined where nothing compresses on another thread.
   */
  readonly recycle?: (chunks: readonly Uint8Array[]) => void;
  /**
   * One row group of the block's rows. Synchronous and pure: the same block gives the same bytes. The block's arrays
   * are not kept (the engine may refill them as soon as this returns). `output` says who owns the bytes (default
   * 'owned'; 'reused' for a sink that copies them: nothing is then allocated per row group).
   */
  encodeRowGroup(block: RowBlock, output?: RowGroupOutput): EncodedRowGroup;
  /** Stops the other thread, if any. */
  close(): void;
  /**
   * The file's last bytes: FileMetaData, its length and "PAR1". `offset` is each row group's first byte in the file
   * (the first is 4, after the magic), in file order.
   */
  footer(rowGroups: ReadonlyArray<{ readonly record: RowGroupRecord; readonly offset: number }>): Uint8Array;
}

export function createParquetEncoder(columns: readonly ParquetColumn[], options: ParquetEncoderOptions): ParquetEncoder {
  if (typeof options.createdBy !== 'string') throw new Error(`the Parquet encoder needs createdBy, a string; it was given ${JSON.stringify(options.createdBy)}`);
  const plans = planColumns(columns);
  const codec = pageCodec(options.compression, options.compressionLevel);
  const rowGroups = new RowGroupEncoder(plans, codec);
  const footerOptions = { codec: codec.codec, createdBy: options.createdBy, keyValueMetadata: options.keyValueMetadata };
  const overlapped = options.overlap === undefined ? undefined : overlappedPageCodec(options.compression, options.compressionLevel, options.overlap);
  return {
    magic: MAGIC.slice(),
    encodeRowGroup: (block, output) => rowGroups.encode(block, output),
    startRowGroup: overlapped === undefined ? undefined : (rows, columnAt) => {
      const started = rowGroups.startOverlapped(rows, columnAt, overlapped);
      return { finish: () => rowGroups.finishOverlapped(started) };
    },
    recycle: overlapped === undefined ? undefined : (chunks) => overlapped.recycle(chunks),
    close: () => overlapped?.close(),
    footer: (records) => writeFooter(plans, footerOptions, records),
  };
}

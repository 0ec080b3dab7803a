/**
 * The page codecs: every page's bytes (after its header) are compressed on their own.
 *
 * - zstd: Node.js's own zlib (Node.js 22.15 or later: the function's default runtime is nodejs26.x), level 1, what pyarrow
 *   writes by default. On the sales table's pages (scripts/parquet-bench) level 3, zstd's own default, took 1.6 times
 *   as long for 3% less output, and compression is already most of the encoder's time; the negative "fast" level -3
 *   was a quarter faster than level 1 for 58% more output.
 * - gzip: zlib's gzip (RFC 1952, which is what Parquet's GZIP means), by default at level 1: on the sales table's pages
 *   2.5 times as fast as zlib's default (6) for 8% more bytes.
 * - snappy: our own compressor (snappy.ts; Snappy's block format is what Parquet's SNAPPY means), a quarter faster than
 *   snappyjs on the sales table's pages, into one buffer reused for every page.
 *
 * Each gives the same bytes for the same page on every run: none has a clock, a random seed or a thread count.
 */
import * as zlib from 'node:zlib';
import { Codec } from './parquet-thrift';
import { SnappyCompressor } from './snappy';
import { DEFAULT_COMPRESSION_LEVELS } from '../../../src/contract/output-format';
import { zlibGarbageCollector } from '../zlib-garbage';
import { zstdAt } from '../zstd';

export type ParquetCompression = 'none' | 'snappy' | 'gzip' | 'zstd';

/** Parquet's default zstd level (pyarrow's), the contract's DEFAULT_COMPRESSION_LEVELS.parquet.zstd. */
export const ZSTD_LEVEL = DEFAULT_COMPRESSION_LEVELS.parquet.zstd;

export interface PageCodec {
  /** CompressionCodec in the column chunks' metadata. */
  readonly codec: number;
  /**
   * The compressed bytes of `page`, valid only until the next call (they may be the codec's scratch buffer, or `page`
   * itself): the row group copies them at once into its output, so no page keeps memory of its own.
   */
  compress(page: Uint8Array): Uint8Array;
}

/**
 * A zlib page compressor that frees zlib's dead output as it goes (zlib-garbage.ts): within a row group (several pages
 * of a megabyte) it piled up to a few megabytes, and a 128 MB function writing 10 million rows peaked at 129 MB with ZSTD.
 */
function freeingZlibGarbage(compress: (page: Uint8Array) => Buffer): (page: Uint8Array) => Uint8Array {
  const collector = zlibGarbageCollector();
  return (page) => {
    const result = compress(page);
    // The output chunks (16 KiB each), their join, and the last chunk's spare room.
    collector.dropped(2 * result.length + (16 << 10));
    return result;
  };
}

function zstdCodec(level: number): PageCodec {
  const zstd = zstdAt(level);
  return { codec: Codec.ZSTD, compress: freeingZlibGarbage((page) => zstd.compressSync(page)) };
}

/** The codec of `compression` at `level` (gzip and zstd; by default DEFAULT_COMPRESSION_LEVELS.parquet). */
export function pageCodec(compression: ParquetCompression, level?: number): PageCodec {
  switch (compression) {
    case 'zstd':
      return zstdCodec(level ?? ZSTD_LEVEL);
    case 'gzip': {
      const options = { level: level ?? DEFAULT_COMPRESSION_LEVELS.parquet.gzip };
      return { codec: Codec.GZIP, compress: freeingZlibGarbage((page) => zlib.gzipSync(page, options)) };
    }
    case 'snappy': {
      const snappy = new SnappyCompressor();
      return { codec: Codec.SNAPPY, compress: (page) => snappy.compressToScratch(page) };
    }
    case 'none':
      return { codec: Codec.UNCOMPRESSED, compress: (page) => page };
    default:
      throw new Error(`Parquet compression ${JSON.stringify(compression)} is not one of zstd, gzip, snappy, none`);
  }
}

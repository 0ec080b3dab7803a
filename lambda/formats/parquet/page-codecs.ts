/**
 * The page codecs: every page's bytes (after its header) are compressed on their own.
 *
 * - zstd: Node.js's own zlib (Node.js 22.15 or later: the function's default runtime is nodejs26.x), level 1, what pyarrow
 *   writes by default. On the sales table's pages (scripts/parquet-bench) level 3, zstd's own default, took 1.6 times
 *   as long for 3% less output, and compression is already most of the encoder's time; the negative "fast" level -3
 *   was a quarter faster than level 1 for 58% more output.
 * - gzip: zlib's gzip (RFC 1952, which is what Parquet's GZIP means) at zlib's default level.
 * - snappy: our own compressor (snappy.ts; Snappy's block format is what Parquet's SNAPPY means), a quarter faster than
 *   snappyjs on the sales table's pages, into one buffer reused for every page.
 *
 * Each gives the same bytes for the same page on every run: none has a clock, a random seed or a thread count.
 */
import * as zlib from 'node:zlib';
import { Codec } from './parquet-thrift';
import { SnappyCompressor } from './snappy';
import { zstdAt } from '../zstd';

export type ParquetCompression = 'none' | 'snappy' | 'gzip' | 'zstd';

export const ZSTD_LEVEL = 1;

export interface PageCodec {
  /** CompressionCodec in the column chunks' metadata. */
  readonly codec: number;
  /** The compressed bytes of `page`, in memory of their own: `page` is a view of a buffer that is reused. */
  compress(page: Uint8Array): Uint8Array;
}

/**
 * zlib's sync functions return a view of their output chunk, which holds at least 64 KiB: a page of a few hundred
 * bytes would keep 64 KiB alive as long as its row group is. Small results are copied into memory of their own.
 */
function owned(result: Buffer): Uint8Array {
  return result.buffer.byteLength > 2 * result.length ? new Uint8Array(result) : result;
}

function zstdCodec(): PageCodec {
  const zstd = zstdAt(ZSTD_LEVEL);
  return { codec: Codec.ZSTD, compress: (page) => owned(zstd.compressSync(page)) };
}

export function pageCodec(compression: ParquetCompression): PageCodec {
  switch (compression) {
    case 'zstd':
      return zstdCodec();
    case 'gzip':
      return { codec: Codec.GZIP, compress: (page) => owned(zlib.gzipSync(page)) };
    case 'snappy': {
      const snappy = new SnappyCompressor();
      return { codec: Codec.SNAPPY, compress: (page) => snappy.compress(page) };
    }
    case 'none':
      return { codec: Codec.UNCOMPRESSED, compress: (page) => page.slice() };
    default:
      throw new Error(`Parquet compression ${JSON.stringify(compression)} is not one of zstd, gzip, snappy, none`);
  }
}

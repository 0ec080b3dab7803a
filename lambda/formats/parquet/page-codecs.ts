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
import { snappyCompressor } from './snappy';
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
 * A zlib page codec as data (zlib's one-shot call and its options), so that the compressing thread, which loads nothing
 * of ours, makes the same bytes with it (overlapped-codecs.ts).
 */
export interface ZlibPageCodec {
  /** CompressionCodec in the column chunks' metadata. */
  readonly codec: number;
  readonly method: 'zstdCompressSync' | 'gzipSync';
  readonly options: Readonly<Record<string, unknown>>;
}

/** The zlib codec of zstd or gzip at `level` (by default DEFAULT_COMPRESSION_LEVELS.parquet); throws where zlib has no zstd. */
export function zlibPageCodec(compression: 'zstd' | 'gzip', level?: number): ZlibPageCodec {
  return compression === 'zstd'
    ? { codec: Codec.ZSTD, method: 'zstdCompressSync', options: zstdAt(level ?? ZSTD_LEVEL).options }
    : { codec: Codec.GZIP, method: 'gzipSync', options: { level: level ?? DEFAULT_COMPRESSION_LEVELS.parquet.gzip } };
}

/**
 * zlib's output room for a page of `bytes`: its whole compressed page in one buffer, where zlib's default (16 KiB chunks
 * and their join) cost zstd a tenth of its time. zstd's and deflate's bounds are below it. (zstd's output depends on it
 * now and then: on incompressible stretches, whether it had room for a whole block.)
 */
export function pageOutputRoom(bytes: number): number {
  return Math.max(64, bytes + Math.ceil(bytes / 128) + 1024);
}

/** zlib's one-shot calls of ZlibPageCodec (@types/node 20 does not declare zstd's). */
export type ZlibCalls = Record<ZlibPageCodec['method'], (data: Uint8Array, options: object) => Buffer>;

/** A page through a zlib codec, as both threads compress it. */
export function compressWithZlib(codec: ZlibPageCodec, page: Uint8Array): Buffer {
  return (zlib as unknown as ZlibCalls)[codec.method](page, { ...codec.options, chunkSize: pageOutputRoom(page.length) });
}

/**
 * A zlib page compressor that frees zlib's dead output as it goes (zlib-garbage.ts): within a row group (several pages
 * of a megabyte) it piled up to a few megabytes, and a 128 MB function writing 10 million rows peaked at 129 MB with ZSTD.
 */
function freeingZlibGarbage(codec: ZlibPageCodec): PageCodec {
  const collector = zlibGarbageCollector();
  return {
    codec: codec.codec,
    compress(page) {
      const result = compressWithZlib(codec, page);
      // The output buffer, of the page's size or a little more.
      collector.dropped(pageOutputRoom(page.length));
      return result;
    },
  };
}

/** The codec of `compression` at `level` (gzip and zstd; by default DEFAULT_COMPRESSION_LEVELS.parquet). */
export function pageCodec(compression: ParquetCompression, level?: number): PageCodec {
  switch (compression) {
    case 'zstd':
    case 'gzip':
      return freeingZlibGarbage(zlibPageCodec(compression, level));
    case 'snappy': {
      const snappy = snappyCompressor();
      return { codec: Codec.SNAPPY, compress: (page) => snappy.compressToScratch(page) };
    }
    case 'none':
      return { codec: Codec.UNCOMPRESSED, compress: (page) => page };
    default:
      throw new Error(`Parquet compression ${JSON.stringify(compression)} is not one of zstd, gzip, snappy, none`);
  }
}

/**
 * Zstandard, from Node.js's own zlib (Node.js 22.15 and 23.8 on; the function's default runtime, nodejs26.x, has
 * it): the one place that finds it, for whole-file compression (compression.ts) and Parquet pages alike.
 */
import * as zlib from 'node:zlib';
import { ZSTD_MIN_NODE } from '../../src/contract/output-format';

/** The parts of zlib's zstd API that @types/node 20 does not declare. */
interface ZstdZlib {
  readonly zstdCompressSync?: (buffer: Uint8Array, options: { params: Record<number, number> }) => Buffer;
  readonly createZstdCompress?: (options: { params: Record<number, number>; chunkSize?: number }) => zlib.Gzip;
  readonly constants: { readonly ZSTD_c_compressionLevel?: number; readonly ZSTD_e_end?: number };
}

/**
 * zlib's stream method that compresses one buffer with a given flush directive: what zlib's *Sync functions call, and
 * with a callback, on the thread pool. Internal to Node.js (not a documented API), hence the fallback where it is gone.
 */
type ChunkProcessor = (chunk: Uint8Array, flush: number, done: () => void) => void;

/** A zlib stream kept for the next buffer, with the output of the buffer it is compressing. */
interface PooledStream {
  /** reset(): zlib's, for deflate and zstd alike (@types/node 20 declares it on some streams only). */
  readonly stream: zlib.Gzip & { reset(): void };
  readonly processChunk: ChunkProcessor;
  chunks: Buffer[];
  fail?: (error: unknown) => void;
}

/**
 * Compresses buffers on libuv's thread pool, each in one call that ends its frame or member (`end`: ZSTD_e_end,
 * Z_FINISH) as zlib's *Sync functions do, so each gives compressSync's bytes; or with compressSync where zlib has no
 * such call. Why not zlib's zstdCompress: it writes the data, then ends the frame in a second call, so zstd does not
 * know the data's size up front and makes a different frame (no content size, other block cuts), and Parquet pages
 * must be the same bytes however they are compressed.
 *
 * With `reuse` (zstd), the streams are kept and reset for the next buffer, one per buffer compressing at once: the
 * codec's working memory is made once per stream rather than once per buffer. Made per buffer on the pool's threads,
 * it was freed into those threads' malloc arenas, which kept it: a 128 MB function writing 10 million rows of ZSTD
 * Parquet peaked 10 MB higher. Not for deflate (gzip): a reset deflate stream gave other bytes for some small pages
 * (the Parquet encoder's tests), and its context is a few hundred KB.
 */
export function threadPoolCompressor(
  makeStream: () => zlib.Gzip, end: number, compressSync: (data: Uint8Array) => Buffer, reuse: boolean,
): (data: Uint8Array) => Promise<Buffer> {
  const idle: PooledStream[] = [];
  const newStream = (): PooledStream | undefined => {
    const stream = makeStream();
    const processChunk = (stream as unknown as { _processChunk?: ChunkProcessor })._processChunk;
    if (typeof processChunk !== 'function') {
      stream.close();
      return undefined;
    }
    const pooled: PooledStream = { stream: stream as PooledStream['stream'], processChunk, chunks: [] };
    stream.on('data', (chunk: Buffer) => pooled.chunks.push(chunk));
    stream.on('error', (error) => pooled.fail?.(error));
    return pooled;
  };
  return (data) => {
    const pooled = idle.pop() ?? newStream();
    if (pooled === undefined) return Promise.resolve(compressSync(data));
    return new Promise((resolve, reject) => {
      pooled.chunks = [];
      pooled.fail = reject;
      // A new frame or member, with the stream's level and parameters.
      pooled.stream.reset();
      pooled.processChunk.call(pooled.stream, data, end, () => {
        const chunks = pooled.chunks;
        pooled.chunks = [];
        pooled.fail = undefined;
        if (reuse) idle.push(pooled);
        else pooled.stream.close();
        resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      });
    });
  };
}

export interface Zstd {
  compressSync(data: Uint8Array): Buffer;
  /**
   * A compressor that gives compressSync's bytes, made on libuv's thread pool (threadPoolCompressor): `data` must not
   * change until its promise settles.
   */
  compressOnThreadPool(): (data: Uint8Array) => Promise<Buffer>;
  /** A compressing stream (a Transform, as zlib's others). */
  createStream(chunkSize: number): zlib.Gzip;
}

/** Says, with what to do, that this Node.js has no Zstandard. */
export function zstdUnavailable(): Error {
  return new Error(`Zstandard compression needs Node.js ${ZSTD_MIN_NODE.major}.${ZSTD_MIN_NODE.minor} or later (its zlib has it), and this is `
    + `Node.js ${process.versions.node}: deploy the function on a newer Node.js runtime (the default, nodejs26.x, has it), or choose another `
    + 'compression (gzip; for Parquet also snappy or none)');
}

/** zstd at `level`; throws zstdUnavailable() where zlib has none. */
export function zstdAt(level: number): Zstd {
  const z = zlib as unknown as ZstdZlib;
  const { zstdCompressSync, createZstdCompress } = z;
  const parameter = z.constants.ZSTD_c_compressionLevel;
  const endDirective = z.constants.ZSTD_e_end;
  if (zstdCompressSync === undefined || createZstdCompress === undefined || parameter === undefined || endDirective === undefined) {
    throw zstdUnavailable();
  }
  const params = { [parameter]: level };
  const compressSync = (data: Uint8Array) => zstdCompressSync(data, { params });
  return {
    compressSync,
    compressOnThreadPool: () => threadPoolCompressor(() => createZstdCompress({ params }), endDirective, compressSync, true),
    createStream: (chunkSize) => createZstdCompress({ params, chunkSize }),
  };
}

export function hasZstd(): boolean {
  try {
    zstdAt(1);
    return true;
  } catch {
    return false;
  }
}

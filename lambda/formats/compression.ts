/**
 * Whole-file compression of the text formats: the file's bytes go through gzip or Zstandard on their way to the
 * sink, so the object is a `.csv.gz` or `.jsonl.zst` that every reader opens by its extension.
 *
 * Levels are fixed (gzip 6, zstd 3, each codec's default): the same bytes in make the same bytes out, whatever the
 * chunks they came in, so the same seed and settings make the same object.
 */
import * as zlib from 'node:zlib';
import { ZSTD_MIN_NODE, type CompressionName } from '../../src/contract/output-format';
import type { ByteSink } from '../engine/stats';

export const GZIP_LEVEL = 6;
export const ZSTD_LEVEL = 3;
/** The codec's output chunks: large, so that a megabyte of input is one trip to the thread pool, not sixty. */
const CODEC_CHUNK_BYTES = 1 << 20;

/** A sink whose bytes are compressed on the way; `finish()` flushes the codec's last bytes. */
export interface CompressingSink extends ByteSink {
  finish(): Promise<void>;
  /** Stops the codec after a failure; nothing more reaches the sink. */
  abort(): void;
}

type ZstdZlib = typeof zlib & {
  createZstdCompress?: (options?: { params?: Record<number, number>; chunkSize?: number }) => zlib.Gzip;
  zstdCompressSync?: (data: Uint8Array, options?: { params?: Record<number, number> }) => Buffer;
  constants: typeof zlib.constants & { ZSTD_c_compressionLevel?: number };
};

/** Says, with what to do, that this Node.js has no Zstandard. */
export function zstdUnavailable(): Error {
  return new Error(`Zstandard compression needs Node.js ${ZSTD_MIN_NODE.major}.${ZSTD_MIN_NODE.minor} or later (its zlib has it), and this is `
    + `Node.js ${process.versions.node}: deploy the function on a newer Node.js runtime (the default, nodejs24.x, has it), or choose gzip`);
}

/** Node's zlib, if it has Zstandard (Node.js 22.15 and 23.8 on). */
export function zstdZlib(): Required<Pick<ZstdZlib, 'createZstdCompress' | 'zstdCompressSync'>> & { level: Record<number, number> } {
  const z = zlib as ZstdZlib;
  const parameter = z.constants.ZSTD_c_compressionLevel;
  if (z.createZstdCompress === undefined || z.zstdCompressSync === undefined || parameter === undefined) throw zstdUnavailable();
  return { createZstdCompress: z.createZstdCompress, zstdCompressSync: z.zstdCompressSync, level: { [parameter]: ZSTD_LEVEL } };
}

export function hasZstd(): boolean {
  try {
    zstdZlib();
    return true;
  } catch {
    return false;
  }
}

function createCompressor(compression: 'gzip' | 'zstd'): zlib.Gzip {
  if (compression === 'gzip') return zlib.createGzip({ level: GZIP_LEVEL, chunkSize: CODEC_CHUNK_BYTES });
  const zstd = zstdZlib();
  return zstd.createZstdCompress({ params: zstd.level, chunkSize: CODEC_CHUNK_BYTES });
}

/**
 * `sink` behind a codec. Each chunk is handed on once the codec has taken it in, so the caller may fill its
 * buffer again; the codec's output reaches `sink` in order, one chunk at a time, with the sink's backpressure.
 */
export function compressingSink(sink: ByteSink, compression: 'gzip' | 'zstd'): CompressingSink {
  const codec = createCompressor(compression);
  let failure: unknown;
  // Drains the codec into the sink; its end (or first failure) is what finish() waits for.
  const pumped = (async () => {
    for await (const out of codec as AsyncIterable<Buffer>) {
      const pending = sink.write(out);
      if (pending !== undefined) await pending;
    }
  })().catch((error: unknown) => {
    failure ??= error;
    codec.destroy();
  });
  const check = () => {
    if (failure !== undefined) throw failure;
  };
  return {
    copiesChunks: true,
    async write(chunk) {
      check();
      await new Promise<void>((resolve, reject) => {
        codec.write(chunk, (error) => (error ? reject(error) : resolve()));
      });
      check();
    },
    async finish() {
      check();
      codec.end();
      await pumped;
      check();
    },
    abort() {
      failure ??= new Error('compression stopped: the object was abandoned');
      codec.destroy();
    },
  };
}

/** The codec of a text format's whole file, or none (Parquet compresses inside the file). */
export function wholeFileCodec(format: string, compression: CompressionName): 'gzip' | 'zstd' | undefined {
  if (format === 'parquet') return undefined;
  return compression === 'gzip' || compression === 'zstd' ? compression : undefined;
}

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
  readonly constants: { readonly ZSTD_c_compressionLevel?: number };
}

export interface Zstd {
  /** What zlib.zstdCompressSync takes for this level. */
  readonly options: { readonly params: Readonly<Record<number, number>> };
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
  if (zstdCompressSync === undefined || createZstdCompress === undefined || parameter === undefined) throw zstdUnavailable();
  const params = { [parameter]: level };
  return {
    options: { params },
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

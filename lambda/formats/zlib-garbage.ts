/**
 * zlib (gzip and zstd, for whole text files and for Parquet pages) makes its output anew, in chunks and their join,
 * outside V8's heap, and V8 frees such memory only when it collects the small objects that hold it: in a program that
 * makes few objects, as the engine, rarely. Within a few megabytes of output the dead buffers piled up past a 128 MB
 * function's memory. A minor collection (about 0.3 ms) every ZLIB_GARBAGE_BYTES of them frees them young.
 */

/** `gc` where node was started with --expose-gc, as Lambda's Node.js runtime starts it. */
const gc = (globalThis as { gc?: (options?: { type?: 'major' | 'minor' }) => void }).gc;

/** What zlib's dead output may add up to between two minor collections. */
const ZLIB_GARBAGE_BYTES = 2 << 20;

/** A minor collection (about 0.3 ms), where node exposes gc: frees the buffers whose holders died young. */
export function collectYoungGarbage(): void {
  gc?.({ type: 'minor' });
}

/** Counts zlib's dead output and collects it young: call `dropped(bytes)` once a codec's output has been used. */
export function zlibGarbageCollector(): { dropped(bytes: number): void } {
  let garbage = 0;
  return {
    dropped(bytes) {
      garbage += bytes;
      if (garbage >= ZLIB_GARBAGE_BYTES) {
        collectYoungGarbage();
        garbage = 0;
      }
    },
  };
}

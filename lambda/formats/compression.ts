/**
 * Whole-file compression of the text formats: the file's bytes go through gzip or Zstandard on their way to the
 * sink, so the object is a `.csv.gz` or `.jsonl.zst` that every reader opens by its extension.
 *
 * At the output format's level (compressionLevel, else the codec's default: gzip 6, zstd 3; see
 * DEFAULT_COMPRESSION_LEVELS): the same bytes in make the same bytes out, whatever the chunks they came in, so the
 * same seed and settings make the same object.
 */
import * as zlib from 'node:zlib';
import { zlibGarbageCollector } from './zlib-garbage';
import { zstdAt } from './zstd';
import { DEFAULT_COMPRESSION_LEVELS, type CompressionName } from '../../src/contract/output-format';
import type { ByteSink } from '../engine/stats';

/** The codec's output chunks: large, so that a megabyte of input is one trip to the thread pool, not sixty. */
const CODEC_CHUNK_BYTES = 1 << 20;
/**
 * Chunks the codec may hold at once: one being compressed on libuv's thread pool while the caller makes the next (a
 * CPU to spare then compresses while this one makes rows), and that next one waiting its turn.
 */
const CHUNKS_IN_CODEC = 2;

/** A sink whose bytes are compressed on the way; `finish()` flushes the codec's last bytes. */
export interface CompressingSink extends ByteSink {
  finish(): Promise<void>;
  /** Stops the codec after a failure; nothing more reaches the sink. */
  abort(): void;
}

function createCompressor(compression: 'gzip' | 'zstd', level: number): zlib.Gzip {
  if (compression === 'gzip') return zlib.createGzip({ level, chunkSize: CODEC_CHUNK_BYTES });
  return zstdAt(level).createStream(CODEC_CHUNK_BYTES);
}

/**
 * `sink` behind a codec. Each chunk is copied and handed on at once, so the caller may fill its buffer again while
 * the codec compresses on libuv's thread pool; a write waits only while CHUNKS_IN_CODEC chunks are in the codec. The
 * codec takes the chunks in order, whenever it gets them, so the bytes do not depend on the timing. Its output
 * reaches `sink` in order, one chunk at a time, with the sink's backpressure.
 */
export function compressingSink(sink: ByteSink, compression: 'gzip' | 'zstd', level = DEFAULT_COMPRESSION_LEVELS.text[compression]): CompressingSink {
  const codec = createCompressor(compression, level);
  let failure: unknown;
  let inCodec = 0;
  // Wakes a write waiting for room in the codec: when a chunk leaves it, or on a failure.
  let roomMade: (() => void) | undefined;
  // Drains the codec into the sink; its end (or first failure) is what finish() waits for.
  const collector = zlibGarbageCollector();
  const pumped = (async () => {
    for await (const out of codec as AsyncIterable<Buffer>) {
      const pending = sink.write(out);
      if (pending !== undefined) await pending;
      // The sink is done with the codec's output chunk: it is garbage.
      collector.dropped(out.length);
    }
  })().catch((error: unknown) => {
    failure ??= error;
    codec.destroy();
    roomMade?.();
  });
  const check = () => {
    if (failure !== undefined) throw failure;
  };
  // Buffers the codec has finished with, for the next copies: a copy made anew per chunk would be garbage outside V8's
  // heap, which V8 collects late (a 128 MB function writing a gzip CSV passed its memory by 5 to 18 MB).
  const spare: Uint8Array[] = [];
  return {
    copiesChunks: true,
    async write(chunk) {
      check();
      inCodec++;
      // A copy: the caller's buffer is refilled at once, while the codec works on this one.
      let copy = spare.pop();
      if (copy === undefined || copy.length < chunk.length) copy = new Uint8Array(Math.max(chunk.length, CODEC_CHUNK_BYTES));
      copy.set(chunk);
      const held = copy;
      // zlib has taken all of a chunk in (into its own window) by the time it calls back: the buffer is free again.
      codec.write(held.subarray(0, chunk.length), (error) => {
        inCodec--;
        spare.push(held);
        if (error) failure ??= error;
        roomMade?.();
      });
      while (inCodec >= CHUNKS_IN_CODEC && failure === undefined) await new Promise<void>((resolve) => { roomMade = resolve; });
      roomMade = undefined;
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
      roomMade?.();
    },
  };
}

/** The codec of a text format's whole file, or none (Parquet compresses inside the file). */
export function wholeFileCodec(format: string, compression: CompressionName): 'gzip' | 'zstd' | undefined {
  if (format === 'parquet') return undefined;
  return compression === 'gzip' || compression === 'zstd' ? compression : undefined;
}

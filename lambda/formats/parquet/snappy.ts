/**
 * A Snappy compressor of our own (the raw block format, which is what Parquet's SNAPPY codec means), written from the
 * public description of the format (google/snappy, format_description.txt): a varint of the uncompressed length, then
 * literals and back-references (copies).
 *
 * Why our own: snappyjs, pure JavaScript too, took over half of the Parquet Snappy line's time in the profile of
 * `npm run bench` (its output is grown and its input read a byte at a time). Here the input is cut into blocks of 64 KiB
 * (so every offset fits the 2-byte copy), a hash table of 4-byte sequences finds matches (it skips faster through
 * bytes that do not compress, as Snappy compressors do), and the output goes into one buffer reused for every page.
 *
 * Deterministic: the same input gives the same bytes on every run and thread (no clock, no seed, no shared state
 * between calls but the scratch buffers, which are cleared per block).
 *
 * The whole compressor is one function (snappyCompressor) that refers to nothing outside itself: the compressing
 * thread runs it from its source (overlapped-codecs.ts), without loading the bundle.
 */

/** A Snappy compressor with its scratch output and hash table, reused from call to call (one per encoder). */
export interface SnappyCompressor {
  /** The Snappy block of `input`, in memory of its own (exactly its length). */
  compress(input: Uint8Array): Uint8Array;
  /** The Snappy block of `input`, as a view of the compressor's scratch buffer: valid until the next call. */
  compressToScratch(input: Uint8Array): Uint8Array;
}

/** A new compressor. Self-contained: nothing in it refers to anything outside it but JavaScript's own globals. */
export function snappyCompressor(): SnappyCompressor & {
  /** A bound on the Snappy block of `length` input bytes. */
  maxBytes(length: number): number;
} {
  /** Bytes of input per block: a match never reaches back further, so every offset fits in 16 bits. */
  const BLOCK_BYTES = 1 << 16;
  const HASH_BITS = 14;
  /** Matches are searched only where 4 bytes can be read, and a literal tail of at least this many bytes stays. */
  const INPUT_MARGIN = 15;
  /** A block shorter than this is one literal: too short for a match worth its bytes. */
  const MIN_BLOCK_TO_COMPRESS = INPUT_MARGIN + 2;
  /**
   * A page's blocks are probed one in this many: where a probe saves less than 1 / POOR_SAVING_DENOMINATOR of its bytes,
   * the blocks up to the next probe are stored as literals. On the sales table's uuid column (hex text, which Snappy's
   * byte matches shrink by a tenth) this is 16 times faster for 11% more bytes; text that compresses is not affected.
   */
  const PROBE_EVERY_BLOCKS = 8;
  const POOR_SAVING_DENOMINATOR = 8;

  /** A bound on the Snappy block of `length` input bytes (incompressible input grows by its literal headers only). */
  function maxSnappyBytes(length: number): number {
    return 32 + length + Math.ceil(length / 6);
  }

  /** The 4 bytes at `at`, little-endian: one unaligned load where the JIT compiles it. */
  const load32 = (view: DataView, at: number) => view.getInt32(at, true);
  const hashOf = (word: number) => Math.imul(word, 0x1e35a7bd) >>> (32 - HASH_BITS);

  function writeLiteral(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number): number {
    const length = to - from;
    const n = length - 1;
    if (n < 60) {
      dst[at++] = n << 2;
    } else if (n < 0x100) {
      dst[at++] = 60 << 2;
      dst[at++] = n;
    } else {
      // A literal never outgrows its block (64 KiB), so two bytes always hold its length.
      dst[at++] = 61 << 2;
      dst[at++] = n & 0xff;
      dst[at++] = n >>> 8;
    }
    // A short literal is faster copied byte by byte than through a subarray.
    if (length < 32) {
      for (let i = from; i < to; i++) dst[at++] = src[i];
      return at;
    }
    dst.set(src.subarray(from, to), at);
    return at + length;
  }

  /** A copy of `length` (>= 4) bytes from `offset` (< 65536) back: 1-byte-offset form where it fits, else 2-byte offset. */
  function writeCopy(offset: number, length: number, dst: Uint8Array, at: number): number {
    // The 2-byte form copies at most 64 bytes; cutting 60 where 64 would leave fewer than 4 keeps every piece >= 4.
    while (length >= 68) {
      dst[at++] = 2 | (63 << 2);
      dst[at++] = offset & 0xff;
      dst[at++] = offset >>> 8;
      length -= 64;
    }
    if (length > 64) {
      dst[at++] = 2 | (59 << 2);
      dst[at++] = offset & 0xff;
      dst[at++] = offset >>> 8;
      length -= 60;
    }
    if (length < 12 && offset < 2048) {
      dst[at++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
      dst[at++] = offset & 0xff;
    } else {
      dst[at++] = 2 | ((length - 1) << 2);
      dst[at++] = offset & 0xff;
      dst[at++] = offset >>> 8;
    }
    return at;
  }

  /**
   * Compresses src[start, end) (at most BLOCK_BYTES) into dst from `at`; returns the end of what it wrote. `table` holds,
   * per hash, the last position (from `start`) where a 4-byte sequence of that hash began.
   */
  function compressBlock(src: Uint8Array, view: DataView, start: number, end: number, dst: Uint8Array, at: number, table: Uint16Array): number {
    if (end - start < MIN_BLOCK_TO_COMPRESS) return writeLiteral(src, start, end, dst, at);
    table.fill(0);
    const searchLimit = end - INPUT_MARGIN;
    let literalFrom = start;
    let ip = start + 1;
    let nextWord = load32(view, ip);
    let nextHash = hashOf(nextWord);
    for (;;) {
      // Look for a match, stepping further the longer nothing matched (skip / 32 bytes a step).
      let skip = 32;
      let next = ip;
      let candidate: number;
      let word: number;
      do {
        ip = next;
        word = nextWord;
        const hash = nextHash;
        next = ip + (skip++ >> 5);
        if (next > searchLimit) return literalFrom < end ? writeLiteral(src, literalFrom, end, dst, at) : at;
        nextWord = load32(view, next);
        nextHash = hashOf(nextWord);
        candidate = start + table[hash];
        table[hash] = ip - start;
      } while (word !== load32(view, candidate));

      at = writeLiteral(src, literalFrom, ip, dst, at);
      // Emit the match, and while the next position matches too, the next one at once.
      do {
        let length = 4;
        // Four bytes at a time while they can be read, then byte by byte.
        while (ip + length + 4 <= end && load32(view, ip + length) === load32(view, candidate + length)) length += 4;
        while (ip + length < end && src[ip + length] === src[candidate + length]) length++;
        at = writeCopy(ip - candidate, length, dst, at);
        ip += length;
        literalFrom = ip;
        if (ip >= searchLimit) return literalFrom < end ? writeLiteral(src, literalFrom, end, dst, at) : at;
        table[hashOf(load32(view, ip - 1))] = ip - 1 - start;
        const hash = hashOf(load32(view, ip));
        candidate = start + table[hash];
        table[hash] = ip - start;
      } while (load32(view, ip) === load32(view, candidate));
      ip++;
      nextWord = load32(view, ip);
      nextHash = hashOf(nextWord);
    }
  }

  let scratch = new Uint8Array(0);
  const table = new Uint16Array(1 << HASH_BITS);

  const compressToScratch = (input: Uint8Array): Uint8Array => {
    const bound = maxSnappyBytes(input.length);
    if (scratch.length < bound) scratch = new Uint8Array(bound);
    const dst = scratch;
    const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    let at = 0;
    // The preamble: the uncompressed length as a little-endian base-128 varint.
    let length = input.length;
    while (length >= 0x80) {
      dst[at++] = (length & 0x7f) | 0x80;
      length = Math.floor(length / 0x80);
    }
    dst[at++] = length;
    // Every PROBE_EVERY_BLOCKS-th block is compressed; the blocks after a probe that saved too little are stored as
    // literals, as incompressible data costs the search its full time and saves nothing.
    let compressing = true;
    for (let start = 0, block = 0; start < input.length; start += BLOCK_BYTES, block++) {
      const end = Math.min(start + BLOCK_BYTES, input.length);
      if (block % PROBE_EVERY_BLOCKS === 0) {
        const before = at;
        at = compressBlock(input, view, start, end, dst, at, table);
        compressing = (at - before) * POOR_SAVING_DENOMINATOR < (POOR_SAVING_DENOMINATOR - 1) * (end - start);
      } else {
        at = compressing ? compressBlock(input, view, start, end, dst, at, table) : writeLiteral(input, start, end, dst, at);
      }
    }
    return dst.subarray(0, at);
  };

  return { compress: (input) => compressToScratch(input).slice(), compressToScratch, maxBytes: maxSnappyBytes };
}

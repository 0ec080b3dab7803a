/**
 * Our Snappy compressor (lambda/formats/parquet/snappy.ts), read back by a decompressor nobody here wrote (snappyjs):
 * every input comes back byte for byte, across every literal and copy form of the format and across its 64 KiB blocks,
 * and the output stays within the format's bound and is the same on every call.
 */
import fc from 'fast-check';
import { uncompress } from 'snappyjs';
import { snappyCompressor, type SnappyCompressor } from '../../lambda/formats/parquet/snappy';

const roundTrip = (compressor: SnappyCompressor, input: Uint8Array) => {
  const compressed = compressor.compress(input);
  return { compressed, back: new Uint8Array(uncompress(compressed)) };
};

/** Bytes from a seeded generator (no Math.random: a failure must repeat). */
function noise(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    // A linear congruential generator modulo 2^32 (exact in doubles: the product stays below 2^53); its top byte.
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    bytes[i] = Math.floor(state / 2 ** 24);
  }
  return bytes;
}

const text = (content: string) => new TextEncoder().encode(content);

describe('the Snappy compressor', () => {
  const cases: Record<string, Uint8Array> = {
    'nothing': new Uint8Array(0),
    'one byte': new Uint8Array([42]),
    'a block too short to search (16 bytes)': text('abcdefghijklmnop'),
    'a run of one byte (copies of 64, then 60, then the rest)': new Uint8Array(1000).fill(7),
    'a run across blocks (200 KiB)': new Uint8Array(200 * 1024).fill(1),
    'noise (one long literal of each length form)': noise(70_000, 1),
    'noise over 16 MiB (a 4-byte length preamble)': noise(17 * 2 ** 20, 2),
    'repeated text (1-byte-offset copies)': text('order,customer,email\n'.repeat(5000)),
    'text repeated 3 KiB apart (2-byte-offset copies)': text(Array.from({ length: 60 }, (_, i) => `${i % 7}`.padEnd(3000, 'x') + String(i)).join('')),
    'UTF-8 text with multi-byte characters': text('Zoë Müller, 東京, São Paulo, Łódź; '.repeat(3000)),
  };
  test.each(Object.entries(cases))('gives back %s byte for byte, within the format\'s bound', (_name, input) => {
    const { compressed, back } = roundTrip(snappyCompressor(), input);
    expect(Buffer.compare(back, input)).toBe(0);
    expect(compressed.length).toBeLessThanOrEqual(snappyCompressor().maxBytes(input.length));
  });

  test('compresses what repeats: a run of 200 KiB takes 3 bytes per 64 (the longest copy), under 5%', () => {
    expect(snappyCompressor().compress(new Uint8Array(200 * 1024).fill(1)).length).toBeLessThan((200 * 1024) / 20);
  });

  test('stores a page\'s incompressible blocks as literals up to the next probe, and still compresses what follows a probe that saves', () => {
    // 16 blocks of 64 KiB: random hex digits (blocks 0 to 7; Snappy's matches of 4 bytes or more save about a tenth of
    // them, which the probe at 0 finds too little), then text (8 to 15, probed at 8).
    const block = 64 * 1024;
    const page = new Uint8Array(16 * block);
    page.set(noise(8 * block, 5).map((byte) => '0123456789abcdef'.charCodeAt(byte % 16)));
    page.set(text('Zoë Müller,zoe@example.com,Rustic Cotton Shirt\n'.repeat(20_000)).subarray(0, 8 * block), 8 * block);
    const { compressed, back } = roundTrip(snappyCompressor(), page);
    expect(Buffer.compare(back, page)).toBe(0);
    // The hex costs about its bytes; the text, a small part of its own.
    const hexStored = 8 * (block + 3);
    expect(compressed.length - hexStored).toBeGreaterThan(0);
    expect(compressed.length - hexStored).toBeLessThan(block);
    // Each hex block after the probe is one literal: a 3-byte header (a 2-byte length of 65,535 + 1), then its bytes.
    const stored = Buffer.from(compressed);
    for (let b = 1; b < 8; b++) {
      const at = stored.indexOf(page.subarray(b * block, (b + 1) * block));
      expect(Array.from(stored.subarray(at - 3, at))).toEqual([61 * 4, 0xff, 0xff]);
    }
  });

  test('gives the same bytes for the same input, however many pages one compressor made before', () => {
    const page = text('Zoë Müller,zoe@example.com,Rustic Cotton Shirt,3,12.50\n'.repeat(2000));
    const fresh = snappyCompressor().compress(page);
    const used = snappyCompressor();
    used.compress(noise(300_000, 3));
    used.compress(new Uint8Array(90_000).fill(9));
    expect(Buffer.compare(used.compress(page), fresh)).toBe(0);
  });

  test('hands out bytes of its own: the next page does not overwrite the last', () => {
    const compressor = snappyCompressor();
    const first = compressor.compress(text('first page '.repeat(100)));
    const copy = first.slice();
    compressor.compress(noise(10_000, 4));
    expect(Buffer.compare(first, copy)).toBe(0);
  });

  test('any bytes, of a small alphabet or none, come back byte for byte', () => {
    const compressor = snappyCompressor();
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 255 }).chain((alphabet) => fc.uint8Array({ maxLength: 140_000, max: alphabet - 1, size: 'max' })),
      (input) => Buffer.compare(roundTrip(compressor, input).back, input) === 0,
    ), { numRuns: 40 });
  });
});

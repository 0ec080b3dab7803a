/**
 * Whole-file compression of the text formats (lambda/formats/compression.ts): the codec works on libuv's thread pool
 * while the caller makes the next chunk, and the caller refills its buffer at once; the bytes depend on the chunks
 * alone, never on how fast the codec or the sink is, and a sink's failure ends the writes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as zlib from 'node:zlib';
import { compressingSink } from '../../lambda/formats/compression';

/** Chunks of CSV-like text, written through one buffer that the caller refills after each write, as the engine does. */
async function compressThrough(compression: 'gzip' | 'zstd', sinkDelayMs: number, chunks: readonly string[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const sink = compressingSink({
    write: (chunk) => {
      out.push(Buffer.from(chunk));
      return sinkDelayMs > 0 ? sleep(sinkDelayMs) : undefined;
    },
  }, compression);
  const buffer = new Uint8Array(65_536);
  for (const text of chunks) {
    const { written } = new TextEncoder().encodeInto(text, buffer);
    await sink.write(buffer.subarray(0, written));
    // The codec has its own copy by now: overwrite the buffer, as the next chunk would.
    buffer.fill(0x21);
  }
  await sink.finish();
  return Buffer.concat(out);
}

const CHUNKS = Array.from({ length: 40 }, (_, i) => `${i},Zoë Müller,zoe${i}@example.com,Rustic Cotton Shirt,${(i * 7) % 20},12.50\n`.repeat(300));

describe.each(['gzip', 'zstd'] as const)('%s of a whole text file', (compression) => {
  test('the same chunks give the same bytes with a fast sink and a slow one, and decompress to the chunks', async () => {
    const fast = await compressThrough(compression, 0, CHUNKS);
    const slow = await compressThrough(compression, 3, CHUNKS);
    expect(slow.equals(fast)).toBe(true);
    const back = compression === 'gzip' ? zlib.gunzipSync(fast) : zlib.zstdDecompressSync(fast);
    expect(back.toString('utf8')).toBe(CHUNKS.join(''));
  });

  test('a sink that fails ends the writes with its error', async () => {
    const sink = compressingSink({ write: () => Promise.reject(new Error('network down')) }, compression);
    const big = new Uint8Array(4 * 2 ** 20).map((_, i) => Math.floor(((i * 2654435761) % 2 ** 32) / 2 ** 24));
    await expect((async () => {
      for (let i = 0; i < 20; i++) await sink.write(big);
      await sink.finish();
    })()).rejects.toThrow('network down');
  });
});

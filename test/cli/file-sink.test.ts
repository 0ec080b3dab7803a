/**
 * The command line's file sink: chunks and groups of chunks (a Parquet row group's pages, written with writev) land in
 * the file in the order they were given, from libuv's thread pool, with at most two writes waiting.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileSink } from '../../cli/file-sink';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-sink-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `length` bytes counting up from `first`, mod 251 (a prime: no chunk repeats another at any offset). */
function counting(first: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (first + i) % 251);
}

test('single chunks and groups of chunks, interleaved, make the file in order; a group\'s callback comes once it is in', async () => {
  const file = path.join(dir, 'out.bin');
  const fd = fs.openSync(file, 'w');
  const sink = fileSink(fd);
  const given: Uint8Array[] = [];
  const written: boolean[] = [];
  let waited = 0;
  for (let k = 0; k < 40; k++) {
    let pending: Promise<void> | undefined;
    if (k % 2 === 1) {
      // A group of pages of varied sizes, one of them empty (as an all-null column's can be).
      const pages = [0, 1, 2, 3].map((j) => counting(k * 7 + j, j === 2 ? 0 : 1000 * (j + 1) + k));
      const at = given.reduce((bytes, chunk) => bytes + chunk.length, 0);
      given.push(...pages);
      pending = sink.writeChunks(pages, () => {
        // Told once the pages are in the file, at their place (their memory may then be used again).
        const joined = Buffer.concat(pages);
        written.push(fs.readFileSync(file).subarray(at, at + joined.length).equals(joined));
      });
    } else {
      const chunk = counting(k, 70_000 + k);
      given.push(chunk);
      pending = sink.write(chunk);
    }
    if (pending !== undefined) {
      waited++;
      await pending;
    }
  }
  await sink.drain();
  fs.closeSync(fd);
  expect(waited).toBeGreaterThan(0);
  expect(written).toEqual(Array(20).fill(true));
  expect(fs.readFileSync(file).equals(Buffer.concat(given))).toBe(true);
});

test('a failed write fails the run: the waiting write or drain rejects with the error', async () => {
  const file = path.join(dir, 'read-only.bin');
  fs.writeFileSync(file, '');
  const fd = fs.openSync(file, 'r');
  const sink = fileSink(fd);
  void sink.writeChunks([counting(0, 10), counting(1, 10)]);
  await expect(sink.drain()).rejects.toMatchObject({ code: 'EBADF' });
  fs.closeSync(fd);
});

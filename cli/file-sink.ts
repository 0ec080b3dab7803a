/**
 * Writes the engine's chunks to a file on libuv's thread pool, so that the next chunk is made while the last one is
 * copied to the file (as the function makes rows while parts upload); at most two writes wait at once. Each write
 * names its position in the file: writes from several pool threads may run in any order.
 */
import * as fs from 'node:fs';

export interface FileSink {
  write(chunk: Uint8Array): Promise<void> | undefined;
  /** Resolves once every write is in the file (rejects with the first failure). */
  drain(): Promise<void>;
}

export function fileSink(fd: number): FileSink {
  const pending: Promise<void>[] = [];
  let fileSize = 0;
  const writeAll = (chunk: Uint8Array, from: number, position: number, done: (error: Error | null) => void): void => {
    fs.write(fd, chunk, from, chunk.length - from, position, (error, written) => {
      if (error !== null || from + written === chunk.length) done(error);
      else writeAll(chunk, from + written, position + written, done);
    });
  };
  return {
    write(chunk) {
      const position = fileSize;
      fileSize += chunk.length;
      const written = new Promise<void>((resolve, reject) => writeAll(chunk, 0, position, (error) => (error ? reject(error) : resolve())));
      // Awaited later (by the engine or drain()); a failure before then is not an unhandled rejection.
      written.catch(() => undefined);
      pending.push(written);
      return pending.length > 2 ? pending.shift() : undefined;
    },
    async drain() {
      await Promise.all(pending.splice(0));
    },
  };
}

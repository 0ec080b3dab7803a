/**
 * Writes the engine's chunks to a file on libuv's thread pool, so that the next chunk is made while the last one is
 * copied to the file (as the function makes rows while parts upload); at most two writes wait at once. Each write
 * names its position in the file: writes from several pool threads may run in any order.
 */
import * as fs from 'node:fs';

export interface FileSink {
  write(chunk: Uint8Array): Promise<void> | undefined;
  /**
   * Several chunks, in order, as one write (writev): a row group's pages, neither joined nor a write each. `written` is
   * called once they are in the file.
   */
  writeChunks(chunks: readonly Uint8Array[], written?: () => void): Promise<void> | undefined;
  /** Resolves once every write is in the file (rejects with the first failure). */
  drain(): Promise<void>;
}

export function fileSink(fd: number): FileSink {
  const pending: Promise<void>[] = [];
  let fileSize = 0;
  // A write may take fewer bytes than it was given: the rest is written after them.
  const writeAllOf = (chunks: readonly Uint8Array[], position: number, done: (error: Error | null) => void): void => {
    fs.writev(fd, chunks, position, (error, written) => {
      if (error !== null) return done(error);
      let rest = written;
      let first = 0;
      while (first < chunks.length && rest >= chunks[first].length) rest -= chunks[first++].length;
      if (first === chunks.length) return done(null);
      writeAllOf([chunks[first].subarray(rest), ...chunks.slice(first + 1)], position + written, done);
    });
  };
  const track = (bytes: number, start: (position: number, done: (error: Error | null) => void) => void): Promise<void> | undefined => {
    const position = fileSize;
    fileSize += bytes;
    const written = new Promise<void>((resolve, reject) => start(position, (error) => (error ? reject(error) : resolve())));
    // Awaited later (by the engine or drain()); a failure before then is not an unhandled rejection.
    written.catch(() => undefined);
    pending.push(written);
    return pending.length > 2 ? pending.shift() : undefined;
  };
  return {
    write: (chunk) => track(chunk.length, (position, done) => writeAllOf([chunk], position, done)),
    writeChunks: (chunks, written) => {
      const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      return track(bytes, (position, done) => writeAllOf(chunks, position, (error) => {
        if (error === null) written?.();
        done(error);
      }));
    },
    async drain() {
      await Promise.all(pending.splice(0));
    },
  };
}

/**
 * Making blocks on several cores: worker threads make disjoint blocks of rows (encoded in the object's format), and
 * the calling thread hands them to the sink in row order. Because a block's bytes depend only on (schema, seed,
 * format, its rows), the file is byte-identical to the one a single thread makes.
 */
import { Worker } from 'node:worker_threads';
import { type BlockRequest, type BlockResult } from './worker';
import { distinctCounter } from '../engine/distinct-counters';
import type { ByteSink, RangeStats } from '../engine/stats';
import type { BlockRange, BlockRecord } from '../formats/file-encoder';

export interface ParallelOptions {
  readonly workers: number;
  /** The script each worker runs: the bundled handler (it starts the engine worker when loaded in one). */
  readonly workerScript: string;
  /** What each worker compiles (see worker.ts). */
  readonly workerData: unknown;
}

/**
 * Makes `blocks` on worker threads and writes them to `sink` in order. `onBlock` is told each block's record just
 * before its bytes are written (so the caller knows where it begins).
 */
export async function generateBlocksInWorkers(
  blocks: readonly BlockRange[], sink: ByteSink, stats: RangeStats, options: ParallelOptions, onBlock: (record: BlockRecord) => void,
): Promise<void> {
  const blockCount = blocks.length;
  const signal = blocks[0]?.signal;
  const workerCount = Math.max(1, Math.min(options.workers, blockCount));
  const workers = Array.from({ length: workerCount }, () => new Worker(options.workerScript, { workerData: options.workerData }));
  // Each worker's results in the order it was sent blocks; a worker makes one block at a time.
  const results = new Map<number, Promise<BlockResult>>();
  const waiting = new Map<number, { resolve: (result: BlockResult) => void; reject: (error: unknown) => void }>();
  let failure: unknown;
  for (const worker of workers) {
    worker.on('message', (result: BlockResult) => {
      waiting.get(result.block)?.resolve(result);
      waiting.delete(result.block);
    });
    const fail = (error: unknown): void => {
      failure ??= error;
      for (const pending of waiting.values()) pending.reject(error);
      waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (waiting.size > 0) fail(new Error(`an engine worker thread exited (code ${code}) before making its rows`));
    });
  }
  const send = (block: number): void => {
    const { firstRow, rowCount } = blocks[block];
    const request: BlockRequest = { block, firstRow, rowCount };
    const result = new Promise<BlockResult>((resolve, reject) => {
      if (failure !== undefined) reject(failure);
      else waiting.set(block, { resolve, reject });
    });
    // Awaited in block order later; until then a worker's failure must not count as an unhandled rejection.
    result.catch(() => undefined);
    results.set(block, result);
    workers[block % workerCount].postMessage(request);
  };

  try {
    // Two blocks per worker in flight: one being made, one queued, so no worker waits for the sink.
    const inFlight = 2 * workerCount;
    let next = 0;
    while (next < Math.min(inFlight, blockCount)) send(next++);
    for (let block = 0; block < blockCount; block++) {
      const result = await untilAborted(results.get(block)!, signal);
      results.delete(block);
      if (next < blockCount) send(next++);
      onBlock(result.record);
      const waitStarted = performance.now();
      for (const chunk of result.chunks) {
        const pending = sink.write(chunk);
        if (pending !== undefined) await pending;
      }
      stats.sinkWaitMs += performance.now() - waitStarted;
      stats.generateMs += result.generateMs;
      stats.bytes += result.bytes;
      stats.rows += blocks[block].rowCount;
      result.nulls.forEach((count, c) => { stats.nulls[c] += count; });
      if (stats.counters.length === 0) stats.counters = result.distinctKinds.map(distinctCounter);
      result.distinctStates.forEach((state, c) => stats.counters[c].merge(state));
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** `promise`, or the signal's reason as soon as it fires: a worker that never answers cannot outlive the deadline. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

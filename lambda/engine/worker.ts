/**
 * The engine's side of a worker thread: compiles the table once, then makes the row blocks it is sent.
 *
 * The worker runs the same bundled file as the handler (there is only one file in the function's code),
 * so this module starts the worker loop at load time when, and only when, it finds itself in an engine
 * worker thread.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { DistinctKind } from './distinct';
import { emptyStats, generateRange } from './generate';
import { compileTable } from './table';
import type { SchemaDocument } from '../../src/contract/schema-document';

export const ENGINE_WORKER_KIND = 'cdk-synthetic-data/engine-worker';

export interface EngineWorkerData {
  readonly kind: typeof ENGINE_WORKER_KIND;
  readonly schema: SchemaDocument;
  readonly seed: number;
}

/** A block of rows to make. */
export interface BlockRequest {
  readonly block: number;
  readonly firstRow: number;
  readonly rowCount: number;
  readonly header: boolean;
}

/** A block made: its chunks in order, and what it made. */
export interface BlockResult {
  readonly block: number;
  readonly chunks: Uint8Array[];
  readonly nulls: Float64Array;
  readonly distinctKinds: readonly DistinctKind[];
  readonly distinctStates: Uint8Array[];
  readonly generateMs: number;
}

function isEngineWorker(data: unknown): data is EngineWorkerData {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === ENGINE_WORKER_KIND;
}

if (!isMainThread && parentPort !== null && isEngineWorker(workerData)) {
  const port = parentPort;
  const table = compileTable(workerData.schema, workerData.seed);
  port.on('message', (request: BlockRequest) => {
    const chunks: Uint8Array[] = [];
    const stats = emptyStats(table.writeCell.length, table.distinctKinds);
    generateRange(table, request, { write: (chunk) => { chunks.push(chunk); } }, stats).then(() => {
      const result: BlockResult = {
        block: request.block,
        chunks,
        nulls: stats.nulls,
        distinctKinds: table.distinctKinds,
        distinctStates: stats.counters.map((counter) => counter.state),
        generateMs: stats.generateMs,
      };
      // Transferred, not copied: the bytes change owner without a second pass over them.
      port.postMessage(result, chunks.map((chunk) => chunk.buffer as ArrayBuffer));
    }, (error: unknown) => {
      throw error;
    });
  });
}

/**
 * The engine's side of a worker thread: compiles the table and the format's encoder once, then makes the blocks
 * it is sent.
 *
 * The worker runs the same bundled file as the handler (there is only one file in the function's code),
 * so this module starts the worker loop at load time when, and only when, it finds itself in an engine
 * worker thread.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { SchemaDocument } from '../../src/contract/column-documents';
import type { OutputFormatDocument } from '../../src/contract/output-format';
import { compileTable, type TableScope } from '../engine/compiled-table';
import type { DistinctKind } from '../engine/distinct-counters';
import { emptyStats } from '../engine/stats';
import { createFileEncoder, type BlockRecord, type FileOptions } from '../formats';

export const ENGINE_WORKER_KIND = 'cdk-synthetic-data/engine-worker';

export interface EngineWorkerData {
  readonly kind: typeof ENGINE_WORKER_KIND;
  readonly schema: SchemaDocument;
  readonly seed: number;
  readonly scope: TableScope;
  readonly output: OutputFormatDocument;
  readonly file: FileOptions;
}

/** A block of rows to make. */
export interface BlockRequest {
  readonly block: number;
  readonly firstRow: number;
  readonly rowCount: number;
}

/** A block made: its chunks in order, its record, and what it made. */
export interface BlockResult {
  readonly block: number;
  readonly chunks: Uint8Array[];
  readonly bytes: number;
  readonly record: BlockRecord;
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
  const { schema, seed, scope, output, file } = workerData;
  const table = compileTable(schema, seed, scope);
  const encoder = createFileEncoder(table, output, file);
  port.on('message', (request: BlockRequest) => {
    const chunks: Uint8Array[] = [];
    const stats = emptyStats(table.generators.length, table.distinctKinds);
    encoder.writeBlock(request, { write: (chunk) => { chunks.push(chunk); } }, stats).then((record) => {
      const result: BlockResult = {
        block: request.block,
        chunks,
        bytes: stats.bytes,
        record,
        nulls: stats.nulls,
        distinctKinds: table.distinctKinds,
        distinctStates: stats.counters.map((counter) => counter.state),
        generateMs: stats.generateMs,
      };
      // Transferred, not copied: the bytes change owner without a second pass over them. A chunk may be a view of a
      // larger buffer (a Parquet page): each buffer is transferred once.
      port.postMessage(result, [...new Set(chunks.map((chunk) => chunk.buffer as ArrayBuffer))]);
    }, (error: unknown) => {
      throw error;
    });
  });
}

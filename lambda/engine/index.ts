/**
 * The generation engine: CSV bytes of a schema's rows, fast, deterministic by row, streamed to a sink.
 *
 *   generateCsv({ schema, seed, firstRow, rowCount }, sink) → the bytes of rows [firstRow, firstRow + rowCount)
 *
 * Every cell is a function of (seed, column, row index) only, so any row range comes out byte-identical
 * whether it is made alone, inside a larger run, by worker threads or by another invocation.
 */
import { performance } from 'node:perf_hooks';
import { emptyStats, generateRange, type ByteSink, type RangeStats } from './generate';
import { generateRangeInWorkers } from './parallel';
import { compileTable, type CompiledTable } from './table';
import type { SchemaDocument } from '../../src/contract/schema-document';

export type { ByteSink } from './generate';
export { csvTextCell } from './csv-text';
export { POOL_SIZE } from './faker-values';
export { workersForMemory } from './workers';

/**
 * Version of what the engine makes: the bytes of a (schema, seed, row) are fixed while it stays the same, and a
 * change to them (a breaking change, caught by the pinned snapshot test) increments it. Run manifests record it.
 */
export const OUTPUT_FORMAT = 1;

export interface CsvRun {
  readonly schema: SchemaDocument;
  readonly seed: number;
  /** Index of the first row to make. Default 0. */
  readonly firstRow?: number;
  readonly rowCount: number;
  /** Start with the header line. Default true. */
  readonly header?: boolean;
}

export interface EngineOptions {
  /** Worker threads to make rows on; 1 (the default) makes them on the calling thread. */
  readonly workers?: number;
  /** The script worker threads run (the bundled handler); required when workers > 1. */
  readonly workerScript?: string;
  /** Size of the chunks handed to the sink. */
  readonly chunkBytes?: number;
  /** Stops the run (between chunks, or while waiting on a worker thread) with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface ColumnReport {
  readonly name: string;
  readonly type: string;
  /**
   * Distinct non-null values made: exact for unique columns and for lists and ranges of up to 65,536 values,
   * otherwise a HyperLogLog estimate (about 1.6% standard error).
   */
  readonly distinctEstimate: number;
  /** Share of null (empty) cells made, in percent. */
  readonly nullPercent: number;
}

export interface EngineReport {
  readonly rows: number;
  readonly bytes: number;
  readonly workers: number;
  /** Time compiling the schema (dictionaries, pools). */
  readonly compileMs: number;
  /** Time making bytes (summed over workers when there are several). */
  readonly generateMs: number;
  /** Time waiting for the sink (upload, disk) to take the bytes. */
  readonly sinkWaitMs: number;
  readonly columns: readonly ColumnReport[];
}

let lastCompiled: { schema: SchemaDocument; seed: number; table: CompiledTable } | undefined;

/** The compiled table of (schema, seed), reused when asked again (estimating, then generating). */
function compiledTable(schema: SchemaDocument, seed: number): CompiledTable {
  if (lastCompiled?.schema !== schema || lastCompiled.seed !== seed) lastCompiled = { schema, seed, table: compileTable(schema, seed) };
  return lastCompiled.table;
}

/** Below this many rows worker threads cost more to start than they save. */
export const MIN_ROWS_PER_WORKER = 65_536;

export async function generateCsv(run: CsvRun, sink: ByteSink, options: EngineOptions = {}): Promise<EngineReport> {
  const started = performance.now();
  const range = {
    firstRow: run.firstRow ?? 0, rowCount: run.rowCount, header: run.header ?? true, chunkBytes: options.chunkBytes, signal: options.signal,
  };
  const columnCount = run.schema.columns.length;
  const { workerScript } = options;
  // Without a script to run, worker threads cannot start: the rows stay on this thread.
  const workers = workerScript === undefined ? 1 : Math.max(1, Math.min(options.workers ?? 1, Math.floor(run.rowCount / MIN_ROWS_PER_WORKER)));
  let compileMs: number;
  let stats: RangeStats;
  if (workerScript !== undefined && workers > 1) {
    compileMs = 0; // each worker compiles its own table, in parallel; counted in generateMs
    // The columns' kinds of distinct count arrive with the first block the workers make.
    stats = emptyStats(columnCount);
    await generateRangeInWorkers(run.schema, run.seed, range, sink, stats, { workers, workerScript });
  } else {
    const table = compiledTable(run.schema, run.seed);
    compileMs = performance.now() - started;
    stats = emptyStats(columnCount, table.distinctKinds);
    await generateRange(table, range, sink, stats);
  }
  return {
    rows: stats.rows,
    bytes: stats.bytes,
    workers,
    compileMs: Math.round(compileMs),
    generateMs: Math.round(stats.generateMs),
    sinkWaitMs: Math.round(stats.sinkWaitMs),
    columns: run.schema.columns.map((column, c) => ({
      name: column.name,
      type: column.type === 'faker' ? `faker:${column.method}` : column.type,
      distinctEstimate: stats.counters[c]?.estimate(stats.rows - stats.nulls[c]) ?? 0,
      nullPercent: stats.rows === 0 ? 0 : Math.round((stats.nulls[c] / stats.rows) * 10_000) / 100,
    })),
  };
}

/** Estimated size of the CSV of `rowCount` rows, from the bytes of a sample of rows (for sizing the spool). */
export async function estimateCsvBytes(run: CsvRun, sampleRows = 256): Promise<number> {
  const sample = Math.min(sampleRows, run.rowCount);
  let bytes = 0;
  const table = compiledTable(run.schema, run.seed);
  const stats = emptyStats(run.schema.columns.length, table.distinctKinds);
  const counter = { write: (chunk: Uint8Array) => { bytes += chunk.length; } };
  await generateRange(table, { firstRow: run.firstRow ?? 0, rowCount: sample, header: false }, counter, stats);
  const header = run.header ?? true ? table.header.length : 0;
  return sample === 0 ? header : header + Math.ceil((bytes / sample) * run.rowCount);
}

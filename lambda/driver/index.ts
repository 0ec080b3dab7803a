/**
 * The generation driver: an object of a schema's rows, in any output format, fast, deterministic by row, streamed
 * to a sink.
 *
 *   generateObject({ schema, seed, firstRow, rowCount, output }, sink) → the object of rows [firstRow, firstRow + rowCount)
 *
 * Every cell is a function of (seed, column, row index) only (lambda/engine/), so any row range comes out the same
 * whether it is made alone, inside a larger run, by worker threads or by another invocation; a format
 * (lambda/formats/) decides only how the values are written. This driver joins the two: the engine and the formats
 * depend only on the engine's types (lambda/engine/kernel.ts, row-block.ts), never on each other's modules both ways.
 */
import { performance } from 'node:perf_hooks';
import { writeObject } from './generate';
import { ENGINE_WORKER_KIND, type EngineWorkerData } from './worker';
import { version as packageVersion } from '../../package.json';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { DEFAULT_OUTPUT_FORMAT, type OutputFormatDocument } from '../../src/contract/output-format';
import { compileTable, type CompiledTable, type DatasetTableRef, type TableScope } from '../engine/compiled-table';
import { conformanceChecks, type ConformanceCheck } from '../engine/conformance';
import { recheckDerived } from '../engine/derived-recheck';
import { recheckLookups } from '../engine/lookup-recheck';
import { recheckSeries } from '../engine/series-recheck';
import { emptyStats, type ByteSink, type RangeStats } from '../engine/stats';
import { createFileEncoder, type FileOptions } from '../formats';

export type { ByteSink } from '../engine/stats';
export { csvTextCell } from '../formats';
export { POOL_SIZE } from '../engine/faker-values';
export { compressionThreadForMemory, workersForMemory } from './workers';
export { overlapForCpus } from '../formats/parquet';

/**
 * Version of what the engine makes: the bytes of a (schema, seed, row, output format) are fixed while it stays the
 * same, and a change to them (a breaking change, caught by the pinned snapshot tests) increments it. Run manifests
 * record it. 2: Parquet SNAPPY pages are made by the project's own compressor (lambda/formats/parquet/snappy.ts),
 * whose hash finds other matches than snappyjs's now and then (the same rows, a few bytes apart). 3: Parquet writes
 * whole numbers of a small span with a dictionary where it pays (row-group.ts), stores a Snappy page's incompressible
 * stretches as literals (snappy.ts), and compresses GZIP pages at level 1 by default (the same rows throughout). 4: zstd
 * compresses each Parquet page into one output buffer (page-codecs.ts), which cuts a few incompressible stretches into
 * other blocks (the same rows; other ZSTD bytes now and then).
 */
export const OUTPUT_BYTES_VERSION = 4;

/** Who wrote a Parquet file, in its metadata, as parquet.thrift asks: `<application> version <version>`. */
export const CREATED_BY = `cdk-synthetic-data version ${packageVersion}`;

export interface ObjectRun {
  /** The table's columns (of a dataset's table: its own). */
  readonly schema: SchemaDocument;
  /** The run's seed (of a dataset: the dataset's, from which each table's follows). */
  readonly seed: number;
  /** The dataset the table belongs to, when it is one table of several. */
  readonly dataset?: DatasetTableRef;
  /** Index of the first row to make. Default 0. */
  readonly firstRow?: number;
  readonly rowCount: number;
  /**
   * The table's rows in the whole run, all parts together (a column spread over the run's rows, such as ascending
   * timestamps, needs it). Default: of a dataset's table, its rows; otherwise firstRow + rowCount.
   */
  readonly tableRows?: number;
  /** Default CSV, uncompressed. */
  readonly output?: OutputFormatDocument;
  /** CSV: start with the header line. Default true. */
  readonly header?: boolean;
}

export interface EngineOptions {
  /** Worker threads to make rows on; 1 (the default) makes them on the calling thread. */
  readonly workers?: number;
  /** The script worker threads run (the bundled handler); required when workers > 1. */
  readonly workerScript?: string;
  /**
   * Whether a second CPU may compress Parquet pages while this thread makes rows (rows on one thread only; decide with
   * overlapForCpus). The compressing thread runs `workerScript`: without one, pages compress on this thread. Default false.
   */
  readonly overlapCompression?: boolean;
  /** Size of the chunks handed to the sink, for formats that stream rows. */
  readonly chunkBytes?: number;
  /** Stops the run (between chunks, or while waiting on a worker thread) with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Told the file's bytes so far, before any whole-file compression (compare with estimateObjectBytes for a progress line). */
  readonly onFileBytes?: (fileBytes: number) => void;
}

export interface ColumnReport {
  readonly name: string;
  readonly type: string;
  /**
   * Distinct non-null values made: exact for unique columns and for lists and ranges of up to 65,536 values,
   * otherwise a HyperLogLog estimate (about 1.6% standard error).
   */
  readonly distinctEstimate: number;
  /** Share of null cells made, in percent. */
  readonly nullPercent: number;
}

export interface EngineReport {
  readonly rows: number;
  /** Size of the object: what the sink received (after whole-file compression, if any). */
  readonly bytes: number;
  /** Size of the file before whole-file compression (equal to `bytes` without it). */
  readonly uncompressedBytes: number;
  readonly workers: number;
  /** Whether a second thread compressed the Parquet pages while this one made rows (overlapCompression). */
  readonly compressionThread: boolean;
  /** Time compiling the schema (dictionaries, pools). */
  readonly compileMs: number;
  /** Time making bytes (summed over workers when there are several). */
  readonly generateMs: number;
  /** Time waiting for the sink (upload, disk) to take the bytes. */
  readonly sinkWaitMs: number;
  readonly columns: readonly ColumnReport[];
  /** Per column, what the schema declares beside what was made, with pass or fail (conformance.ts). */
  readonly conformance: readonly ConformanceCheck[];
}

let lastCompiled: { run: ObjectRun; table: CompiledTable } | undefined;

/** Which rows of which table a run makes (ObjectRun.tableRows says what the default is). */
export function scopeOf(run: ObjectRun): TableScope {
  const datasetRows = run.dataset?.document.tables.find((made) => made.name === run.dataset!.table)?.rows;
  return { tableRows: run.tableRows ?? datasetRows ?? (run.firstRow ?? 0) + run.rowCount, dataset: run.dataset };
}

/** The compiled table of a run, reused when asked again for the same table (estimating, then generating). */
function compiledTable(run: ObjectRun): CompiledTable {
  const last = lastCompiled?.run;
  const sameTable = last?.schema === run.schema && last.seed === run.seed && scopeOf(last).tableRows === scopeOf(run).tableRows
    && last.dataset?.document === run.dataset?.document && last.dataset?.table === run.dataset?.table;
  if (!sameTable) {
    lastCompiled = { run, table: compileTable(run.schema, run.seed, scopeOf(run)) };
  }
  return lastCompiled!.table;
}

/** Below this many rows worker threads cost more to start than they save. */
export const MIN_ROWS_PER_WORKER = 65_536;

function fileOptions(run: ObjectRun): FileOptions {
  return { header: run.header ?? true, createdBy: CREATED_BY };
}

export async function generateObject(run: ObjectRun, sink: ByteSink, options: EngineOptions = {}): Promise<EngineReport> {
  const started = performance.now();
  const output = run.output ?? DEFAULT_OUTPUT_FORMAT;
  const range = {
    firstRow: run.firstRow ?? 0, rowCount: run.rowCount, chunkBytes: options.chunkBytes, signal: options.signal, onFileBytes: options.onFileBytes,
  };
  const { workerScript } = options;
  // Without a script to run, worker threads cannot start: the rows stay on this thread.
  const workers = workerScript === undefined ? 1 : Math.max(1, Math.min(options.workers ?? 1, Math.floor(run.rowCount / MIN_ROWS_PER_WORKER)));
  const table = compiledTable(run);
  const overlap = workers === 1 && options.overlapCompression === true ? { workerScript } : undefined;
  const encoder = createFileEncoder(table, output, { ...fileOptions(run), overlap });
  const compileMs = performance.now() - started;
  let stats: RangeStats;
  let objectBytes: number;
  if (workerScript !== undefined && workers > 1) {
    // The columns' kinds of distinct count arrive with the first block the workers make.
    stats = emptyStats(table.generators.length);
    const workerData: EngineWorkerData = {
      kind: ENGINE_WORKER_KIND, schema: run.schema, seed: run.seed, scope: scopeOf(run), output, file: fileOptions(run),
    };
    ({ objectBytes } = await writeObject(encoder, output, range, sink, stats, { workers, workerScript, workerData }));
  } else {
    stats = emptyStats(table.generators.length, table.distinctKinds);
    ({ objectBytes } = await writeObject(encoder, output, range, sink, stats));
  }
  // The counters and the report follow the written columns (helper columns with omit are made, not written).
  const writtenColumns = table.written.map((c) => run.schema.columns[c]);
  const rechecked = recheckDerived(table, run.schema.columns, run.dataset, range.firstRow, stats.rows);
  return {
    rows: stats.rows,
    bytes: objectBytes,
    uncompressedBytes: stats.bytes,
    workers,
    compressionThread: encoder.startBlock !== undefined,
    compileMs: Math.round(compileMs),
    generateMs: Math.round(stats.generateMs),
    sinkWaitMs: Math.round(stats.sinkWaitMs),
    columns: writtenColumns.map((column, c) => ({
      name: column.name,
      type: column.type === 'faker' ? `faker:${column.method}` : column.type,
      distinctEstimate: stats.counters[c]?.estimate(stats.rows - stats.nulls[c]) ?? 0,
      nullPercent: stats.rows === 0 ? 0 : Math.round((stats.nulls[c] / stats.rows) * 10_000) / 100,
    })),
    conformance: conformanceChecks({
      columns: writtenColumns,
      rows: stats.rows,
      nulls: stats.nulls,
      counters: stats.counters,
      firstRow: range.firstRow,
      tableRows: scopeOf(run).tableRows,
      dataset: run.dataset,
      derived: table.written.map((c) => rechecked[c]),
      lookups: recheckLookups(table, run.schema.columns, range.firstRow, stats.rows),
      series: recheckSeries(table, run.schema.columns, range.firstRow, stats.rows),
    }),
  };
}

/**
 * Estimated size of the object of `rowCount` rows before any compression, from a sample of rows: what the spool
 * must hold at most, since compression only makes it smaller. Parquet is sampled uncompressed (its PLAIN numbers
 * take 8 bytes where CSV may take 2).
 */
export async function estimateObjectBytes(run: ObjectRun, sampleRows = 256): Promise<number> {
  const sample = Math.min(sampleRows, run.rowCount);
  const output = run.output ?? DEFAULT_OUTPUT_FORMAT;
  const table = compiledTable(run);
  const encoder = createFileEncoder(table, { format: output.format, compression: 'none' }, fileOptions(run));
  if (sample === 0) return encoder.prologue.length;
  const stats = emptyStats(table.generators.length, table.distinctKinds);
  const record = await encoder.writeBlock({ firstRow: run.firstRow ?? 0, rowCount: sample }, { write: () => undefined }, stats);
  const fixed = encoder.prologue.length + encoder.epilogue([{ record, offset: encoder.prologue.length }]).length;
  return fixed + Math.ceil((stats.bytes / sample) * run.rowCount);
}

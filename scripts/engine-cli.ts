/**
 * The engine alone on the command line: the engine side of `npm run bench`, one object of one table. Bundled by esbuild
 * (scripts/bench.ts), so worker threads can run it. Users make files with the package's command line (cli/).
 *
 *   node engine-cli.js (--schema FILE | --dataset FILE --table NAME) [--rows N] [--seed S] [--first-row A] [--workers W] [--no-overlap] [--no-header]
 *                      [--format csv|jsonl|parquet] [--compression none|gzip|zstd|snappy] [--out FILE]
 *
 * Without --out the object goes to standard output. With --out it prints one JSON line in the format of
 * ../shared/bench/naive-baseline.mjs (engine, rows, seconds, rows_per_s, mb_per_s, bytes, peak_rss_mb),
 * plus the engine's report (distinct-value estimates and null shares per column, generate vs write time).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import { fileSink } from '../cli/file-sink';
import { generateObject, overlapForCpus } from '../lambda/driver';
import type { SchemaDocument } from '../src/contract/column-documents';
import { parseDatasetDocument, type DatasetDocument } from '../src/contract/dataset-document';
import { validateOutputFormat } from '../src/contract/output-format';
import { parseSchemaDocument } from '../src/contract/schema-document';

/** The value of the last `--name`. */
function option(args: readonly string[], name: string): string | undefined {
  const at = args.lastIndexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

function wholeNumber(args: readonly string[], name: string, fallback: number): number {
  const text = option(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} is ${JSON.stringify(text)}: expected a whole number >= 0`);
  return value;
}

/** The table of --schema, or a table of --dataset (with the dataset, which its references need). */
function tableToMake(args: readonly string[]): { schema: SchemaDocument; dataset?: { document: DatasetDocument; table: string } } {
  const schemaFile = option(args, 'schema');
  const datasetFile = option(args, 'dataset');
  if (datasetFile !== undefined) {
    const document = parseDatasetDocument(fs.readFileSync(datasetFile, 'utf8'));
    const name = option(args, 'table');
    const table = document.tables.find((candidate) => candidate.name === name);
    if (table === undefined) throw new Error(`--table is ${JSON.stringify(name)}: the dataset's tables are ${document.tables.map((t) => t.name).join(', ')}`);
    return { schema: table, dataset: { document, table: table.name } };
  }
  if (schemaFile === undefined) throw new Error('--schema FILE (a schema in the JSON form of Schema.fromFile) or --dataset FILE --table NAME is required');
  return { schema: parseSchemaDocument(fs.readFileSync(schemaFile, 'utf8')) };
}

async function main(args: readonly string[]): Promise<void> {
  const { schema, dataset } = tableToMake(args);
  const rowCount = wholeNumber(args, 'rows', dataset ? dataset.document.tables.find((table) => table.name === dataset.table)!.rows : 10);
  const seed = wholeNumber(args, 'seed', 42);
  const firstRow = wholeNumber(args, 'first-row', 0);
  const workers = Math.max(1, wholeNumber(args, 'workers', 1));
  const format = option(args, 'format') ?? 'csv';
  const compression = option(args, 'compression');
  const output = validateOutputFormat('--format and --compression', compression === undefined ? { format } : { format, compression });
  const out = option(args, 'out');
  const fd = out === undefined ? 1 : fs.openSync(out, 'w');
  const startedAt = performance.now();
  // Standard output may be a pipe, where a write from the thread pool can come back short or EAGAIN: write it in order, here.
  const sink = out === undefined ? { write: (chunk: Uint8Array) => { fs.writeSync(fd, chunk); }, drain: async () => undefined } : fileSink(fd);
  const run = { schema, seed, firstRow, rowCount, output, header: !args.includes('--no-header'), dataset };
  // As the command line decides: a second CPU compresses Parquet pages while this thread makes rows, unless --no-overlap.
  const overlapCompression = !args.includes('--no-overlap') && overlapForCpus(os.availableParallelism());
  const report = await generateObject(run, sink, { workers, workerScript: __filename, overlapCompression });
  await sink.drain();
  if (out === undefined) return;
  fs.closeSync(fd);
  const seconds = (performance.now() - startedAt) / 1000;
  console.log(JSON.stringify({
    engine: `engine${dataset ? `-${dataset.table}` : ''}${format === 'csv' && output.compression === 'none' ? '' : `-${format}${output.compression === 'none' ? '' : `-${output.compression}`}`}`
      + (workers > 1 ? `-${report.workers}-workers` : ''),
    rows: report.rows,
    overlap: report.compressionThread,
    seconds: Number(seconds.toFixed(3)),
    rows_per_s: Math.round(report.rows / seconds),
    mb_per_s: Number((report.bytes / 1e6 / seconds).toFixed(1)),
    bytes: report.bytes,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    report,
  }));
}

// The same file runs in the engine's worker threads, where the engine module starts the worker loop instead.
if (isMainThread) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}

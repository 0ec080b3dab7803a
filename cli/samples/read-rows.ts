/**
 * Rows of a data file, streamed in batches of objects keyed by column name, whatever its format: CSV (csv-parse), JSON
 * Lines, or Parquet (hyparquet, one row group at a time), each also gzip- or zstd-compressed as the function writes them.
 * Memory stays at a batch (a row group for Parquet), whatever the file's size; `maxRows` stops early (a sample).
 */
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { parse } from 'csv-parse';
import type * as Hyparquet from 'hyparquet' with { 'resolution-mode': 'import' };
import { InvalidInputError } from '../../src/contract/errors';

// hyparquet is an ES module package: required (esbuild bundles it; jest compiles it to CommonJS).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hyparquet = require('hyparquet') as typeof Hyparquet;

export type DataFormat = 'csv' | 'jsonl' | 'parquet';
export type Row = Record<string, unknown>;

const DATA_FILE = /\.(csv|jsonl|json|ndjson|parquet)(\.(gz|zst))?$/i;
const BATCH_ROWS = 8192;

/** The format and whole-file compression a file's name says, or undefined for a file that is not data. */
export function dataFileKind(file: string): { format: DataFormat; compression?: 'gz' | 'zst' } | undefined {
  const match = DATA_FILE.exec(file);
  if (!match) return undefined;
  const ext = match[1].toLowerCase();
  const format: DataFormat = ext === 'csv' ? 'csv' : ext === 'parquet' ? 'parquet' : 'jsonl';
  return { format, ...(match[3] ? { compression: match[3].toLowerCase() as 'gz' | 'zst' } : {}) };
}

/** zlib's zstd (Node.js 22.15 and later), which older type declarations lack. */
const zstd = zlib as unknown as { createZstdDecompress?(): NodeJS.ReadWriteStream; zstdDecompressSync?(input: Uint8Array): Buffer };

function decompressed(file: string, compression: 'gz' | 'zst' | undefined): Readable {
  const raw = fs.createReadStream(file);
  if (compression === undefined) return raw;
  if (compression === 'gz') return raw.pipe(zlib.createGunzip());
  if (zstd.createZstdDecompress === undefined) {
    throw new InvalidInputError(`${file} is zstd-compressed, and this Node.js (${process.versions.node}) has no zstd: use Node.js 22.15 or later`);
  }
  return raw.pipe(zstd.createZstdDecompress()) as unknown as Readable;
}

export interface ReadOptions {
  /** Stop after this many rows. */
  readonly maxRows?: number;
}

/** Calls `onBatch` with the file's rows in order; resolves with the column names (in the file's order) and rows read. */
export async function readRows(
  file: string, onBatch: (rows: readonly Row[]) => void, options: ReadOptions = {},
): Promise<{ columns: string[]; rows: number }> {
  const kind = dataFileKind(file);
  if (kind === undefined) throw new InvalidInputError(`${file} is not a data file this command reads: expected .csv, .jsonl or .parquet (optionally .gz or .zst)`);
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  try {
    if (kind.format === 'parquet') return await readParquet(file, onBatch, maxRows);
    if (kind.format === 'csv') return await readCsv(decompressed(file, kind.compression), onBatch, maxRows);
    return await readJsonLines(file, decompressed(file, kind.compression), onBatch, maxRows);
  } catch (e) {
    if (e instanceof InvalidInputError) throw e;
    throw new InvalidInputError(`${file} could not be read as ${kind.format}${kind.compression ? ` (${kind.compression})` : ''}: ${(e as Error).message}`);
  }
}

async function readCsv(input: Readable, onBatch: (rows: readonly Row[]) => void, maxRows: number): Promise<{ columns: string[]; rows: number }> {
  let columns: string[] = [];
  const parser = input.pipe(parse({
    columns: (header: string[]) => { columns = header; return header; },
    relax_column_count: true,
    bom: true,
  }));
  let batch: Row[] = [];
  let rows = 0;
  for await (const record of parser) {
    batch.push(record as Row);
    rows += 1;
    if (batch.length === BATCH_ROWS) { onBatch(batch); batch = []; }
    if (rows >= maxRows) break;
  }
  if (batch.length > 0) onBatch(batch);
  input.destroy();
  return { columns, rows };
}

async function readJsonLines(
  file: string, input: Readable, onBatch: (rows: readonly Row[]) => void, maxRows: number,
): Promise<{ columns: string[]; rows: number }> {
  const columns = new Set<string>();
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let batch: Row[] = [];
  let rows = 0;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (e) {
      throw new InvalidInputError(`${file}:${lineNumber} is not a JSON object (${(e as Error).message}): every line of a JSON Lines file is one row`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new InvalidInputError(`${file}:${lineNumber} is not a JSON object: every line of a JSON Lines file is one row, {"column": value, ...}`);
    }
    for (const name of Object.keys(row)) columns.add(name);
    batch.push(row as Row);
    rows += 1;
    if (batch.length === BATCH_ROWS) { onBatch(batch); batch = []; }
    if (rows >= maxRows) break;
  }
  if (batch.length > 0) onBatch(batch);
  lines.close();
  input.destroy();
  return { columns: [...columns], rows };
}

const PARQUET_COMPRESSORS = {
  GZIP: (input: Uint8Array) => zlib.gunzipSync(input),
  ZSTD: (input: Uint8Array) => {
    if (zstd.zstdDecompressSync === undefined) throw new Error(`zstd pages need Node.js 22.15 or later (this is ${process.versions.node})`);
    return zstd.zstdDecompressSync(input);
  },
};

async function readParquet(file: string, onBatch: (rows: readonly Row[]) => void, maxRows: number): Promise<{ columns: string[]; rows: number }> {
  const buffer = await hyparquet.asyncBufferFromFile(file);
  const metadata = await hyparquet.parquetMetadataAsync(buffer);
  const columns = hyparquet.parquetSchema(metadata).children.map((child) => child.element.name);
  let rows = 0;
  let groupStart = 0;
  // One row group at a time: memory stays at a group's rows, whatever the file's size.
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    const rowEnd = Math.min(groupStart + groupRows, groupStart + (maxRows - rows));
    const objects = await hyparquet.parquetReadObjects({ file: buffer, metadata, rowStart: groupStart, rowEnd, compressors: PARQUET_COMPRESSORS });
    for (let from = 0; from < objects.length; from += BATCH_ROWS) onBatch(objects.slice(from, from + BATCH_ROWS) as Row[]);
    rows += objects.length;
    groupStart += groupRows;
    if (rows >= maxRows) break;
  }
  return { columns, rows };
}

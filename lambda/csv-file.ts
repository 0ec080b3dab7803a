/**
 * Writing rows to a local CSV file, streamed with backpressure so memory stays flat for any row count.
 *
 * The file is a spool for the upload: it lives under the temp dir only for one invocation. Its name
 * carries a fixed prefix so that a later invocation in the same (warm) environment can recognise and
 * remove what an interrupted one left behind, without touching anything else in /tmp.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import type { Row } from './rows';

const SPOOL_PREFIX = 'synthetic-data-';
const SPOOL_FILE = /^synthetic-data-[A-Za-z0-9-]+\.csv$/;

/** Rows turned into text at a time: big enough to amortise per-write costs, small enough to stay flat. */
const ROWS_PER_CHUNK = 500;

// RFC 4180 with LF line ends. csv-stringify quotes fields holding the separator, a quote or LF, but
// not a lone CR, which RFC 4180 also requires to be quoted.
const CSV_OPTIONS = { delimiter: ',', record_delimiter: 'unix', quoted_match: '\r' } as const;

/** The spool file of one invocation. */
export function spoolFilePath(tmpDir: string, requestId: string): string {
  return path.join(tmpDir, `${SPOOL_PREFIX}${requestId}.csv`);
}

/**
 * Removes spool files left in `tmpDir` by earlier invocations (a timeout or crash skips their `finally`).
 * /tmp survives between warm invocations and Lambda never runs two at once in one environment, so any
 * spool file found here is stale. Returns the names removed and those that could not be.
 */
export function removeLeftoverSpoolFiles(tmpDir: string): { removed: string[]; failed: { file: string; error: string }[] } {
  const removed: string[] = [];
  const failed: { file: string; error: string }[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(tmpDir);
  } catch {
    // A missing or unreadable temp dir holds no leftovers; creating the spool file will explain the problem.
    return { removed, failed };
  }
  for (const name of names) {
    if (!SPOOL_FILE.test(name)) continue;
    try {
      fs.rmSync(path.join(tmpDir, name), { force: true });
      removed.push(name);
    } catch (e) {
      failed.push({ file: name, error: (e as Error).message });
    }
  }
  return { removed, failed };
}

/** A failure of the local file system while writing the spool file. */
export class CsvFileError extends Error {
  constructor(
    readonly filePath: string,
    /** Bytes that reached the file before the failure. */
    readonly bytesWritten: number,
    readonly cause: NodeJS.ErrnoException,
  ) {
    super(`writing ${filePath} failed after ${bytesWritten} bytes: ${cause.message}`);
    this.name = 'CsvFileError';
  }

  get code(): string | undefined {
    return this.cause.code;
  }
}

export interface CsvFileWritten {
  readonly filePath: string;
  readonly rows: number;
  readonly bytes: number;
}

/**
 * Writes a header and rows as CSV to `filePath` (created or truncated).
 * @throws CsvFileError when the file cannot be created or written (read-only place, full disk, ...)
 */
export async function writeCsvFile(filePath: string, header: readonly string[], rows: Iterable<Row>): Promise<CsvFileWritten> {
  const counted = { rows: 0 };
  const out = fs.createWriteStream(filePath);
  try {
    // pipeline waits for the file to drain before pulling the next chunk: that is the backpressure.
    await pipeline(Readable.from(csvChunks(header, rows, counted)), out);
  } catch (e) {
    throw new CsvFileError(filePath, out.bytesWritten, e as NodeJS.ErrnoException);
  }
  return { filePath, rows: counted.rows, bytes: out.bytesWritten };
}

/** CSV text in chunks of ROWS_PER_CHUNK rows, the header first. */
export function* csvChunks(header: readonly string[], rows: Iterable<Row>, counted = { rows: 0 }): Generator<string, void, undefined> {
  yield stringify([header as string[]], CSV_OPTIONS);
  let batch: Row[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === ROWS_PER_CHUNK) {
      yield stringify(batch, CSV_OPTIONS);
      counted.rows += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) {
    yield stringify(batch, CSV_OPTIONS);
    counted.rows += batch.length;
  }
}

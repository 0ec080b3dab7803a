/**
 * Parquet files read back by engines nobody here wrote, for the encoders' tests:
 * - DuckDB (@duckdb/node-api, DuckDB's own C++ reader), which also reports the file's schema and metadata;
 * - hyparquet, a pure JavaScript reader. It is an ES module package: Jest loads it through
 *   test/support/esm-to-commonjs.js (see the jest config), so it is required here rather than imported.
 *
 * Both give each value in an exact form, compared with what the test meant (expectedCell): strings, bigints for
 * 64-bit integers, epoch microseconds and unscaled decimals, numbers for doubles, booleans. Pages compressed with
 * zstd or gzip are inflated for hyparquet by Node.js's zlib (hyparquet reads snappy by itself).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DuckDBDecimalValue, DuckDBInstance, DuckDBTimestampTZValue, type DuckDBConnection } from '@duckdb/node-api';
import type * as Hyparquet from 'hyparquet' with { 'resolution-mode': 'import' };
import { logicalRows, type Cell, type TestColumn } from './row-blocks';
import type { RowBlock } from '../../lambda/engine/row-block';
import { createParquetEncoder, type ParquetEncoderOptions, type RowGroupRecord } from '../../lambda/formats/parquet';
import type { LogicalType } from '../../src/contract/logical-types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const hyparquet = require('hyparquet') as typeof Hyparquet;
/** zlib's zstd (Node.js 22.15 and later), which @types/node 20 does not declare. */
const maybeZstdDecompressSync = (zlib as unknown as { zstdDecompressSync?(input: Uint8Array): Buffer }).zstdDecompressSync;
if (maybeZstdDecompressSync === undefined) {
  // Every Parquet suite writes and reads zstd pages (the default codec): say why at once rather than in each test.
  throw new Error(`the Parquet tests need zstd in Node.js's zlib (Node.js 22.15 or later, as the function's nodejs24.x runtime), and jest runs on Node.js ${process.version}: `
    + 'run them on Node.js 24, e.g. PATH=<node 24>/bin:$PATH npx jest test/parquet-');
}
const zstdDecompressSync = maybeZstdDecompressSync;

export type Reader = 'duckdb' | 'hyparquet';

/** A cell as `reader` gives it for a column of `type`. */
export function expectedCell(reader: Reader, type: LogicalType, cell: Cell): unknown {
  if (cell === null) return null;
  switch (type.kind) {
    case 'bigint':
      return BigInt(cell as number);
    case 'timestamp':
      return BigInt(cell as number) * 1000n;
    case 'decimal':
      // hyparquet divides the unscaled value by 10^scale, a correctly rounded division: the same number as here.
      return reader === 'duckdb' ? BigInt(cell as number) : (cell as number) / 10 ** type.scale;
    default:
      return cell;
  }
}

export function expectedRows(reader: Reader, columns: readonly TestColumn[], rows: readonly (readonly Cell[])[]): unknown[][] {
  return rows.map((row) => row.map((cell, c) => expectedCell(reader, columns[c].type, cell)));
}

/** The rows of a Parquet file as hyparquet reads them, in column order. */
export async function readWithHyparquet(file: Uint8Array, columns: readonly TestColumn[]): Promise<unknown[][]> {
  const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
  const objects = await hyparquet.parquetReadObjects({
    file: buffer,
    compressors: { ZSTD: (input: Uint8Array) => zstdDecompressSync(input), GZIP: (input: Uint8Array) => zlib.gunzipSync(input) },
    // The raw epoch microseconds, not a Date (which would round to milliseconds).
    parsers: { timestampFromMicroseconds: (micros: bigint) => micros },
  });
  return objects.map((object) => columns.map((column) => object[column.name]));
}

/** The file's FileMetaData as hyparquet parses it. */
export function hyparquetMetadata(file: Uint8Array): Hyparquet.FileMetaData {
  return hyparquet.parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
}

export class DuckDb {
  static async open(): Promise<DuckDb> {
    const instance = await DuckDBInstance.create(':memory:');
    return new DuckDb(await instance.connect(), instance);
  }

  private constructor(private readonly connection: DuckDBConnection, private readonly instance: DuckDBInstance) {}

  /** The rows of a Parquet file in file order, in column order. */
  async rows(file: string, columns: readonly TestColumn[]): Promise<unknown[][]> {
    const names = columns.map((column) => `"${column.name.replace(/"/g, '""')}"`).join(', ');
    const reader = await this.connection.runAndReadAll(`SELECT ${names} FROM read_parquet(${sqlText(file)}, file_row_number = true) ORDER BY file_row_number`);
    return reader.getRows().map((row) => row.map((value) => {
      if (value instanceof DuckDBDecimalValue) return value.value;
      if (value instanceof DuckDBTimestampTZValue) return value.micros;
      return value;
    }));
  }

  /** Rows of a DuckDB query as objects of JSON-friendly values (parquet_schema, parquet_metadata, ...). */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

export function sqlText(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export interface EncodedFile {
  readonly bytes: Uint8Array;
  readonly records: RowGroupRecord[];
}

/**
 * One encoder's file of `blocks`, one row group each, laid out as the encoder's doc says a caller does it. Each block
 * is encoded before the next is taken, so a generator may refill the same arrays for every block, as the engine does.
 */
export function encodeFile(columns: readonly TestColumn[], blocks: Iterable<RowBlock>, options: ParquetEncoderOptions): EncodedFile {
  const encoder = createParquetEncoder(columns, options);
  const parts: Uint8Array[] = [encoder.magic];
  const placed: { record: RowGroupRecord; offset: number }[] = [];
  let offset = encoder.magic.length;
  for (const block of blocks) {
    const group = encoder.encodeRowGroup(block);
    if (group.chunks.reduce((sum, chunk) => sum + chunk.length, 0) !== group.bytes) throw new Error('a row group\'s chunks do not add up to its bytes');
    parts.push(...group.chunks);
    placed.push({ record: group.record, offset });
    offset += group.bytes;
  }
  parts.push(encoder.footer(placed));
  return { bytes: Buffer.concat(parts), records: placed.map((p) => p.record) };
}

/** Both readers, with a folder for the files DuckDB reads: one per test file (open in beforeAll, close in afterAll). */
export class ReadBack {
  static async open(): Promise<ReadBack> {
    return new ReadBack(fs.mkdtempSync(path.join(os.tmpdir(), 'parquet-read-back-')), await DuckDb.open());
  }

  private files = 0;

  private constructor(private readonly folder: string, readonly duckdb: DuckDb) {}

  /** Writes `bytes` to a new file in the folder and returns its path. */
  save(bytes: Uint8Array): string {
    const file = path.join(this.folder, `file-${this.files++}.parquet`);
    fs.writeFileSync(file, bytes);
    return file;
  }

  /**
   * What DuckDB and hyparquet read from `bytes`, and what each should read given the test's `rows` (dictionary
   * cells as indexes): `expect(actual).toEqual(expected)`.
   */
  async read(bytes: Uint8Array, columns: readonly TestColumn[], rows: readonly (readonly Cell[])[]): Promise<Record<'actual' | 'expected', Record<Reader, unknown[][]>>> {
    const logical = logicalRows(columns, rows);
    return {
      actual: { duckdb: await this.duckdb.rows(this.save(bytes), columns), hyparquet: await readWithHyparquet(bytes, columns) },
      expected: { duckdb: expectedRows('duckdb', columns, logical), hyparquet: expectedRows('hyparquet', columns, logical) },
    };
  }

  close(): void {
    this.duckdb.close();
    fs.rmSync(this.folder, { recursive: true, force: true });
  }
}

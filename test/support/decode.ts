/**
 * An object's rows read back by ordinary readers — csv-parse, JSON.parse, zlib — as cells of intended-values.ts, so
 * that objects of any format compare with each other and with what the engine meant to write.
 */
import * as zlib from 'node:zlib';
import type * as Hyparquet from 'hyparquet' with { 'resolution-mode': 'import' };
import { parseCsv } from './engine-output';
import type { Cell } from './intended-values';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { logicalTypesOf, type LogicalType } from '../../src/contract/logical-types';
import type { OutputFormatDocument } from '../../src/contract/output-format';

const textOfBytes = new TextDecoder('utf-8', { ignoreBOM: true });

// An ES module package: jest loads it through test/support/esm-to-commonjs.js, so it is required, not imported.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hyparquet = require('hyparquet') as typeof Hyparquet;

/** The file inside a compressed text object. */
export function uncompressed(bytes: Buffer, output: OutputFormatDocument): Buffer {
  if (output.format === 'parquet' || output.compression === 'none') return bytes;
  if (output.compression === 'gzip') return zlib.gunzipSync(bytes);
  const zstd = (zlib as unknown as { zstdDecompressSync?: (data: Buffer) => Buffer }).zstdDecompressSync;
  if (zstd === undefined) throw new Error(`zstd needs Node.js 22.15 or later to decompress; this is ${process.version}`);
  return zstd(bytes);
}

/** An unscaled decimal from its text, exactly (no double on the way). */
function unscaledOf(text: string, scale: number): number {
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  if (fraction.length !== scale) throw new Error(`decimal ${text} has ${fraction.length} fraction digits, not ${scale}`);
  const value = Number(`${whole}${fraction}`);
  return text.startsWith('-') ? -value : value;
}

/** A cell from its text in a text format. */
function cellOfText(text: string, type: LogicalType): Cell {
  switch (type.kind) {
    case 'bigint':
    case 'double':
      return Number(text);
    case 'decimal':
      return unscaledOf(text, type.scale);
    case 'timestamp': {
      const ms = Date.parse(text);
      if (!/Z$/.test(text) || !Number.isFinite(ms)) throw new Error(`timestamp ${text} is not ISO-8601 UTC`);
      return ms;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new Error(`boolean ${text}`);
      return text === 'true';
    case 'string':
      return text;
  }
}

/**
 * The rows of an object of `schema` in a text format. CSV: an empty cell is a null (CSV has no other), and text keeps
 * its formula guard; JSON Lines: numbers are read from their text, so decimals keep every digit.
 */
export function decodeTextRows(bytes: Buffer, output: OutputFormatDocument, schema: SchemaDocument, header = true): Cell[][] {
  const types = logicalTypesOf(schema.columns);
  const text = uncompressed(bytes, output);
  if (output.format === 'csv') {
    const records = parseCsv(text).slice(header ? 1 : 0);
    return records.map((record) => record.map((cell, c) => (cell === '' ? null : cellOfText(cell, types[c]))));
  }
  if (output.format !== 'jsonl') throw new Error(`decodeTextRows reads CSV and JSON Lines, not ${output.format}`);
  const names = schema.columns.map((column) => column.name);
  const lines = text.toString('utf8').split('\n');
  if (lines.pop() !== '') throw new Error('a JSON Lines object ends with a line feed');
  return lines.map((line) => {
    // Numbers as their source text (JSON.parse's source text access, Node.js 21 on): a double would round decimals.
    const record = JSON.parse(line, (_key, value, context?: { source?: string }) => (typeof value === 'number' ? { number: context?.source } : value)) as Record<string, unknown>;
    if (JSON.stringify(Object.keys(record)) !== JSON.stringify(names)) throw new Error(`keys ${Object.keys(record).join(',')} are not the columns in order`);
    return names.map((name, c) => {
      const value = record[name];
      if (value === null) return null;
      if (typeof value === 'object') return cellOfText((value as { number: string }).number, types[c]);
      if (typeof value === 'boolean') return value;
      return cellOfText(value as string, types[c]);
    });
  });
}

/**
 * The rows of a Parquet object of `schema`, as hyparquet (a pure-JS reader nobody here wrote) reads them: INT64 as
 * bigints, timestamps as their raw microseconds, decimals as numbers (unscaled back exactly while they stay within a
 * double's 15 digits).
 */
export async function decodeParquetRows(bytes: Buffer, schema: SchemaDocument): Promise<Cell[][]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const zstd = (zlib as unknown as { zstdDecompressSync: (data: Uint8Array) => Buffer }).zstdDecompressSync;
  const objects = await hyparquet.parquetReadObjects({
    file: buffer,
    compressors: { ZSTD: (input: Uint8Array) => zstd(input), GZIP: (input: Uint8Array) => zlib.gunzipSync(input) },
    parsers: {
      timestampFromMicroseconds: (micros: bigint) => micros,
      // The text as written: a default TextDecoder drops a leading U+FEFF (a byte-order mark), which is a character here.
      stringFromBytes: (value: Uint8Array) => textOfBytes.decode(value),
    },
  });
  const types = logicalTypesOf(schema.columns);
  return objects.map((object) => schema.columns.map((column, c): Cell => {
    const value = object[column.name] as unknown;
    if (value === null || value === undefined) return null;
    const type = types[c];
    if (type.kind === 'timestamp') {
      if ((value as bigint) % 1000n !== 0n) throw new Error(`${column.name}: a timestamp with microseconds (${String(value)})`);
      return Number((value as bigint) / 1000n);
    }
    if (type.kind === 'decimal') return Math.round((value as number) * 10 ** type.scale);
    if (typeof value === 'bigint') return Number(value);
    return value as Cell;
  }));
}

/** The rows of an object of `schema` in any format. */
export async function decodeRows(bytes: Buffer, output: OutputFormatDocument, schema: SchemaDocument): Promise<Cell[][]> {
  return output.format === 'parquet' ? decodeParquetRows(bytes, schema) : decodeTextRows(bytes, output, schema);
}

/**
 * The output format of a generator: which file format its objects are written in, and how they are compressed.
 * Shared by the construct (prop outputFormat, the catalog table), the handler (what it writes) and readers of
 * its objects (the extension names the codec). It imports only contract modules.
 */
import { describeValue, fail, InvalidInputError } from './errors';

export type FormatName = 'csv' | 'jsonl' | 'parquet';
export type CompressionName = 'none' | 'gzip' | 'zstd' | 'snappy';

/** The JSON form of an output format, as the function receives it. */
export interface OutputFormatDocument {
  readonly format: FormatName;
  /**
   * For CSV and JSON Lines the whole file's compression (the object is a .gz or .zst file); for Parquet the
   * codec of every page inside the file (the object stays a .parquet file).
   */
  readonly compression: CompressionName;
  /**
   * The codec's level, only where one was chosen (gzip and zstd): absent, the codec's default
   * (DEFAULT_COMPRESSION_LEVELS), so documents written before levels existed mean what they meant.
   */
  readonly compressionLevel?: number;
}

/** The levels each leveled codec takes (zlib's gzip 1-9; Zstandard 1-22, the levels its library takes without --ultra flags). */
export const COMPRESSION_LEVEL_RANGES: Readonly<Record<'gzip' | 'zstd', { readonly min: number; readonly max: number }>> = {
  gzip: { min: 1, max: 9 },
  zstd: { min: 1, max: 22 },
};

/**
 * Each codec's default level, per format, chosen from measured speed and size (docs/formats-and-catalog.md):
 * gzip 6 for a whole text file (zlib's own default; level 1 is 1.7 times as fast for 8% more bytes) and 1 for Parquet
 * pages (on the sales table's pages 2.5 times as fast as 6 for 8% more bytes: gzip 6 was the slowest line of the
 * bench, at 0.7 times DuckDB's); Zstandard 3 for a whole text file (zstd's own default; 2 is 1.6 times as fast for 3%
 * more, 1 twice as fast for 14% more) and 1 for Parquet pages (pyarrow's; 3 took 1.6 times as long for 3% less).
 */
export const DEFAULT_COMPRESSION_LEVELS: Readonly<Record<'text' | 'parquet', Readonly<Record<'gzip' | 'zstd', number>>>> = {
  text: { gzip: 6, zstd: 3 },
  parquet: { gzip: 1, zstd: 1 },
};

/** The level an output's codec runs at: the chosen one, or its default; undefined for codecs without levels (snappy, none). */
export function compressionLevelOf(output: OutputFormatDocument): number | undefined {
  if (output.compression !== 'gzip' && output.compression !== 'zstd') return undefined;
  return output.compressionLevel ?? DEFAULT_COMPRESSION_LEVELS[output.format === 'parquet' ? 'parquet' : 'text'][output.compression];
}

/** The compressions each format takes; the first is its default. */
export const COMPRESSIONS: Readonly<Record<FormatName, readonly CompressionName[]>> = {
  csv: ['none', 'gzip', 'zstd'],
  jsonl: ['none', 'gzip', 'zstd'],
  parquet: ['zstd', 'gzip', 'snappy', 'none'],
};

export const DEFAULT_OUTPUT_FORMAT: OutputFormatDocument = { format: 'csv', compression: 'none' };

const FORMATS = Object.keys(COMPRESSIONS) as FormatName[];

/** Validates an output format (already parsed from JSON) and returns it with its default compression made explicit. */
export function validateOutputFormat(where: string, raw: unknown): OutputFormatDocument {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail(where, raw, 'expected an object such as {"format": "parquet", "compression": "zstd"}');
  }
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'format' && key !== 'compression' && key !== 'compressionLevel') {
      throw new InvalidInputError(`${where} has an unknown field ${describeValue(key)}: allowed fields are format, compression, compressionLevel`);
    }
  }
  const format = record.format;
  if (typeof format !== 'string' || !FORMATS.includes(format as FormatName)) fail(`${where}.format`, format, `allowed formats are ${FORMATS.join(', ')}`);
  const allowed = COMPRESSIONS[format as FormatName];
  const compression = record.compression ?? allowed[0];
  if (typeof compression !== 'string' || !allowed.includes(compression as CompressionName)) {
    fail(`${where}.compression`, compression, `${format} takes ${allowed.join(', ')}`);
  }
  const level = record.compressionLevel;
  if (level === undefined) return { format: format as FormatName, compression: compression as CompressionName };
  if (compression !== 'gzip' && compression !== 'zstd') {
    fail(`${where}.compressionLevel`, level, `only gzip and zstd take a level, and the compression is ${compression}: leave compressionLevel out, or choose gzip or zstd`);
  }
  const range = COMPRESSION_LEVEL_RANGES[compression];
  if (typeof level !== 'number' || !Number.isInteger(level) || level < range.min || level > range.max) {
    fail(`${where}.compressionLevel`, level, `${compression} takes a whole number from ${range.min} to ${range.max}`);
  }
  return { format: format as FormatName, compression, compressionLevel: level };
}

/** Parses and validates an output format from JSON text. */
export function parseOutputFormat(json: string, where: string): OutputFormatDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return fail(where, json, 'expected JSON such as {"format": "parquet", "compression": "zstd"}');
  }
  return validateOutputFormat(where, raw);
}

/**
 * The end of every object's name: the extension readers (Athena, Spark, DuckDB, gzip, zstd) pick the format and the
 * codec by. Parquet names its codec inside the file.
 */
export function fileExtension(output: OutputFormatDocument): string {
  if (output.format === 'parquet') return '.parquet';
  const codec = output.compression === 'gzip' ? '.gz' : output.compression === 'zstd' ? '.zst' : '';
  return `.${output.format}${codec}`;
}

/** The objects' Content-Type. A compressed text file is stored as what it is (no Content-Encoding that clients would undo). */
export function contentTypeOf(output: OutputFormatDocument): string {
  if (output.format === 'parquet') return 'application/vnd.apache.parquet';
  if (output.compression === 'gzip') return 'application/gzip';
  if (output.compression === 'zstd') return 'application/zstd';
  return output.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
}

/** Zstandard comes with Node.js's zlib from Node.js 22.15 (and 23.8): the function's runtime must have it. */
export const ZSTD_MIN_NODE = { major: 22, minor: 15 } as const;

/** The output format in a sentence's words: `Parquet (ZSTD)`, `CSV (gzip)`, `JSON Lines`. */
export function describeOutputFormat(output: OutputFormatDocument): string {
  const name = { csv: 'CSV', jsonl: 'JSON Lines', parquet: 'Parquet' }[output.format];
  if (output.compression === 'none') return output.format === 'parquet' ? `${name} (uncompressed)` : name;
  const level = output.compressionLevel === undefined ? '' : ` level ${output.compressionLevel}`;
  return `${name} (${output.format === 'parquet' ? output.compression.toUpperCase() : output.compression}${level})`;
}

import { describeOutputFormat, fileExtension, validateOutputFormat, type OutputFormatDocument } from './contract/output-format';

/** How a CSV or JSON Lines file is compressed: the whole file, named by its extension (`.gz`, `.zst`). */
export enum TextCompression {
  /** Not compressed: `.csv`, `.jsonl`. */
  NONE = 'none',
  /** gzip (level 6): `.csv.gz`, `.jsonl.gz`. */
  GZIP = 'gzip',
  /** Zstandard (level 3): `.csv.zst`, `.jsonl.zst`. Needs a Node.js 22 or later runtime (the default is Node.js 26). */
  ZSTD = 'zstd',
}

/** The codec of a Parquet file's pages (the file itself stays `.parquet`). */
export enum ParquetCompression {
  /** Zstandard (level 1, as pyarrow writes it): small and fast to read. Needs a Node.js 22 or later runtime (the default is Node.js 26). */
  ZSTD = 'zstd',
  /** GZIP: the most widely read codec. */
  GZIP = 'gzip',
  /** Snappy: Spark's and Hive's usual default. */
  SNAPPY = 'snappy',
  /** Uncompressed pages. */
  NONE = 'none',
}

/** Options of the CSV and JSON Lines formats. */
export interface TextFormatOptions {
  /**
   * Compression of the whole file.
   * @default TextCompression.NONE
   */
  readonly compression?: TextCompression;

  /**
   * The codec's level: gzip 1 (fastest) to 9 (smallest), Zstandard 1 to 22. Only with `TextCompression.GZIP` or
   * `TextCompression.ZSTD`. On the sales table, gzip 1 wrote 1.7 times as fast as 6 for 8% more bytes; Zstandard 1
   * twice as fast as 3 for 14% more, and 2 1.6 times as fast for 3% more.
   * @default - the codec's own default: gzip 6, Zstandard 3
   */
  readonly compressionLevel?: number;
}

/** Options of the Parquet format. */
export interface ParquetFormatOptions {
  /**
   * Codec of the file's pages.
   * @default ParquetCompression.ZSTD
   */
  readonly compression?: ParquetCompression;

  /**
   * The pages' codec level: Zstandard 1 to 22, gzip 1 to 9. Only with `ParquetCompression.ZSTD` or
   * `ParquetCompression.GZIP` (Snappy has no levels). Zstandard 3 took 1.6 times as long as 1 for 3% fewer bytes; gzip
   * 6 2.5 times as long as 1 for 8% fewer.
   * @default - Zstandard 1 (as pyarrow writes it), gzip 1
   */
  readonly compressionLevel?: number;
}

/**
 * The file format the generator writes, with its compression: `OutputFormat.csv()`, `OutputFormat.jsonLines()` or
 * `OutputFormat.parquet()`. Every format writes each column in its one logical type (see the README's table), and
 * the dataset's catalog table is declared for it.
 */
export class OutputFormat {
  /** CSV: RFC 4180 quoting, LF line ends, a header line in every object, empty cells for nulls. */
  public static csv(options: TextFormatOptions = {}): OutputFormat {
    return new OutputFormat({ format: 'csv', compression: options.compression, compressionLevel: options.compressionLevel });
  }

  /** JSON Lines: one JSON object per row, `null` for nulls, timestamps as ISO-8601 UTC strings. */
  public static jsonLines(options: TextFormatOptions = {}): OutputFormat {
    return new OutputFormat({ format: 'jsonl', compression: options.compression, compressionLevel: options.compressionLevel });
  }

  /**
   * Apache Parquet: typed columns (INT64, DECIMAL, TIMESTAMP in microseconds adjusted to UTC, UTF-8 strings with
   * dictionary encoding for columns drawn from a list), OPTIONAL only for columns with nulls.
   */
  public static parquet(options: ParquetFormatOptions = {}): OutputFormat {
    return new OutputFormat({ format: 'parquet', compression: options.compression, compressionLevel: options.compressionLevel });
  }

  /** The file format: `csv`, `jsonl` or `parquet`. */
  public readonly format: string;
  /** The compression: `none`, `gzip`, `zstd` or `snappy`. */
  public readonly compression: string;
  /** The codec's level where one was chosen (gzip and zstd); undefined: the codec's default. */
  public readonly compressionLevel?: number;
  /** The end of every object's name: `.csv`, `.csv.gz`, `.jsonl.zst`, `.parquet`, ... */
  public readonly fileExtension: string;

  private readonly document: OutputFormatDocument;

  private constructor(given: { readonly format: string; readonly compression?: string; readonly compressionLevel?: number }) {
    // Only the fields given: a document without a level means the codec's default, as before levels existed.
    const document: Record<string, unknown> = { format: given.format };
    if (given.compression !== undefined) document.compression = given.compression;
    if (given.compressionLevel !== undefined) document.compressionLevel = given.compressionLevel;
    this.document = validateOutputFormat('prop outputFormat', document);
    this.format = this.document.format;
    this.compression = this.document.compression;
    this.compressionLevel = this.document.compressionLevel;
    this.fileExtension = fileExtension(this.document);
  }

  /** The format in words, e.g. `Parquet (ZSTD)`. */
  public toString(): string {
    return describeOutputFormat(this.document);
  }

  /** @internal The format's JSON form, as the function receives it. */
  public _toDocument(): OutputFormatDocument {
    return this.document;
  }
}

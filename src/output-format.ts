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
}

/** Options of the Parquet format. */
export interface ParquetFormatOptions {
  /**
   * Codec of the file's pages.
   * @default ParquetCompression.ZSTD
   */
  readonly compression?: ParquetCompression;
}

/**
 * The file format the generator writes, with its compression: `OutputFormat.csv()`, `OutputFormat.jsonLines()` or
 * `OutputFormat.parquet()`. Every format writes each column in its one logical type (see the README's table), and
 * the dataset's catalog table is declared for it.
 */
export class OutputFormat {
  /** CSV: RFC 4180 quoting, LF line ends, a header line in every object, empty cells for nulls. */
  public static csv(options: TextFormatOptions = {}): OutputFormat {
    return new OutputFormat({ format: 'csv', compression: options.compression });
  }

  /** JSON Lines: one JSON object per row, `null` for nulls, timestamps as ISO-8601 UTC strings. */
  public static jsonLines(options: TextFormatOptions = {}): OutputFormat {
    return new OutputFormat({ format: 'jsonl', compression: options.compression });
  }

  /**
   * Apache Parquet: typed columns (INT64, DECIMAL, TIMESTAMP in microseconds adjusted to UTC, UTF-8 strings with
   * dictionary encoding for columns drawn from a list), OPTIONAL only for columns with nulls.
   */
  public static parquet(options: ParquetFormatOptions = {}): OutputFormat {
    return new OutputFormat({ format: 'parquet', compression: options.compression });
  }

  /** The file format: `csv`, `jsonl` or `parquet`. */
  public readonly format: string;
  /** The compression: `none`, `gzip`, `zstd` or `snappy`. */
  public readonly compression: string;
  /** The end of every object's name: `.csv`, `.csv.gz`, `.jsonl.zst`, `.parquet`, ... */
  public readonly fileExtension: string;

  private readonly document: OutputFormatDocument;

  private constructor(given: { readonly format: string; readonly compression?: string }) {
    this.document = validateOutputFormat('prop outputFormat', given.compression === undefined ? { format: given.format } : given);
    this.format = this.document.format;
    this.compression = this.document.compression;
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

/**
 * The Glue Data Catalog table of a dataset: its columns, with the type each format lets Athena read without error,
 * and how the table reads its files (SerDe, input and output formats, properties). Shared by the construct (the
 * CloudFormation table) and whatever proves it reads the data. It imports only contract
 * modules, and through the typing of derived columns the expression parser (jsep).
 *
 * What Athena (engine 3) does with each format, and so what is declared:
 * - Parquet and JSON Lines: every column has its logical type. JSON Lines is read by the Hive JSON SerDe, told the
 *   format of the timestamps (ISO-8601 UTC with milliseconds).
 * - CSV: read by the Open CSV SerDe (the one that understands quoted fields), which types only bigint, double and
 *   boolean, and fails on an empty (null) cell of those. So those columns are typed when they have no nulls, and
 *   every other column is a string whose column comment gives the cast that types it.
 */
import type { ColumnDocument, SchemaDocument } from './column-documents';
import { catalogTypeName, columnTypesOf, type LogicalType } from './logical-types';
import type { OutputFormatDocument } from './output-format';

export interface CatalogColumn {
  readonly name: string;
  /** The type as the catalog declares it (`bigint`, `decimal(5,2)`, `timestamp`, `string`, ...). */
  readonly type: string;
  /** Present where the declared type is not the logical one (CSV): how a query gets the logical type. */
  readonly comment?: string;
}

export interface CatalogStorage {
  readonly serializationLibrary: string;
  readonly serdeParameters: Readonly<Record<string, string>>;
  readonly inputFormat: string;
  readonly outputFormat: string;
  /** The table's properties (TBLPROPERTIES). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly compressed: boolean;
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';
/** Joda-time pattern of the timestamps the text formats write (2024-03-05T07:08:09.010Z). */
export const TIMESTAMP_PATTERN = 'yyyy-MM-dd\'T\'HH:mm:ss.SSS\'Z\'';

/** The types the Open CSV SerDe reads from text, for cells that are never empty. */
const CSV_TYPED_KINDS: ReadonlySet<LogicalType['kind']> = new Set(['bigint', 'double', 'boolean']);

/** The Athena SQL that reads a CSV string column as its logical type (empty cells are nulls). */
export function csvCast(name: string, type: LogicalType): string {
  const value = `NULLIF(${name}, '')`;
  if (type.kind === 'timestamp') return `CAST(from_iso8601_timestamp(${value}) AS timestamp)`;
  return `CAST(${value} AS ${catalogTypeName(type)})`;
}

function catalogColumn(column: ColumnDocument, type: LogicalType, nullable: boolean, output: OutputFormatDocument): CatalogColumn {
  if (output.format !== 'csv') return { name: column.name, type: catalogTypeName(type) };
  if (type.kind === 'string') {
    // The SerDe reads an empty cell of a string column as '', not NULL.
    return nullable ? { name: column.name, type: 'string', comment: `empty cells are nulls: read it as NULLIF(${column.name}, '')` } : { name: column.name, type: 'string' };
  }
  if (CSV_TYPED_KINDS.has(type.kind) && !nullable) return { name: column.name, type: catalogTypeName(type) };
  return { name: column.name, type: 'string', comment: `${catalogTypeName(type)} as text: read it as ${csvCast(column.name, type)}` };
}

/**
 * The table's columns as written, in schema order (names are already what Glue and Athena accept: lower-cased by them);
 * helper columns (`omit`) are in no file, so in no catalog table either.
 */
export function catalogColumns(schema: SchemaDocument, output: OutputFormatDocument): CatalogColumn[] {
  const types = columnTypesOf(schema.columns);
  return schema.columns.flatMap((column, c) => (column.omit === true ? [] : [catalogColumn(column, types[c].type, types[c].nullable, output)]));
}

/** How the table reads files of `output`'s format. Text files' codecs are found by their extension (.gz, .zst). */
export function catalogStorage(output: OutputFormatDocument): CatalogStorage {
  const compressed = output.compression !== 'none';
  switch (output.format) {
    case 'csv':
      return {
        serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
        serdeParameters: { separatorChar: ',', quoteChar: '"', escapeChar: '\\' },
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        // Every object starts with the header line (each part of a run is a CSV of its own).
        parameters: { 'EXTERNAL': 'TRUE', 'classification': 'csv', 'skip.header.line.count': '1', 'compressionType': output.compression },
        compressed,
      };
    case 'jsonl':
      return {
        serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe',
        serdeParameters: { 'timestamp.formats': TIMESTAMP_PATTERN },
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        parameters: { EXTERNAL: 'TRUE', classification: 'json', compressionType: output.compression },
        compressed,
      };
    case 'parquet':
      return {
        serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
        serdeParameters: { 'serialization.format': '1' },
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        parameters: { EXTERNAL: 'TRUE', classification: 'parquet', compressionType: output.compression },
        compressed,
      };
  }
}

const GLUE_NAME = /^[a-z0-9_]{1,255}$/;

/** A name as Glue and Athena want it: lower case, letters, digits and `_` only (Athena would need quotes for the rest). */
export function catalogName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 255);
}

export function isCatalogName(text: string): boolean {
  return GLUE_NAME.test(text);
}

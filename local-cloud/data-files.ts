/**
 * What a data file holds, as DuckDB reads it (it opens CSV and JSON Lines, gzip- or zstd-compressed by their
 * extension, and Parquet): its rows and its column names. Format-neutral checks for the demo and the tests.
 */
import { quoted, rowsOf, sqlText, withDuckDb } from './duckdb';
import type { OutputFormatDocument } from '../src/contract/output-format';

export interface DataFileShape {
  readonly rows: number;
  /** Column names in order: CSV's header, the keys of JSON Lines' first object, Parquet's schema. */
  readonly columns: readonly string[];
}

/** The rows and columns of `file`, a file of `output`'s format whose name ends with the format's extension. */
export async function inspectDataFile(file: string, output: OutputFormatDocument): Promise<DataFileShape> {
  return withDuckDb(async (connection) => {
    const path = sqlText(file);
    switch (output.format) {
      case 'csv': {
        // Every value as text: only the records and the header are counted here, not the types (see catalog-reader.ts).
        const source = `read_csv(${path}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
        const [[rows]] = await rowsOf(connection, `SELECT count(*) FROM ${source}`);
        const header = await rowsOf(connection, `SELECT column_name FROM (DESCRIBE SELECT * FROM ${source})`);
        return { rows: rows as number, columns: header.map(([name]) => name as string) };
      }
      case 'jsonl': {
        const source = `read_ndjson_objects(${path})`;
        const [[rows]] = await rowsOf(connection, `SELECT count(*) FROM ${source}`);
        const keys = rows === 0 ? [] : await rowsOf(connection, `SELECT unnest(json_keys(${quoted('json')})) FROM (SELECT * FROM ${source} LIMIT 1)`);
        return { rows: rows as number, columns: keys.map(([key]) => key as string) };
      }
      case 'parquet': {
        const [[rows]] = await rowsOf(connection, `SELECT num_rows FROM parquet_file_metadata(${path})`);
        // The schema's first entry is its root.
        const schema = await rowsOf(connection, `SELECT name FROM parquet_schema(${path})`);
        return { rows: rows as number, columns: schema.slice(1).map(([name]) => name as string) };
      }
    }
  });
}

/**
 * DuckDB (@duckdb/node-api), an engine nobody here wrote, reading objects as the catalog table declares them:
 * every column with exactly the declared type, so a value that does not parse as its type fails the read, as it
 * would fail a query in Athena.
 */
import { DuckDBDecimalValue, DuckDBInstance, DuckDBTimestampTZValue, DuckDBTimestampValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { quoted, sqlText } from './sql-text';
import type { CatalogColumn } from '../src/contract/catalog';

/**
 * A value as read back, in the terms of the logical types: a string, a number (bigint and double; a decimal's
 * unscaled whole number; a timestamp's epoch milliseconds), a boolean, or null.
 */
export type Cell = string | number | boolean | null;

export async function withDuckDb<T>(use: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await use(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

// Also here, for the modules that read with DuckDB and name what they read.
export { quoted, sqlText };

/** The DuckDB type of a catalog type: the same names, spelt as DuckDB spells them. */
export function duckDbType(catalogType: string): string {
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(catalogType);
  if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
  const types: Record<string, string> = { bigint: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN', string: 'VARCHAR', timestamp: 'TIMESTAMP' };
  const type = types[catalogType];
  if (type === undefined) throw new Error(`no DuckDB type for the catalog type ${catalogType}`);
  return type;
}

/** A DuckDB value as a cell of intended-values.ts: decimals unscaled, timestamps in epoch milliseconds. */
export function cellOf(value: DuckDBValue): Cell {
  if (value === null) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value instanceof DuckDBDecimalValue) return Number(value.value);
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) {
    if (value.micros % 1000n !== 0n) throw new Error(`a timestamp with microseconds (${value.micros}): the engine makes milliseconds`);
    return Number(value.micros / 1000n);
  }
  throw new Error(`a DuckDB value of an unexpected kind: ${String(value)}`);
}

/**
 * The DuckDB cast of a CSV column the catalog declares as a string with the cast to use in its comment (Athena SQL):
 * the same conversion in DuckDB's SQL.
 */
export function duckDbCastOf(column: CatalogColumn): string {
  const name = quoted(column.name);
  const comment = column.comment ?? '';
  const cast = /read it as CAST\(.*? AS ([a-z]+(?:\(\d+,\d+\))?)\)$/.exec(comment);
  if (cast !== null) return `CAST(NULLIF(${name}, '') AS ${duckDbType(cast[1])})`;
  if (/read it as NULLIF\(/.test(comment)) return `NULLIF(${name}, '')`;
  return name;
}

export async function rowsOf(connection: DuckDBConnection, sql: string): Promise<Cell[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRows().map((row) => row.map(cellOf));
}

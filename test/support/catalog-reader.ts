/**
 * Reads an object the way a dataset's catalog table says it is read, with DuckDB: the table definition is taken
 * from the synthesized template (columns and their declared types, SerDe and its parameters, table properties),
 * never from what the engine knows, so a table that does not fit its files fails here.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckDbCastOf, duckDbType, quoted, rowsOf, sqlText } from './duckdb';
import type { Cell } from './intended-values';
import type { CatalogColumn } from '../../src/contract/catalog';

/** The parts of a synthesized AWS::Glue::Table that say how it reads. */
export interface TemplateTable {
  readonly name: string;
  readonly columns: readonly CatalogColumn[];
  readonly serializationLibrary: string;
  readonly serdeParameters: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, string>>;
  /** The resolved location, or the CloudFormation expression of it. */
  readonly location: unknown;
}

/** The one Glue table of a synthesized template. */
export function templateTable(template: { findResources(type: string): Record<string, { Properties: any }> }): TemplateTable {
  const tables = Object.values(template.findResources('AWS::Glue::Table'));
  if (tables.length !== 1) throw new Error(`expected one AWS::Glue::Table in the template, found ${tables.length}`);
  const input = tables[0].Properties.TableInput;
  const storage = input.StorageDescriptor;
  return {
    name: input.Name,
    columns: storage.Columns.map((c: { Name: string; Type: string; Comment?: string }) => ({ name: c.Name, type: c.Type, ...(c.Comment ? { comment: c.Comment } : {}) })),
    serializationLibrary: storage.SerdeInfo.SerializationLibrary,
    serdeParameters: storage.SerdeInfo.Parameters ?? {},
    parameters: input.Parameters ?? {},
    location: storage.Location,
  };
}

/** Joda-time (Hive) timestamp patterns as DuckDB's strptime formats; only the pattern letters the table may use. */
function strptimeOf(joda: string): string {
  const out = joda.replace(/'([^']*)'/g, (_, literal: string) => literal.replace(/%/g, '%%'))
    .replace('yyyy', '%Y').replace('MM', '%m').replace('dd', '%d').replace('HH', '%H').replace('mm', '%M').replace('ss', '%S').replace('SSS', '%g');
  return out;
}

function columnsStruct(columns: readonly CatalogColumn[]): string {
  return `{${columns.map((c) => `${sqlText(c.name)}: ${sqlText(duckDbType(c.type))}`).join(', ')}}`;
}

/**
 * Every row of `file` read as `table` declares, each column in schema order; a CSV column the table declares as a
 * string with a cast in its comment is read through that cast (as a query would).
 */
export async function readAsDeclared(connection: DuckDBConnection, table: TemplateTable, file: string): Promise<Cell[][]> {
  const columns = table.columns;
  switch (table.serializationLibrary) {
    case 'org.apache.hadoop.hive.serde2.OpenCSVSerde': {
      const serde = table.serdeParameters;
      // The Open CSV SerDe has no null: an empty cell is an empty string (and fails a typed column). So has DuckDB here.
      const source = `read_csv(${sqlText(file)}, auto_detect = false, header = ${table.parameters['skip.header.line.count'] === '1'}, `
        + `delim = ${sqlText(serde.separatorChar)}, quote = ${sqlText(serde.quoteChar)}, escape = ${sqlText(serde.quoteChar)}, `
        + `nullstr = '\u0001 no null in OpenCSVSerDe', columns = ${columnsStruct(columns)})`;
      return rowsOf(connection, `SELECT ${columns.map(duckDbCastOf).join(', ')} FROM ${source}`);
    }
    case 'org.apache.hive.hcatalog.data.JsonSerDe': {
      const format = table.serdeParameters['timestamp.formats'];
      const source = `read_json(${sqlText(file)}, format = 'newline_delimited', columns = ${columnsStruct(columns)}`
        + `${format === undefined ? '' : `, timestampformat = ${sqlText(strptimeOf(format))}`})`;
      return rowsOf(connection, `SELECT ${columns.map((c) => quoted(c.name)).join(', ')} FROM ${source}`);
    }
    case 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe': {
      // Parquet carries its own types: they must be the declared ones (a timestamp adjusted to UTC reads as one with a zone).
      const described = await rowsOf(connection, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${sqlText(file)}))`);
      const declared = columns.map((c) => [c.name, duckDbType(c.type)]);
      const found = described.map(([name, type]) => [name, type === 'TIMESTAMP WITH TIME ZONE' ? 'TIMESTAMP' : type]);
      if (JSON.stringify(found) !== JSON.stringify(declared)) {
        throw new Error(`the Parquet file's columns ${JSON.stringify(described)} are not the table's ${JSON.stringify(declared)}`);
      }
      return rowsOf(connection, `SELECT ${columns.map((c) => quoted(c.name)).join(', ')} FROM read_parquet(${sqlText(file)})`);
    }
    default:
      throw new Error(`no reader for the SerDe ${table.serializationLibrary}`);
  }
}

/**
 * Reads an object the way a dataset's catalog table says it is read, with DuckDB: the table definition is taken
 * from the synthesized template (columns and their declared types, SerDe and its parameters, table properties),
 * never from what the engine knows, so a table that does not fit its files fails here.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckDbCastOf, duckDbType, quoted, rowsOf, sqlText, type Cell } from './duckdb';
import type { CatalogColumn } from '../src/contract/catalog';

/** The parts of a Glue table that say how it reads: from a synthesized template, or from the catalog. */
export interface CatalogTable {
  readonly name: string;
  readonly columns: readonly CatalogColumn[];
  readonly serializationLibrary: string;
  readonly serdeParameters: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, string>>;
  /** The resolved location, or the CloudFormation expression of it. */
  readonly location: unknown;
}

/** A TableInput (CloudFormation's and the Glue API's share their field names) as a CatalogTable. */
export function catalogTableOf(input: GlueTableInput): CatalogTable {
  const storage = input.StorageDescriptor;
  return {
    name: input.Name,
    columns: storage.Columns.map((c) => ({ name: c.Name, type: c.Type, ...(c.Comment ? { comment: c.Comment } : {}) })),
    serializationLibrary: storage.SerdeInfo.SerializationLibrary,
    serdeParameters: storage.SerdeInfo.Parameters ?? {},
    parameters: input.Parameters ?? {},
    location: storage.Location,
  };
}

/** The fields of a Glue TableInput that the readers here use. */
export interface GlueTableInput {
  readonly Name: string;
  readonly Parameters?: Record<string, string>;
  readonly StorageDescriptor: {
    readonly Columns: ReadonlyArray<{ readonly Name: string; readonly Type: string; readonly Comment?: string }>;
    readonly Location: unknown;
    readonly SerdeInfo: { readonly SerializationLibrary: string; readonly Parameters?: Record<string, string> };
  };
}

/** The one Glue table of a synthesized template. */
export function templateTable(template: { findResources(type: string): Record<string, Record<string, unknown>> }): CatalogTable {
  const tables = Object.values(template.findResources('AWS::Glue::Table'));
  if (tables.length !== 1) throw new Error(`expected one AWS::Glue::Table in the template, found ${tables.length}`);
  return catalogTableOf((tables[0].Properties as { TableInput: GlueTableInput }).TableInput);
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
 * Every row of `file` (or of each file, in order) read as `table` declares, each column in schema order; a CSV column the table declares as a
 * string with a cast in its comment is read through that cast (as a query would).
 */
export async function readAsDeclared(connection: DuckDBConnection, table: CatalogTable, file: string | readonly string[]): Promise<Cell[][]> {
  return rowsOf(connection, await selectAsDeclared(connection, table, file));
}

/** The DuckDB query that reads `file` (or each file, in order) as `table` declares: see readAsDeclared. */
export async function selectAsDeclared(connection: DuckDBConnection, table: CatalogTable, file: string | readonly string[]): Promise<string> {
  const columns = table.columns;
  // Several files are read as one table, in the order given (the parts of a run), as a query over the table reads them.
  const files = `[${[file].flat().map(sqlText).join(', ')}]`;
  switch (table.serializationLibrary) {
    case 'org.apache.hadoop.hive.serde2.OpenCSVSerde': {
      const serde = table.serdeParameters;
      // The Open CSV SerDe has no null: an empty cell is an empty string (and fails a typed column). So has DuckDB here.
      // Quotes are read as RFC 4180 writes them (doubled), as the SerDe reads them too; its escapeChar, which it also
      // honours (a backslash before any character), DuckDB cannot take beside the doubled quotes: text holding a
      // backslash is not proven here (README, "Limits of the text formats").
      const source = `read_csv(${files}, auto_detect = false, header = ${table.parameters['skip.header.line.count'] === '1'}, `
        + `delim = ${sqlText(serde.separatorChar)}, quote = ${sqlText(serde.quoteChar)}, escape = ${sqlText(serde.quoteChar)}, `
        + `nullstr = '\u0001 no null in OpenCSVSerDe', columns = ${columnsStruct(columns)})`;
      return `SELECT ${columns.map((c) => `${duckDbCastOf(c)} AS ${quoted(c.name)}`).join(', ')} FROM ${source}`;
    }
    case 'org.apache.hive.hcatalog.data.JsonSerDe': {
      const format = table.serdeParameters['timestamp.formats'];
      const source = `read_json(${files}, format = 'newline_delimited', columns = ${columnsStruct(columns)}`
        + `${format === undefined ? '' : `, timestampformat = ${sqlText(strptimeOf(format))}`})`;
      return `SELECT ${columns.map((c) => quoted(c.name)).join(', ')} FROM ${source}`;
    }
    case 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe': {
      // Parquet carries its own types: they must be the declared ones (a timestamp adjusted to UTC reads as one with a zone).
      const described = await rowsOf(connection, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${files}))`);
      const declared = columns.map((c) => [c.name, duckDbType(c.type)]);
      const found = described.map(([name, type]) => [name, type === 'TIMESTAMP WITH TIME ZONE' ? 'TIMESTAMP' : type]);
      if (JSON.stringify(found) !== JSON.stringify(declared)) {
        throw new Error(`the Parquet file's columns ${JSON.stringify(described)} are not the table's ${JSON.stringify(declared)}`);
      }
      return `SELECT ${columns.map((c) => quoted(c.name)).join(', ')} FROM read_parquet(${files})`;
    }
    default:
      throw new Error(`no reader for the SerDe ${table.serializationLibrary}`);
  }
}

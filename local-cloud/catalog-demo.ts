/**
 * The demo's catalog steps, for single objects and sharded runs alike: create the stack's Glue table in the local
 * catalog (glue-catalog.ts), show it as Athena would, and prove it reads the objects: DuckDB reads them with exactly
 * the column types the catalog holds, every row must parse, and the objects must lie under the table's location.
 */
import { catalogTableOf, readAsDeclared, type GlueTableInput } from './catalog-reader';
import type { Check } from './checks';
import type { DeployedStack } from './deploy';
import { withDuckDb } from './duckdb';
import { createCatalogOfStack, getCatalogTable, showCreateTable, type CatalogEntry } from './glue-catalog';
import type { LocalCloud } from './moto-server';

/** Creates the stack's catalog table in the local catalog; undefined (said) when the stack has none. */
export async function createDemoCatalog(cloud: LocalCloud, stack: DeployedStack, say: (line: string) => void): Promise<CatalogEntry | undefined> {
  const tables = await createCatalogOfStack(cloud, stack);
  if (tables.length === 0) {
    say('      no Glue table in the stack (catalogTable: false)');
    return undefined;
  }
  say(`      Glue table ${tables.map((t) => `${t.databaseName}.${t.tableName}`).join(', ')}: created from the template by the local Glue adapter `
    + '(moto\'s CloudFormation skips Glue resources)');
  return tables[0];
}

/**
 * Check (4): the catalog table, as the catalog holds it, reads `files` (the objects at `uris`, saved locally) with its
 * declared types, `rows` rows in all. Prints the table's DDL.
 */
export async function proveCatalogReads(
  cloud: LocalCloud, entry: CatalogEntry, objects: { files: readonly string[]; uris: readonly string[]; rows: number }, say: (line: string) => void,
): Promise<Check> {
  const stored = await getCatalogTable(cloud, entry);
  say(`      the table as Athena's SHOW CREATE TABLE would show it:\n${showCreateTable(stored).split('\n').map((l) => `        ${l}`).join('\n')}`);
  const table = catalogTableOf(stored as unknown as GlueTableInput);
  const problems: string[] = [];
  const location = String(table.location);
  const outside = objects.uris.filter((uri) => !uri.startsWith(location));
  if (outside.length) problems.push(`${outside.length} objects lie outside the table's location ${location}: ${outside[0]}`);
  let read = 0;
  try {
    read = (await withDuckDb((connection) => readAsDeclared(connection, table, objects.files))).length;
    if (read !== objects.rows) problems.push(`DuckDB read ${read} rows, not ${objects.rows}`);
  } catch (error) {
    problems.push(`DuckDB could not read the objects with the table's types: ${(error as Error).message.split('\n')[0]}`);
  }
  const types = table.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  return {
    name: 'catalog',
    ok: problems.length === 0,
    detail: `${entry.databaseName}.${entry.tableName} at ${location}: DuckDB read ${read} rows of ${objects.files.length} object(s) with the declared `
      + `types (${types})${problems.length ? `; ${problems.join('; ')}` : ', every row parsed'}`,
  };
}

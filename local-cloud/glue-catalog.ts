/**
 * The Glue Data Catalog of a deployed stack, which moto's CloudFormation skips (it has no model for AWS::Glue::*):
 * this adapter does what CloudFormation would, creating each AWS::Glue::Database and AWS::Glue::Table of the template
 * through moto's Glue API, with the template's references resolved against the deployed stack. Then the catalog can
 * be read back as any Glue client reads it, and the table shown as Athena's SHOW CREATE TABLE shows it.
 *
 * Not emulated: anything Glue does beyond storing the definitions (no crawler, no partitions, no Athena queries).
 */
import { CreateDatabaseCommand, CreateTableCommand, GetTableCommand, GlueClient, type DatabaseInput, type TableInput } from '@aws-sdk/client-glue';
import type { DeployedStack } from './deploy';
import type { LocalCloud } from './moto-server';
import { resolveTemplateValue } from './template-values';

export interface CatalogEntry {
  readonly databaseName: string;
  readonly tableName: string;
}

const resolve = (value: unknown, stack: DeployedStack, cloud: LocalCloud) => resolveTemplateValue(value, stack, cloud, 'catalog adapter');

/** Creates the Glue databases and tables of `stack` that moto's CloudFormation skipped; returns the tables made. */
export async function createCatalogOfStack(cloud: LocalCloud, stack: DeployedStack): Promise<CatalogEntry[]> {
  const glue = new GlueClient(cloud.clientConfig());
  const skipped = new Set(stack.skippedResources.map((r) => r.logicalId));
  const resources = Object.entries(stack.template.Resources ?? {}).filter(([id]) => skipped.has(id));
  const tables: CatalogEntry[] = [];
  try {
    // Databases first: a table names its database.
    for (const [, resource] of resources.filter(([, r]) => r.Type === 'AWS::Glue::Database')) {
      const properties = resolve(resource.Properties, stack, cloud) as { CatalogId?: string; DatabaseInput: DatabaseInput };
      await glue.send(new CreateDatabaseCommand({ CatalogId: properties.CatalogId, DatabaseInput: properties.DatabaseInput }));
    }
    for (const [, resource] of resources.filter(([, r]) => r.Type === 'AWS::Glue::Table')) {
      const properties = resolve(resource.Properties, stack, cloud) as { CatalogId?: string; DatabaseName: string; TableInput: TableInput };
      const { CatalogId, DatabaseName, TableInput } = properties;
      await glue.send(new CreateTableCommand({ CatalogId, DatabaseName, TableInput }));
      tables.push({ databaseName: properties.DatabaseName, tableName: properties.TableInput.Name! });
    }
    return tables;
  } finally {
    glue.destroy();
  }
}

/** A table as the catalog holds it (what Athena, Spark or any Glue client reads). */
export async function getCatalogTable(cloud: LocalCloud, entry: CatalogEntry): Promise<TableInput & { DatabaseName?: string }> {
  const glue = new GlueClient(cloud.clientConfig());
  try {
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: entry.databaseName, Name: entry.tableName }));
    if (!Table) throw new Error(`the catalog has no table ${entry.databaseName}.${entry.tableName}`);
    return Table;
  } finally {
    glue.destroy();
  }
}

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const properties = (entries: Record<string, string>) => Object.keys(entries).sort().map((key) => `  ${quote(key)}=${quote(entries[key])}`).join(', \n');

/**
 * The table's DDL in the shape of Athena's SHOW CREATE TABLE: columns with their types and comments, the SerDe and its
 * properties, the input and output formats, the location and the table properties (EXTERNAL shows as the keyword).
 */
export function showCreateTable(table: TableInput & { DatabaseName?: string }): string {
  const storage = table.StorageDescriptor ?? {};
  const columns = (storage.Columns ?? []).map((c) => `  \`${c.Name}\` ${c.Type}${c.Comment ? ` COMMENT ${quote(c.Comment)}` : ''}`).join(', \n');
  const { EXTERNAL: _external, ...tableProperties } = table.Parameters ?? {};
  return [
    `CREATE EXTERNAL TABLE \`${table.DatabaseName ?? ''}\`.\`${table.Name ?? ''}\`(`,
    `${columns})`,
    'ROW FORMAT SERDE ',
    `  ${quote(storage.SerdeInfo?.SerializationLibrary ?? '')} `,
    'WITH SERDEPROPERTIES ( ',
    `${properties(storage.SerdeInfo?.Parameters ?? {})}) `,
    'STORED AS INPUTFORMAT ',
    `  ${quote(storage.InputFormat ?? '')} `,
    'OUTPUTFORMAT ',
    `  ${quote(storage.OutputFormat ?? '')}`,
    'LOCATION',
    `  ${quote(storage.Location ?? '')}`,
    'TBLPROPERTIES (',
    `${properties(tableProperties)})`,
  ].join('\n');
}

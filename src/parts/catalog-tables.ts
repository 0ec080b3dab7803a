/**
 * The Glue Data Catalog table of a dataset: over `s3://<bucket>/<keyPrefix><datasetName>/`, where every object of the
 * dataset lies (single objects in it, runs in folders of their own; `_manifest.json` and `_SUCCESS` are hidden from
 * Athena by their leading underscore). Columns, SerDe and properties come from src/contract/catalog.ts.
 * aws-cdk-lib's stable CfnDatabase and CfnTable: the Glue L2 constructs are still alpha.
 */
import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { catalogColumns, catalogStorage } from '../contract/catalog';
import type { SchemaDocument } from '../contract/column-documents';
import type { OutputFormatDocument } from '../contract/output-format';

/** One catalog table: its name, the folder it reads and its columns. */
export interface CatalogTableSpec {
  /** The construct id of its CfnTable. */
  readonly id: string;
  readonly tableName: string;
  /** The folder of its objects, under the bucket. */
  readonly folder: string;
  /** Its columns, each with the type its cells have (references typed as their keys). */
  readonly schema: SchemaDocument;
  readonly description: string;
}

export interface CatalogTablesProps {
  readonly bucket: s3.IBucket;
  readonly outputFormat: OutputFormatDocument;
  /** An existing database to put the tables in; otherwise one is created under `databaseName`. */
  readonly existingDatabaseName?: string;
  readonly databaseName: string;
  readonly tables: readonly CatalogTableSpec[];
}

/** The Glue database (created, or an existing one) and a table per table of the dataset. */
export class CatalogTables extends Construct {
  /** The database created for the tables (none when they go into an existing database). */
  public readonly database?: glue.CfnDatabase;
  public readonly databaseName: string;
  /** The tables, in the order given. */
  public readonly tables: glue.CfnTable[];
  /** Where each table reads: `s3://<bucket>/<folder>`. */
  public readonly locations: string[];

  constructor(scope: Construct, id: string, props: CatalogTablesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (props.existingDatabaseName === undefined) {
      this.database = new glue.CfnDatabase(this, 'Database', {
        catalogId: stack.account,
        // Named, not left to CloudFormation: a generated name (with "-") is not one Athena accepts unquoted.
        databaseInput: { name: props.databaseName, description: 'Synthetic datasets of cdk-synthetic-data' },
      });
    }
    this.databaseName = props.existingDatabaseName ?? props.databaseName;
    const storage = catalogStorage(props.outputFormat);
    this.locations = props.tables.map((spec) => `s3://${props.bucket.bucketName}/${spec.folder}`);
    this.tables = props.tables.map((spec, i) => {
      const table = new glue.CfnTable(this, spec.id, {
        catalogId: stack.account,
        databaseName: this.databaseName,
        tableInput: {
          name: spec.tableName,
          description: spec.description,
          // Athena needs both: without a table type SHOW CREATE TABLE fails, without partition keys (even none) queries do.
          tableType: 'EXTERNAL_TABLE',
          partitionKeys: [],
          parameters: storage.parameters,
          storageDescriptor: {
            columns: catalogColumns(spec.schema, props.outputFormat),
            location: this.locations[i],
            inputFormat: storage.inputFormat,
            outputFormat: storage.outputFormat,
            compressed: storage.compressed,
            serdeInfo: { serializationLibrary: storage.serializationLibrary, parameters: storage.serdeParameters },
          },
        },
      });
      if (this.database) table.node.addDependency(this.database);
      return table;
    });
  }
}

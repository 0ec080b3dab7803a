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
import { catalogColumns, catalogStorage } from './contract/catalog';
import type { OutputFormatDocument } from './contract/output-format';
import type { SchemaDocument } from './contract/schema-document';
import { datasetFolder } from './contract/settings';

export interface DatasetTableProps {
  readonly bucket: s3.IBucket;
  readonly keyPrefix: string;
  readonly datasetName: string;
  readonly schema: SchemaDocument;
  readonly outputFormat: OutputFormatDocument;
  /** An existing database to put the table in; otherwise one is created under `databaseName`. */
  readonly existingDatabaseName?: string;
  readonly databaseName: string;
  readonly tableName: string;
}

export class DatasetTable extends Construct {
  /** The database created for the table (none when the table goes into an existing database). */
  public readonly database?: glue.CfnDatabase;
  public readonly databaseName: string;
  public readonly tableName: string;
  public readonly table: glue.CfnTable;
  /** Where the table reads: `s3://<bucket>/<keyPrefix><datasetName>/`. */
  public readonly location: string;

  constructor(scope: Construct, id: string, props: DatasetTableProps) {
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
    this.tableName = props.tableName;
    this.location = `s3://${props.bucket.bucketName}/${datasetFolder(props.keyPrefix, props.datasetName)}`;
    const storage = catalogStorage(props.outputFormat);
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        description: `Synthetic dataset ${props.datasetName} (cdk-synthetic-data)`,
        // Athena needs both: without a table type SHOW CREATE TABLE fails, without partition keys (even none) queries do.
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [],
        parameters: storage.parameters,
        storageDescriptor: {
          columns: catalogColumns(props.schema, props.outputFormat),
          location: this.location,
          inputFormat: storage.inputFormat,
          outputFormat: storage.outputFormat,
          compressed: storage.compressed,
          serdeInfo: { serializationLibrary: storage.serializationLibrary, parameters: storage.serdeParameters },
        },
      },
    });
    if (this.database) this.table.addDependency(this.database);
  }
}

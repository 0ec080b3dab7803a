/**
 * integ-runner test of Parquet output with its catalog table: the generator writes Parquet (ZSTD) and the construct
 * creates a Glue database and table for it. `npm test` compares the synthesized templates with the committed
 * snapshot; deployed for real (`integ-runner --update-on-failed` with AWS credentials), it invokes the function,
 * expects a .parquet object in the dataset's folder, and reads the table back from the Glue Data Catalog.
 */
import { ExpectedResult, IntegTest, InvocationType } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { salesSchema } from '../../examples/sales-app';
import { OutputFormat, SyntheticDataGenerator } from '../../src';

const app = new App();
const stack = new Stack(app, 'SyntheticDataParquet');
const generator = new SyntheticDataGenerator(stack, 'Sales', {
  schema: salesSchema(), datasetName: 'sales', rows: 1000, outputFormat: OutputFormat.parquet(),
});

const integ = new IntegTest(app, 'SyntheticDataParquetTest', { testCases: [stack] });
integ.assertions
  .invokeFunction({
    functionName: generator.function.functionName,
    invocationType: InvocationType.REQUEST_RESPONSE,
    payload: JSON.stringify({ rows: 100, seed: 7 }),
  })
  .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: ExpectedResult.stringLikeRegexp('"key":"synthetic-data/sales/sales_[^"]*\\.parquet"') }));
integ.assertions
  .awsApiCall('Glue', 'getTable', { DatabaseName: generator.catalogDatabaseName, Name: generator.catalogTableName })
  .expect(ExpectedResult.objectLike({
    Table: {
      Name: 'sales',
      StorageDescriptor: { SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' } },
    },
  }));

/**
 * integ-runner test of the defaults: a generator with the bucket, role and log group it creates.
 * `npm test` compares this app's synthesized templates with the committed snapshot; deployed for real
 * (`integ-runner --update-on-failed` with AWS credentials), it invokes the function and expects a CSV
 * in the dataset's folder, synthetic-data/sales/.
 */
import { ExpectedResult, IntegTest, InvocationType } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { salesSchema } from '../../examples/sales-app';
import { SyntheticDataGenerator } from '../../src';

const app = new App();
const stack = new Stack(app, 'SyntheticDataDefaults');
const generator = new SyntheticDataGenerator(stack, 'Sales', { schema: salesSchema(), datasetName: 'sales', rows: 1000 });

const integ = new IntegTest(app, 'SyntheticDataDefaultsTest', { testCases: [stack] });
integ.assertions
  .invokeFunction({
    functionName: generator.function.functionName,
    invocationType: InvocationType.REQUEST_RESPONSE,
    payload: JSON.stringify({ rows: 100, seed: 7 }),
  })
  .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: ExpectedResult.stringLikeRegexp('"status":"Success".*"key":"synthetic-data/sales/sales_[^"]*\\.csv"') }));

/**
 * integ-runner test of sharded runs: a generator with `shards`, whose state machine writes a small dataset of 4 parts.
 * `npm test` compares this app's synthesized templates with the committed snapshot; deployed for real
 * (`integ-runner --update-on-failed` with AWS credentials), it starts a run and expects it to succeed with 4 parts.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { salesSchema } from '../../examples/sales-app';
import { SyntheticDataGenerator } from '../../src';

const app = new App();
const stack = new Stack(app, 'SyntheticDataSharded');
const generator = new SyntheticDataGenerator(stack, 'Sales', { schema: salesSchema(), datasetName: 'sales', rows: 4_000, shards: 4, seed: 7 });

const integ = new IntegTest(app, 'SyntheticDataShardedTest', { testCases: [stack] });
const run = integ.assertions.awsApiCall('StepFunctions', 'startExecution', {
  stateMachineArn: generator.stateMachine!.stateMachineArn,
  input: JSON.stringify({ runId: 'integ' }),
});
integ.assertions
  .awsApiCall('StepFunctions', 'describeExecution', { executionArn: run.getAttString('executionArn') })
  .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED', output: ExpectedResult.stringLikeRegexp('"parts":4,"rows":4000') }))
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(10) });

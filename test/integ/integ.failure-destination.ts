/**
 * integ-runner test of the on-failure destination: an asynchronous invocation whose event the handler rejects
 * (`rows: 0`), with no retries, must leave its record in the queue the construct created. `npm test` compares the
 * synthesized templates with the committed snapshot; deployed for real (`integ-runner --update-on-failed` with AWS
 * credentials), it invokes with InvocationType Event and waits for the record.
 */
import { ExpectedResult, IntegTest, InvocationType, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Column, Schema, SyntheticDataGenerator } from '../../src';

const app = new App();
const stack = new Stack(app, 'SyntheticDataFailureDestination');
const generator = new SyntheticDataGenerator(stack, 'Generator', {
  schema: Schema.fromColumns([Column.uuid('id')]),
  retryAttempts: 0,
  maxEventAge: Duration.minutes(1),
});

const integ = new IntegTest(app, 'SyntheticDataFailureDestinationTest', { testCases: [stack] });
const invoke = integ.assertions.invokeFunction({
  functionName: generator.function.functionName,
  invocationType: InvocationType.EVENT,
  payload: JSON.stringify({ rows: 0 }),
});
invoke.expect(ExpectedResult.objectLike({ StatusCode: 202 }));
invoke.next(
  integ.assertions
    .awsApiCall('SQS', 'receiveMessage', { QueueUrl: generator.failureQueue!.queueUrl, WaitTimeSeconds: 20 })
    .expect(ExpectedResult.objectLike({
      Messages: Match.arrayWith([Match.objectLike({ Body: Match.stringLikeRegexp('"condition":"RetriesExhausted"') })]),
    }))
    .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(20) }),
);

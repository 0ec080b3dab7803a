/**
 * integ-runner test of the "bring your own" variant: an existing bucket and role, a custom key prefix.
 * The construct must add only its put/abort statement, scoped to the prefix, to the given role.
 */
import { ExpectedResult, IntegTest, InvocationType } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Column, Schema, SyntheticDataGenerator } from '../../src';

const app = new App();
const stack = new Stack(app, 'SyntheticDataImportedBucket');
const bucket = new s3.Bucket(stack, 'Landing', {
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
const role = new iam.Role(stack, 'GeneratorRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
const generator = new SyntheticDataGenerator(stack, 'Events', {
  bucket: s3.Bucket.fromBucketName(stack, 'ImportedLanding', bucket.bucketName),
  role,
  keyPrefix: 'landing/events/',
  datasetName: 'events',
  seed: 42,
  schema: Schema.fromColumns([
    Column.sequence('event_id'),
    Column.oneOf('kind', ['view', 'click', 'purchase'], { weights: [80, 15, 5] }),
    Column.timestamp('at'),
    Column.decimal('amount', { min: 0, max: 200, nullPercent: 80 }),
  ]),
});

const integ = new IntegTest(app, 'SyntheticDataImportedBucketTest', { testCases: [stack] });
integ.assertions
  .invokeFunction({
    functionName: generator.function.functionName,
    invocationType: InvocationType.REQUEST_RESPONSE,
    payload: '{}',
  })
  .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: ExpectedResult.stringLikeRegexp('"key":"landing/events/events/events_') }));

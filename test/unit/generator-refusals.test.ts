/**
 * Every bad prop of SyntheticDataGenerator fails synth with a message that names the prop, the value received and
 * what is allowed, before anything is deployed.
 */
import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Column, Schema, SyntheticDataGenerator, SyntheticDataGeneratorProps } from '../../src';
import { ENV } from '../../src/contract/environment';
import { build, smallSchema } from '../support/generator-stack';

describe('bad props fail synth with the prop, the value and what is allowed', () => {
  test.each([
    ['unknown faker method', () => Schema.fromColumns([Column.faker('who', 'person.fullname')]),
      /schema.columns\[0\] \(who\).method is "person.fullname": not a faker method .*person.fullName/],
    ['unknown faker module', () => Schema.fromColumns([Column.faker('who', 'nope.thing')]),
      /schema.columns\[0\] \(who\).method is "nope.thing": .*e.g. person.fullName/],
    ['empty schema', () => Schema.fromColumns([]),
      /schema.columns is \[\]: a schema needs at least one column/],
    ['duplicate column names', () => Schema.fromColumns([Column.uuid('id'), Column.sequence('id')]),
      /schema.columns\[1\].name is "id", already used by columns\[0\]: column names must be unique/],
    ['min greater than max', () => Schema.fromColumns([Column.integer('quantity', { min: 20, max: 1 })]),
      /schema.columns\[0\] \(quantity\): min \(20\) is greater than max \(1\); set min <= max/],
    ['decimal min greater than max', () => Schema.fromColumns([Column.decimal('price', { min: 5, max: 1 })]),
      /schema.columns\[0\] \(price\): min \(5\) is greater than max \(1\)/],
    ['weights that do not match the values', () => Schema.fromColumns([Column.oneOf('region', ['north', 'south'], { weights: [1] })]),
      /schema.columns\[0\] \(region\).weights is \[1\]: expected one weight per value \(2 numbers\)/],
    ['negative weight', () => Schema.fromColumns([Column.oneOf('region', ['north', 'south'], { weights: [1, -1] })]),
      /schema.columns\[0\] \(region\).weights\[1\] is -1: weights are zero or positive/],
    ['all-zero weights', () => Schema.fromColumns([Column.oneOf('region', ['north', 'south'], { weights: [0, 0] })]),
      /schema.columns\[0\] \(region\).weights is \[0,0\]: at least one weight must be positive/],
    ['no values', () => Schema.fromColumns([Column.oneOf('region', [])]),
      /schema.columns\[0\] \(region\).values is \[\]: expected a list of 1 to 1000 strings/],
    ['nullPercent above 100', () => Schema.fromColumns([Column.uuid('id', { nullPercent: 150 })]),
      /schema.columns\[0\] \(id\).nullPercent is 150: a percentage from 0 to 100/],
    ['timestamps in the wrong order', () => Schema.fromColumns([Column.timestamp('at', { from: '2025-01-01', to: '2024-01-01' })]),
      /schema.columns\[0\] \(at\): from \(2025-01-01\) is later than to \(2024-01-01\)/],
    ['a timestamp that is not ISO-8601', () => Schema.fromColumns([Column.timestamp('at', { from: 'yesterday' })]),
      /schema.columns\[0\] \(at\).from is "yesterday": expected a real calendar date or UTC timestamp in ISO-8601/],
    ['a column name Athena would not accept', () => Schema.fromColumns([Column.uuid('order id')]),
      /schema.columns\[0\].name is "order id": a column name starts with a letter or _/],
    ['a sequence step of zero', () => Schema.fromColumns([Column.sequence('n', { step: 0 })]),
      /schema.columns\[0\] \(n\).step is 0: a non-zero whole number/],
    ['a decimal range with no value at its precision', () => Schema.fromColumns([Column.decimal('rate', { min: 0.001, max: 0.002, fractionDigits: 2 })]),
      /schema.columns\[0\] \(rate\): no value with 2 fraction digits lies between min \(0.001\) and max \(0.002\)/],
    ['a decimal too large to keep its digits', () => Schema.fromColumns([Column.decimal('big', { max: 1e14 })]),
      /schema.columns\[0\] \(big\).max is 100000000000000: with 2 fraction digits a decimal keeps every digit only up to 90071992547409/],
    ['a sequence that would leave the exact integers', () => Schema.fromColumns([Column.sequence('n', { start: 2 ** 53 - 2 })]),
      /schema.columns\[0\] \(n\): start \(9007199254740990\) \+ step \(1\) × 99999999 rows leaves the exact integer range/],
    ['an impossible date', () => Schema.fromColumns([Column.timestamp('at', { from: '2024-02-30' })]),
      /schema.columns\[0\] \(at\).from is "2024-02-30": expected a real calendar date or UTC timestamp/],
    ['a timestamp with an offset rather than UTC', () => Schema.fromColumns([Column.timestamp('at', { to: '2024-06-01T10:00:00+02:00' })]),
      /schema.columns\[0\] \(at\).to is "2024-06-01T10:00:00\+02:00": expected a real calendar date or UTC timestamp/],
    ['a column option that is a CDK token', () => Schema.fromColumns([Column.integer('q', { max: Token.asNumber({ Ref: 'Max' }) })]),
      /column "q" option max is a CDK token: column options must be known at synth time.*Schema.fromJson/],
    ['an unknown column type in JSON', () => Schema.fromJson('{"columns":[{"name":"a","type":"text"}]}'),
      /schema.columns\[0\] \(a\).type is "text": allowed types are uuid, faker, integer/],
    ['an unknown field in JSON', () => Schema.fromJson('{"columns":[{"name":"a","type":"uuid","unique":true}]}'),
      /schema.columns\[0\] \(a\) has an unknown field "unique": allowed fields are name, type, nullPercent/],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test.each([
    ['rows of zero', { rows: 0 }, /prop rows is 0: expected a positive whole number of rows, at most 1000000/],
    ['rows not a whole number', { rows: 1.5 }, /prop rows is 1.5: expected a positive whole number/],
    ['rows above the maximum', { rows: 5000, maxRows: 1000 }, /prop rows is 5000: above the maximum of 1000 rows/],
    ['maxRows above the ceiling', { maxRows: 1e9 }, /prop maxRows is 1000000000: expected a whole number from 1 to 100000000/],
    ['a negative seed', { seed: -1 }, /prop seed is -1: expected a whole number from 0 to 4294967295/],
    ['an absolute key prefix', { keyPrefix: '/synthetic-data/' }, /prop keyPrefix is "\/synthetic-data\/": a key prefix is relative to the bucket/],
    ['a key prefix with ..', { keyPrefix: 'data/../other/' }, /prop keyPrefix is "data\/..\/other\/": a key prefix may not contain "." or ".." path segments/],
    ['a dataset name with a slash', { datasetName: 'a/b' }, /prop datasetName is "a\/b": expected 1 to 100 letters, digits/],
    ['an empty key prefix (the whole bucket)', { keyPrefix: '' }, /prop keyPrefix is "": expected a folder such as "synthetic-data\/"/],
    ['a key prefix that is not a folder', { keyPrefix: 'data' }, /prop keyPrefix is "data": a key prefix is a folder and ends with "\/" \(as "data\/"\)/],
    ['a key prefix that is an IAM wildcard', { keyPrefix: '*' }, /prop keyPrefix is "\*": a key prefix is a folder and ends with "\/"/],
    ['a key prefix with an IAM wildcard', { keyPrefix: 'a*/' }, /prop keyPrefix is "a\*\/": .*no \* or \?, which IAM reads as wildcards/],
    ['a runtime that is not Node.js', { runtime: lambda.Runtime.PYTHON_3_12 }, /prop runtime is python3.12: .*use a Node.js runtime from nodejs20.x on \(default nodejs26.x\)/],
    ['a Node.js runtime older than 20', { runtime: lambda.Runtime.NODEJS_18_X }, /prop runtime is nodejs18.x: .*from nodejs20.x on/],
    ['more retries than Lambda allows', { retryAttempts: 3 }, /prop retryAttempts is 3: expected 0, 1 or 2 \(Lambda retries an asynchronous invocation at most twice\)/],
    ['negative retries', { retryAttempts: -1 }, /prop retryAttempts is -1: expected 0, 1 or 2/],
    ['a fraction of a retry', { retryAttempts: 1.5 }, /prop retryAttempts is 1.5: expected 0, 1 or 2/],
    ['retries as a token', { retryAttempts: Token.asNumber({ Ref: 'Retries' }) },
      /prop retryAttempts is a CDK token: Lambda's asynchronous invocation settings must be known at synth time/],
    ['an event age as a token', { maxEventAge: Duration.seconds(Token.asNumber({ Ref: 'Age' })) }, /prop maxEventAge is a CDK token/],
    ['an event age under a minute', { maxEventAge: Duration.seconds(30) }, /prop maxEventAge is 30 seconds: expected whole seconds from 60 \(1 minute\) to 21600 \(6 hours\)/],
    ['an event age over six hours', { maxEventAge: Duration.hours(7) }, /prop maxEventAge is 25200 seconds: expected whole seconds from 60 \(1 minute\) to 21600/],
    ['an event age in part seconds', { maxEventAge: Duration.millis(90_500) }, /prop maxEventAge is 90.5 seconds: expected whole seconds/],
  ])('%s', (_name, props, message) => {
    expect(build(props as Partial<SyntheticDataGeneratorProps>)).toThrow(message);
  });

  test('an access-log bucket with a given bucket', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    const bucket = s3.Bucket.fromBucketName(stack, 'Landing', 'my-landing-bucket');
    const accessLogsBucket = new s3.Bucket(stack, 'Logs');
    expect(() => new SyntheticDataGenerator(stack, 'Generator', { schema: smallSchema(), bucket, accessLogsBucket })).toThrow(
      /prop accessLogsBucket is TestStack\/Logs while prop bucket is given \(TestStack\/Landing\): the construct sets up server access logs only for a bucket it creates/,
    );
  });

  test('the error names the construct path', () => {
    expect(build({ rows: 0 })).toThrow(/^SyntheticDataGenerator TestStack\/Generator: prop rows/);
  });

  test('an environment above Lambda\'s 4 KB limit', () => {
    const values = Array.from({ length: 400 }, (_, i) => `value-number-${i}`);
    const schema = Schema.fromColumns([Column.oneOf('big', values)]);
    expect(build({ schema })).toThrow(
      /the function's environment would be \d+ bytes, above Lambda's limit of 4096 \(largest: prop schema \(as JSON\) \d+ bytes, /,
    );
  });

  test('values that are tokens are accepted, not inspected', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    const rows = new CfnParameter(stack, 'Rows', { type: 'Number' }).valueAsNumber;
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    const schemaJson = new CfnParameter(stack, 'SchemaJson').valueAsString;
    const datasetName = new CfnParameter(stack, 'Name').valueAsString;
    // A catalog table needs the schema's columns at synth time: a deploy-time schema goes without one.
    expect(() => new SyntheticDataGenerator(stack, 'WithTable', { schema: Schema.fromJson(schemaJson), rows, keyPrefix: prefix, datasetName }))
      .toThrow(/prop schema is a CDK token, but the catalog table needs its columns at synth time: pass the schema itself, or set catalogTable: false/);
    expect(() => new SyntheticDataGenerator(stack, 'Generator', {
      schema: Schema.fromJson(schemaJson), rows, keyPrefix: prefix, datasetName, catalogTable: false,
    })).not.toThrow();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.SCHEMA]: { Ref: 'SchemaJson' }, [ENV.KEY_PREFIX]: { Ref: 'Prefix' } }) },
    });
    // A token dataset name can still have a table, named by the prop.
    const named = new SyntheticDataGenerator(stack, 'Named', { schema: smallSchema(), datasetName, catalogTableName: 'orders' });
    expect(named.catalogTableName).toBe('orders');
    expect(() => new SyntheticDataGenerator(stack, 'Unnamed', { schema: smallSchema(), datasetName }))
      .toThrow(/prop datasetName is a CDK token, so the catalog table cannot be named after it: set catalogTableName, or catalogTable: false/);
  });
});

/**
 * The construct as a CloudFormation template: the execution role's exact least privilege, the bucket, the function, tracing,
 * asynchronous invocations and their failure destination, the schema and output format handed to the function, the
 * catalog table, a pinned snapshot of the default stack, a dataset of related tables, and every bad prop failing synth
 * with the prop, the value and what is allowed.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnElement, CfnParameter, Duration, Size, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { retailTables } from '../../examples/retail-app';
import { salesSchema } from '../../examples/sales-app';
import {
  Column, OutputFormat, ParquetCompression, Schema, SyntheticDataGenerator, SyntheticDataGeneratorProps, Table, TextCompression,
} from '../../src';
import { validateDatasetDocument } from '../../src/contract/dataset-document';
import { decodeDatasetEnvironment } from '../../src/contract/dataset-environment';
import { ENV } from '../../src/contract/environment';
import { bigDatasetDocument } from '../support/big-dataset';
import { exactRolePermissions, templateWithoutAssetHashes } from '../support/template';

const smallSchema = () => Schema.fromColumns([Column.uuid('id'), Column.integer('quantity', { min: 1, max: 20 })]);

/** A stack with one generator; `customize` runs before the stack is synthesized. */
function synth(props: Partial<SyntheticDataGeneratorProps> = {}, customize?: (stack: Stack, generator: SyntheticDataGenerator) => void) {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: smallSchema(), ...props });
  customize?.(stack, generator);
  return { stack, generator, template: Template.fromStack(stack) };
}

const logicalId = (stack: Stack, construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

/** What the default generator's role may do, and nothing else (without X-Ray when tracing is off). */
function leastPrivilege(stack: Stack, generator: SyntheticDataGenerator, { tracing = true } = {}) {
  return [
    {
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [{ 'Fn::GetAtt': [logicalId(stack, generator.logGroup), 'Arn'] }],
    },
    {
      actions: ['s3:AbortMultipartUpload', 's3:PutObject'],
      resources: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack, generator.bucket), 'Arn'] }, '/synthetic-data/*']] }],
    },
    // X-Ray has no resource-level permissions for these two actions: "*" is the only resource it accepts.
    ...(tracing ? [{ actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resources: ['*'] }] : []),
    // Lambda delivers the record of a failed asynchronous invocation with SendMessage alone.
    { actions: ['sqs:SendMessage'], resources: [{ 'Fn::GetAtt': [logicalId(stack, generator.failureQueue!), 'Arn'] }] },
  ];
}

function only<T>(resources: Record<string, T>): T {
  const all = Object.values(resources);
  expect(all).toHaveLength(1);
  return all[0];
}

function build(props: Partial<SyntheticDataGeneratorProps>) {
  return () => synth(props);
}

describe('execution role', () => {
  const LAMBDA_ONLY_TRUST = {
    Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
    Version: '2012-10-17',
  };
  const trustPolicy = (template: Template) => only(template.findResources('AWS::IAM::Role')).Properties.AssumeRolePolicyDocument;

  test('is trusted by lambda.amazonaws.com only', () => {
    expect(trustPolicy(synth().template)).toEqual(LAMBDA_ONLY_TRUST);
  });

  test('a trust wider than lambda.amazonaws.com is caught', () => {
    const { template } = synth({}, (_stack, g) => {
      (g.role as iam.Role).assumeRolePolicy!.addStatements(new iam.PolicyStatement({
        actions: ['sts:AssumeRole'], principals: [new iam.AccountRootPrincipal()],
      }));
    });
    expect(() => expect(trustPolicy(template)).toEqual(LAMBDA_ONLY_TRUST)).toThrow();
  });

  test('has no managed policies', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  test('allows exactly: logs to its own log group, put and abort under the key prefix, X-Ray traces, send to its failure queue', () => {
    const { stack, generator } = synth();
    expect(exactRolePermissions(stack, generator.role)).toEqual(leastPrivilege(stack, generator));
  });

  test('with tracing off, the X-Ray statement is gone and nothing else changes', () => {
    const { stack, generator } = synth({ tracing: false });
    expect(exactRolePermissions(stack, generator.role)).toEqual(leastPrivilege(stack, generator, { tracing: false }));
  });

  test('a superset is caught: the failure queue also readable', () => {
    const { stack, generator } = synth({}, (_stack, g) => {
      g.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:ReceiveMessage'], resources: [g.failureQueue!.queueArn] }));
    });
    expect(() => expect(exactRolePermissions(stack, generator.role)).toEqual(leastPrivilege(stack, generator))).toThrow();
  });

  test.each([
    ['an extra action on the same resource', 's3:GetObject', 'synthetic-data/*'],
    ['the same action on a wider resource', 's3:PutObject', '*'],
  ])('a superset is caught: %s', (_name, action, objects) => {
    const { stack, generator } = synth({}, (_stack, g) => {
      g.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [action], resources: [g.bucket.arnForObjects(objects)] }));
    });
    expect(() => expect(exactRolePermissions(stack, generator.role)).toEqual(leastPrivilege(stack, generator))).toThrow();
  });

  test('the key prefix scopes the put permission', () => {
    const { stack, generator } = synth({ keyPrefix: 'landing/sales/' });
    const s3Statement = exactRolePermissions(stack, generator.role).find((s) => s.actions.includes('s3:PutObject'));
    expect(JSON.stringify(s3Statement?.resources)).toContain('/landing/sales/*');
  });

  test('a given role receives the statements and no role is created', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: smallSchema(), role });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    expect(generator.role).toBe(role);
    expect(exactRolePermissions(stack, role)).toEqual(leastPrivilege(stack, generator));
    template.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as any), 'Arn'] } });
  });

  test('a bucket with a KMS key adds only GenerateDataKey and Decrypt on that key', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    const key = new kms.Key(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Existing', { encryptionKey: key });
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: smallSchema(), bucket });
    const kmsStatement = exactRolePermissions(stack, generator.role).find((s) => s.actions.some((a) => a.startsWith('kms:')));
    expect(kmsStatement).toEqual({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [{ 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] }],
    });
  });
});

describe('bucket', () => {
  test('created by default: encrypted, private, TLS-only, aborting incomplete multipart uploads', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::S3::Bucket', 2); // the data bucket and its access-log bucket
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' })] },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  test('the created bucket sends its server access logs to a created access-log bucket, under its own prefix', () => {
    const { stack, generator, template } = synth();
    const accessLogs = generator.accessLogsBucket!;
    expect(template.toJSON().Resources[logicalId(stack, generator.bucket)].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalId(stack, accessLogs) },
      LogFilePrefix: 'TestStackGeneratorA0EE630E/', // Names.uniqueId of the generator: its own folder in a shared log bucket
    });
    expect(template.toJSON().Resources[logicalId(stack, accessLogs)]).toEqual({
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            { Id: 'expire-access-logs', ExpirationInDays: 90, Status: 'Enabled' },
            { Id: 'abort-incomplete-multipart-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
          ],
        },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // Log delivery by bucket policy (ACLs are disabled), only from the data bucket of this account, only under the prefix.
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack, accessLogs) },
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          {
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack, accessLogs), 'Arn'] }, '/TestStackGeneratorA0EE630E/*']] },
            Condition: {
              ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(stack, generator.bucket), 'Arn'] } },
              StringEquals: { 'aws:SourceAccount': '123456789012' },
            },
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  test('a given access-log bucket receives the logs and none is created', () => {
    // The app's feature flag (in cdk.json of new apps) makes CDK allow log delivery to a bucket by bucket policy, not ACL.
    const app = new App({ context: { [S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY]: true } });
    const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const shared = new s3.Bucket(stack, 'SharedLogs', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: smallSchema(), accessLogsBucket: shared });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 2); // the given one and the data bucket
    expect(generator.accessLogsBucket).toBe(shared);
    expect(template.toJSON().Resources[logicalId(stack, generator.bucket)].Properties.LoggingConfiguration)
      .toEqual({ DestinationBucketName: { Ref: logicalId(stack, shared) }, LogFilePrefix: 'TestStackGeneratorA0EE630E/' });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack, shared) },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' })]) },
    });
  });

  test('a given bucket is used and none is created', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    const bucket = s3.Bucket.fromBucketName(stack, 'Existing', 'my-existing-bucket');
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: smallSchema(), bucket });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0); // neither a data bucket nor an access-log bucket
    expect(generator.bucket).toBe(bucket);
    expect(generator.accessLogsBucket).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.BUCKET_NAME]: 'my-existing-bucket' }) },
    });
    const s3Statement = exactRolePermissions(stack, generator.role).find((s) => s.actions.includes('s3:PutObject'));
    expect(s3Statement?.resources).toEqual([{
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::my-existing-bucket/synthetic-data/*']],
    }]);
  });
});

describe('function', () => {
  test('defaults: latest Node.js runtime, arm64, memory, timeout, /tmp size, JSON logs to its own log group', () => {
    const { stack, generator, template } = synth();
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs26.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 300,
      EphemeralStorage: { Size: 512 },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: stack.getLogicalId(generator.logGroup.node.defaultChild as any) } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('runtime, architecture, sizes and retention can be overridden', () => {
    const { template } = synth({
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      memorySize: 2048,
      timeout: Duration.minutes(15),
      ephemeralStorageSize: Size.gibibytes(2),
      logRetention: 7,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x', Architectures: ['x86_64'], MemorySize: 2048, Timeout: 900, EphemeralStorage: { Size: 2048 },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('props become the environment the handler reads', () => {
    const { stack, generator, template } = synth({ rows: 500, maxRows: 2000, seed: 7, datasetName: 'orders', keyPrefix: 'raw/orders/' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          [ENV.SCHEMA]: smallSchema().toJson(),
          [ENV.OUTPUT_FORMAT]: '{"format":"csv","compression":"none"}',
          [ENV.ROWS]: '500',
          [ENV.MAX_ROWS]: '2000',
          [ENV.SEED]: '7',
          [ENV.DATASET_NAME]: 'orders',
          [ENV.KEY_PREFIX]: 'raw/orders/',
          [ENV.BUCKET_NAME]: { Ref: stack.getLogicalId(generator.bucket.node.defaultChild as any) },
        },
      },
    });
  });

  test('without a seed prop no seed is set, so each invocation draws and logs its own', () => {
    const { template } = synth();
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual(
      [ENV.SCHEMA, ENV.OUTPUT_FORMAT, ENV.ROWS, ENV.MAX_ROWS, ENV.BUCKET_NAME, ENV.KEY_PREFIX, ENV.DATASET_NAME].sort(),
    );
  });

  test('grantInvoke gives lambda:InvokeFunction on the function to the grantee', () => {
    let caller: iam.Role | undefined;
    const { stack, generator } = synth({}, (s, g) => {
      caller = new iam.Role(s, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
      g.grantInvoke(caller);
    });
    const permissions = exactRolePermissions(stack, caller!);
    expect(permissions.flatMap((p) => p.actions)).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(permissions[0].resources)).toContain(stack.getLogicalId(generator.function.node.defaultChild as any));
  });
});

describe('tracing', () => {
  test('X-Ray tracing is active by default', () => {
    synth().template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
  });

  test('tracing: false leaves it off', () => {
    const { template } = synth({ tracing: false });
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: Match.absent() });
  });
});

describe('asynchronous invocations', () => {
  test('by default: failures go to a created queue, encrypted, TLS-only, kept 14 days; 2 retries, events kept 1 hour', () => {
    const { stack, generator, template } = synth();
    const queue = generator.failureQueue!;
    expect(template.toJSON().Resources[logicalId(stack, generator.function.node.findChild('EventInvokeConfig'))].Properties).toEqual({
      FunctionName: { Ref: logicalId(stack, generator.function) },
      Qualifier: '$LATEST',
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack, queue), 'Arn'] } } },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(stack, queue) }],
      PolicyDocument: {
        Statement: [Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
      },
    });
  });

  test('retries and event age can be set', () => {
    const { template } = synth({ retryAttempts: 0, maxEventAge: Duration.minutes(5) });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 });
  });

  test('a given destination receives the failures, no queue is created, and its own grant applies', () => {
    let topic: sns.Topic | undefined;
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    topic = new sns.Topic(stack, 'Failures', { enforceSSL: true });
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: smallSchema(), failureDestination: new destinations.SnsDestination(topic) });
    const template = Template.fromStack(stack);
    expect(generator.failureQueue).toBeUndefined();
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { DestinationConfig: { OnFailure: { Destination: { Ref: logicalId(stack, topic) } } } });
    expect(exactRolePermissions(stack, generator.role).filter((p) => p.actions.some((a) => !/^(logs|s3|xray):/.test(a)))).toEqual([
      { actions: ['sns:Publish'], resources: [{ Ref: logicalId(stack, topic) }] },
    ]);
  });

  test('a given queue destination is used as it is', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    const queue = new sqs.Queue(stack, 'MyFailures');
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: smallSchema(), failureDestination: new destinations.SqsDestination(queue) });
    Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 1);
    expect(generator.failureQueue).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack, queue), 'Arn'] } } },
    });
  });
});

describe('schema', () => {
  test('the typed API and the JSON form describe the same table', () => {
    const fromJson = Schema.fromFile(path.join(__dirname, '..', '..', 'examples', 'sales.schema.json'));
    expect(fromJson.toJson()).toEqual(salesSchema().toJson());
    expect(fromJson.columnNames).toEqual(['order_id', 'customer', 'email', 'product', 'quantity', 'unit_price', 'order_date', 'region']);
  });

  test('the JSON form writes every default out', () => {
    const schema = Schema.fromColumns([
      Column.integer('a'), Column.decimal('b'), Column.timestamp('c'), Column.sequence('d'),
      Column.oneOf('e', ['x', 'y'], { weights: [3, 1], nullPercent: 10 }),
    ]);
    expect(JSON.parse(schema.toJson())).toEqual({
      columns: [
        { name: 'a', type: 'integer', min: 0, max: 1000 },
        { name: 'b', type: 'decimal', min: 0, max: 1000, fractionDigits: 2 },
        { name: 'c', type: 'timestamp', from: '2024-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z' },
        { name: 'd', type: 'sequence', start: 1, step: 1 },
        { name: 'e', type: 'oneOf', values: ['x', 'y'], weights: [3, 1], nullPercent: 10 },
      ],
    });
  });

  test('a column given only its name gets the same defaults from the typed API and from JSON', () => {
    const typed = Schema.fromColumns([Column.integer('a'), Column.decimal('b'), Column.timestamp('c'), Column.sequence('d')]);
    const json = Schema.fromJson(JSON.stringify({
      columns: [{ name: 'a', type: 'integer' }, { name: 'b', type: 'decimal' }, { name: 'c', type: 'timestamp' }, { name: 'd', type: 'sequence' }],
    }));
    expect(typed.toJson()).toEqual(json.toJson());
  });

  test('a missing schema file is explained', () => {
    const missing = path.join(os.tmpdir(), 'no-such-schema.json');
    expect(() => Schema.fromFile(missing)).toThrow(/schema file ".*no-such-schema.json" could not be read .*pass the path of a JSON file/);
  });

  test('a schema file that is not JSON is explained', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'schema-')), 'bad.json');
    fs.writeFileSync(file, '{ columns: ');
    expect(() => Schema.fromFile(file)).toThrow(/schema file ".*bad.json" is not valid JSON/);
  });
});

describe('output format', () => {
  test.each([
    [OutputFormat.csv(), '{"format":"csv","compression":"none"}', '.csv', 'CSV'],
    [OutputFormat.csv({ compression: TextCompression.GZIP }), '{"format":"csv","compression":"gzip"}', '.csv.gz', 'CSV (gzip)'],
    [OutputFormat.jsonLines({ compression: TextCompression.ZSTD }), '{"format":"jsonl","compression":"zstd"}', '.jsonl.zst', 'JSON Lines (zstd)'],
    [OutputFormat.parquet(), '{"format":"parquet","compression":"zstd"}', '.parquet', 'Parquet (ZSTD)'],
    [OutputFormat.parquet({ compression: ParquetCompression.SNAPPY }), '{"format":"parquet","compression":"snappy"}', '.parquet', 'Parquet (SNAPPY)'],
    [OutputFormat.parquet({ compression: ParquetCompression.NONE }), '{"format":"parquet","compression":"none"}', '.parquet', 'Parquet (uncompressed)'],
  ])('%s reaches the function as %s; objects end with %s', (outputFormat, json, extension, words) => {
    const { template, generator } = synth({ outputFormat });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.OUTPUT_FORMAT]: json }) },
      Description: `Generates synthetic data into S3 as ${words} (cdk-synthetic-data)`,
    });
    expect(generator.outputFormat.fileExtension).toBe(extension);
    expect(`${generator.outputFormat}`).toBe(words);
  });

  test('CSV is the default', () => {
    expect(synth().generator.outputFormat._toDocument()).toEqual({ format: 'csv', compression: 'none' });
  });

  test('the role is the same for every format: the function writes objects, and nothing about the catalog', () => {
    const { stack, generator } = synth({ outputFormat: OutputFormat.parquet() });
    expect(exactRolePermissions(stack, generator.role)).toEqual(leastPrivilege(stack, generator));
  });

  test('Parquet in a function of less than 256 MB gets a warning: large objects can pass its memory', () => {
    const warnings = (memorySize: number, outputFormat: OutputFormat) => Annotations.fromStack(synth({ memorySize, outputFormat }).stack)
      .findWarning('*', Match.stringLikeRegexp('cdk-synthetic-data:parquetMemory')).map((w) => w.entry.data);
    expect(warnings(128, OutputFormat.parquet())).toEqual([expect.stringMatching(
      /^prop memorySize is 128 MB with Parquet output: the function can pass its memory writing objects of a million rows or more .*use 256 MB or more/,
    )]);
    expect(warnings(256, OutputFormat.parquet())).toEqual([]);
    expect(warnings(128, OutputFormat.csv())).toEqual([]);
  });

  test('zstd needs a runtime whose zlib has it', () => {
    expect(build({ outputFormat: OutputFormat.parquet(), runtime: lambda.Runtime.NODEJS_20_X })).toThrow(
      /prop outputFormat is Parquet \(ZSTD\) and prop runtime is nodejs20.x: Zstandard comes with Node.js's zlib from Node.js 22.15; use a runtime from nodejs22.x on \(default nodejs26.x\), or gzip/,
    );
    const gzip = OutputFormat.parquet({ compression: ParquetCompression.GZIP });
    expect(build({ outputFormat: gzip, runtime: lambda.Runtime.NODEJS_20_X })).not.toThrow();
    expect(build({ outputFormat: OutputFormat.jsonLines({ compression: TextCompression.ZSTD }), runtime: lambda.Runtime.NODEJS_22_X })).not.toThrow();
  });
});

describe('catalog table', () => {
  const table = (template: Template) => only(template.findResources('AWS::Glue::Table')).Properties;

  test('by default a database and a table over the dataset\'s folder, where every object of the dataset lies', () => {
    const { stack, generator, template } = synth({ datasetName: 'Sales-2024', keyPrefix: 'raw/' });
    const database = only(template.findResources('AWS::Glue::Database')).Properties;
    expect(database.CatalogId).toBe('123456789012');
    expect(database.DatabaseInput.Name).toMatch(/^teststack_generator_[0-9a-f]{8}$/);
    expect(table(template)).toMatchObject({
      CatalogId: '123456789012',
      DatabaseName: database.DatabaseInput.Name,
      TableInput: {
        Name: 'sales_2024',
        TableType: 'EXTERNAL_TABLE',
        PartitionKeys: [],
        StorageDescriptor: {
          Location: { 'Fn::Join': ['', ['s3://', { Ref: logicalId(stack, generator.bucket) }, '/raw/Sales-2024/']] },
          Columns: [{ Name: 'id', Type: 'string' }, { Name: 'quantity', Type: 'bigint' }],
        },
      },
    });
    expect(generator.catalogDatabaseName).toBe(database.DatabaseInput.Name);
    expect(generator.catalogTableName).toBe('sales_2024');
  });

  test.each([
    [OutputFormat.csv({ compression: TextCompression.GZIP }), 'org.apache.hadoop.hive.serde2.OpenCSVSerde', 'org.apache.hadoop.mapred.TextInputFormat',
      { 'EXTERNAL': 'TRUE', 'classification': 'csv', 'skip.header.line.count': '1', 'compressionType': 'gzip' }, true],
    [OutputFormat.jsonLines(), 'org.apache.hive.hcatalog.data.JsonSerDe', 'org.apache.hadoop.mapred.TextInputFormat',
      { EXTERNAL: 'TRUE', classification: 'json', compressionType: 'none' }, false],
    [OutputFormat.parquet(), 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      { EXTERNAL: 'TRUE', classification: 'parquet', compressionType: 'zstd' }, true],
  ])('%s: the table reads it with %s', (outputFormat, serde, inputFormat, parameters, compressed) => {
    const input = table(synth({ outputFormat }).template).TableInput;
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(serde);
    expect(input.StorageDescriptor.InputFormat).toBe(inputFormat);
    expect(input.StorageDescriptor.Compressed).toBe(compressed);
    expect(input.Parameters).toEqual(parameters);
  });

  test('JSON Lines is read with the timestamps\' format', () => {
    const input = table(synth({ outputFormat: OutputFormat.jsonLines() }).template).TableInput;
    expect(input.StorageDescriptor.SerdeInfo.Parameters).toEqual({ 'timestamp.formats': 'yyyy-MM-dd\'T\'HH:mm:ss.SSS\'Z\'' });
  });

  test('an existing database is used: none is created', () => {
    const { template, generator } = synth({ catalogDatabaseName: 'lake', catalogTableName: 'orders' });
    template.resourceCountIs('AWS::Glue::Database', 0);
    expect(table(template)).toMatchObject({ DatabaseName: 'lake', TableInput: { Name: 'orders' } });
    expect([generator.catalogDatabaseName, generator.catalogTableName]).toEqual(['lake', 'orders']);
  });

  test('catalogTable: false makes no catalog resources', () => {
    const { template, generator } = synth({ catalogTable: false });
    template.resourceCountIs('AWS::Glue::Database', 0);
    template.resourceCountIs('AWS::Glue::Table', 0);
    expect(generator.glueTable).toBeUndefined();
  });

  test.each([
    ['catalogTableName', { catalogTableName: 'Orders-2024' }, /prop catalogTableName is "Orders-2024": Glue and Athena names are 1 to 255 lower-case letters, digits and "_" \(such as "orders_2024"\)/],
    ['catalogDatabaseName', { catalogDatabaseName: 'my lake' }, /prop catalogDatabaseName is "my lake": .* \(such as "my_lake"\)/],
  ])('a %s Athena would not accept', (_prop, props, message) => {
    expect(build(props as Partial<SyntheticDataGeneratorProps>)).toThrow(message);
  });
});

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

test('snapshot of the default stack (asset hashes stripped)', () => {
  const { template } = synth();
  expect(templateWithoutAssetHashes(template.toJSON())).toMatchSnapshot();
});

describe('a dataset of related tables (prop tables)', () => {
  const tablesApp = (props: Partial<SyntheticDataGeneratorProps> = {}) => {
    const app = new App();
    const stack = new Stack(app, 'RetailStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const generator = new SyntheticDataGenerator(stack, 'Retail', { tables: retailTables(), datasetName: 'retail', ...props });
    return { stack, generator, template: Template.fromStack(stack) };
  };
  const environmentOf = (template: Template) => only(template.findResources('AWS::Lambda::Function')).Properties.Environment.Variables;

  test('the typed API and examples/retail.dataset.json describe the same dataset, which reaches the function as its environment', () => {
    const fromFile = tablesApp({ tables: Table.fromDatasetFile(path.join(__dirname, '..', '..', 'examples', 'retail.dataset.json')) });
    expect(environmentOf(fromFile.template)).toEqual(environmentOf(tablesApp().template));
    const { template } = tablesApp();
    const environment = environmentOf(template);
    expect(environment[ENV.SCHEMA]).toBeUndefined();
    expect(environment[ENV.ROWS]).toBeUndefined();
    const fromJson = validateDatasetDocument(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'retail.dataset.json'), 'utf8')));
    expect(JSON.parse(decodeDatasetEnvironment(environment[ENV.TABLES], 'env'))).toEqual(fromJson);
  });

  test('one catalog table per table, over its own folder, references typed as their keys', () => {
    const { stack, generator, template } = tablesApp({ outputFormat: OutputFormat.parquet() });
    const tables = Object.values(template.findResources('AWS::Glue::Table')).map((resource) => resource.Properties.TableInput);
    const bucket = { Ref: logicalId(stack, generator.bucket) };
    expect(tables.map((input) => [input.Name, input.StorageDescriptor.Location])).toEqual([
      ['customers', { 'Fn::Join': ['', ['s3://', bucket, '/synthetic-data/retail/customers/']] }],
      ['orders', { 'Fn::Join': ['', ['s3://', bucket, '/synthetic-data/retail/orders/']] }],
      ['order_items', { 'Fn::Join': ['', ['s3://', bucket, '/synthetic-data/retail/order_items/']] }],
    ]);
    expect(tables[1].StorageDescriptor.Columns.slice(0, 2)).toEqual([{ Name: 'order_id', Type: 'bigint' }, { Name: 'customer_id', Type: 'string' }]);
    expect(tables[2].StorageDescriptor.Columns[1]).toEqual({ Name: 'order_id', Type: 'bigint' });
    expect(only(template.findResources('AWS::Glue::Database'))).toBeDefined();
    expect(generator.catalogTableNames).toEqual(['customers', 'orders', 'order_items']);
    expect(generator.glueTables).toHaveLength(3);
    expect(generator.glueTable).toBeUndefined();
  });

  test('the role is the one of a single table: the tables add no permission', () => {
    const { stack, generator } = tablesApp();
    expect(exactRolePermissions(stack, generator.role)).toEqual(leastPrivilege(stack, generator));
  });

  test('10 tables of 30 columns deploy: the dataset travels compressed within Lambda\'s 4 KB environment', () => {
    const dataset = validateDatasetDocument(bigDatasetDocument(10, 30));
    const tables = Table.fromDatasetJson(JSON.stringify(dataset));
    const { template } = tablesApp({ tables });
    const environment = environmentOf(template);
    expect(environment[ENV.TABLES]).toMatch(/^brotli:/);
    const bytes = Object.entries(environment as Record<string, unknown>)
      .reduce((total, [name, value]) => total + name.length + (typeof value === 'string' ? value.length : 63), 0);
    expect(bytes).toBeLessThan(4096);
    expect(JSON.parse(decodeDatasetEnvironment(environment[ENV.TABLES], 'env'))).toEqual(dataset);
  });

  test('a dataset too large for the environment even compressed goes into the function\'s code, named by its SHA-256', () => {
    const dataset = validateDatasetDocument(bigDatasetDocument(40, 30, true));
    const tables = Table.fromDatasetJson(JSON.stringify(dataset));
    const { stack, template } = tablesApp({ tables });
    const value: string = environmentOf(template)[ENV.TABLES];
    const json = JSON.stringify(dataset);
    expect(value).toBe(`file:dataset-${createHash('sha256').update(json).digest('hex')}.json`);
    // The code asset holds the handler and the document, under that name.
    const code = only(template.findResources('AWS::Lambda::Function')).Properties.Code;
    const assetDir = path.join(stack.node.root instanceof App ? (stack.node.root as App).outdir : '', `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    expect(fs.readdirSync(assetDir).sort()).toEqual([value.slice('file:'.length), 'index.js'].sort());
    expect(fs.readFileSync(path.join(assetDir, value.slice('file:'.length)), 'utf8')).toBe(json);
  });

  test.each([
    ['schema and tables', { schema: smallSchema() }, 'prop tables is set with prop schema'],
    ['rows', { rows: 5 }, 'prop tables is set with prop rows'],
    ['catalogTableName', { catalogTableName: 'x' }, 'prop tables is set with prop catalogTableName'],
  ])('tables with %s fails synth', (_, props, message) => {
    expect(() => tablesApp(props)).toThrow(message);
  });

  test('a reference to a column that is not a key fails synth, naming the table and column', () => {
    const customers = Table.of('customers', Schema.fromColumns([Column.uuid('id'), Column.integer('age')]), { rows: 10 });
    const orders = Table.of('orders', Schema.fromColumns([Column.reference('customer', { table: 'customers', column: 'age' })]), { rows: 10 });
    expect(() => tablesApp({ tables: [customers, orders] })).toThrow(
      'SyntheticDataGenerator RetailStack/Retail: prop tables[1] (orders).columns[0] (customer) refers to customers.age, which is not a unique key',
    );
  });

  test('a table of more rows than one invocation may make fails synth', () => {
    const customers = Table.of('customers', Schema.fromColumns([Column.uuid('id')]), { rows: 600_000 });
    const items = Table.of('items', Schema.fromColumns([Column.reference('c', { table: 'customers', column: 'id', minChildren: 2, maxChildren: 2 })]));
    expect(() => tablesApp({ tables: [customers, items] })).toThrow(
      'prop tables[1] (items).rows (the children of customers\'s rows) is 1200000: above the maximum of 1000000 rows',
    );
  });

  test('with shards, the tables share the parts of a run by their rows; a part larger than maxRows fails synth', () => {
    const { generator } = tablesApp({ shards: 6 });
    expect(generator.stateMachine).toBeDefined();
    expect(() => tablesApp({ shards: 2, maxRows: 10_000 })).toThrow(
      'prop tables with prop shards: with 2 shards, a part of table order_items has 30000 rows, above maxRows (10000) per invocation; use more shards',
    );
  });

  test('a dataset file that is not there, or not a dataset, is explained', () => {
    expect(() => Table.fromDatasetFile('/no/such/retail.json')).toThrow(/^dataset file "\/no\/such\/retail.json" could not be read \(.*\): pass the path of a JSON file/);
    expect(() => Table.fromDatasetJson('{"tables": [{"name": "a", "columns": [{"name": "id", "type": "uuid"}]}]}'))
      .toThrow('dataset.tables[0] (a).rows is undefined: expected the number of rows of the table');
  });

  test('with completion events, the function\'s events name the database and every table of the dataset', () => {
    const { template } = tablesApp({ completionEvents: true });
    expect(JSON.parse(environmentOf(template)[ENV.CATALOG])).toEqual({
      database: expect.stringMatching(/^retailstack_retail_[0-9a-f]{8}$/), tables: ['customers', 'orders', 'order_items'],
    });
  });

  test('neither schema nor tables fails synth', () => {
    const app = new App();
    expect(() => new SyntheticDataGenerator(new Stack(app, 'S'), 'G', {})).toThrow('give prop schema (one table) or prop tables');
  });

  test('a reference in the schema of a single table fails synth and says to declare tables', () => {
    expect(build({ schema: Schema.fromColumns([Column.reference('c', { table: 'customers', column: 'id' })]) }))
      .toThrow('but this schema is a single table: declare the dataset\'s tables');
  });
});

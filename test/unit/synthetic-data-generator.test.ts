/**
 * The construct as a CloudFormation template: the execution role's exact least privilege, the bucket, the function, tracing,
 * asynchronous invocations and their failure destination, the schema and output format handed to the function, the
 * catalog table, and a pinned snapshot of the default stack. Bad props failing synth are in generator-refusals.test.ts,
 * a dataset of related tables in generator-tables.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { salesSchema } from '../../examples/sales-app';
import { Column, OutputFormat, ParquetCompression, Schema, SyntheticDataGenerator, SyntheticDataGeneratorProps, TextCompression } from '../../src';
import { ENV } from '../../src/contract/environment';
import { build, leastPrivilege, logicalId, only, smallSchema, synth } from '../support/generator-stack';
import { exactRolePermissions, templateWithoutAssetHashes } from '../support/template';

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

test('snapshot of the default stack (asset hashes stripped)', () => {
  const { template } = synth();
  expect(templateWithoutAssetHashes(template.toJSON())).toMatchSnapshot();
});

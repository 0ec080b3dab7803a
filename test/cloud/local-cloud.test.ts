/**
 * The local cloud itself (local-cloud/): IAM enforcement, deploy of a synthesized stack and of a variant
 * of it, invocation as the function's role in the sandbox, timeouts, logs, and the demo's arguments.
 * Uses a tiny function of its own, so that it tests the tooling, not the generator.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  deployStack, describeDeployedFunction, invokeFunction, listKeysUnderPrefix, readLogEvents, runInFunctionSandbox, runtimeSdk,
  shipLogEvents, startMotoServer, StackDeployError, type DeployedStack, type LocalCloud, type Template,
} from '../../local-cloud';
import { parseDemoArgs, UsageError } from '../../local-cloud/demo-args';

const FUNCTION_CODE = `
const { S3Client, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } = require('@aws-sdk/client-s3');
exports.handler = async (event, context) => {
  console.log('event', JSON.stringify(event));
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  if (event.fail) throw new RangeError('asked to fail');
  const s3 = new S3Client({});
  const attempt = async (command) => { try { await s3.send(command); return 'allowed'; } catch (e) { return e.name; } };
  const bucket = process.env.BUCKET;
  return {
    putInside: await attempt(new PutObjectCommand({ Bucket: bucket, Key: 'synthetic-data/' + context.awsRequestId + '.csv', Body: 'a\\n' })),
    putOutside: await attempt(new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere/x.csv', Body: 'a\\n' })),
    get: await attempt(new GetObjectCommand({ Bucket: bucket, Key: 'synthetic-data/' + context.awsRequestId + '.csv' })),
    list: await attempt(new ListObjectsV2Command({ Bucket: bucket })),
    remainingMs: context.getRemainingTimeInMillis(),
    node: process.version,
  };
};
`;

let workDir: string;
let assemblyDir: string;
let cloud: LocalCloud;
let stack: DeployedStack;
let functionName: string;

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-test-'));
  const codeDir = path.join(workDir, 'code');
  fs.mkdirSync(codeDir);
  fs.writeFileSync(path.join(codeDir, 'index.js'), FUNCTION_CODE);

  const app = new App({ outdir: path.join(workDir, 'cdk.out') });
  const s = new Stack(app, 'LocalCloudTest');
  const bucket = new s3.Bucket(s, 'Bucket', { enforceSSL: true });
  const logGroup = new logs.LogGroup(s, 'Logs');
  const role = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('synthetic-data/*')] }));
  new lambda.Function(s, 'Fn', {
    code: lambda.Code.fromAsset(codeDir),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    role,
    logGroup,
    timeout: Duration.seconds(10),
    environment: { BUCKET: bucket.bucketName },
  });
  assemblyDir = app.synth().directory;

  cloud = await startMotoServer();
  stack = await deployStack(cloud, { assemblyDir, stack: 'LocalCloudTest' });
  functionName = Object.values(stack.functions)[0];
});

afterAll(async () => {
  await cloud?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

test('IAM is enforced: unknown keys are refused, the admin is not', async () => {
  const stranger = new S3Client({ ...cloud.clientConfig({ accessKeyId: 'AKIANOBODY000000000', secretAccessKey: 'x' }) });
  await expect(stranger.send(new ListBucketsCommand({}))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  const admin = new S3Client(cloud.clientConfig());
  await expect(admin.send(new ListBucketsCommand({}))).resolves.toBeDefined();
  stranger.destroy();
  admin.destroy();
});

test('the stack deploys; what moto skips is listed', () => {
  expect(stack.status).toBe('CREATE_COMPLETE');
  expect(stack.skippedResources.map((r) => r.type)).toEqual(['AWS::S3::BucketPolicy']);
  expect(functionName).toMatch(/^LocalCloudTest-Fn/);
});

test('the function runs as its role: only what the role allows is allowed', async () => {
  const result = await invokeFunction(cloud, functionName, { stack, event: { probe: 1 } });
  expect(result.status).toBe('Success');
  expect(result.result).toMatchObject({ putInside: 'allowed', putOutside: 'AccessDenied', get: 'AccessDenied', list: 'AccessDenied' });
  expect((result.result as { remainingMs: number }).remainingMs).toBeGreaterThan(5000);
  expect((result.result as { node: string }).node).toBe(result.node.version);
  expect(result.function).toMatchObject({ architecture: 'arm64', timeoutSeconds: 10, ephemeralStorageMb: 512 });
  expect(result.logLines[0]).toBe(`START RequestId: ${result.requestId} Version: $LATEST`);
  expect(result.logLines[result.logLines.length - 1]).toMatch(new RegExp(`^REPORT RequestId: ${result.requestId}\\tDuration: `));
});

test('a thrown error is the invocation\'s error', async () => {
  const result = await invokeFunction(cloud, functionName, { stack, event: { fail: true }, requestId: 'fixed-request-id' });
  expect(result).toMatchObject({ status: 'Error', requestId: 'fixed-request-id', error: { errorType: 'RangeError', errorMessage: 'asked to fail' } });
});

test('the log lines reach the function\'s log group', async () => {
  const result = await invokeFunction(cloud, functionName, { stack, event: {} });
  await shipLogEvents(cloud, { logGroupName: result.logGroupName, logStreamName: result.logStreamName, events: result.logEvents });
  const events = await readLogEvents(cloud, result.logGroupName, { logStreamNames: [result.logStreamName] });
  expect(result.logGroupName).toBe(stack.resources[Object.keys(stack.resources).find((id) => id.startsWith('Logs'))!].physicalId);
  expect(result.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  expect(events.map((e) => e.message)).toEqual(result.logLines);
});

test('in the sandbox, only /tmp is writable, and only up to its size', async () => {
  const source = `
    const fs = require('fs');
    const attempt = (p, data) => { try { fs.writeFileSync(p, data); return 'ok'; } catch (e) { return e.code; } };
    console.log(JSON.stringify({
      tmp: attempt('/tmp/small', 'x'),
      root: attempt('/local-cloud-write-test', 'x'),
      etc: attempt('/etc/local-cloud-write-test', 'x'),
      task: attempt('/var/task/x', 'x'),
      full: attempt('/tmp/big', Buffer.alloc(2 * 1024 * 1024)),
    }));`;
  const run = await runInFunctionSandbox(cloud, functionName, source, { stack, tmpSizeMb: 1 });
  expect(run.exitCode).toBe(0);
  // Linux with user namespaces (these machines): the sandbox must be on, or the reason shows here.
  expect(run.sandbox).toMatchObject({ enabled: true, reason: undefined });
  expect(JSON.parse(run.stdout)).toEqual({ tmp: 'ok', root: 'EROFS', etc: 'EROFS', task: 'EROFS', full: 'ENOSPC' });
});

test('in the sandbox, only the AWS SDK is provided: the project\'s other packages are not', async () => {
  const source = `
    const attempt = (name) => { try { require(name); return 'found'; } catch (e) { return e.code; } };
    console.log(JSON.stringify({
      sdk: require.resolve('@aws-sdk/client-s3'),
      sdkLoads: typeof require('@aws-sdk/client-s3').S3Client,
      faker: attempt('@faker-js/faker'),
      csvStringify: attempt('csv-stringify'),
      cdk: attempt('aws-cdk-lib'),
    }));`;
  const run = await runInFunctionSandbox(cloud, functionName, source, { stack });
  expect(run.stderr).toBe('');
  expect(run.sandbox).toMatchObject({ enabled: true });
  expect(JSON.parse(run.stdout)).toEqual({
    sdk: expect.stringMatching(/^\/var\/runtime\/node_modules\/@aws-sdk\/client-s3\//),
    sdkLoads: 'function',
    faker: 'MODULE_NOT_FOUND',
    csvStringify: 'MODULE_NOT_FOUND',
    cdk: 'MODULE_NOT_FOUND',
  });
  // Unsandboxed, NODE_PATH is the same SDK-only directory on the host (this code lies outside the project).
  const unsandboxed = await runInFunctionSandbox(cloud, functionName, source, { stack, sandbox: false });
  expect(JSON.parse(unsandboxed.stdout)).toMatchObject({
    sdk: expect.stringMatching(/[/\\]runtime-sdk-[0-9a-f]+[/\\]node_modules[/\\]@aws-sdk[/\\]client-s3[/\\]/),
    faker: 'MODULE_NOT_FOUND',
    csvStringify: 'MODULE_NOT_FOUND',
    cdk: 'MODULE_NOT_FOUND',
  });
});

test('the runtime\'s modules are every @aws-sdk package and their dependencies, nothing else', async () => {
  const sdk = await runtimeSdk();
  expect(sdk.packages).toEqual(expect.arrayContaining(['@aws-sdk/client-s3', '@aws-sdk/client-sts', 'tslib']));
  expect(sdk.packages.filter((name) => /faker|powertools|csv-|aws-cdk-lib|constructs|jest|typescript/.test(name))).toEqual([]);
  expect(sdk.nodeModules).toMatch(/[/\\]\.local-cloud[/\\]runtime-sdk-[0-9a-f]+[/\\]node_modules$/);
});

test('keys under a prefix are listed despite moto\'s %2F signature check, and filtered', async () => {
  const bucket = Object.values(stack.resources).find((r) => r.type === 'AWS::S3::Bucket')!.physicalId;
  const admin = new S3Client(cloud.clientConfig());
  for (const key of ['listing/a.csv', 'listing/b/c.csv', 'listing-other/d.csv', 'listingx.csv']) {
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
  }
  admin.destroy();
  expect(await listKeysUnderPrefix(cloud, bucket, 'listing/')).toEqual(['listing/a.csv', 'listing/b/c.csv']);
  expect(await listKeysUnderPrefix(cloud, bucket, 'listing/b/')).toEqual(['listing/b/c.csv']);
  expect(await listKeysUnderPrefix(cloud, bucket, 'nothing-here/')).toEqual([]);
});

test('a variant of the template deploys under another name; its timeout is enforced', async () => {
  const template = JSON.parse(JSON.stringify(stack.template)) as Template;
  const fnId = Object.keys(stack.functions)[0];
  template.Resources![fnId].Properties!.Timeout = 1;
  const variant = await deployStack(cloud, { assemblyDir, stack: 'LocalCloudTest', template, stackName: 'LocalCloudTestShortTimeout' });
  const result = await invokeFunction(cloud, variant.functions[fnId], { stack: variant, event: { sleepMs: 5000 } });
  expect(result).toMatchObject({ status: 'TimedOut', error: { errorMessage: 'Task timed out after 1.00 seconds' } });
  expect(result.durationMs).toBe(1000);
});

test('without asset metadata, the function\'s code is found by its S3 key among the assembly\'s file assets', async () => {
  const template = JSON.parse(JSON.stringify(stack.template)) as Template;
  const fnId = Object.keys(stack.functions)[0];
  delete template.Resources![fnId].Metadata;
  const variant = await deployStack(cloud, { assemblyDir, stack: 'LocalCloudTest', template, stackName: 'LocalCloudTestNoMetadata' });
  const withMetadata = await describeDeployedFunction(cloud, functionName, { stack });
  // found without the DeployedStack: the stack is looked up (all pages) among the deployed stacks
  const bySearch = await describeDeployedFunction(cloud, variant.functions[fnId], { assemblyDir });
  expect(bySearch).toMatchObject({ stackName: 'LocalCloudTestNoMetadata', codeDir: withMetadata.codeDir });
});

test('a template CloudFormation cannot create fails with the reasons', async () => {
  const template: Template = { Resources: { Broken: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Missing' }] } } } };
  const error = await deployStack(cloud, { assemblyDir, stack: 'LocalCloudTest', template, stackName: 'Broken' }).catch((e: Error) => e);
  expect(error).toBeInstanceOf(StackDeployError);
  expect((error as StackDeployError).reasons.join('\n')).toMatch(/Missing/);
});

test('the demo\'s arguments are validated', () => {
  expect(parseDemoArgs([])).toEqual({ example: 'sales' });
  expect(parseDemoArgs(['--rows', '5', '--seed=0'])).toEqual({ example: 'sales', rows: 5, seed: 0 });
  expect(parseDemoArgs(['--', '--rows', '7'])).toEqual({ example: 'sales', rows: 7 });
  expect(parseDemoArgs(['--help'])).toBe('help');
  expect(parseDemoArgs(['--rows', '8000000', '--shards', '8', '--seed', '7', '--download', 'out/run', '--run-id=nightly-1']))
    .toEqual({ example: 'sales', rows: 8_000_000, shards: 8, seed: 7, download: 'out/run', runId: 'nightly-1' });
  for (const bad of [['--rows'], ['--rows', '0'], ['--rows', '1.5'], ['--seed', '-1'], ['--seed', '4294967296'], ['--rows', '1', '--rows', '2'], ['x']]) {
    expect(() => parseDemoArgs(bad)).toThrow(UsageError);
  }
  expect(() => parseDemoArgs(['--shards', '1001'])).toThrow('--shards must be from 1 to 1000, not 1001');
  expect(() => parseDemoArgs(['--rows', '3', '--shards', '4'])).toThrow('--rows (3) must be at least --shards (4): every part needs a row');
  expect(() => parseDemoArgs(['--run-id', 'r1'])).toThrow('--run-id needs --shards');
  // A single object can be saved too, in any format.
  expect(parseDemoArgs(['--format', 'parquet', '--download', 'out'])).toEqual({ example: 'sales', download: 'out', output: { format: 'parquet', compression: 'zstd' } });
  expect(parseDemoArgs(['--format=jsonl', '--compression=gzip'])).toEqual({ example: 'sales', output: { format: 'jsonl', compression: 'gzip' } });
  expect(parseDemoArgs(['--format', 'csv'])).toEqual({ example: 'sales', output: { format: 'csv', compression: 'none' } });
  expect(() => parseDemoArgs(['--format', 'xml'])).toThrow('--format must be csv, jsonl, parquet, not "xml"');
  expect(() => parseDemoArgs(['--format', 'csv', '--compression', 'snappy'])).toThrow('--compression of csv must be none, gzip, zstd, not "snappy"');
  expect(() => parseDemoArgs(['--compression', 'gzip'])).toThrow('--compression needs --format');
  expect(() => parseDemoArgs(['--shards', '2', '--run-id', 'a/b'])).toThrow(/--run-id is "a\/b": expected a run id/);
  // The retail example: a dataset of tables, each with its own rows, made by one invocation.
  expect(parseDemoArgs(['--example', 'retail', '--format', 'parquet', '--download', 'out'])).toEqual({
    example: 'retail', download: 'out', output: { format: 'parquet', compression: 'zstd' },
  });
  expect(parseDemoArgs(['--example', 'iot', '--download', 'out'])).toEqual({ example: 'iot', download: 'out' });
  expect(() => parseDemoArgs(['--example', 'shop'])).toThrow('--example must be sales, retail or iot, not "shop"');
  expect(() => parseDemoArgs(['--example', 'iot', '--rows', '5'])).toThrow('--example iot takes neither --rows nor --shards');
  expect(() => parseDemoArgs(['--example', 'retail', '--rows', '5'])).toThrow('--example retail takes neither --rows nor --shards');
  expect(() => parseDemoArgs(['--example', 'retail', '--shards', '2'])).toThrow('--example retail takes neither --rows nor --shards');
});

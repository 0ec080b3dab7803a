/**
 * The bundled handler against the local AWS (moto over HTTP, IAM enforced), deployed from the template
 * `cdk synth` makes of the example app, run as the function's own role in the Lambda-like sandbox.
 * This is where users meet real components: the wire, IAM, the file system, the CSV parser.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { parse } from 'csv-parse/sync';
import { salesSchema, SALES_STACK_NAME } from '../../examples/sales-app';
import {
  assumeFunctionRole, deployStack, describeDeployedFunction, invokeFunction, listKeysUnderPrefix, readLogEvents, runInFunctionSandbox,
  shipLogEvents, type DeployedStack, type InvocationResult, type LocalCloud, type Template,
} from '../../local-cloud';
import { SyntheticDataGenerator } from '../../src';
import { DEFAULTS } from '../../src/contract/settings';
import { sha256 } from '../support/expected-csv';
import { bucketOf, functionOf, handlerLogs as logRecords, readObject as readBytes, resourceOfType } from '../support/local-stack';
import { sharedCloud, sharedSalesApp } from '../support/shared-cloud';

const KEY_PREFIX = DEFAULTS.keyPrefix;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let cloud: LocalCloud;
let assemblyDir: string;
let sales: DeployedStack;
let admin: S3Client;

beforeAll(async () => {
  const salesApp = sharedSalesApp();
  assemblyDir = salesApp.assemblyDir;
  cloud = sharedCloud();
  sales = await deployStack(cloud, { assemblyDir, stack: salesApp.stack, stackName: 'HandlerSales' });
  admin = new S3Client(cloud.clientConfig());
});

afterAll(async () => {
  admin?.destroy();
  await cloud?.stop();
});

const keysUnderPrefix = (bucket: string) => listKeysUnderPrefix(cloud, bucket, KEY_PREFIX);

async function readObject(bucket: string, key: string): Promise<string> {
  return (await readBytes(admin, bucket, key)).toString('utf8');
}

const handlerLogs = (invocation: InvocationResult) => logRecords(invocation.logLines);

describe('the deployed generator, invoked as its own role', () => {
  let invocation: InvocationResult;
  let csv: string;

  beforeAll(async () => {
    invocation = await invokeFunction(cloud, functionOf(sales), { stack: sales, event: { rows: 2000, seed: 7 } });
    const result = invocation.result as { bucket: string; key: string };
    csv = await readObject(result.bucket, result.key);
  });

  test('ran in the sandbox on the runtime\'s Node.js major', () => {
    expect(invocation.sandbox).toMatchObject({ enabled: true, tmpSizeMb: 512 });
    expect(invocation.node.version).toMatch(/^v26\./);
  });

  test('succeeds with the result users see, keyed by the request id under the prefix', () => {
    expect(invocation.status).toBe('Success');
    expect(invocation.result).toEqual({
      status: 'Success',
      bucket: bucketOf(sales),
      key: `${KEY_PREFIX}sales/sales_${invocation.requestId}.csv`,
      rows: 2000,
      bytes: Buffer.byteLength(csv),
      // what the manifest of a sharded run lists per part: the hash of the bytes stored
      sha256: sha256(Buffer.from(csv)),
      seed: 7,
      // the spec-conformance checks of the object, all passed (each one is in the written log record)
      conformance: { checks: 14, failed: 0 },
    });
  });

  test('the CSV parses back to the schema: header, row count, and every cell of its column\'s type', () => {
    const records: Record<string, string>[] = parse(csv, { columns: true });
    expect(Object.keys(records[0])).toEqual(['order_id', 'customer', 'email', 'product', 'quantity', 'unit_price', 'order_date', 'region']);
    expect(records).toHaveLength(2000);
    for (const r of records) {
      expect(r.order_id).toMatch(UUID);
      expect(r.customer).toMatch(/^\S.*\s.*\S$/);
      expect(r.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
      expect(r.product.length).toBeGreaterThan(3);
      expect(Number(r.quantity)).toBeGreaterThanOrEqual(1);
      expect(Number(r.quantity)).toBeLessThanOrEqual(20);
      expect(r.quantity).toMatch(/^\d+$/);
      expect(r.unit_price).toMatch(/^\d+\.\d{2}$/);
      expect(Number(r.unit_price)).toBeGreaterThanOrEqual(1);
      expect(Number(r.unit_price)).toBeLessThanOrEqual(500);
      expect(r.order_date).toMatch(ISO_UTC);
      expect(r.order_date.startsWith('2024-')).toBe(true);
      expect(r.region.length).toBeGreaterThan(3);
    }
    expect(new Set(records.map((r) => r.order_id)).size).toBe(2000);
  });

  test('logs each step as JSON with the request id, and the logs reach the function\'s log group', async () => {
    const lines = handlerLogs(invocation);
    expect(lines.map((l) => l.step)).toEqual(['start', 'written', 'uploaded', 'done']);
    for (const line of lines) expect(line.function_request_id).toBe(invocation.requestId);
    expect(lines[3]).toMatchObject({ rows: 2000, bucket: bucketOf(sales), key: `${KEY_PREFIX}sales/sales_${invocation.requestId}.csv` });

    const shipped = await shipLogEvents(cloud, {
      logGroupName: invocation.logGroupName, logStreamName: invocation.logStreamName, events: invocation.logEvents,
    });
    const found = await readLogEvents(cloud, invocation.logGroupName, { logStreamNames: [invocation.logStreamName] });
    expect(invocation.logGroupName).toBe(resourceOfType(sales, 'AWS::Logs::LogGroup'));
    expect(found).toHaveLength(shipped);
    expect(found.filter((e) => e.message?.includes('"step":"uploaded"'))).toHaveLength(1);
  });

  test('the same seed and row count make the same file', async () => {
    const again = await invokeFunction(cloud, functionOf(sales), { stack: sales, event: { rows: 2000, seed: 7 } });
    const result = again.result as { bucket: string; key: string };
    expect(result.key).not.toBe((invocation.result as { key: string }).key);
    expect(await readObject(result.bucket, result.key)).toBe(csv);
  });

  test('on nodejs24.x, the runtime before the default, the handler runs on Node.js 24 and makes the same file', async () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'handler-moto-node24-')) });
    const stack = new Stack(app, 'SalesOnNode24', { env: { account: '123456789012', region: 'us-east-1' } });
    new SyntheticDataGenerator(stack, 'SalesData', { schema: salesSchema(), datasetName: 'sales', runtime: lambda.Runtime.NODEJS_24_X });
    const deployed = await deployStack(cloud, { assemblyDir: app.synth().directory, stack: 'SalesOnNode24' });
    const on24 = await invokeFunction(cloud, functionOf(deployed), { stack: deployed, event: { rows: 2000, seed: 7 } });
    expect(on24.node.version).toMatch(/^v24\./);
    const result = on24.result as { bucket: string; key: string };
    expect(await readObject(result.bucket, result.key)).toBe(csv);
  });
});

test('a retry of the same request with the same event reports exactly the stored object', async () => {
  const requestId = '22222222-3333-4444-8555-666666666666';
  const first = await invokeFunction(cloud, functionOf(sales), { stack: sales, requestId, event: { rows: 500 } });
  const retry = await invokeFunction(cloud, functionOf(sales), { stack: sales, requestId, event: { rows: 500 } });
  const stored = await readObject(bucketOf(sales), `${KEY_PREFIX}sales/sales_${requestId}.csv`);

  // No seed anywhere: it comes from the request id, so the retry made the same file as the stored one.
  expect(retry.result).toEqual({ ...(first.result as object), alreadyExisted: true });
  expect(retry.result).toMatchObject({ bytes: Buffer.byteLength(stored) });
});

test('a malformed event is rejected before anything is written', async () => {
  const before = await keysUnderPrefix(bucketOf(sales));
  const invocation = await invokeFunction(cloud, functionOf(sales), { stack: sales, event: { rows: 'many' } });
  expect(invocation.status).toBe('Error');
  expect(invocation.error?.errorMessage).toMatch(/event.rows is "many": expected a positive whole number of rows, at most 1000000/);
  expect(await keysUnderPrefix(bucketOf(sales))).toEqual(before);
});

test('the execution role can put under the prefix and cannot read, list, delete or write elsewhere', async () => {
  const fn = await describeDeployedFunction(cloud, functionOf(sales), { stack: sales });
  const asRole = new S3Client(cloud.clientConfig(await assumeFunctionRole(cloud, fn)));
  const bucket = bucketOf(sales);
  const attempt = async (command: any) => asRole.send(command).then(() => 'allowed', (e: Error) => e.name);
  const key = `${KEY_PREFIX}role-check.csv`;
  try {
    expect({
      putUnderPrefix: await attempt(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'a\n' })),
      putElsewhere: await attempt(new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere/x.csv', Body: 'a\n' })),
      putAtRoot: await attempt(new PutObjectCommand({ Bucket: bucket, Key: 'x.csv', Body: 'a\n' })),
      get: await attempt(new GetObjectCommand({ Bucket: bucket, Key: key })),
      list: await attempt(new ListObjectsV2Command({ Bucket: bucket })),
      delete: await attempt(new DeleteObjectCommand({ Bucket: bucket, Key: key })),
    }).toEqual({
      putUnderPrefix: 'allowed', putElsewhere: 'AccessDenied', putAtRoot: 'AccessDenied', get: 'AccessDenied', list: 'AccessDenied', delete: 'AccessDenied',
    });
  } finally {
    asRole.destroy();
  }
});

describe('a role without s3:PutObject (a variant of the synthesized template)', () => {
  let variant: DeployedStack;
  let invocation: InvocationResult;

  beforeAll(async () => {
    const template: Template = JSON.parse(JSON.stringify(sales.template));
    let removed = 0;
    for (const resource of Object.values(template.Resources ?? {})) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      const document = (resource.Properties as any).PolicyDocument;
      const kept = document.Statement.filter((s: any) => ![s.Action].flat().includes('s3:PutObject'));
      removed += document.Statement.length - kept.length;
      document.Statement = kept;
    }
    expect(removed).toBe(1);
    variant = await deployStack(cloud, { assemblyDir, stack: SALES_STACK_NAME, template, stackName: 'SalesWithoutPut' });
    invocation = await invokeFunction(cloud, functionOf(variant), { stack: variant, event: { rows: 100 } });
  });

  test('fails with AccessDenied explained: the role that ran, the action and resource denied, and the fix', () => {
    const key = `${KEY_PREFIX}sales/sales_${invocation.requestId}.csv`;
    expect(invocation.status).toBe('Error');
    expect(invocation.error?.errorMessage).toContain('AccessDenied');
    const failed = handlerLogs(invocation).find((l) => l.step === 'failed');
    expect(failed).toMatchObject({ failedStep: 'upload', level: 'ERROR', function_request_id: invocation.requestId });
    const explained = JSON.stringify(failed);
    expect(explained).toContain(`assumed-role/${invocation.function.roleArn.split('/').pop()}`);
    expect(explained).toContain('s3:PutObject');
    expect(explained).toContain(`arn:aws:s3:::${bucketOf(variant)}/${key}`);
    expect(failed?.fix).toMatch(/execution role/);
  });

  test('writes nothing', async () => {
    expect(await keysUnderPrefix(bucketOf(variant))).toEqual([]);
  });
});

describe('the sandbox: only /tmp is writable', () => {
  test('a write outside /tmp fails with EROFS; a write in /tmp succeeds', async () => {
    const script = `
      const fs = require('node:fs');
      const tryWrite = (file) => { try { fs.writeFileSync(file, 'x'); return 'ok'; } catch (e) { return e.code; } };
      console.log(JSON.stringify({ taskRoot: tryWrite('/var/task/x'), root: tryWrite('/x'), etc: tryWrite('/etc/x'), tmp: tryWrite('/tmp/x') }));`;
    const ran = await runInFunctionSandbox(cloud, functionOf(sales), script, { stack: sales });
    expect(ran.sandbox).toMatchObject({ enabled: true, reason: undefined });
    expect(JSON.parse(ran.stdout.trim().split('\n').pop()!)).toEqual({ taskRoot: 'EROFS', root: 'EROFS', etc: 'EROFS', tmp: 'ok' });
  });

  test('the handler pointed outside /tmp fails with an explanation and uploads nothing', async () => {
    const before = await keysUnderPrefix(bucketOf(sales));
    const invocation = await invokeFunction(cloud, functionOf(sales), { stack: sales, env: { TMPDIR: '/var/task' }, event: { rows: 10 } });
    expect(invocation.status).toBe('Error');
    expect(invocation.error?.errorMessage).toMatch(/read-only/);
    expect(invocation.error?.errorMessage).toMatch(/only \/tmp is writable/);
    expect(await keysUnderPrefix(bucketOf(sales))).toEqual(before);
  });
});

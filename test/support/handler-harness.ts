/**
 * The stage every handler unit test runs on: S3, STS and EventBridge faked by aws-sdk-client-mock, a fresh
 * temp dir per test that os.tmpdir() follows, the environment of a deployed single-object generator, and the
 * logger's JSON lines captured. A test file calls installHandlerHarness() at its top level to get the hooks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ENV } from '../../src/contract/environment';

// The os and fs modules themselves (not import namespaces, whose properties cannot be spied on).
const nodeOs = jest.requireActual<typeof os>('node:os');
export const nodeFs = jest.requireActual<typeof fs>('node:fs');
export const nodeFsp = jest.requireActual<typeof fs.promises>('node:fs/promises');
export const s3Mock = mockClient(S3Client);
export const stsMock = mockClient(STSClient);
export const eventsMock = mockClient(EventBridgeClient);

// Captured before any test changes TMPDIR, so every test's temp dir is made in the real one.
const REAL_TMP = os.tmpdir();
const ORIGINAL_ENV = { ...process.env };

export const SCHEMA = {
  columns: [
    { name: 'order_id', type: 'uuid' },
    { name: 'customer', type: 'faker', method: 'person.fullName' },
    { name: 'quantity', type: 'integer', min: 1, max: 20 },
    { name: 'unit_price', type: 'decimal', min: 1, max: 500, fractionDigits: 2 },
    { name: 'order_date', type: 'timestamp', from: '2024-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z' },
    { name: 'region', type: 'oneOf', values: ['north', 'south', 'east'], weights: [1, 0, 3], nullPercent: 20 },
    { name: 'line', type: 'sequence', start: 100, step: 10 },
  ],
};

export const ROLE_ARN = 'arn:aws:sts::123456789012:assumed-role/GeneratorRole/generator-fn';

/** What each test gets afresh: read it through this object, since the hooks replace both values per test. */
export const current: { tmpDir: string; logLines: Record<string, unknown>[] } = { tmpDir: '', logLines: [] };
let requestCounter = 0;

export function newRequestId(): string {
  requestCounter += 1;
  return `00000000-0000-4000-8000-${String(requestCounter).padStart(12, '0')}`;
}

export function lambdaContext(awsRequestId = newRequestId(), remainingMs = 900_000): Context {
  return {
    awsRequestId,
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'generator-fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:generator-fn',
    memoryLimitInMB: '512',
    logGroupName: '/aws/lambda/generator-fn',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function s3Error(name: string, httpStatusCode: number, message = name): S3ServiceException {
  return new S3ServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode } });
}

export function spoolFiles(): string[] {
  return fs.readdirSync(current.tmpDir).filter((name) => name.startsWith('synthetic-data-'));
}

export function logsOfStep(step: string): Record<string, unknown>[] {
  return current.logLines.filter((line) => line.step === step);
}

/** Captures what the powertools logger prints: JSON lines on stdout (info) and stderr (warn, error). */
function captureLogs(): void {
  const logLines: Record<string, unknown>[] = [];
  current.logLines = logLines;
  const collect = (chunk: unknown): boolean => {
    for (const text of String(chunk).split('\n')) {
      if (text.startsWith('{')) logLines.push(JSON.parse(text));
    }
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(collect as typeof process.stdout.write);
  jest.spyOn(process.stderr, 'write').mockImplementation(collect as typeof process.stderr.write);
}

/** Puts the environment back to how the test run started, plus `values`. */
function resetEnv(values: Record<string, string>): void {
  for (const name of Object.keys(process.env)) {
    if (!(name in ORIGINAL_ENV)) delete process.env[name];
  }
  Object.assign(process.env, ORIGINAL_ENV, values);
}

/** Registers the per-test set-up and tear-down; call it at the top level of a test file, before its describes. */
export function installHandlerHarness(): void {
  beforeEach(() => {
    current.tmpDir = fs.mkdtempSync(path.join(REAL_TMP, 'handler-test-'));
    resetEnv({
      TMPDIR: current.tmpDir,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      [ENV.SCHEMA]: JSON.stringify(SCHEMA),
      [ENV.OUTPUT_FORMAT]: '{"format":"csv","compression":"none"}',
      [ENV.ROWS]: '50',
      [ENV.MAX_ROWS]: '1000',
      [ENV.BUCKET_NAME]: 'my-bucket',
      [ENV.KEY_PREFIX]: 'synthetic-data/',
      [ENV.DATASET_NAME]: 'sales',
    });
    // Node's os.tmpdir() reads TMPDIR from the real process environment, which jest's sandboxed
    // process.env does not reach: make it follow the sandbox's TMPDIR, as it follows the real one in Lambda.
    jest.spyOn(nodeOs, 'tmpdir').mockImplementation(() => process.env.TMPDIR ?? REAL_TMP);
    s3Mock.reset();
    stsMock.reset();
    eventsMock.reset();
    s3Mock.on(PutObjectCommand).resolves({ ETag: '"etag"' });
    stsMock.on(GetCallerIdentityCommand).resolves({ Arn: ROLE_ARN, Account: '123456789012' });
    captureLogs();
  });

  afterEach(() => {
    jest.restoreAllMocks();
    resetEnv({});
    fs.rmSync(current.tmpDir, { recursive: true, force: true });
  });
}

export function uploadedText(callIndex = 0): string {
  const body = s3Mock.commandCalls(PutObjectCommand)[callIndex].args[0].input.Body;
  return Buffer.from(body as Uint8Array).toString('utf8');
}

/**
 * The handler's own decisions, with S3 and STS faked by aws-sdk-client-mock and a fresh temp dir per test.
 * Wire behaviour (retries, real conditional writes, IAM) is tested against the local cloud instead.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, S3Client, S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { parse } from 'csv-parse/sync';
import { DeadlineReachedError, startDeadline } from '../../lambda/deadline';
import { handler, type DatasetResult, type GeneratorResult } from '../../lambda/handler';
import { seedFromRunId } from '../../lambda/seed';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { ENV } from '../../src/contract/environment';
import { parseSchemaDocument } from '../../src/contract/schema-document';
import { MAX_SEED } from '../../src/contract/settings';
import { engineOutput, parseCsv } from '../support/engine-output';
import { expectedCsv, sha256 } from '../support/expected-csv';

// The os and fs modules themselves (not import namespaces, whose properties cannot be spied on).
const nodeOs = jest.requireActual<typeof os>('node:os');
const nodeFs = jest.requireActual<typeof fs>('node:fs');
const nodeFsp = jest.requireActual<typeof fs.promises>('node:fs/promises');
const s3Mock = mockClient(S3Client);
const stsMock = mockClient(STSClient);
const eventsMock = mockClient(EventBridgeClient);

// Captured before any test changes TMPDIR, so every test's temp dir is made in the real one.
const REAL_TMP = os.tmpdir();
const ORIGINAL_ENV = { ...process.env };

const SCHEMA = {
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

const ROLE_ARN = 'arn:aws:sts::123456789012:assumed-role/GeneratorRole/generator-fn';

let tmpDir: string;
let logLines: Record<string, unknown>[];
let requestCounter = 0;

function newRequestId(): string {
  requestCounter += 1;
  return `00000000-0000-4000-8000-${String(requestCounter).padStart(12, '0')}`;
}

function lambdaContext(awsRequestId = newRequestId(), remainingMs = 900_000): Context {
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

function s3Error(name: string, httpStatusCode: number, message = name): S3ServiceException {
  return new S3ServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode } });
}

function spoolFiles(): string[] {
  return fs.readdirSync(tmpDir).filter((name) => name.startsWith('synthetic-data-'));
}

function logsOfStep(step: string): Record<string, unknown>[] {
  return logLines.filter((line) => line.step === step);
}

/** Captures what the powertools logger prints: JSON lines on stdout (info) and stderr (warn, error). */
function captureLogs(): void {
  logLines = [];
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

beforeEach(() => {
  tmpDir = fs.mkdtempSync(path.join(REAL_TMP, 'handler-test-'));
  resetEnv({
    TMPDIR: tmpDir,
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
  fs.rmSync(tmpDir, { recursive: true, force: true });
});

function uploadedText(callIndex = 0): string {
  const body = s3Mock.commandCalls(PutObjectCommand)[callIndex].args[0].input.Body;
  return Buffer.from(body as Uint8Array).toString('utf8');
}

describe('a successful invocation', () => {
  test('uploads one CSV under the key prefix with the request id, conditionally, and reports it', async () => {
    const context = lambdaContext();
    const result = await handler({ rows: 25, seed: 42 }, context);

    const key = `synthetic-data/sales/sales_${context.awsRequestId}.csv`;
    expect(result).toEqual({
      status: 'Success',
      bucket: 'my-bucket',
      key,
      rows: 25,
      bytes: expect.any(Number),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      seed: 42,
      conformance: { checks: expect.any(Number), failed: 0 },
    });
    const puts = s3Mock.commandCalls(PutObjectCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0].args[0].input).toMatchObject({
      Bucket: 'my-bucket', Key: key, ContentType: 'text/csv; charset=utf-8', IfNoneMatch: '*',
    });
    const text = uploadedText();
    expect(Buffer.byteLength(text)).toBe(result.bytes);
    expect(text.includes('\r\n')).toBe(false);
    expect(text.split('\n')[0]).toBe('order_id,customer,quantity,unit_price,order_date,region,line');
  });

  test('writes cells of the right types that parse back with csv-parse', async () => {
    await handler({ rows: 200, seed: 7 }, lambdaContext());

    const records: Record<string, string>[] = parse(uploadedText(), { columns: true });
    expect(records).toHaveLength(200);
    for (const [i, r] of records.entries()) {
      expect(r.order_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.customer.length).toBeGreaterThan(0);
      expect(Number(r.quantity)).toBeGreaterThanOrEqual(1);
      expect(Number(r.quantity)).toBeLessThanOrEqual(20);
      expect(r.unit_price).toMatch(/^\d{1,3}\.\d{2}$/);
      expect(r.order_date.startsWith('2024-')).toBe(true);
      expect(['north', 'east', '']).toContain(r.region);
      expect(r.line).toBe(String(100 + 10 * i));
    }
    const empty = records.filter((r) => r.region === '').length;
    expect(empty).toBeGreaterThan(10); // 20% of 200, give or take
    expect(empty).toBeLessThan(80);
  });

  test('logs start, written, uploaded and done as JSON lines carrying the request id', async () => {
    const context = lambdaContext();
    const result = (await handler({ rows: 10, seed: 3 }, context)) as GeneratorResult;

    // the logger's records, and then the invocation's metrics (an EMF record, see below), each with the request id
    expect(logLines.map((line) => line.step ?? (line._aws ? 'metrics' : undefined))).toEqual(['start', 'written', 'uploaded', 'done', 'metrics']);
    for (const line of logLines) {
      expect(line).toMatchObject({ service: 'synthetic-data-generator', function_request_id: context.awsRequestId });
    }
    expect(logsOfStep('start')[0]).toMatchObject({
      rows: 10,
      seed: 3,
      seedSource: 'event',
      bucket: 'my-bucket',
      key: result.key,
      columns: ['order_id', 'customer', 'quantity', 'unit_price', 'order_date', 'region', 'line'],
    });
    expect(logsOfStep('written')[0]).toMatchObject({
      rows: 10,
      bytes: result.bytes,
      durationMs: expect.any(Number),
      generatingMs: expect.any(Number),
      writingMs: expect.any(Number),
      spoolDir: tmpDir,
    });
    expect(logsOfStep('uploaded')[0]).toMatchObject({
      bucket: 'my-bucket', key: result.key, bytes: result.bytes, parts: 1, durationMs: expect.any(Number),
    });
    expect(logsOfStep('done')[0]).toMatchObject({ durationMs: expect.any(Number), status: 'Success' });
  });

  test('uses the default row count from the environment, and ignores unknown event fields', async () => {
    const result = await handler({ hello: 'world', rows: undefined }, lambdaContext());
    expect(result.rows).toBe(50);
    expect(parse(uploadedText(), { columns: true })).toHaveLength(50);
  });

  test('without a seed anywhere, derives one from the request id, logs how to reproduce the run, and returns it', async () => {
    const context = lambdaContext();
    const result = await handler({}, context);
    const retry = await handler({}, lambdaContext(context.awsRequestId));
    const other = await handler({}, lambdaContext());

    const start = logsOfStep('start')[0];
    expect(start).toMatchObject({ seedSource: 'requestId', seed: result.seed, reproduceWith: { rows: 50, seed: result.seed } });
    expect(result.seed).toBeGreaterThanOrEqual(0);
    expect(result.seed).toBeLessThanOrEqual(MAX_SEED);
    // A retry of the request makes the same file; another request makes another.
    expect(retry.seed).toBe(result.seed);
    expect(other.seed).not.toBe(result.seed);
  });

  test('uses the seed from the environment, which the event seed overrides', async () => {
    process.env[ENV.SEED] = '1234';
    const fromEnv = await handler({}, lambdaContext());
    const fromEvent = await handler({ seed: 99 }, lambdaContext());

    expect(fromEnv.seed).toBe(1234);
    expect(fromEvent.seed).toBe(99);
    expect(logsOfStep('start').map((l) => l.seedSource)).toEqual(['environment', 'event']);
  });
});

describe('the spool under the temp dir', () => {
  test('holds the CSV on its way to S3 and is empty afterwards', async () => {
    const context = lambdaContext();
    const opened: string[] = [];
    const realOpen = nodeFsp.open;
    jest.spyOn(nodeFsp, 'open').mockImplementation((file, ...rest) => {
      opened.push(String(file));
      return realOpen(file, ...rest);
    });

    const result = await handler({ rows: 5 }, context);

    expect(opened).toEqual([path.join(tmpDir, `synthetic-data-${context.awsRequestId}-part1.csv`)]);
    expect(Buffer.byteLength(uploadedText())).toBe(result.bytes);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });

  test('leftovers of earlier invocations are removed at start; other files in the temp dir are kept', async () => {
    const leftovers = ['synthetic-data-11111111-2222-4333-8444-555555555555.csv', 'synthetic-data-crashed.csv'];
    const others = ['other.csv', 'synthetic-data-notes.txt', 'my-synthetic-data-1.csv'];
    for (const name of [...leftovers, ...others]) fs.writeFileSync(path.join(tmpDir, name), 'x');

    await handler({ rows: 5 }, lambdaContext());

    expect(fs.readdirSync(tmpDir).sort()).toEqual([...others].sort());
    expect(logsOfStep('start')[0]).toMatchObject({ tmpDir, leftoverFilesRemoved: 2 });
  });

  test('is emptied when the upload fails, and an S3 outage is explained with the request, the answer and what to do', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('InternalError', 500, 'We encountered an internal error'));
    const context = lambdaContext();

    await expect(handler({ rows: 5 }, context)).rejects.toThrow(
      `S3 did not accept PutObject for s3://my-bucket/synthetic-data/sales/sales_${context.awsRequestId}.csv (InternalError, HTTP 500): `
      + 'We encountered an internal error. The upload was abandoned and any multipart upload it started was aborted, so no partial object is left. '
      + "S3 was throttling (503 SlowDown), failing or unreachable for longer than the client's retries cover (up to 5 attempts per request, with exponential backoff): invoke again later.",
    );

    expect(spoolFiles()).toEqual([]);
    expect(logsOfStep('failed')[0]).toMatchObject({
      failedStep: 'upload', level: 'ERROR', input: { request: 'PutObject', httpStatus: 500, errorName: 'InternalError', maxAttempts: 5 },
    });
  });

  test('a small file needs only its own size in the temp dir, not a whole part', async () => {
    const realStatfs = nodeFs.statfsSync;
    // 1 MiB free: 5 rows (about 700 bytes) fit.
    jest.spyOn(nodeFs, 'statfsSync').mockImplementation(((dir: string) => ({ ...realStatfs(dir), bsize: 4096, bavail: 256, blocks: 1024 })) as typeof nodeFs.statfsSync);

    await expect(handler({ rows: 5 }, lambdaContext())).resolves.toMatchObject({ status: 'Success', rows: 5 });
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  test('too little free space is found before anything is written or uploaded, and explained', async () => {
    const realStatfs = nodeFs.statfsSync;
    // 1 MiB free of 4 MiB: less than one 8 MiB part, which 100,000 rows (about 14 MB) need.
    process.env[ENV.MAX_ROWS] = '100000';
    jest.spyOn(nodeFs, 'statfsSync').mockImplementation(((dir: string) => ({ ...realStatfs(dir), bsize: 4096, bavail: 256, blocks: 1024 })) as typeof nodeFs.statfsSync);

    await expect(handler({ rows: 100_000 }, lambdaContext())).rejects.toThrow(
      `The temp dir ${tmpDir} has too little free space to spool the object: 1048576 of 4194304 bytes (1.0 MiB of 4.0 MiB) are free, `
      + 'and the spool needs 8388608 bytes (8.0 MiB, one upload part) before anything is uploaded. Nothing was written or uploaded.',
    );

    expect(s3Mock.calls()).toHaveLength(0);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
    expect(logsOfStep('failed')[0]).toMatchObject({
      failedStep: 'write', input: { tmpDir, freeBytes: 1048576, totalBytes: 4194304, neededBytes: 8388608 },
    });
    expect(String(logsOfStep('failed')[0].fix)).toMatch(/ephemeralStorageSize/);
  });

  test('an unwritable temp dir is explained, and nothing is uploaded', async () => {
    // A path under a regular file cannot be created, whoever runs the test (root included).
    const notADir = path.join(tmpDir, 'file');
    fs.writeFileSync(notADir, '');
    process.env.TMPDIR = path.join(notADir, 'tmp');

    await expect(handler({ rows: 5 }, lambdaContext())).rejects.toThrow(/only \/tmp is writable.*TMPDIR/);

    expect(s3Mock.calls()).toHaveLength(0);
    const failed = logsOfStep('failed')[0];
    expect(failed).toMatchObject({ failedStep: 'write', input: { code: 'ENOTDIR', TMPDIR: path.join(notADir, 'tmp') } });
    expect(String(failed.fix)).toMatch(/remove TMPDIR .* or set it to \/tmp/);
  });
  test('a temp dir that fills up while writing is explained with the bytes written, the space, and the fix; nothing is uploaded', async () => {
    // /dev/full fails every write with ENOSPC, as a full /tmp does.
    const realOpen = nodeFsp.open;
    jest.spyOn(nodeFsp, 'open').mockImplementationOnce(() => realOpen('/dev/full', 'w'));

    await expect(handler({ rows: 20 }, lambdaContext())).rejects.toThrow(
      /^The temp dir .* is full: writing .*synthetic-data-.*\.csv stopped after 0 bytes \(0\.0 MiB\) of 20 rows, and \d+ of \d+ bytes .* are free\. Nothing was uploaded\. Raise the function's ephemeral storage \(the construct prop ephemeralStorageSize, up to 10240 MiB\) or ask for fewer rows/,
    );

    expect(s3Mock.calls()).toHaveLength(0);
    expect(logsOfStep('failed')[0]).toMatchObject({
      failedStep: 'write',
      input: { tmpDir, bytesWritten: 0, rowsRequested: 20, freeBytes: expect.any(Number), totalBytes: expect.any(Number) },
    });
    expect(spoolFiles()).toEqual([]);
  });
});

describe('the deadline', () => {
  test.each([
    // Each cleanup request may take half the reserve, but at least 1 s.
    ['five minutes', 300_000, 10_000, 5_000],
    ['15 seconds', 15_000, 1_500, 1_000],
  ])('with %s left, keeps the smaller of 10 s and 10%% for cleanup and fires after the rest', (_, remaining, reserve, cleanupTimeoutMs) => {
    jest.useFakeTimers();
    try {
      const deadline = startDeadline(remaining);
      expect(deadline).toMatchObject({ remainingAtStartMs: remaining, reserveMs: reserve, budgetMs: remaining - reserve, cleanupTimeoutMs });
      jest.advanceTimersByTime(remaining - reserve - 1);
      expect(deadline.signal.aborted).toBe(false);
      jest.advanceTimersByTime(1);
      expect(deadline.signal.aborted).toBe(true);
      expect(deadline.signal.reason).toBeInstanceOf(DeadlineReachedError);
    } finally {
      jest.useRealTimers();
    }
  });

  test('an invocation with no time left stops while generating, explains what to do, and uploads nothing', async () => {
    const context = lambdaContext(newRequestId(), 0);

    const thrown = await handler({ rows: 1000 }, context).catch((e: Error) => e);

    expect(thrown).toMatchObject({ name: 'DeadlineError' });
    expect((thrown as Error).message).toMatch(new RegExp(
      `^The invocation ran out of time writing s3://my-bucket/synthetic-data/sales/sales_${context.awsRequestId}\\.csv: 0\\.0 s were left at the start, `
      + 'and after 0\\.0 s \\(keeping 0\\.0 s for cleanup\\) it was still generating rows, with 0 of the \\d+ bytes made so far uploaded \\(0 parts\\), for 1000 rows\\. ',
    ));
    expect((thrown as Error).message).toContain("Raise the function's timeout");
    expect(s3Mock.calls()).toHaveLength(0);
    expect(spoolFiles()).toEqual([]);
    expect(logsOfStep('failed')[0]).toMatchObject({ failedStep: 'write', input: { remainingAtStartMs: 0, budgetMs: 0, waitingOn: null } });
  });
});

describe('a rejected event', () => {
  test.each([
    ['a string', 'generate please'],
    ['an array', [1, 2]],
    ['rows that are not a number', { rows: 'ten' }],
    ['a negative seed', { seed: -1 }],
    ['a fractional row count', { rows: 2.5 }],
  ])('%s is rejected before anything is written or uploaded', async (_, event) => {
    await expect(handler(event, lambdaContext())).rejects.toThrow(/^(the event|event\.rows|event\.seed) is /);

    expect(s3Mock.calls()).toHaveLength(0);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
    expect(logsOfStep('start')).toHaveLength(0);
    expect(logsOfStep('failed')[0]).toMatchObject({ failedStep: 'configure', problem: expect.stringMatching(/^(the event|event\.)/) });
  });

  test('rows above the maximum are rejected, saying the maximum and how to raise it', async () => {
    await expect(handler({ rows: 1001 }, lambdaContext()))
      .rejects.toThrow('event.rows is 1001: above the maximum of 1000 rows; ask for fewer rows or raise maxRows on the construct');

    expect(s3Mock.calls()).toHaveLength(0);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });
});

describe('the configuration', () => {
  test.each([ENV.SCHEMA, ENV.BUCKET_NAME, ENV.ROWS, ENV.MAX_ROWS, ENV.KEY_PREFIX, ENV.DATASET_NAME])(
    'a missing %s is named, with a pointer to the construct',
    async (name) => {
      delete process.env[name];

      await expect(handler({}, lambdaContext())).rejects.toThrow(
        `environment variable ${name} is not set: this function should be deployed with the SyntheticDataGenerator construct, which sets it`,
      );
      expect(s3Mock.calls()).toHaveLength(0);
    },
  );

  test('an invalid schema is rejected with the validator message naming the variable', async () => {
    process.env[ENV.SCHEMA] = JSON.stringify({ columns: [{ name: 'x', type: 'faker', method: 'person.nope' }] });

    await expect(handler({}, lambdaContext())).rejects.toThrow(/^environment variable SYNTHETIC_DATA_SCHEMA\.columns\[0\] \(x\)\.method is "person\.nope"/);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  test.each([
    ['empty (the whole bucket)', '', /expected a folder such as "synthetic-data\/"/],
    ['without a trailing /', 'data', /ends with "\/" \(as "data\/"\)/],
    ['with an IAM wildcard', 'data*/', /no \* or \?, which IAM reads as wildcards/],
  ])('a key prefix %s is rejected before anything is written', async (_name, prefix, message) => {
    process.env[ENV.KEY_PREFIX] = prefix;

    await expect(handler({ rows: 1 }, lambdaContext())).rejects.toThrow(message);
    expect(s3Mock.calls()).toHaveLength(0);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });
});

describe('a retried invocation (the object already exists)', () => {
  test.each([
    ['an error named PreconditionFailed', s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold')],
    ['any HTTP 412', s3Error('UnknownError', 412)],
    // S3's answer while another conditional write to the key is in progress: an attempt of the same request, same bytes
    ['409 ConditionalRequestConflict', s3Error('ConditionalRequestConflict', 409, 'A conflicting conditional operation is currently in progress')],
  ])('%s means success with alreadyExisted, and the object is left alone', async (_, error) => {
    s3Mock.on(PutObjectCommand).rejects(error);
    const context = lambdaContext();

    const result = (await handler({ rows: 5, seed: 1 }, context)) as GeneratorResult;

    expect(result).toEqual({
      status: 'Success',
      bucket: 'my-bucket',
      key: `synthetic-data/sales/sales_${context.awsRequestId}.csv`,
      rows: 5,
      bytes: expect.any(Number),
      // of the bytes this attempt made: the same seed and rows as the stored object's, so the same bytes
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      seed: 1,
      alreadyExisted: true,
      conformance: { checks: expect.any(Number), failed: 0 },
    });
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(1);
    const line = logsOfStep('alreadyExisted')[0];
    expect(line).toMatchObject({ level: 'INFO', bucket: 'my-bucket', key: result.key });
    expect(line.message).toMatch(/already written by an earlier attempt.*left unchanged/);
    expect(logsOfStep('uploaded')).toHaveLength(0);
    expect(logsOfStep('done')[0]).toMatchObject({ alreadyExisted: true });
    expect(spoolFiles()).toEqual([]);
  });
});

describe('S3 access denied', () => {
  test('names the role, the action, the resource and the fix on the execution role; the invocation fails', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    const context = lambdaContext();
    const resource = `arn:aws:s3:::my-bucket/synthetic-data/sales/sales_${context.awsRequestId}.csv`;

    const thrown = await handler({ rows: 5 }, context).catch((e: Error) => e);

    expect(thrown).toBeInstanceOf(Error);
    const message = (thrown as Error).message;
    expect(message).toContain(`the execution role GeneratorRole (${ROLE_ARN}) may not do s3:PutObject on ${resource}`);
    expect(message).toContain("missing on the function's execution role, not on the user who invoked the function");
    expect(message).toContain('allow s3:PutObject on arn:aws:s3:::my-bucket/synthetic-data/*');
    expect(message).toContain('Let the SyntheticDataGenerator construct create the role, or add that statement to the role you passed to it');

    const line = logsOfStep('failed')[0];
    expect(line).toMatchObject({
      level: 'ERROR',
      failedStep: 'upload',
      function_request_id: context.awsRequestId,
      input: { identity: ROLE_ARN, role: 'GeneratorRole', actions: ['s3:PutObject'], resource, s3Message: 'Access Denied' },
    });
    expect(`${line.problem} ${line.fix}`).toBe(message);
    expect(stsMock.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
    expect(spoolFiles()).toEqual([]);
  });

  test('falls back to "the function\'s execution role" when STS cannot say who ran', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    stsMock.on(GetCallerIdentityCommand).rejects(new Error('connect ETIMEDOUT'));

    await expect(handler({ rows: 5 }, lambdaContext())).rejects.toThrow(
      /\(AccessDenied\): the function's execution role may not do s3:PutObject on arn:aws:s3:::my-bucket\//,
    );
  });

  test('a multipart upload also names s3:AbortMultipartUpload', async () => {
    // About 10 MB of CSV: past the 8 MiB part size, so the writer starts a multipart upload.
    process.env[ENV.SCHEMA] = JSON.stringify({ columns: [{ name: 'text', type: 'faker', method: 'lorem.paragraphs' }] });
    process.env[ENV.MAX_ROWS] = '100000';
    s3Mock.on(CreateMultipartUploadCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));

    await expect(handler({ rows: 20_000, seed: 1 }, lambdaContext())).rejects.toThrow(
      /may not do s3:PutObject \/ s3:AbortMultipartUpload on .* allow s3:PutObject and s3:AbortMultipartUpload on arn:aws:s3:::my-bucket\/synthetic-data\/\*/,
    );
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(s3Mock.commandCalls(UploadPartCommand)).toHaveLength(0);
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0); // no upload id, nothing to abort
    expect(spoolFiles()).toEqual([]);
  });
});

describe('row generation', () => {
  const schema: SchemaDocument = parseSchemaDocument(JSON.stringify(SCHEMA));
  const csvOf = async (seed: number, rows: number) => (await expectedCsv(schema, seed, rows)).toString('utf8');

  test('the same seed and row count give the same CSV text; another seed gives another', async () => {
    expect(await csvOf(42, 300)).toBe(await csvOf(42, 300));
    expect(await csvOf(43, 300)).not.toBe(await csvOf(42, 300));
  });

  test('the handler uploads byte-identical files for the same seed, whatever the request', async () => {
    await handler({ rows: 100, seed: 5 }, lambdaContext());
    await handler({ rows: 100, seed: 5 }, lambdaContext());
    await handler({ rows: 100, seed: 6 }, lambdaContext());

    expect(uploadedText(0)).toBe(uploadedText(1));
    expect(uploadedText(2)).not.toBe(uploadedText(0));
    expect(uploadedText(0)).toBe(await csvOf(5, 100));
  });

  test('relative faker dates do not depend on the day the generator runs', async () => {
    const dated = parseSchemaDocument(JSON.stringify({ columns: [{ name: 'd', type: 'faker', method: 'date.recent' }] }));
    const cells = async () => parseCsv((await engineOutput({ schema: dated, seed: 9, rowCount: 5 })).bytes).slice(1).map(([d]) => d);
    const first = await cells();
    jest.useFakeTimers({ now: new Date('2031-06-01T00:00:00Z'), doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    try {
      expect(await cells()).toEqual(first);
    } finally {
      jest.useRealTimers();
    }
    expect(first[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  test('nullPercent 100 empties a column, 0 never does; zero-weight values never appear', async () => {
    const s = parseSchemaDocument(JSON.stringify({
      columns: [
        { name: 'always', type: 'integer', nullPercent: 100 },
        { name: 'never', type: 'uuid', nullPercent: 0 },
        { name: 'pick', type: 'oneOf', values: ['a', 'b'], weights: [0, 1] },
      ],
    }));
    const rows = parseCsv((await engineOutput({ schema: s, seed: 1, rowCount: 500 })).bytes).slice(1);
    expect(rows).toHaveLength(500);
    expect(rows.every(([always, never, pick]) => always === '' && never !== '' && pick === 'b')).toBe(true);
  });

  test('values holding commas, quotes, LF and CR are quoted so they parse back unchanged (RFC 4180)', async () => {
    const tricky = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'carriage\rreturn'];
    const s = parseSchemaDocument(JSON.stringify({ columns: tricky.map((value, i) => ({ name: `c${i + 1}`, type: 'oneOf', values: [value] })) }));
    const text = (await engineOutput({ schema: s, seed: 1, rowCount: 1 })).bytes.toString('utf8');

    expect(text).toBe('c1,c2,c3,c4,c5\nplain,"a,b","say ""hi""","two\nlines","carriage\rreturn"\n');
    expect(parse(text, { columns: true })[0]).toEqual({ c1: 'plain', c2: 'a,b', c3: 'say "hi"', c4: 'two\nlines', c5: 'carriage\rreturn' });
  });
});

describe('the steps of a sharded run', () => {
  const parts = 3;
  const schema: SchemaDocument = parseSchemaDocument(JSON.stringify(SCHEMA));
  beforeEach(() => {
    process.env[ENV.ROWS] = '100';
    process.env[ENV.SHARDS] = String(parts);
  });
  const plan = async (runId: string) => handler({ action: 'planRun' as const, input: { runId }, executionName: 'ignored' }, lambdaContext());
  const putKeys = () => s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
  const bodyOf = (key: string) => {
    const put = s3Mock.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === key);
    return Buffer.from(put!.args[0].input.Body as Uint8Array);
  };

  test('without a seed prop, a run\'s seed comes from its run id: the same for every start of it, another for another run id', async () => {
    const first = await plan('nightly-1');
    const again = await plan('nightly-1');
    const other = await plan('nightly-2');

    expect(first).toMatchObject({ runId: 'nightly-1', seed: seedFromRunId('nightly-1'), rows: 100 });
    expect(first.parts).toEqual([{ index: 0, firstRow: 0, rows: 34 }, { index: 1, firstRow: 34, rows: 33 }, { index: 2, firstRow: 67, rows: 33 }]);
    expect(again).toEqual(first);
    expect(other.seed).not.toBe(first.seed);
    expect(logsOfStep('planned')[0]).toMatchObject({ runId: 'nightly-1', seedSource: 'runId', parts });
  });

  test('a part is the run\'s rows [firstRow, firstRow + rows) with the header, under <prefix><dataset>/<runId>/, made with the run\'s seed', async () => {
    const { settings, seed, parts: planned } = await plan('nightly-1');
    const result = await handler({ action: 'writePart' as const, runId: 'nightly-1', settings, part: planned[1] }, lambdaContext());

    const key = 'synthetic-data/sales/nightly-1/part-00001.csv';
    const expected = (await engineOutput({ schema, seed, firstRow: 34, rowCount: 33 })).bytes;
    expect(putKeys()).toEqual([key]);
    expect(bodyOf(key).equals(expected)).toBe(true);
    expect(result).toMatchObject({ status: 'Success', key, runId: 'nightly-1', index: 1, firstRow: 34, rows: 33, bytes: expected.length, sha256: sha256(expected), seed });
  });

  test('a step under settings other than the plan\'s (a deployment during the run) is refused before anything is written', async () => {
    const { settings, parts: planned } = await plan('nightly-1');
    process.env[ENV.SEED] = '5'; // deployed with a seed since the plan

    await expect(handler({ action: 'writePart' as const, runId: 'nightly-1', settings, part: planned[0] }, lambdaContext()))
      .rejects.toThrow(/settings .* changed since this run was planned/);
    await expect(handler({ action: 'writeManifest' as const, runId: 'nightly-1', settings, parts: planned.map((p) => ({ ...p, bytes: 1, sha256: 'a'.repeat(64) })) }, lambdaContext()))
      .rejects.toThrow(/settings .* changed since this run was planned/);
    expect(putKeys()).toEqual([]);
  });

  describe('the manifest', () => {
    const records = async (runId: string) => {
      const { settings, parts: planned } = await plan(runId);
      return { settings, parts: planned.map((p) => ({ ...p, bytes: 1000 + p.index, sha256: String(p.index).repeat(64) })) };
    };

    test('is written before _SUCCESS, and lists every part with its key, rows, bytes and SHA-256', async () => {
      const { settings, parts: listed } = await records('nightly-1');
      const result = await handler({ action: 'writeManifest' as const, runId: 'nightly-1', settings, parts: listed }, lambdaContext());

      const folder = 'synthetic-data/sales/nightly-1/';
      expect(putKeys()).toEqual([`${folder}_manifest.json`, `${folder}_SUCCESS`]);
      const manifest = JSON.parse(bodyOf(`${folder}_manifest.json`).toString());
      expect(manifest).toMatchObject({ runId: 'nightly-1', rows: 100, bytes: 3003, seed: seedFromRunId('nightly-1'), schema });
      expect(manifest.parts[2]).toEqual({ index: 2, key: `${folder}part-00002.csv`, firstRow: 67, rows: 33, bytes: 1002, sha256: '2'.repeat(64) });
      expect(bodyOf(`${folder}_SUCCESS`)).toHaveLength(0);
      expect(result).toEqual({
        status: 'Success',
        bucket: 'my-bucket',
        runId: 'nightly-1',
        manifestKey: `${folder}_manifest.json`,
        successKey: `${folder}_SUCCESS`,
        prefix: folder,
        parts,
        rows: 100,
        bytes: 3003,
        seed: seedFromRunId('nightly-1'),
      });
    });

    test('when writing it fails, _SUCCESS is not written', async () => {
      const { settings, parts: listed } = await records('nightly-1');
      s3Mock.on(PutObjectCommand).rejects(s3Error('InternalError', 500));

      await expect(handler({ action: 'writeManifest' as const, runId: 'nightly-1', settings, parts: listed }, lambdaContext())).rejects.toThrow(/PutObject/);
      expect(putKeys()).toEqual(['synthetic-data/sales/nightly-1/_manifest.json']);
    });

    test('already there (the run was started again): left unchanged, reported, and _SUCCESS made sure of', async () => {
      const { settings, parts: listed } = await records('nightly-1');
      s3Mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));

      const result = await handler({ action: 'writeManifest' as const, runId: 'nightly-1', settings, parts: listed }, lambdaContext());
      expect(result).toMatchObject({ status: 'Success', alreadyExisted: true });
      expect(putKeys()).toEqual(['synthetic-data/sales/nightly-1/_manifest.json', 'synthetic-data/sales/nightly-1/_SUCCESS']);
    });
  });

  test('a part that runs out of time is told to use more shards or a longer timeout, not a smaller test event', async () => {
    const { settings, parts: planned } = await plan('nightly-1');

    // no time left: the deadline fires while rows are made
    const failure = handler({ action: 'writePart' as const, runId: 'nightly-1', settings, part: planned[0] }, lambdaContext(newRequestId(), 0));
    await expect(failure).rejects.toMatchObject({ name: 'DeadlineError' });
    expect(putKeys()).toEqual([]);
    const [logged] = logsOfStep('failed');
    expect(logged.fix).toMatch(/split the run into more, smaller parts \(the construct prop shards/);
    expect(logged.fix).not.toMatch(/test event/);
  });
});

describe('metrics in Embedded Metric Format', () => {
  const emfRecords = () => logLines.filter((line) => line._aws !== undefined) as Array<Record<string, any>>;

  test('an invocation writes one EMF record: rows, bytes, duration and rows per second, by service and dataset only', async () => {
    const result = await handler({ rows: 25, seed: 42 }, lambdaContext());
    const [record, ...more] = emfRecords();
    expect(more).toEqual([]);
    const [directive] = record._aws.CloudWatchMetrics;
    expect(directive.Namespace).toBe('CdkSyntheticData');
    expect(directive.Dimensions).toEqual([['service', 'dataset']]);
    expect(Object.fromEntries(directive.Metrics.map((m: { Name: string; Unit: string }) => [m.Name, m.Unit]))).toMatchObject({
      RowsWritten: 'Count', BytesWritten: 'Bytes', GenerationDuration: 'Milliseconds', RowsPerSecond: 'Count/Second',
    });
    expect(record).toMatchObject({ service: 'synthetic-data-generator', dataset: 'sales', RowsWritten: 25, BytesWritten: result.bytes });
    expect(record.GenerationDuration).toBeGreaterThanOrEqual(0);
    expect(record.RowsPerSecond).toBeGreaterThanOrEqual(0);
  });

  test('an object that was already there counts no rows written; a failed invocation counts a failure, whatever failed', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    await handler({ rows: 25, seed: 42 }, lambdaContext());
    expect(emfRecords()[0]).toMatchObject({ RowsWritten: 0, BytesWritten: 0 });

    process.env[ENV.SCHEMA] = '{"columns": []}';
    await expect(handler({}, lambdaContext())).rejects.toThrow();
    expect(emfRecords()[1]).toMatchObject({ dataset: 'sales', Failures: 1 });
    expect(emfRecords()[1].RowsWritten).toBeUndefined();
  });

  test('the first invocation of an execution environment counts a cold start, the next ones do not', async () => {
    // a fresh copy of the metrics module is a new execution environment's (the handler's S3 mock stays on the loaded one)
    let metrics: typeof import('../../lambda/metrics') | undefined;
    jest.isolateModules(() => {
      metrics = jest.requireActual<typeof import('../../lambda/metrics')>('../../lambda/metrics');
    });
    for (const requestId of ['first', 'second']) {
      metrics!.startMetrics('sales', requestId);
      metrics!.recordObject({ rows: 5, bytes: 50, durationMs: 10, alreadyExisted: false });
      metrics!.publishMetrics();
    }
    expect(emfRecords().map((r) => r.ColdStart)).toEqual([1, undefined]);
  });
});

describe('a scheduled single object (the schedule\'s event carries its scheduled time)', () => {
  test('is named after the slot and seeded from it: a firing delivered twice makes the same object under the same key', async () => {
    const event = { scheduledTime: '2026-01-01T02:00:00Z' };
    const first = (await handler(event, lambdaContext())) as GeneratorResult;
    const second = (await handler(event, lambdaContext())) as GeneratorResult;
    expect(first.key).toBe('synthetic-data/sales/sales_scheduled-20260101T020000Z.csv');
    expect(second).toEqual(first);
    expect(first.seed).toBe(seedFromRunId('scheduled-20260101T020000Z'));
    expect(uploadedText(1)).toBe(uploadedText(0));
  });

  test('a scheduled time that is not one is refused before anything is written', async () => {
    await expect(handler({ scheduledTime: 'tonight' }, lambdaContext())).rejects.toThrow(/event.scheduledTime is "tonight": expected the scheduled time/);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});

describe('a single object\'s events (prop completionEvents)', () => {
  const BUS = 'arn:aws:events:us-east-1:123456789012:event-bus/default';
  const published = () => eventsMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries![0]);

  beforeEach(() => {
    process.env[ENV.EVENT_BUS] = BUS;
    process.env[ENV.CATALOG] = '{"database":"lake","table":"sales"}';
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'generator-fn';
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  });

  test('a stored object publishes "Synthetic Dataset Ready" with what a consumer needs, version 1', async () => {
    const context = lambdaContext();
    const result = (await handler({ rows: 25, seed: 42 }, context)) as GeneratorResult;
    const [entry, ...more] = published();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ EventBusName: BUS, Source: 'cdk-synthetic-data', DetailType: 'Synthetic Dataset Ready' });
    expect(JSON.parse(entry.Detail!)).toEqual({
      version: '1',
      generator: 'generator-fn',
      dataset: 'sales',
      runId: context.awsRequestId,
      bucket: 'my-bucket',
      prefix: 'synthetic-data/sales/',
      format: 'csv',
      compression: 'none',
      catalog: { database: 'lake', table: 'sales' },
      requestId: context.awsRequestId,
      rows: 25,
      bytes: result.bytes,
      parts: 1,
      seed: 42,
      keys: [result.key],
    });
  });

  test('a failed invocation publishes "Synthetic Data Run Failed" with the error, and still fails', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    const context = lambdaContext();
    await expect(handler({ rows: 5 }, context)).rejects.toThrow(/may not do s3:PutObject/);
    const [entry] = published();
    expect(entry.DetailType).toBe('Synthetic Data Run Failed');
    expect(JSON.parse(entry.Detail!)).toMatchObject({ runId: context.awsRequestId, error: 'ExplainedError', cause: expect.stringMatching(/may not do s3:PutObject/) });
  });

  test('an event EventBridge refuses fails the invocation (Lambda retries it, and the retry finds its object), saying why', async () => {
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] });
    await expect(handler({ rows: 5 }, lambdaContext())).rejects.toThrow('EventBridge refused the "Synthetic Dataset Ready" event on '
      + `${BUS}: InternalFailure try again`);
  });

  test('without completionEvents, nothing is published', async () => {
    delete process.env[ENV.EVENT_BUS];
    await handler({ rows: 5 }, lambdaContext());
    expect(published()).toEqual([]);
  });
});

describe('a multipart upload whose CompleteMultipartUpload answer was lost', () => {
  const noSuchUpload = (attempts: number) => Object.assign(s3Error('NoSuchUpload', 404, 'The specified upload does not exist'),
    { $metadata: { httpStatusCode: 404, attempts } });

  beforeEach(() => {
    // About 10 MB of CSV: past the 8 MiB part size, so the writer makes a multipart upload.
    process.env[ENV.SCHEMA] = JSON.stringify({ columns: [{ name: 'text', type: 'faker', method: 'lorem.paragraphs' }] });
    process.env[ENV.MAX_ROWS] = '100000';
    s3Mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
    s3Mock.on(UploadPartCommand).resolves({ ETag: '"part"' });
  });

  test('NoSuchUpload to the SDK\'s retry of it means the lost attempt completed the object: success, and logged so', async () => {
    s3Mock.on(CompleteMultipartUploadCommand).rejects(noSuchUpload(2));
    const result = (await handler({ rows: 20_000, seed: 1 }, lambdaContext())) as GeneratorResult;
    expect(result.status).toBe('Success');
    expect(result.alreadyExisted).toBeUndefined();
    expect(logsOfStep('uploaded')[0]).toMatchObject({ completedByLostAttempt: true, parts: 2 });
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  test('NoSuchUpload to the first attempt is a failure (the upload was ended by someone else), and the upload is aborted', async () => {
    s3Mock.on(CompleteMultipartUploadCommand).rejects(noSuchUpload(1));
    await expect(handler({ rows: 20_000, seed: 1 }, lambdaContext())).rejects.toThrow(/upload does not exist/);
  });
});

describe('a dataset of related tables, invoked once', () => {
  const BUS = 'arn:aws:events:us-east-1:123456789012:event-bus/default';
  const published = () => eventsMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries![0]);

  beforeEach(() => {
    const retail = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'retail.dataset.json'), 'utf8')) as { tables: Array<Record<string, unknown>> };
    retail.tables[0].rows = 20;
    retail.tables[1].rows = 50;
    delete process.env[ENV.SCHEMA];
    delete process.env[ENV.ROWS];
    process.env[ENV.TABLES] = JSON.stringify(retail);
  });

  test('a schedule\'s firing names every table\'s object and the manifest after its slot; delivered twice, it makes the same objects', async () => {
    const event = { scheduledTime: '2026-01-01T02:00:00Z' };
    const first = (await handler(event, lambdaContext())) as DatasetResult;
    const second = (await handler(event, lambdaContext())) as DatasetResult;
    expect(first.tables.map((table) => [table.key, table.rows])).toEqual([
      ['synthetic-data/sales/customers/customers_scheduled-20260101T020000Z.csv', 20],
      ['synthetic-data/sales/orders/orders_scheduled-20260101T020000Z.csv', 50],
      ['synthetic-data/sales/order_items/order_items_scheduled-20260101T020000Z.csv', 150],
    ]);
    expect(first.manifestKey).toBe('synthetic-data/sales/_manifest_scheduled-20260101T020000Z.json');
    expect(first.seed).toBe(seedFromRunId('scheduled-20260101T020000Z'));
    expect(second.tables.map((table) => table.sha256)).toEqual(first.tables.map((table) => table.sha256));
    expect(first.conformance).toEqual({ checks: expect.any(Number), failed: 0 });
  });

  test('with completion events, one "Synthetic Dataset Ready" lists every table\'s object, the manifest, and every catalog table', async () => {
    process.env[ENV.EVENT_BUS] = BUS;
    process.env[ENV.CATALOG] = '{"database":"lake","tables":["customers","orders","order_items"]}';
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'generator-fn';
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    const result = (await handler({ seed: 3 }, lambdaContext())) as DatasetResult;
    const [entry, ...more] = published();
    expect(more).toEqual([]);
    expect(JSON.parse(entry.Detail!)).toMatchObject({
      catalog: { database: 'lake', tables: ['customers', 'orders', 'order_items'] },
      rows: 220,
      bytes: result.bytes,
      parts: 3,
      seed: 3,
      keys: result.tables.map((table) => table.key),
      manifestKey: result.manifestKey,
    });
  });

  test('an event may not give rows: each table has its own', async () => {
    await expect(handler({ rows: 10 }, lambdaContext())).rejects.toThrow(
      'event.rows is 10, but this function makes a dataset of tables, each with its own rows (customers 20, orders 50, order_items 150)',
    );
  });
});

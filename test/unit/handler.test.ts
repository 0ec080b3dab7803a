/**
 * The handler making a single object: what a successful invocation uploads and logs, how it spools under the temp
 * dir, how it meets its deadline, which events and configurations it refuses and how it explains them, a retried
 * invocation, S3 access denied, and the rows it generates. S3 and STS are faked by aws-sdk-client-mock and each
 * test gets a fresh temp dir (test/support/handler-harness.ts); the runs (sharded, scheduled, with events, of a
 * dataset) are in handler-runs.test.ts. Wire behaviour (retries, real conditional writes, IAM) is tested against
 * the local cloud instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { parse } from 'csv-parse/sync';
import { DeadlineReachedError, startDeadline } from '../../lambda/deadline';
import { handler, type GeneratorResult } from '../../lambda/handler';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { ENV } from '../../src/contract/environment';
import { parseSchemaDocument } from '../../src/contract/schema-document';
import { MAX_SEED } from '../../src/contract/settings';
import { engineOutput, parseCsv } from '../support/engine-output';
import { expectedCsv } from '../support/expected-csv';
import {
  ROLE_ARN, SCHEMA, current, installHandlerHarness, lambdaContext, logsOfStep, newRequestId, nodeFs, nodeFsp, s3Error, s3Mock, spoolFiles, stsMock,
  uploadedText,
} from '../support/handler-harness';

installHandlerHarness();

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
    expect(current.logLines.map((line) => line.step ?? (line._aws ? 'metrics' : undefined))).toEqual(['start', 'written', 'uploaded', 'done', 'metrics']);
    for (const line of current.logLines) {
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
      spoolDir: current.tmpDir,
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

    expect(opened).toEqual([path.join(current.tmpDir, `synthetic-data-${context.awsRequestId}-part1.csv`)]);
    expect(Buffer.byteLength(uploadedText())).toBe(result.bytes);
    expect(fs.readdirSync(current.tmpDir)).toEqual([]);
  });

  test('leftovers of earlier invocations are removed at start; other files in the temp dir are kept', async () => {
    const leftovers = ['synthetic-data-11111111-2222-4333-8444-555555555555.csv', 'synthetic-data-crashed.csv'];
    const others = ['other.csv', 'synthetic-data-notes.txt', 'my-synthetic-data-1.csv'];
    for (const name of [...leftovers, ...others]) fs.writeFileSync(path.join(current.tmpDir, name), 'x');

    await handler({ rows: 5 }, lambdaContext());

    expect(fs.readdirSync(current.tmpDir).sort()).toEqual([...others].sort());
    expect(logsOfStep('start')[0]).toMatchObject({ tmpDir: current.tmpDir, leftoverFilesRemoved: 2 });
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
      `The temp dir ${current.tmpDir} has too little free space to spool the object: 1048576 of 4194304 bytes (1.0 MiB of 4.0 MiB) are free, `
      + 'and the spool needs 8388608 bytes (8.0 MiB, one upload part) before anything is uploaded. Nothing was written or uploaded.',
    );

    expect(s3Mock.calls()).toHaveLength(0);
    expect(fs.readdirSync(current.tmpDir)).toEqual([]);
    expect(logsOfStep('failed')[0]).toMatchObject({
      failedStep: 'write', input: { tmpDir: current.tmpDir, freeBytes: 1048576, totalBytes: 4194304, neededBytes: 8388608 },
    });
    expect(String(logsOfStep('failed')[0].fix)).toMatch(/ephemeralStorageSize/);
  });

  test('an unwritable temp dir is explained, and nothing is uploaded', async () => {
    // A path under a regular file cannot be created, whoever runs the test (root included).
    const notADir = path.join(current.tmpDir, 'file');
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
      input: { tmpDir: current.tmpDir, bytesWritten: 0, rowsRequested: 20, freeBytes: expect.any(Number), totalBytes: expect.any(Number) },
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
    expect(fs.readdirSync(current.tmpDir)).toEqual([]);
    expect(logsOfStep('start')).toHaveLength(0);
    expect(logsOfStep('failed')[0]).toMatchObject({ failedStep: 'configure', problem: expect.stringMatching(/^(the event|event\.)/) });
  });

  test('rows above the maximum are rejected, saying the maximum and how to raise it', async () => {
    await expect(handler({ rows: 1001 }, lambdaContext()))
      .rejects.toThrow('event.rows is 1001: above the maximum of 1000 rows; ask for fewer rows or raise maxRows on the construct');

    expect(s3Mock.calls()).toHaveLength(0);
    expect(fs.readdirSync(current.tmpDir)).toEqual([]);
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
    expect(fs.readdirSync(current.tmpDir)).toEqual([]);
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

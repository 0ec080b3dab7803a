/**
 * The handler's runs beyond one test invocation: the steps of a sharded run (plan, parts, manifest), its metrics
 * in Embedded Metric Format, a scheduled single object, a single object's completion events, a multipart upload
 * whose completion answer was lost, and a dataset of related tables invoked once. S3, STS and EventBridge are
 * faked by aws-sdk-client-mock and each test gets a fresh temp dir (test/support/handler-harness.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { handler, type DatasetResult, type GeneratorResult } from '../../lambda/handler';
import { seedFromRunId } from '../../lambda/seed';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { ENV } from '../../src/contract/environment';
import { parseSchemaDocument } from '../../src/contract/schema-document';
import { engineOutput } from '../support/engine-output';
import { sha256 } from '../support/expected-csv';
import {
  SCHEMA, current, eventsMock, installHandlerHarness, lambdaContext, logsOfStep, newRequestId, s3Error, s3Mock, uploadedText,
} from '../support/handler-harness';

installHandlerHarness();

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
  const emfRecords = () => current.logLines.filter((line) => line._aws !== undefined) as Array<Record<string, any>>;

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
    retail.tables[0].rows = 20; // customers: orders, their items and shipments follow by count laws
    retail.tables[1].rows = 50; // products
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
      ['synthetic-data/sales/products/products_scheduled-20260101T020000Z.csv', 50],
      ['synthetic-data/sales/orders/orders_scheduled-20260101T020000Z.csv', 112],
      ['synthetic-data/sales/order_items/order_items_scheduled-20260101T020000Z.csv', 350],
      ['synthetic-data/sales/shipments/shipments_scheduled-20260101T020000Z.csv', 122],
    ]);
    expect(first.manifestKey).toBe('synthetic-data/sales/_manifest_scheduled-20260101T020000Z.json');
    expect(first.seed).toBe(seedFromRunId('scheduled-20260101T020000Z'));
    expect(second.tables.map((table) => table.sha256)).toEqual(first.tables.map((table) => table.sha256));
    expect(first.conformance).toEqual({ checks: expect.any(Number), failed: 0 });
  });

  test('with completion events, one "Synthetic Dataset Ready" lists every table\'s object, the manifest, and every catalog table', async () => {
    process.env[ENV.EVENT_BUS] = BUS;
    process.env[ENV.CATALOG] = '{"database":"lake","tables":["customers","products","orders","order_items","shipments"]}';
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'generator-fn';
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    const result = (await handler({ seed: 3 }, lambdaContext())) as DatasetResult;
    const [entry, ...more] = published();
    expect(more).toEqual([]);
    expect(JSON.parse(entry.Detail!)).toMatchObject({
      catalog: { database: 'lake', tables: ['customers', 'products', 'orders', 'order_items', 'shipments'] },
      rows: 654,
      bytes: result.bytes,
      parts: 5,
      seed: 3,
      keys: result.tables.map((table) => table.key),
      manifestKey: result.manifestKey,
    });
  });

  test('an event may not give rows: each table has its own', async () => {
    await expect(handler({ rows: 10 }, lambdaContext())).rejects.toThrow(
      'event.rows is 10, but this function makes a dataset of tables, each with its own rows (customers 20, products 50, orders 112, order_items 350, shipments 122)',
    );
  });
});

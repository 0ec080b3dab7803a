/**
 * The object writer's contract, which row generation writes into: part boundaries, backpressure, the
 * bound on /tmp, and abort. In-process against moto's S3 through the fault proxy (to hold requests and
 * count them); the handler's use of it, as its role in the sandbox, is in test/support/fault-suite.ts (run by
 * test/cloud/faults-*.test.ts, a suite per format).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AbortMultipartUploadCommand, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DEFAULT_PART_SIZE, MIN_PART_SIZE, ObjectWriteError, openObjectWriter, type CleanupProblem, type ObjectWriter, type ObjectWriterOptions,
} from '../../lambda/object-writer';
import { S3_MAX_ATTEMPTS } from '../../lambda/s3-client';
import { startFaultProxy, type FaultProxy, type LocalCloud } from '../../local-cloud';
import { sha256 } from '../support/expected-csv';
import { incompleteUploads, readObject } from '../support/local-stack';
import { sharedCloud } from '../support/shared-cloud';

const BUCKET = 'object-writer-test';
const MiB = 1024 * 1024;

let cloud: LocalCloud;
let proxy: FaultProxy;
let s3: S3Client;
let spoolDir: string;
let keyCounter = 0;

beforeAll(async () => {
  cloud = sharedCloud();
  proxy = await startFaultProxy(cloud.endpoint);
  s3 = new S3Client({ ...cloud.clientConfig(), endpoint: proxy.endpoint });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

beforeEach(() => {
  spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'object-writer-'));
});

afterEach(() => {
  proxy.reset();
  fs.rmSync(spoolDir, { recursive: true, force: true });
});

afterAll(async () => {
  s3?.destroy();
  await proxy?.close();
  await cloud?.stop();
});

function newKey(): string {
  keyCounter += 1;
  return `synthetic-data/writer-${keyCounter}.csv`;
}

function open(key: string, options: Partial<ObjectWriterOptions> = {}): ObjectWriter {
  return openObjectWriter({ s3, bucket: BUCKET, key, spoolDir, requestId: `request-${keyCounter}`, ...options });
}

/** `size` bytes that differ from offset to offset, so a misplaced part would show. */
function bytesOf(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + Math.floor(i / 8192)) % 251;
  return bytes;
}

async function writeAll(writer: ObjectWriter, bytes: Buffer, chunkSize = MiB): Promise<void> {
  for (let offset = 0; offset < bytes.byteLength; offset += chunkSize) await writer.write(bytes.subarray(offset, offset + chunkSize));
}

describe('part boundaries', () => {
  test.each([
    ['no bytes at all', 0, 'PutObject', 1],
    ['exactly one part', DEFAULT_PART_SIZE, 'PutObject', 1],
    ['one byte more than a part', DEFAULT_PART_SIZE + 1, 'UploadPart', 2],
    ['two and a half parts', DEFAULT_PART_SIZE * 2.5, 'UploadPart', 3],
  ] as const)('%s: stored byte-exact, with the requests it needs', async (_, size, operation, parts) => {
    const key = newKey();
    const bytes = bytesOf(size);
    const writer = open(key);

    await writeAll(writer, bytes);
    const outcome = await writer.finish();

    expect(outcome).toEqual({ alreadyExisted: false, bytes: size, parts, waitedForUploadsMs: expect.any(Number) });
    expect(proxy.count(operation)).toBe(parts);
    expect(proxy.count(operation === 'PutObject' ? 'UploadPart' : 'PutObject')).toBe(0);
    expect(sha256(await readObject(s3, BUCKET, key))).toBe(sha256(bytes));
    expect(fs.readdirSync(spoolDir)).toEqual([]);
  });
});

describe('retries', () => {
  test('a part whose connection hangs is abandoned at the socket timeout and sent again, byte-exact', async () => {
    // The function's client (lambda/s3-client.ts) with a 1 s socket timeout instead of 30 s.
    const impatient = new S3Client({
      ...cloud.clientConfig(), endpoint: proxy.endpoint, maxAttempts: S3_MAX_ATTEMPTS, requestHandler: { socketTimeout: 1_000 },
    });
    try {
      const key = newKey();
      const bytes = bytesOf(DEFAULT_PART_SIZE + MiB);
      proxy.addRule({ operation: 'UploadPart', partNumber: 1, fault: { kind: 'hang' }, times: 1 });
      const writer = openObjectWriter({ s3: impatient, bucket: BUCKET, key, spoolDir, requestId: 'hung-part' });

      await writeAll(writer, bytes);
      const outcome = await writer.finish();

      expect(outcome).toMatchObject({ alreadyExisted: false, parts: 2 });
      expect(proxy.requests.filter((r) => r.operation === 'UploadPart').map((r) => [r.partNumber, r.fault ?? 'answered'])).toEqual(
        expect.arrayContaining([[1, 'hang'], [1, 'answered'], [2, 'answered']]),
      );
      expect(proxy.count('UploadPart')).toBe(3);
      expect(sha256(await readObject(s3, BUCKET, key))).toBe(sha256(bytes));
    } finally {
      impatient.destroy();
    }
  });
});

describe('a key that already holds an object', () => {
  test.each([
    ['one PutObject', MiB],
    ['a multipart upload', DEFAULT_PART_SIZE + MiB],
  ])('with %s: finish() reports it, leaves it unchanged, and leaves no upload behind', async (_, size) => {
    const key = newKey();
    const first = bytesOf(size);
    const firstWriter = open(key);
    await writeAll(firstWriter, first);
    await firstWriter.finish();
    const second = open(key);
    await writeAll(second, bytesOf(size + 1));

    const outcome = await second.finish();

    expect(outcome).toMatchObject({ alreadyExisted: true, bytes: size + 1 });
    expect(sha256(await readObject(s3, BUCKET, key))).toBe(sha256(first));
    expect(await incompleteUploads(s3, BUCKET)).toEqual([]);
    expect(fs.readdirSync(spoolDir)).toEqual([]);
  });
});

describe('backpressure', () => {
  test('at most maxPartsInFlight parts upload at once, write() waits for a free slot, and /tmp holds one part', async () => {
    const key = newKey();
    const bytes = bytesOf(DEFAULT_PART_SIZE * 4 + 1);
    proxy.addRule({ operation: 'UploadPart', fault: { kind: 'hold' } });
    const writer = open(key, { maxPartsInFlight: 2 });
    let writtenBytes = 0;
    const writing = (async () => {
      for (let offset = 0; offset < bytes.byteLength; offset += MiB) {
        await writer.write(bytes.subarray(offset, offset + MiB));
        writtenBytes = Math.min(bytes.byteLength, offset + MiB);
      }
    })();

    await proxy.waitForRequest(() => proxy.held().length === 2);
    // Parts 1 and 2 are uploading and part 3 is full: the write that would start part 4 waits.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(proxy.held()).toHaveLength(2);
    expect(writtenBytes).toBe(DEFAULT_PART_SIZE * 3);
    const spooled = fs.readdirSync(spoolDir);
    expect(spooled).toHaveLength(1);
    expect(fs.statSync(path.join(spoolDir, spooled[0])).size).toBe(DEFAULT_PART_SIZE);

    proxy.release(proxy.held()[0].id);
    await proxy.waitForRequest((request) => request.operation === 'UploadPart' && request.partNumber === 3);
    expect(proxy.held().map((request) => request.partNumber)).toEqual([2, 3]);

    proxy.reset(); // releases what is held, and lets the rest through
    await writing;
    const outcome = await writer.finish();

    expect(outcome).toMatchObject({ alreadyExisted: false, bytes: bytes.byteLength, parts: 5 });
    expect(outcome.waitedForUploadsMs).toBeGreaterThan(0);
    expect(sha256(await readObject(s3, BUCKET, key))).toBe(sha256(bytes));
  });
});

describe('giving up', () => {
  test('abort() ends a multipart upload in progress: no incomplete upload, no spool file; twice is harmless; no more bytes are taken', async () => {
    const key = newKey();
    const writer = open(key);
    await writeAll(writer, bytesOf(DEFAULT_PART_SIZE + MiB));
    await proxy.waitForRequest((request) => request.operation === 'UploadPart');

    await writer.abort(new Error('the caller gave up'));
    await writer.abort();

    expect(proxy.count('AbortMultipartUpload')).toBe(1);
    expect(await incompleteUploads(s3, BUCKET)).toEqual([]);
    expect(fs.readdirSync(spoolDir)).toEqual([]);
    await expect(writer.write(Buffer.from('more'))).rejects.toThrow('write() called on an object writer that is aborted');
    await expect(writer.finish()).rejects.toThrow('finish() called on an object writer that is aborted');
  });

  test('the caller\'s signal cancels a request S3 never answers; the error says which request and how far the upload got', async () => {
    const key = newKey();
    proxy.addRule({ operation: 'UploadPart', partNumber: 2, fault: { kind: 'hang' } });
    const deadline = new AbortController();
    // One part at a time, so part 1 is stored before part 2 is sent.
    const writer = open(key, { signal: deadline.signal, maxPartsInFlight: 1 });
    await writeAll(writer, bytesOf(DEFAULT_PART_SIZE * 2 + 1));
    await proxy.waitForRequest((request) => request.operation === 'UploadPart' && request.partNumber === 2);

    const finishing = writer.finish().catch((e: unknown) => e);
    deadline.abort(new Error('deadline'));
    const error = await finishing;

    expect(error).toBeInstanceOf(ObjectWriteError);
    expect(error).toMatchObject({
      stage: 'uploadPart', partNumber: 2, progress: { bytesWritten: DEFAULT_PART_SIZE * 2 + 1, bytesUploaded: DEFAULT_PART_SIZE, partsUploaded: 1, multipart: true },
    });
    expect(proxy.count('AbortMultipartUpload')).toBe(1);
    expect(await incompleteUploads(s3, BUCKET)).toEqual([]);
    expect(fs.readdirSync(spoolDir)).toEqual([]);
  });

  test('an abort S3 refuses is reported as a cleanup problem, and the original failure is what is thrown', async () => {
    const key = newKey();
    proxy.addRule({ operation: 'CompleteMultipartUpload', fault: { kind: 'internalError' } });
    proxy.addRule({ operation: 'AbortMultipartUpload', fault: { kind: 'internalError' } });
    const problems: CleanupProblem[] = [];
    const writer = open(key, { onCleanupProblem: (problem) => problems.push(problem) });
    await writeAll(writer, bytesOf(DEFAULT_PART_SIZE + 1));

    const error = await writer.finish().catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ObjectWriteError', stage: 'completeMultipartUpload', cause: { name: 'InternalError' } });
    expect(problems).toEqual([{ what: 'abortMultipartUpload', uploadId: expect.any(String), error: expect.objectContaining({ name: 'InternalError' }) }]);
    // What the function's bucket lifecycle rule (abort incomplete multipart uploads after a day) is for.
    expect(await incompleteUploads(s3, BUCKET)).toEqual([key]);
    expect(fs.readdirSync(spoolDir)).toEqual([]);
    proxy.reset();
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: problems[0].uploadId }));
  });

  test('a part smaller than S3 allows is refused when the writer is opened', () => {
    expect(() => openObjectWriter({ s3, bucket: BUCKET, key: newKey(), spoolDir, requestId: 'r', partSize: MIN_PART_SIZE - 1 }))
      .toThrow(`partSize is ${MIN_PART_SIZE - 1}: S3 needs parts of at least ${MIN_PART_SIZE} bytes`);
  });
});

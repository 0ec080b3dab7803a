/**
 * The road every object takes: the engine's chunks in the output format (on worker threads when the function has the
 * vCPUs) → the object writer (a bounded spool under the temp dir, uploaded part by part) → S3, once per request id, with
 * the invocation's deadline on every step. Small objects (manifests, _SUCCESS) take the writer alone.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { compressionThreadForMemory, estimateObjectBytes, generateObject, workersForMemory, type ObjectRun } from './driver';
import { summarize, type ConformanceCheck } from './engine/conformance';
import { enterStep, logger, since, type Invocation } from './invocation';
import { recordObject } from './metrics';
import {
  ObjectWriteError, openObjectWriter, partsInFlightForMemory, type ObjectWriter, type ObjectWriterOptions, type WriteOutcome,
} from './object-writer';
import type { GeneratorResult } from './results';
import { createS3Client } from './s3-client';
import { removeLeftoverSpoolFiles } from './spool';
import { contentTypeOf, describeOutputFormat } from '../src/contract/output-format';
import { DEFAULTS } from '../src/contract/settings';

// Built once per execution environment and reused by warm invocations.
const s3 = createS3Client();

/** One data object to make, and what its log lines add. */
export interface DataObject {
  readonly key: string;
  readonly run: ObjectRun;
  readonly seedSource: string;
  readonly logFields?: Record<string, unknown>;
  /** Told the object's conformance checks once it is made. */
  readonly onConformance?: (checks: readonly ConformanceCheck[]) => void;
}

/** A writer of `key` in the function's bucket, spooling under the temp dir, stopped by the invocation's deadline. */
function openWriter(
  invocation: Invocation, key: string, options: Pick<ObjectWriterOptions, 'expectedBytes' | 'maxPartsInFlight' | 'contentType'>,
): ObjectWriter {
  const { config, context, deadline } = invocation;
  return openObjectWriter({
    s3,
    bucket: config.bucket,
    key,
    spoolDir: os.tmpdir(),
    requestId: context.awsRequestId,
    signal: deadline.signal,
    abortTimeoutMs: deadline.cleanupTimeoutMs,
    ...options,
    onCleanupProblem: ({ what, uploadId, file, error }) => {
      // The bucket's lifecycle rule removes an incomplete upload after a day; the next invocation, a spool file.
      logger.warn(`cleanup after a failure did not complete: ${what}`, { step: 'cleanup', uploadId, file, error: error as Error });
    },
  });
}

/** Writes a few bytes once (If-None-Match), with the same retries, deadline and explanations as the data objects. */
export async function writeSmallObject(invocation: Invocation, key: string, text: string, contentType: string): Promise<WriteOutcome> {
  const { config } = invocation;
  const body = Buffer.from(text);
  enterStep(invocation, 'upload', key, 0);
  const writer = openWriter(invocation, key, { expectedBytes: body.length, contentType });
  try {
    if (body.length > 0) await writer.write(body);
    const outcome = await writer.finish();
    logger.info(outcome.alreadyExisted ? 'already written by an earlier start of this run: the object was left unchanged' : 'uploaded', {
      step: outcome.alreadyExisted ? 'alreadyExisted' : 'uploaded', bucket: config.bucket, key, bytes: body.length,
    });
    return outcome;
  } catch (e) {
    await writer.abort(e);
    throw e;
  }
}

/** Makes one data object: the engine's chunks → the object writer, hashed on the way. */
export async function writeDataObject(invocation: Invocation, object: DataObject): Promise<GeneratorResult> {
  const { config, deadline, startedAt, progress } = invocation;
  const { key, run, seedSource } = object;
  const rows = run.rowCount;
  const columns = run.schema.columns.filter((column) => column.omit !== true).map((column) => column.name);
  // Lambda sets the function's memory size; without it (a test), assume the construct's default.
  const memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? DEFAULTS.memorySizeMb);
  const workers = workersForMemory(memoryMb, os.availableParallelism());
  const overlapCompression = compressionThreadForMemory(memoryMb, os.availableParallelism());

  const tmpDir = enterStep(invocation, 'start', key, rows);
  const leftovers = removeLeftoverSpoolFiles(tmpDir);
  if (leftovers.failed.length > 0) {
    logger.warn('could not remove some leftover files of earlier invocations', { step: 'start', tmpDir, failed: leftovers.failed });
  }
  logger.info('start', {
    step: 'start',
    ...object.logFields,
    rows,
    seed: run.seed,
    seedSource,
    bucket: config.bucket,
    key,
    format: describeOutputFormat(config.outputFormat),
    columns,
    tmpDir,
    leftoverFilesRemoved: leftovers.removed.length,
    timeBudgetMs: deadline.budgetMs,
    workers,
    // A seed nobody chose is the one thing a user cannot know: say how to make the same file again.
    ...(seedSource === 'requestId' ? { reproduceWith: { rows, seed: run.seed } } : {}),
  });

  progress.step = 'write';
  const writeStartedAt = performance.now();
  const writer = openWriter(invocation, key, {
    maxPartsInFlight: partsInFlightForMemory(memoryMb),
    // A small file needs only its own size in /tmp, not a whole part's.
    expectedBytes: await estimateObjectBytes(run),
    contentType: contentTypeOf(config.outputFormat),
  });
  try {
    let firstByteMs: number | undefined;
    // The manifest lists each part's SHA-256: computed from the bytes as they go, never read back.
    const hash = createHash('sha256');
    const sink = {
      // The writer has appended a chunk to its spool file by the time write() resolves.
      copiesChunks: true,
      write: (chunk: Uint8Array) => {
        firstByteMs ??= since(startedAt);
        hash.update(chunk);
        return writer.write(chunk);
      },
    };
    // Worker threads run this same bundled file (a function's code is one file); under a test runner
    // the source is TypeScript, which a worker cannot load, so rows stay on this thread there.
    const workerScript = __filename.endsWith('.js') ? __filename : undefined;
    const report = await generateObject(run, sink, { workers, workerScript, overlapCompression, signal: deadline.signal });
    const sha256 = hash.digest('hex');
    logger.info('written', {
      step: 'written',
      ...object.logFields,
      rows: report.rows,
      bytes: report.bytes,
      ...(report.uncompressedBytes !== report.bytes ? { uncompressedBytes: report.uncompressedBytes } : {}),
      sha256,
      durationMs: since(writeStartedAt),
      spoolDir: tmpDir,
      workers: report.workers,
      compressionThread: report.compressionThread,
      firstByteMs,
      compileMs: report.compileMs,
      generatingMs: report.generateMs,
      writingMs: report.sinkWaitMs,
      columns: report.columns,
      conformance: { ...summarize(report.conformance), checks: report.conformance },
    });

    progress.step = 'upload';
    const uploadStartedAt = performance.now();
    const outcome = await writer.finish();
    const conformance = summarize(report.conformance);
    object.onConformance?.(report.conformance);
    if (conformance.failed > 0) {
      logger.warn(`${conformance.failed} of ${conformance.checks} conformance checks failed: the data does not keep its spec`, {
        step: 'conformance', key, failed: report.conformance.filter((check: ConformanceCheck) => !check.pass),
      });
    }
    const base = { status: 'Success', bucket: config.bucket, key, rows: report.rows, bytes: report.bytes, sha256, seed: run.seed, conformance } as const;
    let result: GeneratorResult;
    if (outcome.alreadyExisted) {
      logger.info('already written by an earlier attempt: the object was left unchanged', {
        step: 'alreadyExisted', bucket: config.bucket, key, durationMs: since(uploadStartedAt),
      });
      result = { ...base, alreadyExisted: true };
    } else {
      logger.info('uploaded', {
        step: 'uploaded',
        bucket: config.bucket,
        key,
        bytes: outcome.bytes,
        parts: outcome.parts,
        durationMs: since(uploadStartedAt),
        waitedForUploadsMs: outcome.waitedForUploadsMs,
        ...(outcome.completedByLostAttempt ? { completedByLostAttempt: true } : {}),
      });
      result = base;
    }
    recordObject({ rows: result.rows, bytes: result.bytes, durationMs: since(writeStartedAt), alreadyExisted: result.alreadyExisted === true });
    logger.info('done', { step: 'done', ...object.logFields, durationMs: since(startedAt), ...result });
    return result;
  } catch (e) {
    // The engine stops at the deadline too (between chunks, or waiting on a worker thread): report it as
    // the writer reports its own cancellation, with how far the object got.
    const failure = !(e instanceof ObjectWriteError) && deadline.signal.aborted && e === deadline.signal.reason
      ? new ObjectWriteError('cancelled', writer.progress(), undefined, e) : e;
    await writer.abort(failure);
    throw failure;
  }
}

/**
 * The SyntheticDataGenerator function: one invocation makes one CSV of synthetic rows in the bucket.
 *
 * event → the engine's CSV chunks (on worker threads when the function has the vCPUs) → object writer
 * (a bounded spool under the temp dir, uploaded part by part) → S3, once per request id. Generation and
 * every S3 request stop at the invocation's deadline, leaving time to clean up and explain. Nothing is kept between invocations except the parsed configuration and
 * the SDK clients.
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { loadConfig } from './config';
import { startDeadline, type Deadline } from './deadline';
import { estimateCsvBytes, generateCsv, workersForMemory, type CsvRun } from './engine';
import {
  DeadlineError, diskSpace, explainAccessDenied, explainDeadline, ExplainedError, explainFullTempDir, explainS3Unavailable,
  explainTempDirTooSmall, explainUnwritableTempDir, FULL_CODES, lookUpCallerIdentity, UNWRITABLE_CODES,
} from './explain-errors';
import { ObjectWriteError, openObjectWriter, partsInFlightForMemory } from './object-writer';
import { S3_MAX_ATTEMPTS, createS3Client } from './s3-client';
import { attemptsOf, errorName, httpStatusOf, isAccessDenied, isS3Unavailable } from './s3-errors';
import { seedFromRequestId } from './seed';
import { removeLeftoverSpoolFiles, SpoolSpaceError } from './spool';
import { LOG_SERVICE_NAME } from '../src/contract/environment';
import { InvalidInputError } from '../src/contract/schema-document';
import { DEFAULTS, objectKey, validateInvocationEvent, type InvocationOverrides } from '../src/contract/settings';

// Built once per execution environment and reused by warm invocations.
const logger = new Logger({ serviceName: LOG_SERVICE_NAME });
const s3 = createS3Client();
// Only used to name the identity in an AccessDenied explanation: one quick attempt, never a retry storm.
const sts = new STSClient({ maxAttempts: 1 });

/** What a test event may contain; anything else in it is ignored. */
export type GeneratorEvent = InvocationOverrides;

export interface GeneratorResult {
  readonly status: 'Success';
  readonly bucket: string;
  readonly key: string;
  readonly rows: number;
  /** Size of the CSV this invocation made. */
  readonly bytes: number;
  /** The seed used: invoke again with {"rows": rows, "seed": seed} for the same file. */
  readonly seed: number;
  /** Present when an earlier attempt of this request had already written the object (left unchanged). */
  readonly alreadyExisted?: true;
}

type Step = 'configure' | 'start' | 'write' | 'upload';

/** What a failure is explained with. */
interface Target {
  readonly bucket: string;
  readonly key: string;
  readonly keyPrefix: string;
  readonly tmpDir: string;
  readonly rows: number;
  readonly deadline: Deadline;
}

export async function handler(event: unknown, context: Context): Promise<GeneratorResult> {
  logger.addContext(context);
  const startedAt = performance.now();
  const deadline = startDeadline(context.getRemainingTimeInMillis());
  let step: Step = 'configure';
  let target: Target | undefined;
  try {
    // Everything that can be wrong with the configuration or the event is found before anything is written.
    const config = loadConfig();
    const overrides = validateInvocationEvent(event, config.maxRows);
    const rows = overrides.rows ?? config.rows;
    const seedSource = overrides.seed !== undefined ? 'event' : config.seed !== undefined ? 'environment' : 'requestId';
    const seed = overrides.seed ?? config.seed ?? seedFromRequestId(context.awsRequestId);
    const key = objectKey(config.keyPrefix, config.datasetName, context.awsRequestId);
    const columns = config.schema.columns.map((column) => column.name);
    // Lambda sets the function's memory size; without it (a test), assume the construct's default.
    const memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? DEFAULTS.memorySizeMb);
    const workers = workersForMemory(memoryMb, os.availableParallelism());

    step = 'start';
    const tmpDir = os.tmpdir();
    target = { bucket: config.bucket, key, keyPrefix: config.keyPrefix, tmpDir, rows, deadline };
    const leftovers = removeLeftoverSpoolFiles(tmpDir);
    if (leftovers.failed.length > 0) {
      logger.warn('could not remove some leftover files of earlier invocations', { step: 'start', tmpDir, failed: leftovers.failed });
    }
    logger.info('start', {
      step: 'start',
      rows,
      seed,
      seedSource,
      bucket: config.bucket,
      key,
      columns,
      tmpDir,
      leftoverFilesRemoved: leftovers.removed.length,
      timeBudgetMs: deadline.budgetMs,
      workers,
      // A seed nobody chose is the one thing a user cannot know: say how to make the same file again.
      ...(seedSource === 'requestId' ? { reproduceWith: { rows, seed } } : {}),
    });

    step = 'write';
    const writeStartedAt = performance.now();
    const run: CsvRun = { schema: config.schema, seed, rowCount: rows };
    const writer = openObjectWriter({
      s3,
      bucket: config.bucket,
      key,
      spoolDir: tmpDir,
      requestId: context.awsRequestId,
      signal: deadline.signal,
      abortTimeoutMs: deadline.cleanupTimeoutMs,
      maxPartsInFlight: partsInFlightForMemory(memoryMb),
      // A small file needs only its own size in /tmp, not a whole part's.
      expectedBytes: await estimateCsvBytes(run),
      onCleanupProblem: ({ what, uploadId, file, error }) => {
        // The bucket's lifecycle rule removes an incomplete upload after a day; the next invocation, a spool file.
        logger.warn(`cleanup after a failure did not complete: ${what}`, { step: 'cleanup', uploadId, file, error: error as Error });
      },
    });
    try {
      let firstByteMs: number | undefined;
      const sink = {
        // The writer has appended a chunk to its spool file by the time write() resolves.
        copiesChunks: true,
        write: (chunk: Uint8Array) => {
          firstByteMs ??= since(startedAt);
          return writer.write(chunk);
        },
      };
      // Worker threads run this same bundled file (a function's code is one file); under a test runner
      // the source is TypeScript, which a worker cannot load, so rows stay on this thread there.
      const workerScript = __filename.endsWith('.js') ? __filename : undefined;
      const report = await generateCsv(run, sink, { workers, workerScript, signal: deadline.signal });
      logger.info('written', {
        step: 'written',
        rows: report.rows,
        bytes: report.bytes,
        durationMs: since(writeStartedAt),
        spoolDir: tmpDir,
        workers: report.workers,
        firstByteMs,
        compileMs: report.compileMs,
        generatingMs: report.generateMs,
        writingMs: report.sinkWaitMs,
        columns: report.columns,
      });

      step = 'upload';
      const uploadStartedAt = performance.now();
      const outcome = await writer.finish();
      const base = { status: 'Success', bucket: config.bucket, key, rows: report.rows, bytes: report.bytes, seed } as const;
      let result: GeneratorResult;
      if (outcome.alreadyExisted) {
        logger.info('already written by an earlier attempt of this request: the object was left unchanged', {
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
        });
        result = base;
      }
      logger.info('done', { step: 'done', durationMs: since(startedAt), ...result });
      return result;
    } catch (e) {
      // The engine stops at the deadline too (between chunks, or waiting on a worker thread): report it as
      // the writer reports its own cancellation, with how far the object got.
      const failure = !(e instanceof ObjectWriteError) && deadline.signal.aborted && e === deadline.signal.reason
        ? new ObjectWriteError('cancelled', writer.progress(), undefined, e) : e;
      await writer.abort(failure);
      throw failure;
    }
  } catch (e) {
    const explained = target ? await explainFailure(e, target) : e;
    logFailure(failedStepOf(step, e), explained);
    throw explained;
  } finally {
    deadline.dispose();
  }
}

function since(start: number): number {
  return Math.round(performance.now() - start);
}

/** The step a failure belongs to: a failed S3 request is the upload's, whenever it happened. */
function failedStepOf(step: Step, error: unknown): Step {
  if (!(error instanceof ObjectWriteError)) return step;
  return error.stage === 'spool' ? 'write' : error.stage === 'cancelled' ? step : 'upload';
}

/** The S3 request an error is about, as a user would look for it in the logs (`UploadPart 2`). */
function requestOf(error: ObjectWriteError): string | undefined {
  switch (error.stage) {
    case 'spool':
    case 'cancelled':
      return undefined;
    case 'uploadPart':
      return `UploadPart ${error.partNumber}`;
    default:
      return error.stage.charAt(0).toUpperCase() + error.stage.slice(1);
  }
}

/** Turns a failure the user can act on into an explanation; passes anything else through. */
async function explainFailure(error: unknown, target: Target): Promise<unknown> {
  const { bucket, key, tmpDir, deadline } = target;
  if (error instanceof SpoolSpaceError) {
    return new ExplainedError(explainTempDirTooSmall({
      tmpDir, freeBytes: error.freeBytes, totalBytes: error.totalBytes, neededBytes: error.neededBytes,
    }), { cause: error });
  }
  if (!(error instanceof ObjectWriteError)) return error;
  // The deadline first: once it fired, every request in flight failed because of it.
  if (deadline.signal.aborted) {
    return new DeadlineError(explainDeadline({
      bucket,
      key,
      rowsRequested: target.rows,
      remainingAtStartMs: deadline.remainingAtStartMs,
      reserveMs: deadline.reserveMs,
      budgetMs: deadline.budgetMs,
      progress: error.progress,
      waitingOn: requestOf(error),
    }), { cause: error });
  }
  const cause = error.cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (error.stage === 'spool' && code !== undefined) {
    if (FULL_CODES.has(code)) {
      return new ExplainedError(explainFullTempDir({
        filePath: error.spoolFile ?? tmpDir, tmpDir, bytesWritten: error.progress.bytesWritten, rowsRequested: target.rows, space: diskSpace(tmpDir),
      }), { cause: error });
    }
    if (UNWRITABLE_CODES.has(code) && error.progress.bytesWritten === 0) {
      return new ExplainedError(explainUnwritableTempDir({
        filePath: error.spoolFile ?? tmpDir, tmpDir, code, errorMessage: (cause as Error).message,
      }), { cause: error });
    }
    return error;
  }
  const request = requestOf(error);
  if (request === undefined) return error;
  if (isAccessDenied(cause)) {
    return new ExplainedError(explainAccessDenied({
      bucket,
      key,
      keyPrefix: target.keyPrefix,
      multipart: error.progress.multipart,
      identity: await lookUpCallerIdentity(sts),
      errorMessage: (cause as Error).message,
    }), { cause: error });
  }
  if (isS3Unavailable(cause)) {
    return new ExplainedError(explainS3Unavailable({
      bucket,
      key,
      request,
      attempts: attemptsOf(cause),
      maxAttempts: S3_MAX_ATTEMPTS,
      errorName: errorName(cause),
      httpStatus: httpStatusOf(cause),
      errorMessage: (cause as Error).message,
    }), { cause: error });
  }
  return error;
}

function logFailure(step: Step, error: unknown): void {
  if (error instanceof ExplainedError) {
    const { problem, input, fix } = error.explanation;
    logger.error(problem, { step: 'failed', failedStep: step, problem, input, fix });
  } else if (error instanceof InvalidInputError) {
    logger.error(error.message, { step: 'failed', failedStep: step, problem: error.message });
  } else {
    logger.error(`${step} failed`, { step: 'failed', failedStep: step, error: error as Error });
  }
}

/**
 * The SyntheticDataGenerator function: one invocation makes one CSV of synthetic rows in the bucket.
 *
 * event → rows from the schema → CSV spooled under the temp dir → S3 (once per request id) → file removed.
 * Nothing is kept between invocations except the parsed configuration and the SDK clients.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { loadConfig } from './config';
import { CsvFileError, removeLeftoverSpoolFiles, spoolFilePath, writeCsvFile } from './csv-file';
import {
  diskSpace, explainAccessDenied, ExplainedError, explainFullTempDir, explainUnwritableTempDir, FULL_CODES,
  lookUpCallerIdentity, UNWRITABLE_CODES,
} from './explain-errors';
import { columnNames, generateRows } from './rows';
import { seedFromRequestId } from './seed';
import { isAccessDenied, PART_SIZE, uploadFileOnce } from './upload';
import { LOG_SERVICE_NAME } from '../src/contract/environment';
import { InvalidInputError } from '../src/contract/schema-document';
import { objectKey, validateInvocationEvent, type InvocationOverrides } from '../src/contract/settings';

// Built once per execution environment and reused by warm invocations. No credentials here: the SDK's
// default chain uses the execution role, and honours AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_STS.
const logger = new Logger({ serviceName: LOG_SERVICE_NAME });
const s3 = new S3Client({});
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

export async function handler(event: unknown, context: Context): Promise<GeneratorResult> {
  logger.addContext(context);
  const startedAt = performance.now();
  let step: Step = 'configure';
  try {
    // Everything that can be wrong with the configuration or the event is found before anything is written.
    const config = loadConfig();
    const overrides = validateInvocationEvent(event, config.maxRows);
    const rows = overrides.rows ?? config.rows;
    const seedSource = overrides.seed !== undefined ? 'event' : config.seed !== undefined ? 'environment' : 'requestId';
    const seed = overrides.seed ?? config.seed ?? seedFromRequestId(context.awsRequestId);
    const key = objectKey(config.keyPrefix, config.datasetName, context.awsRequestId);
    const columns = columnNames(config.schema);

    step = 'start';
    const tmpDir = os.tmpdir();
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
      // A seed nobody chose is the one thing a user cannot know: say how to make the same file again.
      ...(seedSource === 'requestId' ? { reproduceWith: { rows, seed } } : {}),
    });

    const filePath = spoolFilePath(tmpDir, context.awsRequestId);
    try {
      step = 'write';
      const writeStartedAt = performance.now();
      const written = await writeCsvFile(filePath, columns, generateRows(config.schema, seed, rows)).catch((e: unknown) => {
        throw explainFileError(e, tmpDir, rows);
      });
      logger.info('written', { step: 'written', rows: written.rows, bytes: written.bytes, durationMs: since(writeStartedAt), filePath });

      step = 'upload';
      const uploadStartedAt = performance.now();
      const target = { bucket: config.bucket, key, filePath };
      const outcome = await uploadFileOnce(s3, target).catch(async (e: unknown) => {
        if (!isAccessDenied(e)) throw e;
        throw new ExplainedError(explainAccessDenied({
          bucket: config.bucket,
          key,
          keyPrefix: config.keyPrefix,
          multipart: written.bytes > PART_SIZE,
          identity: await lookUpCallerIdentity(sts),
          errorMessage: (e as Error).message,
        }), { cause: e });
      });
      const base = { status: 'Success', bucket: config.bucket, key, rows: written.rows, bytes: written.bytes, seed } as const;
      let result: GeneratorResult;
      if (outcome.alreadyExisted) {
        logger.info('already written by an earlier attempt of this request: the object was left unchanged', {
          step: 'alreadyExisted', bucket: config.bucket, key, durationMs: since(uploadStartedAt),
        });
        result = { ...base, alreadyExisted: true };
      } else {
        logger.info('uploaded', { step: 'uploaded', bucket: config.bucket, key, bytes: written.bytes, durationMs: since(uploadStartedAt) });
        result = base;
      }
      logger.info('done', { step: 'done', durationMs: since(startedAt), ...result });
      return result;
    } finally {
      removeSpoolFile(filePath);
    }
  } catch (e) {
    logFailure(step, e);
    throw e;
  }
}

function since(start: number): number {
  return Math.round(performance.now() - start);
}

/** Turns a file-system failure the user can fix into an explanation; passes anything else through. */
function explainFileError(error: unknown, tmpDir: string, rowsRequested: number): unknown {
  if (!(error instanceof CsvFileError) || error.code === undefined) return error;
  if (FULL_CODES.has(error.code)) {
    return new ExplainedError(explainFullTempDir({
      filePath: error.filePath, tmpDir, bytesWritten: error.bytesWritten, rowsRequested, space: diskSpace(tmpDir),
    }), { cause: error });
  }
  if (UNWRITABLE_CODES.has(error.code) && error.bytesWritten === 0) {
    return new ExplainedError(explainUnwritableTempDir({
      filePath: error.filePath, tmpDir, code: error.code, errorMessage: error.cause.message,
    }), { cause: error });
  }
  return error;
}

function removeSpoolFile(filePath: string): void {
  try {
    fs.rmSync(filePath, { force: true });
  } catch (e) {
    // The next invocation removes leftovers anyway; do not let this hide the real outcome.
    logger.warn('could not remove the local CSV file', { step: 'cleanup', filePath, error: e as Error });
  }
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

/**
 * The failure mapping: which step a failure belongs to, how a failure the user can act on is explained (what happened,
 * with what input, what to do), and its one `failed` log line. Anything not recognised passes through unchanged.
 */
import { STSClient } from '@aws-sdk/client-sts';
import {
  DeadlineError, diskSpace, explainAccessDenied, explainDeadline, ExplainedError, explainFullTempDir, explainS3Unavailable,
  explainTempDirTooSmall, explainUnwritableTempDir, FULL_CODES, lookUpCallerIdentity, UNWRITABLE_CODES,
} from './explain-errors';
import { logger, type Step, type Target } from './invocation';
import { ObjectWriteError } from './object-writer';
import { S3_MAX_ATTEMPTS } from './s3-client';
import { attemptsOf, errorName, httpStatusOf, isAccessDenied, isS3Unavailable } from './s3-errors';
import { SpoolSpaceError } from './spool';
import { InvalidInputError } from '../src/contract/errors';

// Only used to name the identity in an AccessDenied explanation: one quick attempt, never a retry storm.
const sts = new STSClient({ maxAttempts: 1 });

/** The step a failure belongs to: a failed S3 request is the upload's, whenever it happened. */
export function failedStepOf(step: Step, error: unknown): Step {
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
export async function explainFailure(error: unknown, target: Target): Promise<unknown> {
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
      inRun: target.inRun,
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
      inRun: target.inRun,
    }), { cause: error });
  }
  return error;
}

/** The invocation's one `failed` line: an explanation's problem, input and fix; an invalid input's message; or the error. */
export function logFailure(step: Step, error: unknown): void {
  if (error instanceof ExplainedError) {
    const { problem, input, fix } = error.explanation;
    logger.error(problem, { step: 'failed', failedStep: step, problem, input, fix });
  } else if (error instanceof InvalidInputError) {
    logger.error(error.message, { step: 'failed', failedStep: step, problem: error.message });
  } else {
    logger.error(`${step} failed`, { step: 'failed', failedStep: step, error: error as Error });
  }
}

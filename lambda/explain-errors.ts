/**
 * Explanations of the failures a user can fix: what failed, with what input, and what to do.
 *
 * The handler logs an explanation as one structured line and fails the invocation with the same text,
 * so whoever looks (the console's test result, or the logs) sees the cause and the fix together.
 */
import * as fs from 'node:fs';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

export interface Explanation {
  /** What failed, in one sentence. */
  readonly problem: string;
  /** The inputs involved (names, paths, sizes), for the log line. */
  readonly input: Readonly<Record<string, unknown>>;
  /** What to do about it. */
  readonly fix: string;
}

/** An error whose message is an explanation; the handler logs `explanation` and rethrows. */
export class ExplainedError extends Error {
  constructor(readonly explanation: Explanation, options?: { cause?: unknown }) {
    super(`${explanation.problem} ${explanation.fix}`, options);
    this.name = 'ExplainedError';
  }
}

/** The invocation's deadline passed before the object was written (the invocation's error type says so). */
export class DeadlineError extends ExplainedError {
  constructor(explanation: Explanation, options?: { cause?: unknown }) {
    super(explanation, options);
    this.name = 'DeadlineError';
  }
}

/** Who the function ran as, for an AccessDenied explanation. */
export interface CallerIdentity {
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` in Lambda, if STS answered. */
  readonly arn?: string;
  /** The execution role's name, taken from an assumed-role ARN. */
  readonly roleName?: string;
  /** How to name the identity in a sentence. */
  readonly description: string;
}

const FALLBACK_IDENTITY = "the function's execution role";

/**
 * Asks STS who we are. Only called on the error path, so it must never hide the original error:
 * it gives up after `timeoutMs` and falls back to a generic description.
 */
export async function lookUpCallerIdentity(sts: STSClient, timeoutMs = 2000): Promise<CallerIdentity> {
  try {
    const answer = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(timeoutMs) });
    const arn = answer.Arn;
    if (!arn) return { description: FALLBACK_IDENTITY };
    const roleName = /^arn:[^:]+:sts::\d+:assumed-role\/([^/]+)\//.exec(arn)?.[1];
    return roleName
      ? { arn, roleName, description: `the execution role ${roleName} (${arn})` }
      : { arn, description: arn };
  } catch {
    return { description: FALLBACK_IDENTITY };
  }
}

export function explainAccessDenied(args: {
  readonly bucket: string;
  readonly key: string;
  readonly keyPrefix: string;
  readonly multipart: boolean;
  readonly identity: CallerIdentity;
  readonly errorMessage: string;
}): Explanation {
  const actions = args.multipart ? ['s3:PutObject', 's3:AbortMultipartUpload'] : ['s3:PutObject'];
  // ARNs are per partition (aws, aws-cn, aws-us-gov): take it from the identity that was denied.
  const partition = /^arn:([a-z-]+):/.exec(args.identity.arn ?? '')?.[1] ?? 'aws';
  const resource = `arn:${partition}:s3:::${args.bucket}/${args.key}`;
  const allowResource = `arn:${partition}:s3:::${args.bucket}/${args.keyPrefix}*`;
  return {
    problem: `S3 denied the upload of s3://${args.bucket}/${args.key} (AccessDenied): ${args.identity.description} `
      + `may not do ${actions.join(' / ')} on ${resource}.`,
    input: {
      identity: args.identity.arn ?? args.identity.description,
      ...(args.identity.roleName ? { role: args.identity.roleName } : {}),
      actions,
      resource,
      s3Message: args.errorMessage,
    },
    fix: "The permission is missing on the function's execution role, not on the user who invoked the function: "
      + `allow ${actions.join(' and ')} on ${allowResource} in that role's policy. `
      + 'Let the SyntheticDataGenerator construct create the role, or add that statement to the role you passed to it. '
      + '(If the bucket is encrypted with a customer managed KMS key the role also needs kms:GenerateDataKey and kms:Decrypt on the key; '
      + 'an explicit Deny in the bucket policy has the same effect.)',
  };
}

/** Codes with which creating a file fails because the place is not writable or not there. */
export const UNWRITABLE_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOENT', 'ENOTDIR']);
/** Codes with which writing fails because the file system is full. */
export const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

export function explainUnwritableTempDir(args: {
  readonly filePath: string;
  readonly tmpDir: string;
  readonly code: string;
  readonly errorMessage: string;
}): Explanation {
  const tmpdirVariable = process.env.TMPDIR;
  return {
    problem: `Could not create the spool file ${args.filePath} (${args.code}): the temp dir ${args.tmpDir} is not writable here`
      + `${args.code === 'EROFS' ? ' (a read-only file system)' : ''}.`,
    input: { filePath: args.filePath, tmpDir: args.tmpDir, TMPDIR: tmpdirVariable ?? null, code: args.code, systemMessage: args.errorMessage },
    fix: 'In Lambda only /tmp is writable. The temp dir comes from the TMPDIR environment variable'
      + `${tmpdirVariable === undefined ? '' : ` (now ${JSON.stringify(tmpdirVariable)})`}: `
      + "remove TMPDIR from the function's environment, or set it to /tmp or a folder under /tmp.",
  };
}

export interface DiskSpace {
  readonly freeBytes: number;
  readonly totalBytes: number;
}

/** Free and total size of the file system holding `dir`, or undefined if it cannot be read. */
export function diskSpace(dir: string): DiskSpace | undefined {
  try {
    const stats = fs.statfsSync(dir);
    return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
  } catch {
    return undefined;
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function explainFullTempDir(args: {
  readonly filePath: string;
  readonly tmpDir: string;
  readonly bytesWritten: number;
  readonly rowsRequested: number;
  readonly space: DiskSpace | undefined;
}): Explanation {
  const space = args.space
    ? `${args.space.freeBytes} of ${args.space.totalBytes} bytes (${mib(args.space.freeBytes)} of ${mib(args.space.totalBytes)}) are free`
    : 'its free and total size could not be read';
  return {
    problem: `The temp dir ${args.tmpDir} is full: writing ${args.filePath} stopped after ${args.bytesWritten} bytes `
      + `(${mib(args.bytesWritten)}) of ${args.rowsRequested} rows, and ${space}. Nothing was uploaded.`,
    input: {
      filePath: args.filePath,
      tmpDir: args.tmpDir,
      bytesWritten: args.bytesWritten,
      rowsRequested: args.rowsRequested,
      ...(args.space ?? {}),
    },
    fix: "Raise the function's ephemeral storage (the construct prop ephemeralStorageSize, up to 10240 MiB) "
      + 'or ask for fewer rows (a test event such as {"rows": 1000}).',
  };
}

/** What every failed upload leaves behind, whatever failed: S3 makes an object whole or not at all. */
const NOTHING_PARTIAL = 'The upload was abandoned and any multipart upload it started was aborted, so no partial object is left.';

export function explainTempDirTooSmall(args: {
  readonly tmpDir: string;
  readonly freeBytes: number;
  readonly totalBytes: number;
  readonly neededBytes: number;
}): Explanation {
  return {
    problem: `The temp dir ${args.tmpDir} has too little free space to spool the object: ${args.freeBytes} of ${args.totalBytes} bytes `
      + `(${mib(args.freeBytes)} of ${mib(args.totalBytes)}) are free, and the spool needs ${args.neededBytes} bytes (${mib(args.neededBytes)}, `
      + 'one upload part) before anything is uploaded. Nothing was written or uploaded.',
    input: { tmpDir: args.tmpDir, freeBytes: args.freeBytes, totalBytes: args.totalBytes, neededBytes: args.neededBytes },
    fix: 'If other code in the function fills the temp dir, have it clean up after itself (this function removes only its own '
      + "spool files, synthetic-data-*.csv); otherwise raise the function's ephemeral storage (the construct prop ephemeralStorageSize, "
      + '512 MiB by default, up to 10240 MiB).',
  };
}

export interface UploadProgress {
  readonly bytesWritten: number;
  readonly bytesUploaded: number;
  readonly partsUploaded: number;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function explainDeadline(args: {
  readonly bucket: string;
  readonly key: string;
  readonly rowsRequested: number;
  readonly remainingAtStartMs: number;
  readonly reserveMs: number;
  readonly budgetMs: number;
  readonly progress: UploadProgress;
  /** The S3 request waited on when the deadline passed, if any. */
  readonly waitingOn?: string;
  /** A step of a sharded run. */
  readonly inRun?: boolean;
}): Explanation {
  const doing = args.waitingOn ? `waiting for S3 to answer ${args.waitingOn}` : 'generating rows';
  return {
    problem: `The invocation ran out of time writing s3://${args.bucket}/${args.key}: ${seconds(args.remainingAtStartMs)} were left at the start, `
      + `and after ${seconds(args.budgetMs)} (keeping ${seconds(args.reserveMs)} for cleanup) it was still ${doing}, with `
      + `${args.progress.bytesUploaded} of the ${args.progress.bytesWritten} bytes made so far uploaded `
      + `(${args.progress.partsUploaded} part${args.progress.partsUploaded === 1 ? '' : 's'}), `
      + `for ${args.rowsRequested} rows. ${NOTHING_PARTIAL}`,
    input: {
      bucket: args.bucket,
      key: args.key,
      rowsRequested: args.rowsRequested,
      remainingAtStartMs: args.remainingAtStartMs,
      reserveMs: args.reserveMs,
      budgetMs: args.budgetMs,
      ...args.progress,
      waitingOn: args.waitingOn ?? null,
    },
    fix: args.inRun
      ? "Raise the function's timeout (the construct prop timeout, 5 minutes by default, up to 15 minutes) or split the run into more, "
        + 'smaller parts (the construct prop shards; see docs/scale.md), then start the run again: the state machine does not retry a part '
        + 'that ran out of time. If S3 was what did not answer, check its health and the function\'s network path to S3.'
      : "Raise the function's timeout (the construct prop timeout, 5 minutes by default, up to 15 minutes) or ask for fewer rows per "
        + 'invocation (a test event such as {"rows": 1000}). If S3 was what did not answer, check its health and the function\'s network path '
        + 'to S3, then invoke again.',
  };
}

export function explainS3Unavailable(args: {
  readonly bucket: string;
  readonly key: string;
  /** The request S3 did not accept, e.g. `UploadPart 2`. */
  readonly request: string;
  readonly attempts: number | undefined;
  readonly maxAttempts: number;
  readonly errorName: string | undefined;
  readonly httpStatus: number | undefined;
  readonly errorMessage: string;
  /** A step of a sharded run. */
  readonly inRun?: boolean;
}): Explanation {
  const attempts = args.attempts === undefined ? '' : ` after ${args.attempts} attempt${args.attempts === 1 ? '' : 's'}`;
  const answer = [args.errorName, args.httpStatus === undefined ? undefined : `HTTP ${args.httpStatus}`].filter(Boolean).join(', ');
  return {
    problem: `S3 did not accept ${args.request} for s3://${args.bucket}/${args.key}${attempts} (${answer || 'no answer'}): `
      + `${args.errorMessage.replace(/\.$/, '')}. ${NOTHING_PARTIAL}`,
    input: {
      bucket: args.bucket,
      key: args.key,
      request: args.request,
      attempts: args.attempts ?? null,
      maxAttempts: args.maxAttempts,
      errorName: args.errorName ?? null,
      httpStatus: args.httpStatus ?? null,
      s3Message: args.errorMessage,
    },
    fix: `S3 was throttling (503 SlowDown), failing or unreachable for longer than the client's retries cover (up to ${args.maxAttempts} `
      + 'attempts per request, with exponential backoff): '
      + (args.inRun
        ? 'the state machine retries the step twice; if the run still failed, start the same run id again later (what was written is kept '
          + 'and found). If it keeps happening, lower the construct prop shardConcurrency.'
        : 'invoke again later. If it keeps happening, spread invocations out over time.'),
  };
}

/**
 * Uploading the spool file to S3, at most once per object key.
 */
import * as fs from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** Part size of a multipart upload; files up to this size go in a single PutObject. */
export const PART_SIZE = 8 * 1024 * 1024;
/** Parts in flight at once: 4 × 8 MiB bounds the upload's memory at 32 MiB. */
export const QUEUE_SIZE = 4;
export const CONTENT_TYPE = 'text/csv; charset=utf-8';

export interface UploadTarget {
  readonly bucket: string;
  readonly key: string;
  readonly filePath: string;
}

export interface UploadOutcome {
  /** True when the key already held an object (an earlier attempt of the same request): nothing was written. */
  readonly alreadyExisted: boolean;
}

/**
 * Uploads `filePath` to `s3://bucket/key` unless the key already exists.
 *
 * `IfNoneMatch: '*'` makes the write conditional (PutObject, or CompleteMultipartUpload for a large file):
 * the key contains the request id, so a retried invocation finds its own earlier object and leaves it
 * as it is instead of overwriting it or making a second one.
 */
export async function uploadFileOnce(s3: S3Client, target: UploadTarget): Promise<UploadOutcome> {
  const upload = new Upload({
    client: s3,
    params: {
      Bucket: target.bucket,
      Key: target.key,
      Body: fs.createReadStream(target.filePath),
      ContentType: CONTENT_TYPE,
      IfNoneMatch: '*',
    },
    partSize: PART_SIZE,
    queueSize: QUEUE_SIZE,
    // On failure abort the multipart upload, so no invisible, billed parts stay behind.
    leavePartsOnError: false,
  });
  try {
    await upload.done();
    return { alreadyExisted: false };
  } catch (e) {
    if (isPreconditionFailed(e)) return { alreadyExisted: true };
    throw e;
  }
}

export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

export function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, Code } = error as { name?: unknown; Code?: unknown };
  return typeof Code === 'string' ? Code : typeof name === 'string' ? name : undefined;
}

function isPreconditionFailed(error: unknown): boolean {
  return errorName(error) === 'PreconditionFailed' || httpStatusOf(error) === 412;
}

// 403s that are about the credentials themselves, not about what the role may do.
const CREDENTIAL_ERRORS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired']);

/** An S3 refusal by policy: the role (or a bucket/KMS key policy) does not allow the request. */
export function isAccessDenied(error: unknown): boolean {
  const name = errorName(error);
  return name === 'AccessDenied' || (httpStatusOf(error) === 403 && !CREDENTIAL_ERRORS.has(name ?? ''));
}

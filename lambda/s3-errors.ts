/**
 * What an S3 error means for the handler: the object already exists, the role may not write, or S3 was
 * unavailable for longer than the client's retries cover.
 */

export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** How many attempts the SDK made before giving up (its retries included), if it says. */
export function attemptsOf(error: unknown): number | undefined {
  return (error as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
}

export function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, Code } = error as { name?: unknown; Code?: unknown };
  return typeof Code === 'string' ? Code : typeof name === 'string' ? name : undefined;
}

/**
 * The answer to a conditional write (`IfNoneMatch: '*'`) on a key that already holds an object: 412, or 409
 * `ConditionalRequestConflict`, S3's answer when another conditional write to the key was in progress. Every key the
 * function writes is named after one request (or run), so the other write is an attempt of the same request with the
 * same bytes: treated alike, as the object of that other attempt.
 */
export function isPreconditionFailed(error: unknown): boolean {
  return errorName(error) === 'PreconditionFailed' || httpStatusOf(error) === 412 || isConditionalRequestConflict(error);
}

export function isConditionalRequestConflict(error: unknown): boolean {
  return errorName(error) === 'ConditionalRequestConflict';
}

export function isNoSuchUpload(error: unknown): boolean {
  return errorName(error) === 'NoSuchUpload';
}

// 403s that are about the credentials themselves, not about what the role may do.
const CREDENTIAL_ERRORS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired']);

/** An S3 refusal by policy: the role (or a bucket/KMS key policy) does not allow the request. */
export function isAccessDenied(error: unknown): boolean {
  const name = errorName(error);
  return name === 'AccessDenied' || (httpStatusOf(error) === 403 && !CREDENTIAL_ERRORS.has(name ?? ''));
}

const THROTTLING = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Errors the SDK's standard retry treats as passing (throttling, 5xx, timeouts, broken connections):
 * when one reaches the handler, S3 stayed unavailable through every attempt.
 */
export function isS3Unavailable(error: unknown): boolean {
  const name = errorName(error) ?? '';
  const status = httpStatusOf(error) ?? 0;
  const code = (error as { code?: unknown } | undefined)?.code;
  return THROTTLING.has(name) || status === 429 || status >= 500 || name === 'TimeoutError' || name === 'RequestTimeout'
    || (typeof code === 'string' && NETWORK_CODES.has(code));
}

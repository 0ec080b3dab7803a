/**
 * The function's S3 client: the SDK's standard retry, bounded, and a socket that may not stay silent for
 * long, so that no single request can outlast the invocation's deadline unnoticed.
 */
import { S3Client } from '@aws-sdk/client-s3';

/**
 * Attempts per request, the first included. The standard retry mode waits with exponential backoff and
 * full jitter between them, longer after throttling (503 SlowDown) than after other transient errors (5xx,
 * timeouts, reset connections); the base delays depend on the SDK version the runtime ships (50 ms and
 * 1 s in 3.1175). So 5 attempts ride out several seconds of throttling, and a request S3 keeps refusing
 * fails within about 15 s instead of using up the invocation.
 */
export const S3_MAX_ATTEMPTS = 5;
/** A connection S3 does not accept within this long is abandoned (and retried). */
export const S3_CONNECTION_TIMEOUT_MS = 3_000;
/**
 * A request whose socket stays silent this long (nothing sent, nothing received) is abandoned and retried.
 * S3 answers a request within seconds once it has its body, and keeps a slow CompleteMultipartUpload alive
 * with whitespace, so only a hung connection stays silent this long. `socketTimeout` means the same in
 * every SDK version the Lambda runtime may ship (unlike `requestTimeout`, which older versions also applied
 * to idle sockets but newer ones to the whole request).
 */
export const S3_SOCKET_TIMEOUT_MS = 30_000;

/** No credentials here: the SDK's default chain uses the execution role, and honours AWS_ENDPOINT_URL_S3. */
export function createS3Client(): S3Client {
  return new S3Client({
    retryMode: 'standard',
    maxAttempts: S3_MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: S3_CONNECTION_TIMEOUT_MS, socketTimeout: S3_SOCKET_TIMEOUT_MS },
  });
}

/**
 * Where the generator keeps things: the data bucket (unless prop bucket is given), its access-log bucket, and the queue
 * that keeps the records of failed invocations (unless prop failureDestination is given).
 */
import { Duration, Names } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeFailureQueueFindings } from './security';

/** How long the created failure queue keeps a failure record: the most SQS allows, to leave time to look. */
const FAILURE_QUEUE_RETENTION = Duration.days(14);
/** How long the created access-log bucket keeps server access logs. */
const ACCESS_LOG_EXPIRATION = Duration.days(90);

/** Settings shared by the buckets the construct creates: private, encrypted, TLS-only, no ACLs. */
const PRIVATE_BUCKET: s3.BucketProps = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
};
const ABORT_INCOMPLETE_UPLOADS: s3.LifecycleRule = { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) };

/** The data bucket the construct creates, `Bucket` in `scope`: private, with its server access logs in `accessLogsBucket`. */
export function createDataBucket(scope: Construct, accessLogsBucket: s3.IBucket): s3.Bucket {
  return new s3.Bucket(scope, 'Bucket', {
    ...PRIVATE_BUCKET,
    serverAccessLogsBucket: accessLogsBucket,
    serverAccessLogsPrefix: `${Names.uniqueId(scope)}/`,
    // A failed or timed-out multipart upload leaves parts that are billed but invisible: clean them up.
    lifecycleRules: [ABORT_INCOMPLETE_UPLOADS],
  });
}

/**
 * The access-log bucket. It logs nothing of its own: its logs would have to go to yet another bucket. cdk-nag's S1
 * (server access logs) passes it as the log destination of the data bucket, so there is nothing to acknowledge.
 */
export function createAccessLogsBucket(scope: Construct): s3.Bucket {
  return new s3.Bucket(scope, 'AccessLogsBucket', {
    ...PRIVATE_BUCKET,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: ACCESS_LOG_EXPIRATION }, ABORT_INCOMPLETE_UPLOADS],
  });
}

/** The queue that keeps the records of failed asynchronous invocations, `FailureQueue` in `scope`, for people to read. */
export function createFailureQueue(scope: Construct): sqs.Queue {
  const queue = new sqs.Queue(scope, 'FailureQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: FAILURE_QUEUE_RETENTION,
  });
  acknowledgeFailureQueueFindings(queue);
  return queue;
}

import type { Duration, Size } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { OutputFormat } from './output-format';
import type { Schema } from './schema';
import type { Table } from './table';

/** Properties of a `SyntheticDataGenerator`. */
export interface SyntheticDataGeneratorProps {
  /**
   * The table to generate: its columns, in order. Give either `schema` (one table, in the dataset's folder) or `tables`.
   * @default - none: `tables` is required then
   */
  readonly schema?: Schema;

  /**
   * A dataset of related tables, made together by every invocation from one seed: each table into its own folder
   * `<keyPrefix><datasetName>/<table>/`, with a catalog table of its own name, and related by `Column.reference(...)`
   * columns whose keys always exist in the parent table. Instead of `schema` and `rows` (each table has its rows).
   * Not with `shards` or `catalogTableName`.
   * @default - none: `schema` is required then
   */
  readonly tables?: Table[];

  /**
   * The file format of every object, and its compression: `OutputFormat.csv()`, `OutputFormat.jsonLines()` or
   * `OutputFormat.parquet()` (e.g. `OutputFormat.parquet({ compression: ParquetCompression.SNAPPY })`). Fixed at
   * deployment, so that every object of the dataset reads as its catalog table declares; objects are named with the
   * format's extension (`.csv`, `.csv.gz`, `.jsonl.zst`, `.parquet`, ...).
   * @default OutputFormat.csv() - uncompressed CSV with a header line
   */
  readonly outputFormat?: OutputFormat;

  /**
   * Whether to create a Glue Data Catalog table of the dataset, over `s3://<bucket>/<keyPrefix><datasetName>/`, so
   * that Athena (or Spark, or any Glue client) can query every object as soon as it is written. Its columns have the
   * types the output format lets Athena read (see the README), and the function's role gets no catalog permission.
   * @default true
   */
  readonly catalogTable?: boolean;

  /**
   * The Glue database to create the table in, if you have one: its name. Lower-case letters, digits and `_`.
   * @default - a database is created, named after this construct's path (lower case, `_` for other characters)
   */
  readonly catalogDatabaseName?: string;

  /**
   * The table's name. Lower-case letters, digits and `_`.
   * @default - the dataset name in lower case, with `_` for other characters
   */
  readonly catalogTableName?: string;

  /**
   * Rows made by an invocation whose event does not say how many (an event may ask for up to `maxRows`).
   * With `shards`, the rows of a whole run, up to 10^11, split evenly into the parts.
   * @default 1000
   */
  readonly rows?: number;

  /**
   * Makes `rows` as one dataset of this many parts, written in parallel: adds a Step Functions state machine
   * (`stateMachine`) whose Distributed Map invokes the function once per part. A run writes
   * `<keyPrefix><datasetName>/<runId>/part-00000.csv` (or the format's extension) and on, CSV parts each with the
   * header line, then `_manifest.json` (seed, schema hash, format, versions, each part's rows, bytes and SHA-256)
   * and `_SUCCESS`. Start an execution with
   * `{"runId": "…"}`, or `{}` to name the run after the execution; starting a run id again rewrites nothing.
   * Each part may have up to `maxRows` rows, and must fit in the function's `timeout`: see docs/scale.md.
   * @default - no state machine: each invocation writes one object
   */
  readonly shards?: number;

  /**
   * With `shards`: how many parts are written at the same time at most (the Distributed Map's MaxConcurrency).
   * Each takes one concurrent execution of the function, from the account's regional Lambda quota.
   * @default - shards, up to 100
   */
  readonly shardConcurrency?: number;

  /**
   * The most rows one invocation may be asked for, through this prop or the event's `rows`.
   * @default 1000000
   */
  readonly maxRows?: number;

  /**
   * Seed of the value generator: the same seed and row count make the same file.
   * An event's `seed` overrides it.
   * @default - a fresh seed per invocation, written to the log so the run can be repeated; in a sharded run, a seed
   * derived from the run id
   */
  readonly seed?: number;

  /**
   * The dataset's name: its folder, and the first part of each object's file name. Single objects are written as
   * `<keyPrefix><datasetName>/<datasetName>_<requestId>.csv` (or the format's extension), runs in
   * `<keyPrefix><datasetName>/<runId>/`: the catalog table reads them all.
   * @default "dataset"
   */
  readonly datasetName?: string;

  /**
   * Key prefix of every object the function writes; its write permission covers only this prefix.
   * Relative to the bucket, without `.` or `..` segments.
   * @default "synthetic-data/"
   */
  readonly keyPrefix?: string;

  /**
   * Bucket the objects are written to. When you pass one, the construct adds to the execution role
   * only `s3:PutObject` and `s3:AbortMultipartUpload` on `<bucket>/<keyPrefix>*` (and, for a bucket with
   * a KMS key, `kms:GenerateDataKey` and `kms:Decrypt` on that key).
   * @default - a private bucket is created: S3-managed encryption, all public access blocked,
   * TLS-only bucket policy, bucket-owner-enforced ownership, incomplete multipart uploads aborted after one day.
   */
  readonly bucket?: s3.IBucket;

  /**
   * Execution role of the function. The construct adds its least-privilege statements to this role's
   * policy; an imported immutable role gets nothing added, so it must already allow them.
   * @default - a role trusted only by `lambda.amazonaws.com`, with no managed policies, that may only
   * write logs to the function's own log group and put objects under `<bucket>/<keyPrefix>`
   */
  readonly role?: iam.IRole;

  /**
   * Lambda runtime of the function: a Node.js runtime, `nodejs20.x` or later (Zstandard output needs `nodejs22.x` or later).
   * @default - Node.js 26 (`nodejs26.x`), Lambda's newest Node.js runtime
   */
  readonly runtime?: lambda.Runtime;

  /**
   * Processor architecture of the function.
   * @default lambda.Architecture.ARM_64 - about 20% cheaper per GB-second than x86_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * Memory of the function in MB; CPU share grows with it. It also sizes the work: the upload keeps one 8 MiB part
   * in flight per 256 MB (up to 4), and from 5,307 MB (three full vCPUs) rows are made on worker threads, one per
   * full vCPU but the one kept for the upload.
   * @default 1024
   */
  readonly memorySize?: number;

  /**
   * Longest an invocation may run.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * Size of the function's `/tmp`, where the CSV is spooled on its way to S3. It holds at most the 8 MiB upload part
   * being filled, whatever the row count, so the default fits any file; the function checks for that much free space
   * before it writes anything.
   * @default Size.mebibytes(512)
   */
  readonly ephemeralStorageSize?: Size;

  /**
   * How long the function's log group (and, with `shards`, the state machine's) keeps its events.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Whether the function (and, with `shards`, the state machine) sends X-Ray traces (tracing mode Active).
   *
   * When on, the execution role also gets `xray:PutTraceSegments` and `xray:PutTelemetryRecords`, which X-Ray
   * allows only on resource `*`.
   * @default true
   */
  readonly tracing?: boolean;

  /**
   * Where Lambda sends the record of an asynchronous invocation that failed after its retries or grew too old
   * (its event, the error, and the request context). Any Lambda destination: an SQS queue, an SNS topic, an
   * EventBridge bus, a function or a bucket (`aws-cdk-lib/aws-lambda-destinations`).
   * @default - a queue is created (see `failureQueue`): SQS-managed encryption, TLS-only queue policy, 14-day
   * retention; the execution role may only `sqs:SendMessage` to it
   */
  readonly failureDestination?: lambda.IDestination;

  /**
   * How many times Lambda retries an asynchronous invocation that returned an error: 0, 1 or 2. A retry has the
   * same request id, so it finds the object of an attempt that got as far as the upload and does not write another.
   * @default 2
   */
  readonly retryAttempts?: number;

  /**
   * How long Lambda keeps an asynchronous invocation event waiting to be run (or retried) before it sends it to the
   * failure destination instead: from one minute to six hours.
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;

  /**
   * Bucket that receives the server access logs of the bucket the construct creates, under the prefix
   * `<unique id of this construct>/`. Only for a created bucket: a bucket you pass in `bucket` keeps its own
   * logging settings. CDK lets S3 log delivery write to a bucket of your app (a bucket-policy statement with the
   * feature flag `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`, an ACL without it); an imported bucket must
   * already allow `logging.s3.amazonaws.com` to put objects there.
   * @default - when the construct creates the bucket, it also creates an access-log bucket: S3-managed
   * encryption, all public access blocked, TLS 1.2+ only, bucket-owner-enforced ownership, logs expired after 90 days
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * Starts runs on a schedule, with EventBridge Scheduler: e.g.
   * `ScheduleExpression.cron({ minute: '0', hour: '2', timeZone: TimeZone.EUROPE_PARIS })` or
   * `ScheduleExpression.rate(Duration.hours(6))`. With `shards`, each firing starts the state machine; without, it invokes
   * the function (asynchronously) for one object. The run (or object) is named after the firing's scheduled time
   * (`scheduled-20260101T020000Z`), and its seed is derived from that name unless `seed` is set, so a firing delivered
   * twice makes one dataset. The schedule's role may only start this generator; firings Scheduler could not deliver
   * (10 retries, within an hour) go to a dead-letter queue (`scheduleDeadLetterQueue`: SQS-managed encryption, TLS-only).
   * @default - no schedule
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * Starts one run when the stack is created (seed data for a test environment): an EventBridge rule catches
   * CloudFormation's event of the stack reaching CREATE_COMPLETE and starts the state machine (run id
   * `deploy-<event id>`) or invokes the function for one object. The deployment does not wait for the run and cannot
   * fail because of it; updating or deleting the stack starts nothing.
   * @default false
   */
  readonly runOnDeploy?: boolean;

  /**
   * Publishes an EventBridge event when a dataset is complete (detail type `Synthetic Dataset Ready`: after `_SUCCESS` of
   * a sharded run, or once a single object is stored) and one when a run fails (`Synthetic Data Run Failed`), source
   * `cdk-synthetic-data`, with the bucket, keys or prefix, manifest key, rows, bytes, format, catalog table, run id and
   * seed (the README documents the detail as a versioned contract). Publishing is allowed only with that source and
   * those detail types. Subscribe with `onDatasetReady()` and `onRunFailed()`.
   * @default - false, or true when `eventBus` is given
   */
  readonly completionEvents?: boolean;

  /**
   * The bus the events of `completionEvents` go to.
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * Creates alarms with this action (e.g. `new SnsAction(topic)` from `aws-cdk-lib/aws-cloudwatch-actions`): an
   * invocation failed (the handler's `Failures` metric), a sharded run failed (with `shards`), the failure queue holds a
   * message (when the construct created it), the schedule's dead-letter queue holds a message (with `schedule`). Each
   * alarms at 1 or more in one 5-minute period; no data is not a breach.
   * @default - no alarms
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

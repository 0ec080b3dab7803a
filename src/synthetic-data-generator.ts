import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Annotations, CfnResource, Duration, Names, Size, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { generatorRule, publishEventsStatement, type EventFacts } from './parts/completion-events';
import { catalogName, isCatalogName } from './contract/catalog';
import { validateDatasetDocument, withKeyTypes, type DatasetDocument } from './contract/dataset-document';
import { datasetFileOf, encodeDatasetEnvironment } from './contract/dataset-environment';
import { ENV, LAMBDA_ENVIRONMENT_LIMIT_BYTES } from './contract/environment';
import { DETAIL_TYPES } from './contract/events';
import { describeOutputFormat, ZSTD_MIN_NODE, type OutputFormatDocument } from './contract/output-format';
import { validateDatasetRun, validateRunRows, validateShards } from './contract/runs';
import { InvalidInputError, parseSchemaDocument } from './contract/schema-document';
import {
  datasetFolder, DEFAULTS, nodeMajorOfRuntime, tableFolder, validateDatasetName, validateKeyPrefix, validateMaxRows, validateRowCount, validateSeed,
} from './contract/settings';
import { CatalogTables, type CatalogTableSpec } from './parts/catalog-tables';
import { GeneratorAlarms, generatorMetric } from './parts/monitoring';
import { acknowledgeNagFinding, nagFlatten } from './nag-acknowledgements';
import { OutputFormat } from './output-format';
import { RunOnDeploy } from './parts/run-on-deploy';
import { RunSchedule } from './parts/schedule';
import { Schema } from './schema';
import { ShardedRun } from './parts/sharded-run';
import { Table } from './table';

/** Where the handler bundle is built before compile (see .projenrc.ts); it ships in the npm package. */
const HANDLER_BUNDLE_DIR = path.join(__dirname, '..', 'assets', 'lambda', 'handler');

/** The runtime the handler bundle is built for (esbuild target node24 in .projenrc.ts). */
const DEFAULT_RUNTIME = lambda.Runtime.NODEJS_24_X;
/** The oldest Node.js runtime the bundle was checked on (it also runs on the machine's Node.js 20). */
const MIN_NODE_MAJOR = 20;

/**
 * Below this memory a Parquet object of a million rows or more can pass the function's memory: at 128 MB the whole
 * function peaked at 124 to 132 MB writing 1 and 10 million rows of the 8-column sales table (npm run bench).
 */
const PARQUET_MIN_MEMORY_MB = 256;

/** Parts of a sharded run written at the same time, unless prop shardConcurrency says otherwise. */
const DEFAULT_SHARD_CONCURRENCY = 100;
/** Step Functions' bound on a Distributed Map's concurrency. */
const MAX_SHARD_CONCURRENCY = 10_000;

/** Lambda's bounds on the asynchronous invocation settings. */
const MAX_RETRY_ATTEMPTS = 2;
const MIN_EVENT_AGE_SECONDS = 60;
const MAX_EVENT_AGE_SECONDS = 6 * 60 * 60;
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

/**
 * The policy resource that holds the statements added to `role`: the default policy of an `iam.Role`, or the policy
 * of a mutable role imported with `Role.fromRoleArn`. (The dependable that `addToPrincipalPolicy` returns is only
 * filled in at synthesis.) Undefined for any other role, so nothing is acknowledged where it cannot be found.
 */
function rolePolicyResource(role: iam.IRole): CfnResource | undefined {
  const policy = role.node.tryFindChild('DefaultPolicy') ?? role.node.tryFindChild('Policy');
  const resource = policy instanceof iam.Policy ? policy.node.defaultChild : undefined;
  return resource && CfnResource.isCfnResource(resource) ? resource : undefined;
}

/**
 * The created failure queue as an on-failure destination. Unlike lambda-destinations' SqsDestination, it gives the role
 * only `sqs:SendMessage` on the queue, all Lambda needs to deliver a failure record (not GetQueueAttributes or GetQueueUrl).
 */
class SendOnlyQueueDestination implements lambda.IDestination {
  constructor(private readonly queue: sqs.IQueue) {}

  public bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    return { destination: this.queue.queueArn };
  }
}

/** Which prop each environment variable comes from, to name the prop in errors. */
const ENV_PROP: Record<string, string> = {
  [ENV.SCHEMA]: 'prop schema (as JSON)',
  [ENV.TABLES]: 'prop tables (as JSON, compressed when large)',
  [ENV.KEY_PREFIX]: 'prop keyPrefix',
  [ENV.DATASET_NAME]: 'prop datasetName',
  [ENV.BUCKET_NAME]: 'the bucket name',
  [ENV.OUTPUT_FORMAT]: 'prop outputFormat',
};

/** What a bucket's name can take at most, for a name not known until deployment. */
const BUCKET_NAME_PLACEHOLDER = 'b'.repeat(63);

/**
 * The bytes an environment takes, as Lambda counts them (names and values). A token's value is unknown until
 * deployment: it counts as the longest it can be where that is known (a bucket name has at most 63 characters).
 */
function environmentBytes(environment: Record<string, string>): number {
  return Object.entries(environment).reduce((total, [name, value]) => {
    const valueBytes = !Token.isUnresolved(value) ? Buffer.byteLength(value) : name === ENV.BUCKET_NAME ? 63 : 0;
    return total + Buffer.byteLength(name) + valueBytes;
  }, 0);
}

/**
 * The handler bundle with a dataset's document beside it, as the function's code: a folder made at synth time that
 * CDK stages as an asset of its own (its hash follows the document).
 */
function codeWithDataset(file: { readonly fileName: string; readonly json: string }): lambda.Code {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-synthetic-data-code-'));
  for (const name of fs.readdirSync(HANDLER_BUNDLE_DIR)) fs.copyFileSync(path.join(HANDLER_BUNDLE_DIR, name), path.join(dir, name));
  fs.writeFileSync(path.join(dir, file.fileName), file.json);
  return lambda.Code.fromAsset(dir);
}

/** A number for an environment variable: written out, or kept as a token that resolves at deployment. */
function numberAsString(value: number): string {
  return Token.isUnresolved(value) ? Token.asString(value) : String(value);
}

/** Properties of a {@link SyntheticDataGenerator}. */
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
   * Lambda runtime of the function: a Node.js runtime, `nodejs20.x` or later (the handler bundle is built for Node.js 24).
   * @default lambda.Runtime.NODEJS_24_X
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

/**
 * A Lambda function that writes synthetic rows, made from a typed schema, to S3 as CSV, JSON Lines or Parquet, with a
 * Glue Data Catalog table of the dataset.
 *
 * Each invocation writes one new object, `<keyPrefix><datasetName>/<datasetName>_<requestId>.csv` (or the format's
 * extension), and never overwrites:
 * a retried invocation (same request id) finds its object already there and reports it. The event may
 * ask for another row count or seed: `{"rows": 5000, "seed": 7}`.
 */
export class SyntheticDataGenerator extends Construct {
  /** The generator function. */
  public readonly function: lambda.Function;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /** The bucket the objects are written to. */
  public readonly bucket: s3.IBucket;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The key prefix under which objects are written, e.g. `synthetic-data/`. */
  public readonly keyPrefix: string;
  /**
   * The queue that receives the records of failed asynchronous invocations, when the construct created it
   * (no `failureDestination` was given).
   */
  public readonly failureQueue?: sqs.IQueue;
  /** The bucket receiving the server access logs of the bucket the construct created (none for a given bucket). */
  public readonly accessLogsBucket?: s3.IBucket;
  /** The state machine of sharded runs (prop `shards`): start an execution with `{"runId": "…"}` or `{}`. */
  public readonly stateMachine?: sfn.IStateMachine;
  /** The state machine's log group (prop `shards`), where it logs every event of every execution. */
  public readonly stateMachineLogGroup?: logs.ILogGroup;
  /** The output format of every object. */
  public readonly outputFormat: OutputFormat;
  /** The dataset's Glue Data Catalog table (unless prop `catalogTable` is false). */
  public readonly glueTable?: glue.CfnTable;
  /** The name of the Glue database the table is in (unless prop `catalogTable` is false). */
  public readonly catalogDatabaseName?: string;
  /** The name of the dataset's table (unless prop `catalogTable` is false; for prop `tables`, see `catalogTableNames`). */
  public readonly catalogTableName?: string;
  /** Every catalog table, one per table of the dataset (one for prop `schema`), in order; empty when `catalogTable` is false. */
  public readonly glueTables: glue.CfnTable[];
  /** The names of `glueTables`. */
  public readonly catalogTableNames: string[];
  /** The EventBridge Scheduler schedule that starts runs (prop `schedule`). */
  public readonly schedule?: scheduler.ISchedule;
  /** The schedule's role: it may only start this generator and send to `scheduleDeadLetterQueue` (prop `schedule`). */
  public readonly scheduleRole?: iam.IRole;
  /** Where firings of the schedule go that Scheduler could not deliver (prop `schedule`). */
  public readonly scheduleDeadLetterQueue?: sqs.IQueue;
  /** The bus the completion and failure events go to (prop `completionEvents`). */
  public readonly eventBus?: events.IEventBus;
  /** The alarms (prop `alarmAction`); empty without it. */
  public readonly alarms: cloudwatch.IAlarm[];
  private readonly datasetName: string;
  private readonly eventFacts?: EventFacts;

  constructor(scope: Construct, id: string, props: SyntheticDataGeneratorProps) {
    super(scope, id);
    // Deliver server access logs by a bucket policy rather than an ACL: the buckets here have ACLs disabled
    // (bucket owner enforced), which the ACL way cannot work with. Set here, it holds for this construct only.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    const settings = this.validateProps(props);
    this.keyPrefix = settings.keyPrefix;
    this.outputFormat = settings.outputFormat;

    if (props.bucket) {
      this.bucket = props.bucket;
    } else {
      this.accessLogsBucket = props.accessLogsBucket ?? this.createAccessLogsBucket();
      this.bucket = new s3.Bucket(this, 'Bucket', {
        ...PRIVATE_BUCKET,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: `${Names.uniqueId(this)}/`,
        // A failed or timed-out multipart upload leaves parts that are billed but invisible: clean them up.
        lifecycleRules: [ABORT_INCOMPLETE_UPLOADS],
      });
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });

    this.role = props.role ?? new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Execution role of a cdk-synthetic-data generator: writes its own logs and puts data objects under one key prefix',
    });
    const objectWrites = this.grantLeastPrivilege(settings.keyPrefix);

    if (!fs.existsSync(path.join(HANDLER_BUNDLE_DIR, 'index.js'))) {
      throw new Error(`The handler bundle is missing at ${HANDLER_BUNDLE_DIR}: in a checkout of cdk-synthetic-data run \`npx projen bundle\` (an installed package ships it)`);
    }

    const tracing = props.tracing ?? true;
    this.function = new lambda.Function(this, 'Function', {
      description: `Generates synthetic data into S3 as ${settings.outputFormat} (cdk-synthetic-data)`,
      runtime: settings.runtime,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: settings.datasetFile ? codeWithDataset(settings.datasetFile) : lambda.Code.fromAsset(HANDLER_BUNDLE_DIR),
      role: this.role,
      memorySize: props.memorySize ?? DEFAULTS.memorySizeMb,
      timeout: props.timeout ?? Duration.minutes(5),
      ephemeralStorageSize: props.ephemeralStorageSize ?? Size.mebibytes(512),
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: tracing ? lambda.Tracing.ACTIVE : undefined,
      environment: this.checkEnvironmentSize({ ...settings.environment, [ENV.BUCKET_NAME]: this.bucket.bucketName }),
    });

    if (!props.failureDestination) this.failureQueue = this.createFailureQueue();
    this.function.configureAsyncInvoke({
      onFailure: props.failureDestination ?? new SendOnlyQueueDestination(this.failureQueue!),
      retryAttempts: settings.retryAttempts,
      maxEventAge: settings.maxEventAge,
    });

    this.acknowledgeNagFindings({ objectWrites, tracing });
    this.datasetName = settings.datasetName;
    this.eventFacts = this.publishCompletionEvents(props, settings);
    this.eventBus = this.eventFacts?.bus;

    if (settings.shards !== undefined) {
      const run = new ShardedRun(this, 'ShardedRun', {
        function: this.function,
        concurrency: settings.shardConcurrency,
        tracing,
        logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        events: this.eventFacts,
      });
      this.stateMachine = run.stateMachine;
      this.stateMachineLogGroup = run.logGroup;
    }

    this.glueTables = [];
    this.catalogTableNames = [];
    if (settings.catalog) {
      const catalog = new CatalogTables(this, 'Catalog', { bucket: this.bucket, ...settings.catalog });
      this.glueTables = catalog.tables;
      this.catalogTableNames = settings.catalog.tables.map((table) => table.tableName);
      this.catalogDatabaseName = catalog.databaseName;
      if (settings.dataset === undefined) {
        this.glueTable = catalog.tables[0];
        this.catalogTableName = this.catalogTableNames[0];
      }
    }

    if (props.schedule) {
      const schedule = new RunSchedule(this, 'Schedule', { expression: props.schedule, function: this.function, stateMachine: this.stateMachine });
      this.schedule = schedule.schedule;
      this.scheduleRole = schedule.role;
      this.scheduleDeadLetterQueue = schedule.deadLetterQueue;
    }
    if (props.runOnDeploy) new RunOnDeploy(this, 'RunOnDeploy', { function: this.function, stateMachine: this.stateMachine });
    this.alarms = props.alarmAction ? new GeneratorAlarms(this, 'Alarms', {
      action: props.alarmAction,
      failures: this.metricFailures(),
      stateMachine: this.stateMachine,
      failureQueue: this.failureQueue,
      scheduleDeadLetterQueue: this.scheduleDeadLetterQueue,
    }).alarms : [];
  }

  /**
   * A rule that matches this generator's "Synthetic Dataset Ready" events (prop `completionEvents`), on its bus: pass a
   * `target`, or add targets to the rule. `options.eventPattern` narrows it further (e.g. on `detail.runId`).
   */
  public onDatasetReady(id: string, options: events.OnEventOptions = {}): events.Rule {
    return generatorRule(this, id, this.requireEvents('onDatasetReady'), DETAIL_TYPES.datasetReady, options);
  }

  /** A rule that matches this generator's "Synthetic Data Run Failed" events (prop `completionEvents`), on its bus. */
  public onRunFailed(id: string, options: events.OnEventOptions = {}): events.Rule {
    return generatorRule(this, id, this.requireEvents('onRunFailed'), DETAIL_TYPES.runFailed, options);
  }

  /** Rows of the objects stored (`RowsWritten`, Sum over 5 minutes), from the handler's Embedded Metric Format records. */
  public metricRowsWritten(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return generatorMetric('rowsWritten', this.datasetName, 'Sum', props);
  }

  /** Bytes of the objects stored (`BytesWritten`, Sum over 5 minutes). */
  public metricBytesWritten(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return generatorMetric('bytesWritten', this.datasetName, 'Sum', props);
  }

  /** Time to generate and store an object, in milliseconds (`GenerationDuration`, Average over 5 minutes). */
  public metricGenerationDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return generatorMetric('duration', this.datasetName, 'Average', props);
  }

  /** Rows generated per second of that time (`RowsPerSecond`, Average over 5 minutes). */
  public metricRowsPerSecond(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return generatorMetric('rowsPerSecond', this.datasetName, 'Average', props);
  }

  /** Cold starts of the function (`ColdStart`, Sum over 5 minutes). */
  public metricColdStarts(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return generatorMetric('coldStart', this.datasetName, 'Sum', props);
  }

  /** Invocations that failed, any step (`Failures`, Sum over 5 minutes); a retried invocation counts each attempt. */
  public metricFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return generatorMetric('failures', this.datasetName, 'Sum', props);
  }

  /** Sharded runs that failed (the state machine's `ExecutionsFailed`, Sum over 5 minutes). Needs prop `shards`. */
  public metricRunsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.stateMachine) throw new Error(`SyntheticDataGenerator ${this.node.path}: metricRunsFailed needs the state machine of sharded runs: set prop shards`);
    return this.stateMachine.metricFailed({ statistic: 'Sum', ...props });
  }

  /**
   * Lets the grantee start sharded runs and follow them: `states:StartExecution` on `stateMachine` and
   * `states:DescribeExecution` on its executions. Needs prop `shards`.
   */
  public grantStartRun(grantee: iam.IGrantable): iam.Grant {
    if (!this.stateMachine) {
      throw new Error(`SyntheticDataGenerator ${this.node.path}: grantStartRun needs the state machine of sharded runs: set prop shards`);
    }
    return this.stateMachine.grantStartExecution(grantee).combine(this.stateMachine.grantExecution(grantee, 'states:DescribeExecution'));
  }

  /**
   * Lets the grantee invoke the generator function (`lambda:InvokeFunction`). An invoker can run any step of the
   * function, sharded steps included (a manifest states what its event says): give it to principals you trust with the
   * bucket's key prefix; to let a principal start runs, use `grantStartRun`.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.function.grantInvoke(grantee);
  }

  /**
   * The access-log bucket. It logs nothing of its own: its logs would have to go to yet another bucket. cdk-nag's S1
   * (server access logs) passes it as the log destination of the data bucket, so there is nothing to acknowledge.
   */
  private createAccessLogsBucket(): s3.Bucket {
    return new s3.Bucket(this, 'AccessLogsBucket', {
      ...PRIVATE_BUCKET,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: ACCESS_LOG_EXPIRATION }, ABORT_INCOMPLETE_UPLOADS],
    });
  }

  private createFailureQueue(): sqs.Queue {
    const queue = new sqs.Queue(this, 'FailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: FAILURE_QUEUE_RETENTION,
    });
    const reason = 'This queue is the failure destination of the function\'s asynchronous invocations: each message is '
      + 'the record of a failed invocation, kept 14 days for people to read. No consumer processes it, so no message can '
      + 'fail processing and need a dead-letter queue of its own.';
    acknowledgeNagFinding(queue.node.defaultChild as CfnResource, { ruleId: 'AwsSolutions-SQS3', reason });
    acknowledgeNagFinding(queue.node.defaultChild as CfnResource, { ruleId: 'Serverless-SQSRedrivePolicy', reason });
    return queue;
  }

  /**
   * Acknowledges, each on the one resource it is found on, the cdk-nag findings this design needs:
   * see "Security scan (cdk-nag)" in the README.
   */
  private acknowledgeNagFindings(given: { objectWrites: iam.AddToPrincipalPolicyResult; tracing: boolean }): void {
    const fn = this.function.node.defaultChild as CfnResource;
    acknowledgeNagFinding(fn, {
      ruleId: 'Serverless-LambdaDLQ',
      reason: 'Failed asynchronous invocations go to an on-failure destination (EventInvokeConfig), which records the '
        + 'error and the request context with the event, where a dead-letter queue gets the event alone: failures are kept in one place.',
    });
    if (!given.tracing) {
      acknowledgeNagFinding(fn, {
        ruleId: 'Serverless-LambdaTracing',
        reason: 'X-Ray tracing was turned off with the construct\'s prop tracing: false (it is on by default).',
      });
    }

    // The role's policy that holds the construct's statements (and the X-Ray statement lambda.Function adds to the same role).
    // An imported immutable role gets no statements, and so no findings.
    const policy = given.objectWrites.statementAdded ? rolePolicyResource(this.role) : undefined;
    if (policy) this.acknowledgeRoleFindings(policy, given.tracing);
  }

  private acknowledgeRoleFindings(policy: CfnResource, tracing: boolean): void {
    acknowledgeNagFinding(policy, {
      ruleId: 'AwsSolutions-IAM5',
      appliesTo: `Resource::${nagFlatten(Stack.of(this).resolve(this.bucket.arnForObjects(`${this.keyPrefix}*`)))}`,
      reason: 'The function writes a new object per invocation, named after its request id, under its key prefix (prop keyPrefix): '
        + 'the names are not known in advance, so s3:PutObject and s3:AbortMultipartUpload are allowed on the prefix, and nowhere else.',
    });
    if (tracing) {
      acknowledgeNagFinding(policy, {
        ruleId: 'AwsSolutions-IAM5',
        appliesTo: 'Resource::*',
        reason: 'X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which have no resource-level '
          + 'permissions: X-Ray allows them only on "*". The construct adds no other statement with a "*" resource.',
      });
    }
  }

  private grantLeastPrivilege(keyPrefix: string): iam.AddToPrincipalPolicyResult {
    this.logGroup.grantWrite(this.role);
    // Only writes under the prefix: no read, list or delete, and nothing elsewhere in the bucket.
    // AbortMultipartUpload lets a failed large upload clean up its parts.
    const objectWrites = this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resources: [this.bucket.arnForObjects(`${keyPrefix}*`)],
    }));
    const key = this.bucket.encryptionKey;
    if (key) {
      // SSE-KMS: a put needs a data key, and completing a multipart upload decrypts it.
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
      }));
    }
    return objectWrites;
  }

  /** Validates the props (tokens are accepted as they are) and returns the function's environment. */
  private validateProps(props: SyntheticDataGeneratorProps) {
    const check = <T>(validate: () => T): T => {
      try {
        return validate();
      } catch (e) {
        if (e instanceof InvalidInputError) throw new Error(`SyntheticDataGenerator ${this.node.path}: ${e.message}`);
        throw e;
      }
    };
    const maxRows = props.maxRows ?? DEFAULTS.maxRows;
    const maxRowsKnown = !Token.isUnresolved(maxRows);
    if (maxRowsKnown) check(() => validateMaxRows('prop maxRows', maxRows));
    const { shards, shardConcurrency } = this.validateShardProps(props);
    const dataset = this.validateTables(props, maxRowsKnown ? maxRows : undefined, shards);
    const rows = props.rows ?? DEFAULTS.rows;
    if (Token.isUnresolved(rows)) {
      if (shards !== undefined) throw new Error(`SyntheticDataGenerator ${this.node.path}: prop rows is a CDK token: with shards, rows must be known at synth time`);
    } else if (shards === undefined) {
      check(() => validateRowCount('prop rows', rows, maxRowsKnown ? maxRows : Number.MAX_SAFE_INTEGER));
    } else if (dataset === undefined) {
      if (!maxRowsKnown) throw new Error(`SyntheticDataGenerator ${this.node.path}: prop maxRows is a CDK token: with shards, maxRows must be known at synth time`);
      check(() => validateRunRows('prop rows', rows, shards, maxRows, parseSchemaDocument(props.schema!.toJson(), 'prop schema')));
    }
    if (props.seed !== undefined && !Token.isUnresolved(props.seed)) check(() => validateSeed('prop seed', props.seed));
    const runtime = props.runtime ?? DEFAULT_RUNTIME;
    const nodeMajor = nodeMajorOfRuntime(runtime.name);
    if (runtime.family !== lambda.RuntimeFamily.NODEJS || nodeMajor === undefined || nodeMajor < MIN_NODE_MAJOR) {
      throw new Error(`SyntheticDataGenerator ${this.node.path}: prop runtime is ${runtime.name}: the handler is JavaScript built for `
        + `Node.js; use a Node.js runtime from nodejs${MIN_NODE_MAJOR}.x on (default ${DEFAULT_RUNTIME.name})`);
    }
    const keyPrefix = props.keyPrefix ?? DEFAULTS.keyPrefix;
    if (!Token.isUnresolved(keyPrefix)) check(() => validateKeyPrefix('prop keyPrefix', keyPrefix));
    const datasetName = props.datasetName ?? DEFAULTS.datasetName;
    if (!Token.isUnresolved(datasetName)) check(() => validateDatasetName('prop datasetName', datasetName));
    const { retryAttempts, maxEventAge } = this.validateAsyncInvoke(props);
    if (props.bucket && props.accessLogsBucket) {
      throw new Error(`SyntheticDataGenerator ${this.node.path}: prop accessLogsBucket is ${props.accessLogsBucket.node.path} while prop bucket `
        + `is given (${props.bucket.node.path}): the construct sets up server access logs only for a bucket it creates; `
        + 'leave out accessLogsBucket and configure access logging on your own bucket');
    }

    const outputFormat = props.outputFormat ?? OutputFormat.csv();
    const output = outputFormat._toDocument();
    if (output.compression === 'zstd' && nodeMajor < ZSTD_MIN_NODE.major) {
      throw new Error(`SyntheticDataGenerator ${this.node.path}: prop outputFormat is ${describeOutputFormat(output)} and prop runtime is `
        + `${runtime.name}: Zstandard comes with Node.js's zlib from Node.js ${ZSTD_MIN_NODE.major}.${ZSTD_MIN_NODE.minor}; use a runtime from `
        + `nodejs${ZSTD_MIN_NODE.major}.x on (default ${DEFAULT_RUNTIME.name}), or gzip`);
    }
    const catalog = props.catalogTable === false ? undefined : this.catalogSettings(props, datasetName, keyPrefix, output, dataset);
    const memorySize = props.memorySize ?? DEFAULTS.memorySizeMb;
    if (output.format === 'parquet' && !Token.isUnresolved(memorySize) && memorySize < PARQUET_MIN_MEMORY_MB) {
      Annotations.of(this).addWarningV2('cdk-synthetic-data:parquetMemory', `prop memorySize is ${memorySize} MB with Parquet output: `
        + 'the function can pass its memory writing objects of a million rows or more (at 128 MB it peaked at 124 to 132 MB); '
        + `use ${PARQUET_MIN_MEMORY_MB} MB or more, or write fewer rows per object`);
    }

    const table: Record<string, string> = dataset === undefined
      ? { [ENV.SCHEMA]: props.schema!.toJson(), [ENV.ROWS]: numberAsString(rows) }
      : { [ENV.TABLES]: encodeDatasetEnvironment(JSON.stringify(dataset)) };
    const environment: Record<string, string> = {
      ...table,
      [ENV.OUTPUT_FORMAT]: JSON.stringify(output),
      [ENV.MAX_ROWS]: numberAsString(maxRows),
      [ENV.KEY_PREFIX]: keyPrefix,
      [ENV.DATASET_NAME]: datasetName,
    };
    if (props.seed !== undefined) environment[ENV.SEED] = numberAsString(props.seed);
    if (shards !== undefined) environment[ENV.SHARDS] = String(shards);
    // A dataset too large for the environment even compressed goes into the function's code, named there by its hash.
    let datasetFile: { fileName: string; json: string } | undefined;
    if (dataset !== undefined && environmentBytes({ ...environment, [ENV.BUCKET_NAME]: BUCKET_NAME_PLACEHOLDER }) > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
      const json = JSON.stringify(dataset);
      const file = datasetFileOf(json);
      environment[ENV.TABLES] = file.environmentValue;
      datasetFile = { fileName: file.fileName, json };
    }
    if (props.bucket && !Token.isUnresolved(props.bucket.bucketName)) this.validateBucketName(props.bucket.bucketName);
    if (props.completionEvents === false && props.eventBus) {
      throw new Error(`SyntheticDataGenerator ${this.node.path}: prop eventBus is given while prop completionEvents is false: `
        + 'the bus is where the completion events go; leave out eventBus, or set completionEvents to true');
    }
    return {
      keyPrefix,
      datasetName,
      output,
      runtime,
      environment,
      retryAttempts,
      maxEventAge,
      shards,
      shardConcurrency,
      outputFormat,
      catalog,
      dataset,
      datasetFile,
    };
  }

  /** A literal bucket name S3 would refuse fails at synth, not at the first invocation. */
  private validateBucketName(name: string): void {
    try {
      s3.Bucket.validateBucketName(name);
    } catch (e) {
      throw new Error(`SyntheticDataGenerator ${this.node.path}: prop bucket is named ${JSON.stringify(name)}, which S3 does not allow as a bucket `
        + `name (${(e as Error).message.replace(/\s+/g, ' ')}); pass the name of an existing bucket`);
    }
  }

  /**
   * With prop completionEvents (or eventBus): what the events say, and, for single objects, the function's environment and
   * its one publishing permission. The state machine of sharded runs publishes with its own role (sharded-run.ts).
   */
  private publishCompletionEvents(
    props: SyntheticDataGeneratorProps,
    settings: {
      keyPrefix: string;
      datasetName: string;
      output: OutputFormatDocument;
      dataset?: DatasetDocument;
      catalog?: { existingDatabaseName?: string; databaseName: string; tables: ReadonlyArray<{ tableName: string }> };
    },
  ): EventFacts | undefined {
    if (!(props.completionEvents ?? props.eventBus !== undefined)) return undefined;
    const bus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultEventBus', 'default');
    const names = settings.catalog?.tables.map((table) => table.tableName) ?? [];
    const database = settings.catalog ? settings.catalog.existingDatabaseName ?? settings.catalog.databaseName : undefined;
    // One table: its name; a dataset of related tables: every table's.
    const catalog = database === undefined ? undefined
      : settings.dataset === undefined ? { database, table: names[0] } : { database, tables: names };
    this.function.addEnvironment(ENV.EVENT_BUS, bus.eventBusArn);
    if (catalog) this.function.addEnvironment(ENV.CATALOG, JSON.stringify(catalog));
    this.role.addToPrincipalPolicy(publishEventsStatement(bus));
    return {
      bus,
      generator: this.function.functionName,
      datasetName: settings.datasetName,
      keyPrefix: settings.keyPrefix,
      bucketName: this.bucket.bucketName,
      output: settings.output,
      catalog,
    };
  }

  private requireEvents(method: string): EventFacts {
    if (!this.eventFacts) throw new Error(`SyntheticDataGenerator ${this.node.path}: ${method} needs the generator's events: set prop completionEvents to true`);
    return this.eventFacts;
  }

  /** Exactly one of props schema and tables; the tables validated as one dataset (references, rows). */
  /** @param shards the run's parts, already validated (validateShardProps), when there is a run */
  private validateTables(props: SyntheticDataGeneratorProps, maxRows: number | undefined, shards: number | undefined): DatasetDocument | undefined {
    const where = `SyntheticDataGenerator ${this.node.path}`;
    if (props.tables === undefined) {
      if (props.schema === undefined) throw new Error(`${where}: give prop schema (one table) or prop tables (a dataset of related tables)`);
      const json = props.schema.toJson();
      if (!Token.isUnresolved(json)) {
        try {
          parseSchemaDocument(json, 'prop schema');
        } catch (e) {
          if (e instanceof InvalidInputError) throw new Error(`${where}: ${e.message}`);
          throw e;
        }
      }
      return undefined;
    }
    const conflicts = (['schema', 'rows', 'catalogTableName'] as const).filter((prop) => props[prop] !== undefined);
    if (conflicts.length > 0) {
      throw new Error(`${where}: prop tables is set with ${conflicts.map((prop) => `prop ${prop}`).join(', ')}: each table has its own columns, rows `
        + 'and catalog table; remove them');
    }
    try {
      // In a sharded run a table may be larger than one invocation makes: its parts are checked instead.
      const rowLimit = shards === undefined && maxRows !== undefined ? maxRows : Number.MAX_SAFE_INTEGER;
      const dataset = validateDatasetDocument({ tables: props.tables.map((table) => table._toDocument()) }, 'prop tables',
        (at, rows) => validateRowCount(at, rows, rowLimit));
      if (shards !== undefined) {
        if (maxRows === undefined) throw new Error(`${where}: prop maxRows is a CDK token: with shards, maxRows must be known at synth time`);
        validateDatasetRun('prop tables with prop shards', dataset, shards, maxRows);
      }
      return dataset;
    } catch (e) {
      if (e instanceof InvalidInputError) throw new Error(`${where}: ${e.message}`);
      throw e;
    }
  }

  /**
   * The catalog's settings, checked: names Athena accepts, and columns known at synth time. One table for prop schema,
   * over the dataset's folder; one per table for prop tables, each over its table's folder and named after it.
   */
  private catalogSettings(
    props: SyntheticDataGeneratorProps, datasetName: string, keyPrefix: string, outputFormat: OutputFormatDocument,
    dataset: DatasetDocument | undefined,
  ) {
    const where = `SyntheticDataGenerator ${this.node.path}`;
    const name = (prop: string, value: string | undefined, fallback: () => string): string => {
      if (value === undefined) return fallback();
      if (!Token.isUnresolved(value) && !isCatalogName(value)) {
        throw new Error(`${where}: prop ${prop} is ${JSON.stringify(value)}: Glue and Athena names are 1 to 255 lower-case letters, `
          + `digits and "_" (such as ${JSON.stringify(catalogName(value) || 'synthetic_data')})`);
      }
      return value;
    };
    const database = {
      outputFormat,
      existingDatabaseName: props.catalogDatabaseName === undefined ? undefined : name('catalogDatabaseName', props.catalogDatabaseName, () => ''),
      databaseName: name('catalogDatabaseName', props.catalogDatabaseName, () => catalogName(Names.uniqueResourceName(this, { maxLength: 100, separator: '_' }))),
    };
    if (dataset !== undefined) {
      if (Token.isUnresolved(keyPrefix) || Token.isUnresolved(datasetName)) {
        throw new Error(`${where}: props keyPrefix and datasetName must be known at synth time for the tables' catalog, or set catalogTable: false`);
      }
      const tables: CatalogTableSpec[] = dataset.tables.map((table) => ({
        id: `Table${table.name.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('')}`,
        tableName: table.name,
        folder: tableFolder(keyPrefix, datasetName, table.name),
        schema: withKeyTypes(dataset, table),
        description: `Table ${table.name} of synthetic dataset ${datasetName} (cdk-synthetic-data)`,
      }));
      return { ...database, tables };
    }
    const schemaJson = props.schema!.toJson();
    if (Token.isUnresolved(schemaJson)) {
      throw new Error(`${where}: prop schema is a CDK token, but the catalog table needs its columns at synth time: pass the schema itself, `
        + 'or set catalogTable: false');
    }
    if (props.catalogTableName === undefined && Token.isUnresolved(datasetName)) {
      throw new Error(`${where}: prop datasetName is a CDK token, so the catalog table cannot be named after it: set catalogTableName, `
        + 'or catalogTable: false');
    }
    const table: CatalogTableSpec = {
      id: 'Table',
      tableName: name('catalogTableName', props.catalogTableName, () => catalogName(datasetName)),
      folder: datasetFolder(keyPrefix, datasetName),
      schema: parseSchemaDocument(schemaJson, 'prop schema'),
      description: `Synthetic dataset ${datasetName} (cdk-synthetic-data)`,
    };
    return { ...database, tables: [table] };
  }

  private validateShardProps(props: SyntheticDataGeneratorProps): { shards?: number; shardConcurrency: number } {
    const where = `SyntheticDataGenerator ${this.node.path}`;
    if (props.shards === undefined) {
      if (props.shardConcurrency !== undefined) throw new Error(`${where}: prop shardConcurrency is set without prop shards: it bounds the parts of a sharded run; set shards too`);
      return { shardConcurrency: 0 };
    }
    if (Token.isUnresolved(props.shards) || Token.isUnresolved(props.shardConcurrency)) {
      throw new Error(`${where}: props shards and shardConcurrency must be known at synth time (the run's plan is fixed at deployment), not CDK tokens`);
    }
    let shards: number;
    try {
      shards = validateShards('prop shards', props.shards);
    } catch (e) {
      if (e instanceof InvalidInputError) throw new Error(`${where}: ${e.message}`);
      throw e;
    }
    const shardConcurrency = props.shardConcurrency ?? Math.min(shards, DEFAULT_SHARD_CONCURRENCY);
    if (!Number.isInteger(shardConcurrency) || shardConcurrency < 1 || shardConcurrency > MAX_SHARD_CONCURRENCY) {
      throw new Error(`${where}: prop shardConcurrency is ${shardConcurrency}: expected a whole number from 1 to ${MAX_SHARD_CONCURRENCY} `
        + '(Step Functions\' bound on a Distributed Map)');
    }
    return { shards, shardConcurrency };
  }

  /**
   * Lambda's asynchronous invocation settings. aws-cdk-lib's EventInvokeConfig checks them as numbers and rejects
   * tokens, so a token is refused here with the prop's name rather than there with an internal one.
   */
  private validateAsyncInvoke(props: SyntheticDataGeneratorProps): { retryAttempts: number; maxEventAge: Duration } {
    const where = `SyntheticDataGenerator ${this.node.path}`;
    const retryAttempts = props.retryAttempts ?? 2;
    const maxEventAge = props.maxEventAge ?? Duration.hours(1);
    for (const [prop, unresolved] of [['retryAttempts', Token.isUnresolved(retryAttempts)], ['maxEventAge', maxEventAge.isUnresolved()]] as const) {
      if (unresolved) throw new Error(`${where}: prop ${prop} is a CDK token: Lambda's asynchronous invocation settings must be known at synth time`);
    }
    if (!(Number.isInteger(retryAttempts) && retryAttempts >= 0 && retryAttempts <= MAX_RETRY_ATTEMPTS)) {
      throw new Error(`${where}: prop retryAttempts is ${retryAttempts}: expected 0, 1 or 2 (Lambda retries an asynchronous invocation at most twice)`);
    }
    const seconds = maxEventAge.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < MIN_EVENT_AGE_SECONDS || seconds > MAX_EVENT_AGE_SECONDS) {
      throw new Error(`${where}: prop maxEventAge is ${seconds} seconds: expected whole seconds from ${MIN_EVENT_AGE_SECONDS} (1 minute) `
        + `to ${MAX_EVENT_AGE_SECONDS} (6 hours), Lambda's bounds for an asynchronous event`);
    }
    return { retryAttempts, maxEventAge };
  }

  private checkEnvironmentSize(environment: Record<string, string>): Record<string, string> {
    const bytes = environmentBytes(environment);
    if (bytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
      const largest = Object.entries(environment)
        .filter(([, value]) => !Token.isUnresolved(value))
        .map(([name, value]) => ({ name, size: Buffer.byteLength(value) }))
        .sort((a, b) => b.size - a.size)
        .slice(0, 3)
        .map(({ name, size }) => `${ENV_PROP[name] ?? name} ${size} bytes`);
      throw new Error(`SyntheticDataGenerator ${this.node.path}: the function's environment would be ${bytes} bytes, above Lambda's limit `
        + `of ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} (largest: ${largest.join(', ')}): use fewer columns or shorter oneOf value lists, `
        + 'or a shorter keyPrefix or datasetName');
    }
    return environment;
  }
}

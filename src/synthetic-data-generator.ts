import { Annotations, Names } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { catalogName } from './contract/catalog';
import { DETAIL_TYPES } from './contract/events';
import { createGeneratorFunction } from './function-code';
import { resolveSettings } from './generator-settings';
import type { OutputFormat } from './output-format';
import { CatalogTables } from './parts/catalog-tables';
import { generatorRule, publishCompletionEvents, type EventFacts } from './parts/completion-events';
import { GeneratorAlarms, generatorMetric } from './parts/monitoring';
import { RunOnDeploy } from './parts/run-on-deploy';
import { RunSchedule } from './parts/schedule';
import { ShardedRun } from './parts/sharded-run';
import { PropErrors } from './prop-errors';
import { acknowledgeFunctionFindings, createExecutionRole, grantLeastPrivilege, SendOnlyQueueDestination } from './security';
import { createAccessLogsBucket, createDataBucket, createFailureQueue } from './storage';
import type { SyntheticDataGeneratorProps } from './synthetic-data-generator-props';

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
  private readonly errors: PropErrors;

  constructor(scope: Construct, id: string, props: SyntheticDataGeneratorProps) {
    super(scope, id);
    // Deliver server access logs by a bucket policy rather than an ACL: the buckets here have ACLs disabled
    // (bucket owner enforced), which the ACL way cannot work with. Set here, it holds for this construct only.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    this.errors = new PropErrors(this.node.path);

    const settings = resolveSettings(props, {
      path: this.node.path,
      defaultDatabaseName: catalogName(Names.uniqueResourceName(this, { maxLength: 100, separator: '_' })),
    });
    for (const warning of settings.warnings) Annotations.of(this).addWarningV2(warning.id, warning.message);
    this.keyPrefix = settings.keyPrefix;
    this.outputFormat = settings.outputFormat;
    this.datasetName = settings.datasetName;

    // Storage and permissions: where the objects go, and the least the function needs to put them there.
    if (props.bucket) {
      this.bucket = props.bucket;
    } else {
      this.accessLogsBucket = props.accessLogsBucket ?? createAccessLogsBucket(this);
      this.bucket = createDataBucket(this, this.accessLogsBucket);
    }
    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: settings.logRetention });
    this.role = props.role ?? createExecutionRole(this);
    const objectWrites = grantLeastPrivilege(this.role, { logGroup: this.logGroup, bucket: this.bucket, keyPrefix: settings.keyPrefix });

    // The function, and where its failed asynchronous invocations go.
    this.function = createGeneratorFunction(this, {
      settings, role: this.role, logGroup: this.logGroup, bucketName: this.bucket.bucketName, errors: this.errors,
    });
    if (!props.failureDestination) this.failureQueue = createFailureQueue(this);
    this.function.configureAsyncInvoke({
      onFailure: props.failureDestination ?? new SendOnlyQueueDestination(this.failureQueue!),
      retryAttempts: settings.retryAttempts,
      maxEventAge: settings.maxEventAge,
    });
    acknowledgeFunctionFindings({
      function: this.function, role: this.role, bucket: this.bucket, keyPrefix: settings.keyPrefix, objectWrites, tracing: settings.tracing,
    });

    // The parts, each asked for by a prop.
    this.eventFacts = publishCompletionEvents(this, {
      completionEvents: props.completionEvents,
      eventBus: props.eventBus,
      function: this.function,
      role: this.role,
      bucketName: this.bucket.bucketName,
      keyPrefix: settings.keyPrefix,
      datasetName: settings.datasetName,
      output: settings.output,
      relatedTables: settings.dataset !== undefined,
      catalog: settings.catalog,
    });
    this.eventBus = this.eventFacts?.bus;

    if (settings.shardedRun) {
      const run = new ShardedRun(this, 'ShardedRun', {
        function: this.function,
        concurrency: settings.shardedRun.concurrency,
        tracing: settings.tracing,
        logRetention: settings.logRetention,
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
    if (!this.stateMachine) throw this.errors.refuse('metricRunsFailed needs the state machine of sharded runs: set prop shards');
    return this.stateMachine.metricFailed({ statistic: 'Sum', ...props });
  }

  /**
   * Lets the grantee start sharded runs and follow them: `states:StartExecution` on `stateMachine` and
   * `states:DescribeExecution` on its executions. Needs prop `shards`.
   */
  public grantStartRun(grantee: iam.IGrantable): iam.Grant {
    if (!this.stateMachine) {
      throw this.errors.refuse('grantStartRun needs the state machine of sharded runs: set prop shards');
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

  private requireEvents(method: string): EventFacts {
    if (!this.eventFacts) throw this.errors.refuse(`${method} needs the generator's events: set prop completionEvents to true`);
    return this.eventFacts;
  }
}

/**
 * Completion and failure events on EventBridge (prop `completionEvents`): what a sharded run's state machine publishes
 * after `_SUCCESS` (or when the run fails), the publishing permission, and the rules of `onDatasetReady` / `onRunFailed`.
 * Single objects publish the same events from the function (lambda/events.ts), with the same permission.
 *
 * The event shapes are the contract of src/contract/events.ts, documented in the README.
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../contract/environment';
import { DETAIL_TYPES, EVENT_SOURCE, EVENT_VERSION } from '../contract/events';
import type { OutputFormatDocument } from '../contract/output-format';

/** The states' names, as the execution history shows them. */
export const EVENT_STATES = {
  ready: 'PublishDatasetReady',
  nameFailedRun: 'NameFailedRun',
  failed: 'PublishRunFailed',
  fail: 'RunFailed',
} as const;

/** What the events of one generator say about it, whatever publishes them. */
export interface EventFacts {
  readonly bus: events.IEventBus;
  /** The generator function's name. */
  readonly generator: string;
  readonly datasetName: string;
  readonly keyPrefix: string;
  readonly bucketName: string;
  readonly output: OutputFormatDocument;
  readonly catalog?: { readonly database: string; readonly table?: string; readonly tables?: readonly string[] };
}

/**
 * The one permission to publish this generator's events: `events:PutEvents` on the bus, only with this source and these
 * detail types (IAM's `events:source` and `events:detail-type` condition keys).
 */
export function publishEventsStatement(bus: events.IEventBus): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['events:PutEvents'],
    resources: [bus.eventBusArn],
    conditions: {
      StringEquals: { 'events:source': EVENT_SOURCE, 'events:detail-type': [DETAIL_TYPES.datasetReady, DETAIL_TYPES.runFailed] },
    },
  });
}

/** The detail fields every event has, in Step Functions' Parameters form (a `.$` key takes a path). */
function commonDetail(facts: EventFacts): Record<string, unknown> {
  return {
    'version': EVENT_VERSION,
    'generator': facts.generator,
    'dataset': facts.datasetName,
    'runId.$': '$.runId',
    'bucket': facts.bucketName,
    'format': facts.output.format,
    'compression': facts.output.compression,
    ...facts.catalog ? { catalog: { ...facts.catalog } } : {},
    'execution.$': '$$.Execution.Id',
  };
}

/** A Task state that publishes one event with the optimized `events:putEvents` integration, and keeps its input. */
function putEventState(scope: Construct, id: string, facts: EventFacts, detailType: string, detail: Record<string, unknown>): sfn.CustomState {
  return new sfn.CustomState(scope, id, {
    stateJson: {
      Type: 'Task',
      Resource: `arn:${Stack.of(scope).partition}:states:::events:putEvents`,
      Parameters: { Entries: [{ EventBusName: facts.bus.eventBusArn, Source: EVENT_SOURCE, DetailType: detailType, Detail: detail }] },
      // The state's output is its input: the manifest's answer, or the error.
      ResultPath: null,
      // EventBridge's own hiccups: publish again (a consumer dedupes by runId; EventBridge delivers at least once anyway).
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 4, JitterStrategy: 'FULL' }],
    },
  });
}

/** The states a sharded run publishes its events with, for ShardedRun to chain in. */
export interface RunEventStates {
  /** After WriteManifest: the dataset is complete. */
  readonly ready: sfn.IChainable;
  /** Where a failure of PlanRun goes (the run has no run id yet: the execution's name stands for it). */
  readonly failedBeforePlan: sfn.IChainable;
  /** Where a failure of WriteParts or WriteManifest goes (`$.runId` is set). */
  readonly failedInRun: sfn.IChainable;
}

/**
 * Builds the event states of a sharded run in `scope`; the state machine's role needs `publishEventsStatement`. The failure
 * path publishes and then fails the execution with the step's own error and cause.
 */
export function runEventStates(scope: Construct, facts: EventFacts): RunEventStates {
  const ready = putEventState(scope, EVENT_STATES.ready, facts, DETAIL_TYPES.datasetReady, {
    ...commonDetail(facts),
    'prefix.$': '$.prefix',
    'rows.$': '$.rows',
    'bytes.$': '$.bytes',
    'parts.$': '$.parts',
    'seed.$': '$.seed',
    'manifestKey.$': '$.manifestKey',
    'successKey.$': '$.successKey',
  });
  const folder = `${facts.keyPrefix}${facts.datasetName}/`;
  const failed = putEventState(scope, EVENT_STATES.failed, facts, DETAIL_TYPES.runFailed, {
    ...commonDetail(facts),
    // The run's folder; a prefix known only at deployment (a parameter) is left out rather than guessed.
    ...Token.isUnresolved(folder) ? {} : { 'prefix.$': `States.Format('${folder}{}/', $.runId)` },
    'error.$': '$.error.Error',
    'cause.$': '$.error.Cause',
  });
  const fail = new sfn.Fail(scope, EVENT_STATES.fail, { errorPath: '$.error.Error', causePath: '$.error.Cause' });
  const failedInRun = failed.next(fail);
  const failedBeforePlan = new sfn.Pass(scope, EVENT_STATES.nameFailedRun, {
    parameters: { 'runId.$': '$$.Execution.Name', 'error.$': '$.error' },
  }).next(failedInRun);
  return { ready, failedBeforePlan, failedInRun };
}

/** A rule on the generator's bus for one of its detail types, as aws-cdk-lib's `onEvent` helpers make them. */
export function generatorRule(
  scope: Construct, id: string, facts: Pick<EventFacts, 'bus' | 'generator'>, detailType: string, options: events.OnEventOptions,
): events.Rule {
  const rule = new events.Rule(scope, id, {
    eventBus: facts.bus,
    description: options.description,
    ruleName: options.ruleName,
    crossStackScope: options.crossStackScope,
  });
  rule.addEventPattern({ source: [EVENT_SOURCE], detailType: [detailType], detail: { generator: [facts.generator] } });
  rule.addEventPattern(options.eventPattern);
  if (options.target) rule.addTarget(options.target);
  return rule;
}

/** What the generator publishes its events about, and with what. */
export interface CompletionEventsProps {
  /** Prop completionEvents. */
  readonly completionEvents?: boolean;
  /** Prop eventBus. */
  readonly eventBus?: events.IEventBus;
  readonly function: lambda.Function;
  readonly role: iam.IRole;
  readonly bucketName: string;
  readonly keyPrefix: string;
  readonly datasetName: string;
  readonly output: OutputFormatDocument;
  /** Whether the generator makes a dataset of related tables (prop tables) rather than one table. */
  readonly relatedTables: boolean;
  /** The catalog's database (an existing one, or the one created) and tables, unless prop catalogTable is false. */
  readonly catalog?: {
    readonly existingDatabaseName?: string;
    readonly databaseName: string;
    readonly tables: ReadonlyArray<{ readonly tableName: string }>;
  };
}

/**
 * With prop completionEvents (or eventBus): what the events say, and, for single objects, the function's environment and
 * its one publishing permission. The state machine of sharded runs publishes with its own role (sharded-run.ts).
 * `scope` is the generator: the account's default bus is imported there.
 */
export function publishCompletionEvents(scope: Construct, props: CompletionEventsProps): EventFacts | undefined {
  if (!(props.completionEvents ?? props.eventBus !== undefined)) return undefined;
  const bus = props.eventBus ?? events.EventBus.fromEventBusName(scope, 'DefaultEventBus', 'default');
  const names = props.catalog?.tables.map((table) => table.tableName) ?? [];
  const database = props.catalog ? props.catalog.existingDatabaseName ?? props.catalog.databaseName : undefined;
  // One table: its name; a dataset of related tables: every table's.
  const catalog = database === undefined ? undefined
    : !props.relatedTables ? { database, table: names[0] } : { database, tables: names };
  props.function.addEnvironment(ENV.EVENT_BUS, bus.eventBusArn);
  if (catalog) props.function.addEnvironment(ENV.CATALOG, JSON.stringify(catalog));
  props.role.addToPrincipalPolicy(publishEventsStatement(bus));
  return {
    bus,
    generator: props.function.functionName,
    datasetName: props.datasetName,
    keyPrefix: props.keyPrefix,
    bucketName: props.bucketName,
    output: props.output,
    catalog,
  };
}

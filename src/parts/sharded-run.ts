/**
 * The state machine of a sharded run: PlanRun → WriteParts (a Distributed Map, one invocation per part) → WriteManifest.
 * Every step is the generator function itself, so the parts, the manifest and `_SUCCESS` are written by the one role
 * that may write under the key prefix; the state machine's role may only invoke that function and run its own map.
 */
import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { publishEventsStatement, runEventStates, type EventFacts } from './completion-events';
import { RUN_ACTIONS } from '../contract/runs';
import { acknowledgeNagFinding, nagFlatten } from '../nag-acknowledgements';

/** The states' names, as the README, docs/scale.md and the execution history show them. */
const RUN_STATES = { plan: 'PlanRun', parts: 'WriteParts', part: 'WritePart', manifest: 'WriteManifest' } as const;

/** The handler's error for a bad event or setting (src/contract): the same event would fail again, so it is never retried. */
const INPUT_ERROR = 'InvalidInputError';
/**
 * The handler's error for a part that ran out of time: it would again (3 × the timeout spent before the run fails), so it is
 * not retried; the fix is a longer timeout or more shards.
 */
const DEADLINE_ERROR = 'DeadlineError';
/** Lambda's throttling error, as Step Functions names it. */
const LAMBDA_THROTTLED = 'Lambda.TooManyRequestsException';

export interface ShardedRunProps {
  readonly function: lambda.IFunction;
  /** Parts made at the same time at most (the Distributed Map's MaxConcurrency). */
  readonly concurrency: number;
  readonly tracing: boolean;
  readonly logRetention: logs.RetentionDays;
  /** Publish a completion event after `_SUCCESS`, and a failure event when the run fails (see completion-events.ts). */
  readonly events?: EventFacts;
}

/**
 * Invokes the generator with `payload`; never retries bad input (nor `noRetry`), backs off on throttling, and retries any
 * other failure twice: every step writes each of its objects once, so running it again finds, never duplicates.
 */
function invokeGenerator(
  scope: Construct, id: string, fn: lambda.IFunction, payload: Record<string, unknown>,
  extra: Partial<tasks.LambdaInvokeProps> = {}, noRetry: string[] = [],
): tasks.LambdaInvoke {
  // The default retrier of LambdaInvoke covers Lambda's own service errors (2 s, ×2, 6 attempts).
  const task = new tasks.LambdaInvoke(scope, id, { lambdaFunction: fn, payload: sfn.TaskInput.fromObject(payload), ...extra });
  // Step Functions uses the first retrier whose errors match: these come before States.ALL.
  task.addRetry({ errors: [INPUT_ERROR, ...noRetry], maxAttempts: 0 });
  task.addRetry({
    errors: [LAMBDA_THROTTLED],
    interval: Duration.seconds(1),
    backoffRate: 2,
    maxAttempts: 8,
    maxDelay: Duration.seconds(60),
    jitterStrategy: sfn.JitterType.FULL,
  });
  // S3 still failing after the SDK's retries, a crash: the step runs again.
  task.addRetry({ errors: [sfn.Errors.ALL], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 2, jitterStrategy: sfn.JitterType.FULL });
  return task;
}

export class ShardedRun extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ShardedRunProps) {
    super(scope, id);
    const fn = props.function;

    const plan = invokeGenerator(this, RUN_STATES.plan, fn, {
      action: RUN_ACTIONS.planRun,
      input: sfn.JsonPath.entirePayload,
      executionName: sfn.JsonPath.executionName,
    }, { outputPath: '$.Payload' });
    // Every later step gets the run id and the fingerprint of the settings planned with.
    const run = { runId: sfn.JsonPath.stringAt('$.runId'), settings: sfn.JsonPath.stringAt('$.settings') };

    const writePart = invokeGenerator(this, RUN_STATES.part, fn, {
      action: RUN_ACTIONS.writePart,
      ...run,
      part: sfn.JsonPath.objectAt('$.part'),
    }, {
      // Only what the manifest needs travels back: the map's output holds every part's record.
      resultSelector: {
        index: sfn.JsonPath.numberAt('$.Payload.index'),
        firstRow: sfn.JsonPath.numberAt('$.Payload.firstRow'),
        rows: sfn.JsonPath.numberAt('$.Payload.rows'),
        bytes: sfn.JsonPath.numberAt('$.Payload.bytes'),
        sha256: sfn.JsonPath.stringAt('$.Payload.sha256'),
        conformance: sfn.JsonPath.objectAt('$.Payload.conformance'),
      },
    }, [DEADLINE_ERROR]);

    const parts = new sfn.DistributedMap(this, RUN_STATES.parts, {
      itemsPath: '$.parts',
      itemSelector: { ...run, part: sfn.JsonPath.objectAt('$$.Map.Item.Value') },
      maxConcurrency: props.concurrency,
      mapExecutionType: sfn.StateMachineType.STANDARD,
      label: RUN_STATES.parts,
      // The plan's descriptors are replaced by the parts' records, in the same order.
      resultPath: '$.parts',
    });
    parts.itemProcessor(writePart);

    const manifest = invokeGenerator(this, RUN_STATES.manifest, fn, {
      action: RUN_ACTIONS.writeManifest,
      ...run,
      parts: sfn.JsonPath.listAt('$.parts'),
    }, { outputPath: '$.Payload' });

    let definition = plan.next(parts).next(manifest);
    if (props.events) {
      const published = runEventStates(this, props.events);
      definition = definition.next(published.ready);
      plan.addCatch(published.failedBeforePlan, { resultPath: '$.error' });
      for (const step of [parts, manifest]) step.addCatch(published.failedInRun, { resultPath: '$.error' });
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logRetention });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'A sharded run of cdk-synthetic-data: plan, write the parts in parallel, then the manifest and _SUCCESS',
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: props.tracing,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    if (props.events) this.stateMachine.addToRolePolicy(publishEventsStatement(props.events.bus));
    this.acknowledgeNagFindings(fn, props.tracing);
  }

  private acknowledgeNagFindings(fn: lambda.IFunction, tracing: boolean): void {
    const stack = Stack.of(this);
    const role = this.stateMachine.role.node;
    const rolePolicy = role.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (rolePolicy instanceof CfnResource) {
      acknowledgeNagFinding(rolePolicy, {
        ruleId: 'AwsSolutions-IAM5',
        appliesTo: `Resource::${nagFlatten(stack.resolve(fn.functionArn))}:*`,
        reason: 'The state machine invokes the generator function; aws-cdk-lib\'s LambdaInvoke also allows lambda:InvokeFunction on the '
          + 'function\'s versions and aliases (<function ARN>:*). No other function may be invoked.',
      });
      acknowledgeNagFinding(rolePolicy, {
        ruleId: 'AwsSolutions-IAM5',
        appliesTo: 'Resource::*',
        reason: 'Logging every event to CloudWatch Logs needs logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, '
          + 'ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies and DescribeLogGroups, which Step Functions documents on "*" only'
          + (tracing ? '; so are X-Ray\'s PutTraceSegments, PutTelemetryRecords, GetSamplingRules and GetSamplingTargets.' : '.'),
      });
    }
    // The Distributed Map runs each part as a child execution of this state machine: the wildcard is over those executions.
    const mapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy')?.node.defaultChild;
    if (mapPolicy instanceof CfnResource) {
      const reasons: Record<string, string> = {
        'states:DescribeExecution': 'The Distributed Map starts one child execution per part, with names Step Functions chooses: describing and '
          + 'stopping them is allowed on the executions of this state machine only (<state machine name>:*).',
        'states:RedriveExecution': 'A failed run can be redriven, which restarts the Distributed Map\'s failed child executions: allowed on the '
          + 'executions of this state machine\'s WriteParts map only.',
      };
      for (const [action, reason] of Object.entries(reasons)) {
        for (const resource of wildcardResourcesOf(stack.resolve((mapPolicy as iam.CfnPolicy).policyDocument), action)) {
          acknowledgeNagFinding(mapPolicy, { ruleId: 'AwsSolutions-IAM5', appliesTo: `Resource::${resource}`, reason });
        }
      }
    }
    if (!tracing) {
      const reason = 'X-Ray tracing was turned off with the construct\'s prop tracing: false (it is on by default).';
      const resource = this.stateMachine.node.defaultChild as CfnResource;
      acknowledgeNagFinding(resource, { ruleId: 'AwsSolutions-SF2', reason });
      acknowledgeNagFinding(resource, { ruleId: 'Serverless-StepFunctionStateMachineXray', reason });
    }
  }
}

/** The resources with a wildcard of the statements of a resolved policy document that allow `action`, as cdk-nag names them. */
function wildcardResourcesOf(document: { Statement?: Array<{ Action?: string | string[]; Resource?: unknown }> }, action: string): string[] {
  return (document.Statement ?? [])
    .filter((statement) => ([] as string[]).concat(statement.Action ?? []).includes(action))
    .flatMap((statement) => ([] as unknown[]).concat(statement.Resource ?? []))
    .map(nagFlatten)
    .filter((resource) => resource.includes('*'));
}

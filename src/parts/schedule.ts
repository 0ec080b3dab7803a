/**
 * Runs on a schedule (prop `schedule`): an EventBridge Scheduler schedule that starts the generator's state machine (sharded
 * runs) or invokes its function (single objects), with a role that may only do that and a dead-letter queue for firings
 * Scheduler could not deliver.
 *
 * The target input carries the firing's scheduled time, from which the handler makes the run id (src/contract/schedule.ts):
 * a slot delivered twice makes one dataset.
 */
import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SCHEDULED_TIME_FIELD } from '../contract/schedule';
import { acknowledgeNagFinding, nagFlatten } from '../nag-acknowledgements';

/** How long Scheduler keeps trying to deliver a firing before it goes to the dead-letter queue. */
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);
/** How many times Scheduler retries a delivery that failed. */
export const SCHEDULE_RETRY_ATTEMPTS = 10;
/** How long the dead-letter queue keeps an undelivered firing: the most SQS allows. */
const DEAD_LETTER_RETENTION = Duration.days(14);

export interface RunScheduleProps {
  readonly expression: scheduler.ScheduleExpression;
  /** The generator function: invoked (asynchronously) for one object when there is no state machine. */
  readonly function: lambda.IFunction;
  /** The state machine of sharded runs, started instead of the function when there is one. */
  readonly stateMachine?: sfn.IStateMachine;
}

export class RunSchedule extends Construct {
  public readonly schedule: scheduler.Schedule;
  public readonly role: iam.Role;
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RunScheduleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    // Trusted by Scheduler for schedules of this account's default group only (the confused-deputy conditions
    // aws-scheduler-targets puts on the role it would make).
    this.role = new iam.Role(this, 'Role', {
      description: 'Role of a cdk-synthetic-data schedule: starts this generator\'s runs, and sends undelivered firings to its dead-letter queue',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
          },
        },
      }),
    });
    const target = {
      input: scheduler.ScheduleTargetInput.fromObject({ [SCHEDULED_TIME_FIELD]: scheduler.ContextAttribute.scheduledTime }),
      role: this.role,
      deadLetterQueue: this.deadLetterQueue,
      maxEventAge: SCHEDULE_MAX_EVENT_AGE,
      retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
    };
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: props.expression,
      description: props.stateMachine ? 'Starts a sharded run of cdk-synthetic-data, named after the scheduled time'
        : 'Makes one object of cdk-synthetic-data, named after the scheduled time',
      target: props.stateMachine
        ? new targets.StepFunctionsStartExecution(props.stateMachine, target)
        : new targets.LambdaInvoke(props.function, target),
    });
    this.acknowledgeNagFindings(props.function, props.stateMachine);
  }

  private acknowledgeNagFindings(fn: lambda.IFunction, stateMachine?: sfn.IStateMachine): void {
    const queue = this.deadLetterQueue.node.defaultChild as CfnResource;
    const reason = 'This queue is the dead-letter queue of the schedule: each message is a firing Scheduler could not deliver, kept 14 days '
      + 'for people to read (an alarm watches it with prop alarmAction). No consumer processes it, so no message can fail processing '
      + 'and need a dead-letter queue of its own.';
    acknowledgeNagFinding(queue, { ruleId: 'AwsSolutions-SQS3', reason });
    acknowledgeNagFinding(queue, { ruleId: 'Serverless-SQSRedrivePolicy', reason });
    const policy = this.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (!stateMachine && policy instanceof CfnResource) {
      acknowledgeNagFinding(policy, {
        ruleId: 'AwsSolutions-IAM5',
        appliesTo: `Resource::${nagFlatten(Stack.of(this).resolve(fn.functionArn))}:*`,
        reason: 'The schedule invokes the generator function; aws-cdk-lib\'s grantInvoke also allows lambda:InvokeFunction on the function\'s '
          + 'versions and aliases (<function ARN>:*). No other function may be invoked.',
      });
    }
  }
}

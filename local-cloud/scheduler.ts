/**
 * EventBridge Scheduler in the local cloud. moto's CloudFormation skips AWS::Scheduler::Schedule, and moto's schedules
 * never fire. This adapter does the two things AWS would do:
 *
 * - `createSchedulesOfStack()`: creates each schedule of the template through moto's Scheduler API (references
 *   resolved against the deployed stack), as CloudFormation would, so it can be read back with GetSchedule.
 * - `fireSchedule()`: one firing at a given scheduled time, as Scheduler delivers it: the schedule read back from moto,
 *   its target input rendered for that time (`<aws.scheduler.scheduled-time>` and the other context attributes), and
 *   the target started as the schedule's role would start it: the role's trust (scheduler.amazonaws.com) and its policy
 *   (states:StartExecution on the state machine, lambda:InvokeFunction on the function) checked by iam-policy.ts (moto
 *   checks such actions against resource `*` only); then a state machine's StartExecution and the run by the local
 *   interpreter (state-machine.ts), or the function invoked in the sandbox.
 *
 * Not emulated: the schedule's expression and time zone (nothing fires by itself: the caller says when), the flexible
 * time window, Scheduler's retries and its dead-letter queue, and the asynchronous invocation of a Lambda target (the
 * function is run in the sandbox directly, once).
 */
import { randomUUID } from 'node:crypto';
import { CreateScheduleCommand, GetScheduleCommand, SchedulerClient, type GetScheduleCommandOutput } from '@aws-sdk/client-scheduler';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { DeployedStack } from './deploy';
import { requireAllowed } from './iam-policy';
import { invokeFunction, type InvocationResult } from './lambda-sandbox';
import type { LocalCloud } from './moto-server';
import { assumeServiceRole } from './service-role';
import { runStateMachine, type LocalExecution, type RunStateMachineOptions } from './state-machine';
import { resolveTemplateValue } from './template-values';

const SCHEDULE_TYPE = 'AWS::Scheduler::Schedule';

/** A schedule of the stack, as created in moto's Scheduler. */
export interface LocalSchedule {
  readonly logicalId: string;
  readonly name: string;
  readonly groupName: string;
}

/** The schedule's name as CloudFormation would make it: stack name, logical id, within Scheduler's 64 characters. */
function scheduleNameOf(stack: DeployedStack, logicalId: string): string {
  return `${stack.stackName}-${logicalId}`.replace(/[^0-9a-zA-Z._-]/g, '-').slice(0, 64);
}

/** Creates every AWS::Scheduler::Schedule of `stack` that moto's CloudFormation skipped. */
export async function createSchedulesOfStack(cloud: LocalCloud, stack: DeployedStack): Promise<LocalSchedule[]> {
  const scheduler = new SchedulerClient(cloud.clientConfig());
  const created: LocalSchedule[] = [];
  try {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type !== SCHEDULE_TYPE || stack.resources[logicalId]) continue;
      const p = resolveTemplateValue(resource.Properties, stack, cloud, 'scheduler adapter') as Record<string, any>;
      const name = p.Name ?? scheduleNameOf(stack, logicalId);
      const groupName = p.GroupName ?? 'default';
      await scheduler.send(new CreateScheduleCommand({
        Name: name,
        GroupName: groupName,
        Description: p.Description,
        ScheduleExpression: p.ScheduleExpression,
        ScheduleExpressionTimezone: p.ScheduleExpressionTimezone,
        FlexibleTimeWindow: p.FlexibleTimeWindow,
        State: p.State,
        Target: p.Target,
      }));
      created.push({ logicalId, name, groupName });
    }
    return created;
  } finally {
    scheduler.destroy();
  }
}

/** What Scheduler puts in place of each context attribute of a target input. */
export interface FiringContext {
  readonly scheduledTime: Date;
  readonly executionId: string;
  readonly attemptNumber: number;
  readonly scheduleArn: string;
}

/** Scheduler's rendering of the scheduled time: UTC to the second, `2026-01-01T02:00:00Z`. */
export function schedulerTimeOf(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The target input with every `<aws.scheduler.…>` context attribute replaced, as Scheduler delivers it. */
export function renderTargetInput(input: string, context: FiringContext): string {
  const values: Record<string, string> = {
    'scheduled-time': schedulerTimeOf(context.scheduledTime),
    'execution-id': context.executionId,
    'attempt-number': String(context.attemptNumber),
    'schedule-arn': context.scheduleArn,
  };
  return input.replace(/<aws\.scheduler\.([a-z-]+)>/g, (whole, name: string) => values[name] ?? whole);
}

export interface FireScheduleOptions extends Pick<RunStateMachineOptions, 'onTaskEnd' | 'log' | 'invokeOptions'> {
  readonly stack: DeployedStack;
  readonly schedule: LocalSchedule;
  readonly scheduledTime: Date;
}

export interface ScheduleFiring {
  /** The input the target got. */
  readonly input: unknown;
  readonly targetArn: string;
  /** The execution it started (a state machine target). */
  readonly execution?: LocalExecution;
  /** The invocation it made (a function target). */
  readonly invocation?: InvocationResult;
}

/** One firing of `schedule` at `scheduledTime`: see the file comment. */
export async function fireSchedule(cloud: LocalCloud, options: FireScheduleOptions): Promise<ScheduleFiring> {
  const scheduler = new SchedulerClient(cloud.clientConfig());
  let schedule: GetScheduleCommandOutput;
  try {
    schedule = await scheduler.send(new GetScheduleCommand({ Name: options.schedule.name, GroupName: options.schedule.groupName }));
  } finally {
    scheduler.destroy();
  }
  const target = schedule.Target;
  if (!target?.Arn || !target.RoleArn) throw new Error(`schedule ${options.schedule.name} has no target or no role`);
  const rendered = renderTargetInput(target.Input ?? '{}', {
    scheduledTime: options.scheduledTime, executionId: randomUUID(), attemptNumber: 1, scheduleArn: schedule.Arn ?? '',
  });
  const input = JSON.parse(rendered) as unknown;
  await assumeServiceRole(cloud, target.RoleArn, 'scheduler.amazonaws.com', `local-scheduler-${options.schedule.name}`);

  if (target.Arn.includes(':states:') && target.Arn.includes(':stateMachine:')) {
    await requireAllowed(cloud, target.RoleArn, [{ action: 'states:StartExecution', resource: target.Arn }]);
    const sfn = new SFNClient({ ...cloud.clientConfig(), maxAttempts: 1 });
    let executionArn: string;
    try {
      executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn: target.Arn, input: rendered }))).executionArn ?? '';
    } finally {
      sfn.destroy();
    }
    const execution = await runStateMachine(cloud, {
      stack: options.stack,
      input,
      executionName: executionArn.split(':').pop(),
      onTaskEnd: options.onTaskEnd,
      log: options.log,
      invokeOptions: options.invokeOptions,
    });
    return { input, targetArn: target.Arn, execution };
  }
  if (target.Arn.includes(':lambda:')) {
    await requireAllowed(cloud, target.RoleArn, [{ action: 'lambda:InvokeFunction', resource: target.Arn }]);
    const invocation = await invokeFunction(cloud, target.Arn.split(':function:').pop()!.split(':')[0], { stack: options.stack, event: input, log: options.log });
    return { input, targetArn: target.Arn, invocation };
  }
  throw new Error(`the scheduler adapter starts state machines and Lambda functions; schedule ${options.schedule.name} targets ${target.Arn}`);
}

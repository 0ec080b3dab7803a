/**
 * Runs a deployed Step Functions state machine locally: its definition as the local cloud stored it (moto's
 * CloudFormation resolved the synthesized one), interpreted by aws-local-stepfunctions, with every Lambda Task
 * calling the deployed function in the Lambda-like sandbox, as its own role, against the local S3.
 *
 * The interpreter follows the definition's Retry, Catch, ItemSelector, ResultSelector and MaxConcurrency. It runs a
 * Distributed Map as an inline one (no child executions), which is where it differs from Step Functions. An
 * `events:putEvents` Task (completion events) goes to the local EventBridge as the state machine's own role.
 */
import { randomUUID } from 'node:crypto';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { DeployedStack } from './deploy';
import { putEventsOfTask } from './events';
import { invokeFunction, type InvocationResult, type InvokeOptions } from './lambda-sandbox';
import type { LocalCloud } from './moto-server';
import { assumeServiceRole } from './service-role';

// aws-local-stepfunctions uses Promise.withResolvers (Node.js 22); the tooling runs on Node.js 20 as well.
type WithResolvers = <T>() => { promise: Promise<T>; resolve: (value: T) => void; reject: (reason?: unknown) => void };
const promises = Promise as unknown as { withResolvers?: WithResolvers };
promises.withResolvers ??= <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
/** The part of aws-local-stepfunctions' API used here (an ES module package, loaded through its CommonJS build). */
interface LocalStateMachine {
  run(input: unknown, options: unknown): { result: Promise<unknown>; eventLogs: AsyncIterable<Record<string, any>> };
}
// Loaded after the polyfill above: it must exist when the library runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions') as { StateMachine: new (definition: unknown, options: unknown) => LocalStateMachine };

/** One invocation a Task state made. */
export interface TaskCall {
  /** The Task state's name. */
  readonly state: string;
  readonly payload: unknown;
  /** 1 for the first invocation of this state with this payload, 2 for its first retry, … */
  readonly attempt: number;
  readonly invocation: InvocationResult;
}

export interface RunStateMachineOptions {
  /** The stack holding the state machine (its only one). */
  readonly stack: DeployedStack;
  /** The execution's input. Default `{}`. */
  readonly input?: unknown;
  /** The execution's name. Default: a random UUID, as StartExecution gives one. */
  readonly executionName?: string;
  /** More options for one invocation of a Task, e.g. a fault proxy as its S3 endpoint for one attempt. */
  readonly invokeOptions?: (call: { state: string; payload: unknown; attempt: number }) => Partial<InvokeOptions>;
  /** Told of each invocation when it ends. */
  readonly onTaskEnd?: (call: TaskCall) => void;
  /** Progress lines (e.g. the one-time Node.js download). */
  readonly log?: (line: string) => void;
}

export interface LocalExecution {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly executionName: string;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** Every invocation, in the order they ended. */
  readonly calls: readonly TaskCall[];
  /** Retries the definition's Retry fields made: the state and the error retried. */
  readonly retries: ReadonlyArray<{ state: string; error: string }>;
  /** The events:putEvents Tasks that EventBridge accepted: the state and its resolved Parameters. */
  readonly published: ReadonlyArray<{ state: string; parameters: unknown }>;
  readonly seconds: number;
  readonly stateMachineArn: string;
}

/** An error a Task state fails with, named as Step Functions names a Lambda function's error: by its errorType. */
class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** The stack's state machine and its definition, as the local cloud stores them. */
export async function describeDeployedStateMachine(
  cloud: LocalCloud, stack: DeployedStack,
): Promise<{ arn: string; definition: Record<string, unknown>; roleArn: string }> {
  const machines = Object.values(stack.resources).filter((r) => r.type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`expected one state machine in stack ${stack.stackName}, found ${machines.length}`);
  const sfn = new SFNClient(cloud.clientConfig());
  try {
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machines[0].physicalId }));
    return { arn: machines[0].physicalId, definition: JSON.parse(described.definition ?? '{}'), roleArn: described.roleArn ?? '' };
  } finally {
    sfn.destroy();
  }
}

/** Every Task state of a definition, Map item processors included, with its Resource. */
function taskStates(definition: Record<string, unknown>): Array<[string, string]> {
  const states = (definition.States ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(states).flatMap(([name, state]): Array<[string, string]> => {
    const nested = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
    const branches = (state.Branches ?? []) as Array<Record<string, unknown>>;
    return [...state.Type === 'Task' ? [[name, String(state.Resource)] as [string, string]] : [], ...nested ? taskStates(nested) : [], ...branches.flatMap(taskStates)];
  });
}

/** The optimized EventBridge integration, `arn:<partition>:states:::events:putEvents`. */
const isPutEventsTask = (resource: string) => /^arn:[^:]+:states:::events:putEvents$/.test(resource);

/** The function a `lambda:invoke` Task names, by ARN or name. */
function functionNameOf(functionName: unknown): string {
  const text = String(functionName);
  const match = /:function:([^:]+)/.exec(text);
  return match ? match[1] : text;
}

export async function runStateMachine(cloud: LocalCloud, options: RunStateMachineOptions): Promise<LocalExecution> {
  const startedAt = Date.now();
  const { arn, definition, roleArn } = await describeDeployedStateMachine(cloud, options.stack);
  const executionName = options.executionName ?? randomUUID();
  const calls: TaskCall[] = [];
  const attempts = new Map<string, number>();

  const invokeTask = (state: string) => async (input: unknown) => {
    const { FunctionName, Payload } = input as { FunctionName?: unknown; Payload?: unknown };
    if (FunctionName === undefined) throw new Error(`Task state ${state} is not a lambda:invoke task (no FunctionName in its Parameters)`);
    const attemptKey = `${state}|${JSON.stringify(Payload)}`;
    const attempt = (attempts.get(attemptKey) ?? 0) + 1;
    attempts.set(attemptKey, attempt);
    const invocation = await invokeFunction(cloud, functionNameOf(FunctionName), {
      stack: options.stack,
      event: Payload,
      log: options.log,
      ...options.invokeOptions?.({ state, payload: Payload, attempt }),
    });
    const call = { state, payload: Payload, attempt, invocation };
    calls.push(call);
    options.onTaskEnd?.(call);
    if (invocation.status === 'TimedOut') throw new TaskError('Sandbox.Timedout', `Task timed out after ${invocation.durationMs} ms`);
    if (invocation.status === 'Error') {
      const error = invocation.error ?? { errorType: 'Error', errorMessage: 'the function failed' };
      throw new TaskError(error.errorType, JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage }));
    }
    // What the lambda:invoke integration returns; the definition's ResultSelector / OutputPath pick from it.
    return { ExecutedVersion: '$LATEST', Payload: invocation.result ?? null, StatusCode: 200 };
  };

  // The state machine's own role publishes its events, as Step Functions does: its policy (and conditions) are what count.
  let trusted: Promise<unknown> | undefined;
  const publishTask = (state: string) => async (input: unknown) => {
    try {
      trusted ??= assumeServiceRole(cloud, roleArn, 'states.amazonaws.com', `local-sfn-${executionName}`);
      await trusted;
      const result = await putEventsOfTask(cloud, roleArn, input);
      published.push({ state, parameters: input });
      return result;
    } catch (error) {
      options.log?.(`${state}: ${(error as Error).message}`);
      const name = (error as Error).name;
      throw new TaskError(name === 'EventBridge.EventBridgeException' ? name : name === 'AccessDeniedException' ? 'EventBridge.AccessDeniedException' : 'States.TaskFailed',
        (error as Error).message);
    }
  };
  const published: Array<{ state: string; parameters: unknown }> = [];

  const machine = new StateMachine(definition, { validationOptions: { checkPaths: true, checkArn: false } });
  const taskResourceLocalHandlers = Object.fromEntries(taskStates(definition)
    .map(([state, resource]) => [state, isPutEventsTask(resource) ? publishTask(state) : invokeTask(state)]));
  const execution = machine.run(options.input ?? {}, {
    overrides: { taskResourceLocalHandlers },
    context: { Execution: { Name: executionName, Id: `${arn.replace(':stateMachine:', ':execution:')}:${executionName}` } },
  });
  const retries: Array<{ state: string; error: string }> = [];
  const watching = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateRetried') retries.push({ state: String(event.state?.name), error: String(event.retry?.retrier?.ErrorEquals ?? '') });
    }
  })();
  try {
    const output = await execution.result;
    await watching.catch(() => undefined);
    return { status: 'SUCCEEDED', executionName, output, calls, retries, published, seconds: (Date.now() - startedAt) / 1000, stateMachineArn: arn };
  } catch (error) {
    await watching.catch(() => undefined);
    const failure = (error as { cause?: unknown }).cause ?? error;
    return {
      status: 'FAILED',
      executionName,
      error: (failure as Error).name,
      cause: (failure as Error).message,
      calls,
      retries,
      published,
      seconds: (Date.now() - startedAt) / 1000,
      stateMachineArn: arn,
    };
  }
}

/**
 * Invoking a deployed function as Lambda would, since moto cannot run it: its configuration from
 * moto's Lambda API, its code from the cloud assembly, its role's credentials from sts:AssumeRole, run by
 * runtime/bootstrap.js on the runtime's Node.js major, with Lambda's environment and only the runtime's
 * modules (the AWS SDK, runtime-sdk.ts) on NODE_PATH, in the sandbox of sandbox.ts, killed at the
 * function's timeout.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CloudFormationClient, GetTemplateCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PROJECT_ROOT } from './cache-dir';
import { stopChild } from './child-processes';
import { listFileAssets, type Template, type TemplateResource } from './cloud-assembly';
import { lambdaLogStreamName, type LogEvent } from './cloudwatch-logs';
import { listStackResources, type DeployedResource, type DeployedStack } from './deploy';
import { startEventsGate } from './events';
import type { AwsCredentials, LocalCloud } from './moto-server';
import { nodeRuntimeFor, type NodeRuntime } from './node-runtime';
import { runtimeSdk } from './runtime-sdk';
import { planSandbox, spawnSandboxed, type SandboxInfo, type SandboxPlan } from './sandbox';
import { assumeServiceRole, trustsService } from './service-role';
import { nodeMajorOfRuntime } from '../src/contract/settings';

/** Directory of the runtime bootstrap (mounted at /var/runtime in the sandbox). */
export const RUNTIME_DIR = path.join(__dirname, 'runtime');
/** Lambda allows this long for the init phase of an on-demand function. */
export const INIT_TIMEOUT_MS = 10_000;

/** The function as deployed; `sources` says where each setting that moto's CloudFormation drops came from. */
export interface DeployedFunction {
  readonly functionName: string;
  readonly functionArn: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly runtime: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly ephemeralStorageMb: number;
  readonly architecture: string;
  readonly roleArn: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logGroupName: string;
  readonly logFormat: 'Text' | 'JSON';
  readonly applicationLogLevel?: string;
  /** Host directory of the function's code (its asset in the cloud assembly). */
  readonly codeDir: string;
  readonly sources: Readonly<Record<'ephemeralStorage' | 'loggingConfig' | 'architecture', 'lambda-api' | 'template' | 'default'>>;
}

export interface LocateFunctionOptions {
  /** The result of deployStack (saves looking the stack up). */
  readonly stack?: DeployedStack;
  /** Stack to look in, when `stack` is not given. Default: every stack is searched. */
  readonly stackName?: string;
  /** The cloud assembly directory the stack was deployed from. Default: `stack.assemblyDir`, else `<project>/cdk.out`. */
  readonly assemblyDir?: string;
}

export interface InvokeOptions extends LocateFunctionOptions {
  /** Default `{}`. */
  readonly event?: unknown;
  /** Default: a random UUID. */
  readonly requestId?: string;
  /** Added to (and overriding) the function's environment, e.g. `{ TMPDIR: '/tmp/x' }`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Size of the private /tmp. Default: the function's ephemeral storage. */
  readonly tmpSizeMb?: number;
  /** Default: the function's timeout. */
  readonly timeoutMs?: number;
  /** false: never sandbox. Default: sandbox where supported. */
  readonly sandbox?: boolean;
  /** Called with each log line as it is written. */
  readonly onLogLine?: (line: string) => void;
  /** Progress lines (e.g. the one-time Node.js download). */
  readonly log?: (line: string) => void;
}

export interface InvocationError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

export interface NodeInfo {
  readonly version: string;
  readonly source: NodeRuntime['source'];
  readonly fallbackReason?: string;
}

export interface InvocationResult {
  readonly status: 'Success' | 'Error' | 'TimedOut';
  readonly result?: unknown;
  readonly error?: InvocationError;
  readonly requestId: string;
  /** The function's log output with the platform's START / END / REPORT lines, one entry per log event. */
  readonly logLines: readonly string[];
  /** The same with the times they were written, for CloudWatch Logs. */
  readonly logEvents: readonly LogEvent[];
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly initDurationMs?: number;
  readonly maxMemoryUsedMb?: number;
  /** The process used more memory than the function has (Lambda would have killed it). */
  readonly memoryExceeded: boolean;
  readonly sandbox: SandboxInfo;
  readonly node: NodeInfo;
  readonly function: DeployedFunction;
}

function resolveRef(value: unknown, resources: Readonly<Record<string, { physicalId: string }>>): string | undefined {
  if (typeof value === 'string') return value;
  const ref = (value as { Ref?: string } | undefined)?.Ref;
  return ref ? resources[ref]?.physicalId : undefined;
}

interface LocatedStack {
  readonly stackName: string;
  readonly template: Template;
  readonly resources: Readonly<Record<string, DeployedResource>>;
}

async function deployedStackNames(cfn: CloudFormationClient): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStacksCommand({ NextToken: token }));
    names.push(...(page.StackSummaries ?? [])
      .filter((s) => s.StackStatus === 'CREATE_COMPLETE' || s.StackStatus === 'UPDATE_COMPLETE')
      .map((s) => s.StackName ?? ''));
    token = page.NextToken;
  } while (token);
  return names;
}

async function findStack(cfn: CloudFormationClient, functionName: string, stackName?: string): Promise<LocatedStack> {
  const candidates = stackName ? [stackName] : await deployedStackNames(cfn);
  for (const name of candidates) {
    const resources = await listStackResources(cfn, name);
    if (!Object.values(resources).some((r) => r.type === 'AWS::Lambda::Function' && r.physicalId === functionName)) continue;
    const body = (await cfn.send(new GetTemplateCommand({ StackName: name }))).TemplateBody ?? '{}';
    return { stackName: name, template: JSON.parse(body) as Template, resources };
  }
  throw new Error(`function ${functionName} is not a resource of ${stackName ? `stack ${stackName}` : 'any deployed stack'}`);
}

/** The function's code directory in the assembly (checked to exist): `Metadata['aws:asset:path']`, else the asset whose object key is the code's S3Key. */
function locateCode(assemblyDir: string, resource: TemplateResource, functionName: string): string {
  const found = findCode(assemblyDir, resource, functionName);
  if (!fs.existsSync(found) || !fs.statSync(found).isDirectory()) {
    throw new Error(`the code of ${functionName} should be at ${found}, which is not a directory: is ${assemblyDir} the assembly the stack was deployed from?`);
  }
  return found;
}

function findCode(assemblyDir: string, resource: TemplateResource, functionName: string): string {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') return path.resolve(assemblyDir, assetPath);
  const s3Key = (resource.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
  if (typeof s3Key === 'string') {
    const asset = listFileAssets(assemblyDir).find((a) => a.destinations.some((d) => d.objectKey === s3Key));
    if (asset) return asset.sourcePath;
  }
  throw new Error(`the code of ${functionName} was not found in ${assemblyDir}: its template resource has no Metadata['aws:asset:path']`
    + ' (synthesize with context aws:cdk:enable-asset-metadata=true) and no Code.S3Key matching an asset');
}

/**
 * Everything needed to run the function: its configuration from moto's Lambda API (GetFunctionConfiguration),
 * completed from the deployed template for what moto's CloudFormation does not pass on to Lambda
 * (EphemeralStorage, LoggingConfig, Architectures), and its code directory.
 */
export async function describeDeployedFunction(
  cloud: LocalCloud, functionName: string, options: LocateFunctionOptions = {},
): Promise<DeployedFunction> {
  const lambda = new LambdaClient(cloud.clientConfig());
  const cfn = new CloudFormationClient(cloud.clientConfig());
  try {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    const located = options.stack && (!options.stackName || options.stackName === options.stack.stackName)
      ? { stackName: options.stack.stackName, template: options.stack.template, resources: options.stack.resources }
      : await findStack(cfn, config.FunctionName ?? functionName, options.stackName);
    const logicalId = Object.entries(located.resources).find(([, r]) => r.type === 'AWS::Lambda::Function' && r.physicalId === config.FunctionName)?.[0];
    const resource = logicalId ? located.template.Resources?.[logicalId] : undefined;
    if (!logicalId || !resource) throw new Error(`function ${functionName} not found in the template of stack ${located.stackName}`);
    const props = resource.Properties ?? {};
    const assemblyDir = options.assemblyDir ?? options.stack?.assemblyDir ?? path.join(PROJECT_ROOT, 'cdk.out');

    // Settings moto's CloudFormation drops: take them from the Lambda API if it has them, else the template.
    const templateStorage = Number((props.EphemeralStorage as { Size?: unknown } | undefined)?.Size);
    const apiStorage = config.EphemeralStorage?.Size;
    const ephemeralStorage = templateStorage > 0 && templateStorage !== apiStorage
      ? { value: templateStorage, source: 'template' as const }
      : { value: apiStorage ?? 512, source: apiStorage ? 'lambda-api' as const : 'default' as const };
    const apiLogging = (config as { LoggingConfig?: { LogGroup?: string; LogFormat?: string; ApplicationLogLevel?: string } }).LoggingConfig;
    const templateLogging = props.LoggingConfig as { LogGroup?: unknown; LogFormat?: string; ApplicationLogLevel?: string } | undefined;
    const logging = apiLogging?.LogGroup
      ? { group: apiLogging.LogGroup, format: apiLogging.LogFormat, level: apiLogging.ApplicationLogLevel, source: 'lambda-api' as const }
      : templateLogging
        ? { group: resolveRef(templateLogging.LogGroup, located.resources), format: templateLogging.LogFormat, level: templateLogging.ApplicationLogLevel, source: 'template' as const }
        : { group: undefined, format: undefined, level: undefined, source: 'default' as const };
    const templateArch = (props.Architectures as string[] | undefined)?.[0];
    const architecture = templateArch
      ? { value: templateArch, source: 'template' as const }
      : { value: config.Architectures?.[0] ?? 'x86_64', source: 'lambda-api' as const };

    const name = config.FunctionName ?? functionName;
    return {
      functionName: name,
      functionArn: config.FunctionArn ?? `arn:aws:lambda:${cloud.region}:${cloud.accountId}:function:${name}`,
      stackName: located.stackName,
      logicalId,
      runtime: config.Runtime ?? 'nodejs24.x',
      handler: config.Handler ?? 'index.handler',
      timeoutSeconds: config.Timeout ?? 3,
      memorySizeMb: config.MemorySize ?? 128,
      ephemeralStorageMb: ephemeralStorage.value,
      architecture: architecture.value,
      roleArn: config.Role ?? '',
      environment: config.Environment?.Variables ?? {},
      logGroupName: logging.group ?? `/aws/lambda/${name}`,
      logFormat: logging.format === 'JSON' ? 'JSON' : 'Text',
      applicationLogLevel: logging.level,
      codeDir: locateCode(assemblyDir, resource, name),
      sources: { ephemeralStorage: ephemeralStorage.source, loggingConfig: logging.source, architecture: architecture.source },
    };
  } finally {
    lambda.destroy();
    cfn.destroy();
  }
}

/** Lambda's own check at CreateFunction: the role must trust lambda.amazonaws.com with sts:AssumeRole. */
export function trustsLambda(assumeRolePolicyDocument: string): boolean {
  return trustsService(assumeRolePolicyDocument, 'lambda.amazonaws.com');
}

/**
 * Temporary credentials of the function's execution role, as Lambda gets them. Lambda's service
 * principal cannot call moto, and moto's trust check of sts:AssumeRole fails (HTTP 500) on a role that
 * trusts a Service principal only; so the trust policy is checked here as Lambda checks it, and the
 * session is made with sts:AssumeRoleWithWebIdentity (signed with the admin's keys), which moto backs
 * with the same role session: requests signed with it are evaluated against the role's policies.
 */
export async function assumeFunctionRole(cloud: LocalCloud, fn: Pick<DeployedFunction, 'roleArn' | 'functionName'>): Promise<AwsCredentials> {
  return assumeServiceRole(cloud, fn.roleArn, 'lambda.amazonaws.com', fn.functionName,
    `The role defined for the function cannot be assumed by Lambda: ${fn.roleArn} does not trust lambda.amazonaws.com with sts:AssumeRole`);
}

/** Lambda's reserved variables, the function's variables, the endpoint of the local cloud, the caller's overrides. */
export function lambdaEnvironment(cloud: LocalCloud, fn: DeployedFunction, args: {
  credentials: AwsCredentials; plan: SandboxPlan; logStreamName: string; overrides?: Readonly<Record<string, string>>;
}): Record<string, string> {
  const reserved: Record<string, string> = {
    AWS_REGION: cloud.region,
    AWS_DEFAULT_REGION: cloud.region,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: args.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    LAMBDA_TASK_ROOT: args.plan.taskRoot,
    LAMBDA_RUNTIME_DIR: args.plan.runtimeDir,
    _HANDLER: fn.handler,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: [path.dirname(args.plan.nodeBinary), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    NODE_PATH: args.plan.sdkDir,
    AWS_ACCESS_KEY_ID: args.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: args.credentials.secretAccessKey,
    ...args.credentials.sessionToken ? { AWS_SESSION_TOKEN: args.credentials.sessionToken } : {},
    ...fn.logFormat === 'JSON' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: fn.applicationLogLevel ?? 'INFO' } : {},
  };
  return {
    ...fn.environment, // Lambda does not let a function's variables override the reserved ones
    ...reserved,
    AWS_ENDPOINT_URL: cloud.endpoint, // every SDK client talks to the local cloud
    ...args.overrides,
  };
}

interface Prepared {
  readonly fn: DeployedFunction;
  readonly node: NodeRuntime;
  readonly plan: SandboxPlan;
  readonly env: Record<string, string>;
  readonly logStreamName: string;
}

async function prepare(cloud: LocalCloud, functionName: string, options: InvokeOptions): Promise<Prepared> {
  const fn = await describeDeployedFunction(cloud, functionName, options);
  const major = nodeMajorOfRuntime(fn.runtime);
  if (major === undefined) throw new Error(`${fn.functionName} has runtime ${fn.runtime}: only Node.js runtimes can run locally`);
  const [credentials, node, sdk] = await Promise.all([
    assumeFunctionRole(cloud, fn), nodeRuntimeFor(major, { log: options.log }), runtimeSdk(),
  ]);
  const plan = planSandbox({
    taskDir: fn.codeDir,
    runtimeDir: RUNTIME_DIR,
    nodeBinary: node.binary,
    sdkDir: sdk.nodeModules,
    tmpSizeMb: options.tmpSizeMb ?? fn.ephemeralStorageMb,
    sandbox: options.sandbox,
  });
  const logStreamName = lambdaLogStreamName();
  return { fn, node, plan, logStreamName, env: lambdaEnvironment(cloud, fn, { credentials, plan, logStreamName, overrides: options.env }) };
}

const nodeInfo = (node: NodeRuntime): NodeInfo => ({ version: node.version, source: node.source, fallbackReason: node.fallbackReason });
const sandboxInfo = (plan: SandboxPlan): SandboxInfo => ({ enabled: plan.enabled, reason: plan.reason, tmpSizeMb: plan.tmpSizeMb });

/** Splits a stream into lines as they come. */
function onLines(stream: Readable | null | undefined, each: (line: string) => void): () => void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    parts.forEach(each);
  });
  return () => {
    if (rest) each(rest);
    rest = '';
  };
}

/**
 * The V8 heap limits Lambda's Node.js runtime starts node with (its bootstrap script): a tenth of the
 * memory for the young generation, in two semi-spaces, and the rest for the old generation. Without them
 * node sizes its heap for the machine, not the function, and memory figures would not be Lambda's.
 */
export function lambdaNodeArgs(memorySizeMb: number): string[] {
  const newSpaceMb = Math.floor(memorySizeMb / 10);
  return ['--expose-gc', `--max-semi-space-size=${Math.floor(newSpaceMb / 2)}`, `--max-old-space-size=${memorySizeMb - newSpaceMb}`];
}

/**
 * Invokes the deployed function once (a cold start) with its role's credentials, in the sandbox where
 * possible, on Node.js of its runtime's major where possible; never throws for what the function does.
 */
export async function invokeFunction(cloud: LocalCloud, functionName: string, options: InvokeOptions = {}): Promise<InvocationResult> {
  const { fn, node, plan, env, logStreamName } = await prepare(cloud, functionName, options);
  const requestId = options.requestId ?? randomUUID();
  const timeoutMs = options.timeoutMs ?? fn.timeoutSeconds * 1000;
  // The function's PutEvents, decided by its role's policies as IAM would (moto cannot check their conditions): events.ts.
  const eventsGate = await startEventsGate(cloud, fn.roleArn);

  const child = spawnSandboxed(plan, plan.nodeBinary, [...lambdaNodeArgs(fn.memorySizeMb), path.join(plan.runtimeDir, 'bootstrap.js')],
    { AWS_ENDPOINT_URL_EVENTBRIDGE: eventsGate.endpoint, ...env }, ['ignore', 'pipe', 'pipe', 'pipe']);
  const logEvents: LogEvent[] = [];
  const addLine = (line: string) => {
    const message = line.replace(/\r/g, '\n');
    logEvents.push({ timestamp: Date.now(), message });
    options.onLogLine?.(message);
  };
  const flushOut = onLines(child.stdout, addLine);
  const flushErr = onLines(child.stderr, addLine);

  const messages: Array<Record<string, unknown>> = [];
  const control = child.stdio[3] as (Readable & Writable) | null;
  // A killed or crashed runtime resets its end of the pipes: what matters is how the process ended.
  for (const stream of [child.stdout, child.stderr, control]) stream?.on('error', () => undefined);
  let invokeStartedAt: number | undefined;
  let timedOut: 'init' | 'invoke' | undefined;
  let timer: NodeJS.Timeout | undefined;
  const armTimer = (ms: number, phase: 'init' | 'invoke') => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = phase;
      void stopChild(child, 'SIGKILL');
    }, ms);
  };
  armTimer(INIT_TIMEOUT_MS, 'init');
  onLines(control, (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    messages.push(message);
    if (message.type === 'invoke-start') {
      invokeStartedAt = Date.now();
      armTimer(timeoutMs, 'invoke');
    }
  });
  control?.write(JSON.stringify({
    event: options.event ?? {}, requestId, invokedFunctionArn: fn.functionArn, timeoutMs,
  }) + '\n');

  const spawnedAt = Date.now();
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', () => resolve({ code: null, signal: null }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  flushOut();
  flushErr();
  await eventsGate.close();

  const outcome = messages.find((m) => m.type === 'result' || m.type === 'error' || m.type === 'init-error');
  const started = messages.find((m) => m.type === 'invoke-start');
  const initDurationMs = (outcome?.initDurationMs ?? started?.initDurationMs) as number | undefined;
  const base = () => ({
    requestId,
    logGroupName: fn.logGroupName,
    logStreamName,
    sandbox: sandboxInfo(plan),
    node: nodeInfo(node),
    function: fn,
    initDurationMs,
    logEvents,
    logLines: logEvents.map((e) => e.message),
  });
  const platform = (text: string) => addLine(fn.logFormat === 'JSON' ? JSON.stringify({ time: new Date().toISOString(), type: 'platform.log', message: text }) : text);
  /** The platform's END and REPORT lines of an invocation the runtime could not report itself. */
  const platformEnd = (durationMs: number, status: string) => {
    platform(`END RequestId: ${requestId}`);
    platform(`REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\t`
      + `Memory Size: ${fn.memorySizeMb} MB\tMax Memory Used: - MB\tStatus: ${status}`);
  };

  if (outcome?.type === 'result' || outcome?.type === 'error') {
    const durationMs = outcome.durationMs as number;
    const maxMemoryUsedMb = outcome.maxMemoryUsedMb as number;
    return {
      ...base(),
      status: outcome.type === 'result' ? 'Success' : 'Error',
      result: outcome.type === 'result' ? outcome.result : undefined,
      error: outcome.type === 'error' ? outcome.error as InvocationError : undefined,
      durationMs,
      billedDurationMs: Math.ceil(durationMs),
      maxMemoryUsedMb,
      memoryExceeded: maxMemoryUsedMb > fn.memorySizeMb,
    };
  }
  if (timedOut) {
    const durationMs = timedOut === 'invoke' ? timeoutMs : Date.now() - spawnedAt;
    const seconds = (durationMs / 1000).toFixed(2);
    const errorMessage = timedOut === 'invoke' ? `Task timed out after ${seconds} seconds` : `Init phase timed out after ${seconds} seconds`;
    platform(`${new Date().toISOString()} ${requestId} ${errorMessage}`);
    platformEnd(durationMs, 'timeout');
    return { ...base(), status: 'TimedOut', error: { errorType: 'Sandbox.Timedout', errorMessage }, durationMs, billedDurationMs: Math.ceil(durationMs), memoryExceeded: false };
  }
  // The runtime died without a word (crash, process.exit in the handler, killed), or never started.
  const durationMs = invokeStartedAt ? Date.now() - invokeStartedAt : 0;
  const error: InvocationError = outcome?.type === 'init-error'
    ? outcome.error as InvocationError
    : { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited ${exit.signal ? `with signal: ${exit.signal}` : `with error: exit status ${exit.code}`}` };
  if (invokeStartedAt) platformEnd(durationMs, `error\tError Type: ${error.errorType}`);
  return { ...base(), status: 'Error', error, durationMs, billedDurationMs: Math.ceil(durationMs), memoryExceeded: false };
}

export interface ScriptResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly sandbox: SandboxInfo;
  readonly node: NodeInfo;
}

/**
 * Runs a JavaScript source (as `node -e`) exactly where and as the function would run: same sandbox,
 * same Node.js, same environment and credentials. For tests of the sandbox itself (e.g. that a write
 * outside /tmp fails with EROFS).
 */
export async function runInFunctionSandbox(
  cloud: LocalCloud, functionName: string, source: string, options: InvokeOptions = {},
): Promise<ScriptResult> {
  const { node, plan, env, fn } = await prepare(cloud, functionName, options);
  const child = spawnSandboxed(plan, plan.nodeBinary, ['-e', source], env, ['ignore', 'pipe', 'pipe']);
  for (const stream of [child.stdout, child.stderr]) stream?.on('error', () => undefined);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const timer = setTimeout(() => void stopChild(child, 'SIGKILL'), options.timeoutMs ?? fn.timeoutSeconds * 1000 + INIT_TIMEOUT_MS);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => { stderr += String(error); resolve({ code: null, signal: null }); });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  return { exitCode: exit.code, signal: exit.signal, stdout, stderr, sandbox: sandboxInfo(plan), node: nodeInfo(node) };
}

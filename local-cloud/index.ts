/**
 * The local cloud's API for tests and scripts (development tooling of this repository, not published).
 * See README.md in this folder.
 */
export { startMotoServer, findMoto, httpStatusOf, ACCOUNT_ID, ADMIN_BOOTSTRAP_REQUESTS } from './moto-server';
export { pythonTools, pinnedRequirements, PythonToolsError } from './python-tools';
export type { PythonTools } from './python-tools';
export type { LocalCloud, AwsCredentials, LocalClientConfig, StartMotoServerOptions } from './moto-server';
export { readAssemblyStack, listAssemblyStacks, listFileAssets } from './cloud-assembly';
export type { AssemblyStack, Template, TemplateResource, FileAsset } from './cloud-assembly';
export { deployStack, listStackResources, zipDirectory, StackDeployError, BOOTSTRAP_VERSION } from './deploy';
export type { DeployStackOptions, DeployedStack, DeployedResource } from './deploy';
export {
  invokeFunction, runInFunctionSandbox, describeDeployedFunction, assumeFunctionRole, lambdaEnvironment, trustsLambda,
} from './lambda-sandbox';
export type { InvokeOptions, InvocationResult, InvocationError, DeployedFunction, ScriptResult, NodeInfo } from './lambda-sandbox';
export { shipLogEvents, readLogEvents, lambdaLogStreamName } from './cloudwatch-logs';
export { handlerRecordOf } from './handler-records';
export type { HandlerRecord } from './handler-records';
export type { LogEvent, ShipLogsOptions } from './cloudwatch-logs';
export { probeSandboxSupport, planSandbox, spawnSandboxed } from './sandbox';
export type { SandboxInfo, SandboxPlan } from './sandbox';
export { listKeysUnderPrefix } from './s3-objects';
export { startFaultProxy, s3OperationOf } from './fault-proxy';
export type { FaultProxy, FaultRule, Fault, FaultKind, ProxiedRequest, S3Operation } from './fault-proxy';
export { runtimeSdk, runtimeSdkPackages } from './runtime-sdk';
export type { RuntimeSdk } from './runtime-sdk';
export { nodeRuntimeFor } from './node-runtime';
export { CACHE_DIR, PROJECT_ROOT } from './cache-dir';
export type { NodeRuntime } from './node-runtime';

/**
 * Deploying a stack of a cloud assembly into the local cloud, as `cdk deploy` does with the default
 * stack synthesizer: emulate the bootstrap (assets bucket, SSM version parameter), publish the file
 * assets (directories zipped), CreateStack, wait for CREATE_COMPLETE.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand,
  ListStackResourcesCommand, type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { zipSync, type Zippable } from 'fflate';
import { readAssemblyStack, substituteEnvironment, type Template } from './cloud-assembly';
import { httpStatusOf, type LocalCloud } from './moto-server';

/** The bootstrap version the emulated bootstrap reports (what a current `cdk bootstrap` deploys). */
export const BOOTSTRAP_VERSION = '30';

export interface DeployStackOptions {
  /** The cloud assembly directory (`cdk.out`). */
  readonly assemblyDir: string;
  /** Stack of the assembly whose assets to publish and (unless `template` is given) template to deploy: name or artifact id. */
  readonly stack: string;
  /** A template to deploy instead of the synthesized one (e.g. a variant made by a test). */
  readonly template?: Template;
  /** CloudFormation stack name to create. Default: the synthesized stack's name. */
  readonly stackName?: string;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

export interface DeployedResource {
  readonly physicalId: string;
  readonly type: string;
}

export interface DeployedStack {
  readonly stackName: string;
  readonly stackId: string;
  readonly status: string;
  readonly assemblyDir: string;
  /** The template deployed (synthesized or given). */
  readonly template: Template;
  /** Logical id → physical id and type, as CloudFormation reports them. */
  readonly resources: Readonly<Record<string, DeployedResource>>;
  readonly outputs: Readonly<Record<string, string>>;
  /** Resources of the template that moto's CloudFormation did not create (e.g. AWS::S3::BucketPolicy). */
  readonly skippedResources: ReadonlyArray<{ logicalId: string; type: string }>;
  /** The stack's Lambda functions: logical id → function name. */
  readonly functions: Readonly<Record<string, string>>;
}

/** CreateStack ended in a state other than CREATE_COMPLETE; `reasons` are the failed events' reasons. */
export class StackDeployError extends Error {
  constructor(readonly stackName: string, readonly status: string, readonly reasons: readonly string[]) {
    super(`stack ${stackName} ended in ${status}${reasons.length ? `:\n  ${reasons.join('\n  ')}` : ''}`);
    this.name = 'StackDeployError';
  }
}

/** Files of a directory as a zip, entries in a stable order (what `cdk deploy` uploads for a `zip` asset). */
export function zipDirectory(dir: string): Uint8Array {
  const entries: Zippable = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else entries[rel] = [fs.readFileSync(path.join(dir, rel)), { mtime: new Date('1980-01-01T00:00:00Z') }];
    }
  };
  walk('');
  return zipSync(entries, { level: 6 });
}

async function ensureBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as BucketLocationConstraint },
    }));
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}

/** What `cdk bootstrap` would have left: the SSM version parameters the template reads. */
async function emulateBootstrapParameters(ssm: SSMClient, template: Template): Promise<void> {
  for (const parameter of Object.values(template.Parameters ?? {})) {
    const name = parameter.Default;
    if (parameter.Type?.startsWith('AWS::SSM::Parameter::Value') && typeof name === 'string' && /^\/cdk-bootstrap\/[^/]+\/version$/.test(name)) {
      await ssm.send(new PutParameterCommand({ Name: name, Value: BOOTSTRAP_VERSION, Type: 'String', Overwrite: true }));
    }
  }
}

/** Every resource of a stack (ListStackResources, all pages): logical id → physical id and type. */
export async function listStackResources(cfn: CloudFormationClient, stackName: string): Promise<Record<string, DeployedResource>> {
  const resources: Record<string, DeployedResource> = {};
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    for (const r of page.StackResourceSummaries ?? []) {
      if (r.LogicalResourceId) resources[r.LogicalResourceId] = { physicalId: r.PhysicalResourceId ?? '', type: r.ResourceType ?? '' };
    }
    token = page.NextToken;
  } while (token);
  return resources;
}

async function failureReasons(cfn: CloudFormationClient, stackName: string): Promise<string[]> {
  try {
    const events: StackEvent[] = (await cfn.send(new DescribeStackEventsCommand({ StackName: stackName }))).StackEvents ?? [];
    return events
      .filter((e) => e.ResourceStatus?.endsWith('_FAILED') || (e.ResourceStatusReason && e.ResourceStatus?.includes('ROLLBACK')))
      .map((e) => `${e.LogicalResourceId} (${e.ResourceType}) ${e.ResourceStatus}: ${e.ResourceStatusReason ?? 'no reason given'}`);
  } catch (error) {
    return [`(stack events unavailable: ${(error as Error).message})`];
  }
}

/**
 * Deploys a stack of a synthesized assembly (or a given variant of its template) into the local cloud;
 * resolves once it is CREATE_COMPLETE, throws StackDeployError otherwise.
 */
export async function deployStack(cloud: LocalCloud, options: DeployStackOptions): Promise<DeployedStack> {
  const log = options.log ?? (() => undefined);
  const assembly = readAssemblyStack(options.assemblyDir, options.stack);
  const template = options.template ?? assembly.template;
  const stackName = options.stackName ?? assembly.stackName;
  if ((assembly.account && assembly.account !== cloud.accountId) || (assembly.region && assembly.region !== cloud.region)) {
    throw new Error(`${assembly.stackName} is for aws://${assembly.account ?? '*'}/${assembly.region ?? '*'}, the local cloud is`
      + ` aws://${cloud.accountId}/${cloud.region}: start it with that region, or synthesize the stack for this environment`);
  }
  const env = { accountId: cloud.accountId, region: cloud.region };
  const config = cloud.clientConfig();
  const s3 = new S3Client(config);
  const ssm = new SSMClient(config);
  const cfn = new CloudFormationClient(config);
  // CreateStack is not retried: a retry of a create moto failed half-way only reports AlreadyExists.
  const cfnOnce = new CloudFormationClient({ ...config, maxAttempts: 1 });
  try {
    // 1. the bootstrap, and the assets where the template expects them
    await emulateBootstrapParameters(ssm, template);
    const buckets = new Set<string>();
    for (const asset of assembly.fileAssets) {
      const body = asset.packaging === 'zip' ? zipDirectory(asset.sourcePath) : fs.readFileSync(asset.sourcePath);
      for (const destination of asset.destinations) {
        const bucket = substituteEnvironment(destination.bucketName, env);
        if (!buckets.has(bucket)) {
          await ensureBucket(s3, bucket, cloud.region);
          buckets.add(bucket);
        }
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: substituteEnvironment(destination.objectKey, env), Body: body }));
      }
      log(`published asset ${path.basename(asset.sourcePath)} (${asset.packaging}, ${body.length} bytes)`);
    }

    // 2. the stack
    const created = await cfnOnce.send(new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify(template),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    })).catch(async (error: unknown) => {
      const status = httpStatusOf(error);
      if ((status ?? 0) < 500) throw error;
      // moto raised instead of failing the stack (e.g. a Ref to a missing resource): its traceback says why
      await new Promise((resolve) => setTimeout(resolve, 100)); // its traceback may still be in the pipe
      const raised = cloud.logTail().split('\n').filter((l) => /^\w+(\.\w+)*(Error|Exception)\b/.test(l)).pop();
      throw new StackDeployError(stackName, 'CREATE_FAILED', [`moto failed on the template (HTTP ${status}): ${raised ?? 'see its log'}`]);
    });
    let status = 'CREATE_IN_PROGRESS';
    let outputs: Record<string, string> = {};
    const deadline = Date.now() + 120_000;
    for (;;) {
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: created.StackId ?? stackName }))).Stacks?.[0];
      status = stack?.StackStatus ?? 'UNKNOWN';
      outputs = Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
      if (!status.endsWith('_IN_PROGRESS') || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (status !== 'CREATE_COMPLETE') throw new StackDeployError(stackName, status, await failureReasons(cfn, stackName));

    const resources = await listStackResources(cfn, stackName);
    const skippedResources = Object.entries(template.Resources ?? {})
      .filter(([logicalId]) => !resources[logicalId])
      .map(([logicalId, r]) => ({ logicalId, type: r.Type }));
    const functions = Object.fromEntries(Object.entries(resources)
      .filter(([, r]) => r.type === 'AWS::Lambda::Function')
      .map(([logicalId, r]) => [logicalId, r.physicalId]));
    return { stackName, stackId: created.StackId ?? '', status, assemblyDir: assembly.assemblyDir, template, resources, outputs, skippedResources, functions };
  } finally {
    s3.destroy();
    ssm.destroy();
    cfn.destroy();
    cfnOnce.destroy();
  }
}

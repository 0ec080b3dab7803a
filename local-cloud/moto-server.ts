/**
 * Lifecycle of a local AWS: a moto server on a free loopback port, with IAM enforcement on, and an
 * admin IAM user whose keys the tooling uses for everything it does itself (deploy, read-back).
 *
 * IAM enforcement: moto checks no request while its count of checked-to-be requests is below
 * INITIAL_NO_AUTH_ACTION_COUNT, then checks every later request against the caller's IAM policies. The
 * readiness probe (POST /moto-api/reset-auth, which sets that count and resets the counter to 0, and is
 * itself never checked) makes the budget exact however many probes it took: exactly
 * ADMIN_BOOTSTRAP_REQUESTS unchecked requests, all spent on creating the admin user.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { stopChild, trackChild } from './child-processes';
import { pythonTools, isolatedPythonEnv, PythonToolsError } from './python-tools';

export const ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';
export const ADMIN_USER_NAME = 'local-cloud-admin';
/** CreateUser, PutUserPolicy, CreateAccessKey: the only requests moto lets through unchecked. */
export const ADMIN_BOOTSTRAP_REQUESTS = 3;

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Configuration for any AWS SDK v3 client talking to the local cloud (forcePathStyle matters to S3 only). */
export interface LocalClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly forcePathStyle: boolean;
}

export interface LocalCloud {
  /** e.g. `http://127.0.0.1:41234` */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** Keys of an IAM user allowed `*:*`; requests signed with anything else are checked against IAM. */
  readonly adminCredentials: AwsCredentials;
  /** Client configuration with the admin's keys, or with the credentials given (e.g. an assumed role's). */
  clientConfig(credentials?: AwsCredentials): LocalClientConfig;
  /** The last few KB moto printed (its request log and tracebacks), for error messages. */
  logTail(): string;
  /** Stops the server (its whole process group). Idempotent. */
  stop(): Promise<void>;
}

export interface StartMotoServerOptions {
  readonly region?: string;
  /** Default: a free loopback port. */
  readonly port?: number;
  /** How long to wait for the server to answer. Default 30 s. */
  readonly startTimeoutMs?: number;
  /** Skip the check that a request signed with unknown keys is refused. Default false. */
  readonly skipEnforcementCheck?: boolean;
}

export interface MotoCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** The HTTP status of an AWS SDK v3 error (`$metadata.httpStatusCode`), if it has one. */
export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/**
 * How to start moto here: the pinned moto of the local cloud's own Python environment (installed on first use,
 * see python-tools.ts), never a `moto_server` the machine may have. Throws PythonToolsError, which says what
 * to install, when there is no usable Python.
 */
export function findMoto(): MotoCommand {
  const [command, ...args] = pythonTools().motoServer;
  return { command, args };
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Readiness probe that is also the reset of moto's unchecked-request budget (see the file comment).
 * Returns true once the server answered 200.
 */
async function resetAuthBudget(endpoint: string, unchecked: number): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: String(unchecked) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function waitUntilReady(child: ChildProcess, endpoint: string, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`);
    }
    if (await resetAuthBudget(endpoint, ADMIN_BOOTSTRAP_REQUESTS)) return;
    await sleep(100);
  }
  throw new Error(`moto did not answer at ${endpoint} within ${timeoutMs} ms:\n${output()}`);
}

async function createAdmin(endpoint: string, region: string): Promise<AwsCredentials> {
  // These three requests are the unchecked budget; the keys they are signed with do not matter.
  const iam = new IAMClient({ endpoint, region, credentials: { accessKeyId: 'bootstrap', secretAccessKey: 'bootstrap' } });
  try {
    await iam.send(new CreateUserCommand({ UserName: ADMIN_USER_NAME }));
    await iam.send(new PutUserPolicyCommand({
      UserName: ADMIN_USER_NAME,
      PolicyName: 'AdministratorAccess',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: ADMIN_USER_NAME }));
    if (!key.AccessKey?.AccessKeyId || !key.AccessKey.SecretAccessKey) throw new Error('moto returned no access key');
    return { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
  } finally {
    iam.destroy();
  }
}

/** Proves enforcement is on: unknown keys are refused, the admin's keys are accepted. */
async function checkEnforcement(endpoint: string, region: string, admin: AwsCredentials): Promise<void> {
  const stranger = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId: 'AKIASTRANGER0000000', secretAccessKey: 'x' } });
  try {
    await stranger.send(new ListBucketsCommand({}));
    throw new Error('moto accepted a request signed with unknown keys: IAM enforcement is not on');
  } catch (error) {
    if (httpStatusOf(error) !== 403) throw error;
  } finally {
    stranger.destroy();
  }
  const sts = new STSClient({ endpoint, region, credentials: admin });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (!identity.Arn?.endsWith(`:user/${ADMIN_USER_NAME}`)) throw new Error(`admin keys resolve to ${identity.Arn}`);
  } finally {
    sts.destroy();
  }
}

async function startOnce(port: number, options: StartMotoServerOptions): Promise<LocalCloud> {
  const region = options.region ?? DEFAULT_REGION;
  const moto = findMoto();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(moto.command, [...moto.args, '-H', '127.0.0.1', '-p', String(port)], {
    detached: true, // own process group: stop() kills moto and anything it forked
    stdio: ['ignore', 'pipe', 'pipe'],
    env: isolatedPythonEnv({
      INITIAL_NO_AUTH_ACTION_COUNT: String(ADMIN_BOOTSTRAP_REQUESTS),
      AWS_DEFAULT_REGION: region,
      MOTO_ACCOUNT_ID: ACCOUNT_ID,
    }),
  });
  trackChild(child);
  let output = '';
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-8000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopChild(child));
  try {
    await waitUntilReady(child, endpoint, options.startTimeoutMs ?? 30_000, () => output);
    const adminCredentials = await createAdmin(endpoint, region);
    if (!options.skipEnforcementCheck) await checkEnforcement(endpoint, region, adminCredentials);
    return {
      logTail: () => output,
      endpoint,
      port,
      region,
      accountId: ACCOUNT_ID,
      adminCredentials,
      clientConfig: (credentials = adminCredentials) => ({ endpoint, region, credentials, forcePathStyle: true }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts moto with IAM enforcement on and bootstraps its admin user. Several stacks can be deployed into
 * one server. Call `stop()` when done (it is also killed when this process exits).
 */
export async function startMotoServer(options: StartMotoServerOptions = {}): Promise<LocalCloud> {
  let lastError: unknown;
  for (let attempt = 0; attempt < (options.port ? 1 : 3); attempt++) {
    const port = options.port ?? await freeLoopbackPort();
    try {
      return await startOnce(port, options);
    } catch (error) {
      if (error instanceof PythonToolsError) throw error;
      lastError = error; // most likely the port was taken in between: try another
    }
  }
  throw lastError;
}

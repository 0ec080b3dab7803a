/**
 * `npm run demo -- [--rows N] [--seed S]`: the main job, on this machine, with no AWS account.
 * Synthesizes the example app, deploys it into a local AWS (moto, IAM enforced), invokes the generator
 * as its own role in a Lambda-like sandbox, ships its logs to its log group, and proves the result.
 * The last line printed is one JSON summary; the exit code is non-zero if any proof check fails.
 */
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { killAllChildren, stopAllChildren } from './child-processes';
import { readLogEvents, shipLogEvents } from './cloudwatch-logs';
import { parseDemoArgs, USAGE, UsageError, type DemoArgs } from './demo-args';
import { deployStack, type DeployedStack } from './deploy';
import { invokeFunction, type InvocationResult } from './lambda-sandbox';
import { startMotoServer, type LocalCloud } from './moto-server';
import { PROJECT_ROOT } from './node-runtime';
import { synthesizeSalesApp } from '../examples/sales-app';

const KEY_PREFIX = 'synthetic-data/';

let interrupted = false;
/** Progress output; silent once interrupted (the main flow may still be unwinding while the cloud stops). */
const say = (line: string) => {
  if (!interrupted) console.log(line);
};
const indent = (text: string, prefix = '      ') => text.split('\n').map((l) => prefix + l).join('\n');
const shorten = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A platform line of the request, in text (`START RequestId: …`) or JSON (`{"type":"platform.start",…}`) log format. */
function isPlatformLine(message: string, kind: 'START' | 'REPORT' | string, requestId: string): boolean {
  if (message.startsWith(`${kind} RequestId: ${requestId}`)) return true;
  try {
    const record = JSON.parse(message) as { type?: string; record?: { requestId?: string } };
    return record.type === `platform.${kind.toLowerCase()}` && record.record?.requestId === requestId;
  } catch {
    return false;
  }
}

interface Check { readonly name: string; readonly ok: boolean; readonly detail: string }

async function proveObject(
  cloud: LocalCloud, bucket: string, expectedKey: string | undefined, expectedBytes: number | undefined,
): Promise<Check & { key?: string; size?: number }> {
  const s3 = new S3Client(cloud.clientConfig());
  try {
    // Prefix without its trailing '/': moto's signature check rejects a query with an encoded '/' (%2F).
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: KEY_PREFIX.replace(/\/$/, '') }));
    const objects = (listed.Contents ?? []).filter((o) => o.Key?.startsWith(KEY_PREFIX));
    const object = objects.find((o) => o.Key === expectedKey) ?? (expectedKey ? undefined : objects[0]);
    if (!object?.Key) {
      return { name: 'object', ok: false, detail: `no object ${expectedKey ?? `under ${KEY_PREFIX}`} in ${bucket} (found: ${objects.map((o) => o.Key).join(', ') || 'none'})` };
    }
    const head = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key, Range: 'bytes=0-2047' }));
    const firstLines = (await head.Body?.transformToString() ?? '').split('\n').slice(0, 5);
    const sizeOk = expectedBytes === undefined || object.Size === expectedBytes;
    return {
      name: 'object',
      ok: sizeOk && firstLines[0].length > 0,
      key: object.Key,
      size: object.Size,
      detail: `s3://${bucket}/${object.Key}, ${object.Size} bytes${sizeOk ? '' : ` (the handler reported ${expectedBytes})`}; first lines:\n${indent(firstLines.map((l) => shorten(l)).join('\n'), '        ')}`,
    };
  } finally {
    s3.destroy();
  }
}

async function main(): Promise<number> {
  const startedAt = Date.now();
  let parsed: DemoArgs | 'help';
  try {
    parsed = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    say(USAGE);
    return 0;
  }
  const args = parsed;
  const event = { ...args.rows !== undefined ? { rows: args.rows } : {}, ...args.seed !== undefined ? { seed: args.seed } : {} };

  let invocation: InvocationResult | undefined;
  let summary: Record<string, unknown> = { status: 'Failed', bucket: null, key: null, rows: null, bytes: null, logEvents: 0 };
  const checks: Check[] = [];
  let cloud: LocalCloud | undefined;
  const stopCloud = async () => {
    const c = cloud;
    cloud = undefined;
    await c?.stop();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping the local cloud`);
    // moto and the sandboxed function run in process groups of their own: the terminal's signal missed them
    void stopAllChildren().finally(() => {
      console.log(JSON.stringify({ ...summary, status: 'Interrupted' }));
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    say('[1/6] synthesizing examples/sales-app.ts into cdk.out/');
    const synth = synthesizeSalesApp({ outdir: path.join(PROJECT_ROOT, 'cdk.out') });
    say(`      stack ${synth.stackName} in ${path.relative(PROJECT_ROOT, synth.assemblyDir) || '.'}/`);

    say('[2/6] starting the local AWS (moto) with IAM enforcement on');
    cloud = await startMotoServer();
    say(`      ${cloud.endpoint}, account ${cloud.accountId}, ${cloud.region}; the tooling signs as IAM user local-cloud-admin`);

    say(`[3/6] deploying ${synth.stackName} (bootstrap emulated, assets published, CreateStack)`);
    const stack: DeployedStack = await deployStack(cloud, { assemblyDir: synth.assemblyDir, stack: synth.stackName });
    say(`      ${stack.status}: ${Object.keys(stack.resources).length} resources`
      + (stack.skippedResources.length ? `; not emulated by moto: ${stack.skippedResources.map((r) => `${r.logicalId} (${r.type})`).join(', ')}` : ''));
    const functions = Object.values(stack.functions);
    if (functions.length !== 1) throw new Error(`expected one Lambda function in ${stack.stackName}, found ${functions.length}`);

    say(`[4/6] invoking ${functions[0]} with ${JSON.stringify(event)} as its execution role`);
    invocation = await invokeFunction(cloud, functions[0], {
      stack,
      event,
      log: (line) => say(`      ${line}`),
      onLogLine: (line) => say(indent(shorten(line, 200), '      │ ')),
    });
    const fn = invocation.function;
    say(`      ${fn.runtime} ${fn.architecture} (run on ${process.arch}), ${fn.memorySizeMb} MB, timeout ${fn.timeoutSeconds} s,`
      + ` code ${path.relative(PROJECT_ROOT, fn.codeDir)}, role ${fn.roleArn.split('/').pop()}`);
    say(`      ${invocation.status} in ${invocation.durationMs.toFixed(0)} ms on Node.js ${invocation.node.version} (${invocation.node.source})`
      + (invocation.sandbox.enabled ? `, sandboxed (read-only filesystem, ${invocation.sandbox.tmpSizeMb} MB tmpfs /tmp)` : `, NOT sandboxed: ${invocation.sandbox.reason}`));
    if (invocation.node.fallbackReason) say(`      note: ${invocation.node.fallbackReason}`);

    say(`[5/6] shipping ${invocation.logEvents.length} log lines to log group ${fn.logGroupName}`);
    await shipLogEvents(cloud, { logGroupName: fn.logGroupName, logStreamName: invocation.logStreamName, events: invocation.logEvents });
    say(`      stream ${invocation.logStreamName}`);

    say('[6/6] proof checks');
    const result = (invocation.result ?? {}) as { status?: string; bucket?: string; key?: string; rows?: number; bytes?: number };
    checks.push({
      name: 'invocation',
      ok: invocation.status === 'Success' && result.status === 'Success',
      detail: invocation.status === 'Success' ? JSON.stringify(invocation.result) : `${invocation.status}: ${JSON.stringify(invocation.error)}`,
    });
    say(`  (1) invocation: ${checks[0].ok ? 'OK' : 'FAILED'} ${checks[0].detail}`);

    const events = await readLogEvents(cloud, fn.logGroupName);
    const ours = events.filter((e) => e.logStreamName === invocation?.logStreamName);
    const framed = ['START', 'REPORT'].every((kind) => ours.some((e) => isPlatformLine(e.message ?? '', kind, invocation?.requestId ?? '')));
    checks.push({ name: 'logs', ok: ours.length > 0 && framed, detail: `${events.length} events in ${fn.logGroupName}` });
    say(`  (2) log events: ${checks[1].ok ? 'OK' : 'FAILED'} ${checks[1].detail}; the first:`);
    say(indent(events.slice(0, 4).map((e) => shorten(e.message ?? '')).join('\n'), '        '));

    const bucket = result.bucket ?? Object.values(stack.resources).find((r) => r.type === 'AWS::S3::Bucket')?.physicalId;
    const object = bucket
      ? await proveObject(cloud, bucket, result.key, result.bytes)
      : { name: 'object', ok: false, detail: 'no bucket in the result or the stack' };
    checks.push(object);
    say(`  (3) object under ${KEY_PREFIX}: ${object.ok ? 'OK' : 'FAILED'} ${object.detail}`);

    summary = {
      status: invocation.status === 'Success' ? result.status ?? 'Success' : invocation.status,
      bucket: bucket ?? null,
      key: object.key ?? result.key ?? null,
      rows: result.rows ?? null,
      bytes: object.size ?? result.bytes ?? null,
      logEvents: events.length,
    };
  } catch (error) {
    if (!interrupted) console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    if (invocation) summary.status = invocation.status;
    checks.push({ name: 'demo', ok: false, detail: String(error) });
  } finally {
    await stopCloud();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  if (interrupted) return new Promise<number>(() => undefined); // the signal handler ends the process
  const ok = checks.length === 3 && checks.every((c) => c.ok);
  say(`${ok ? 'all 3 proof checks passed' : `FAILED: ${checks.filter((c) => !c.ok).map((c) => c.name).join(', ') || 'not all checks ran'}`}`
    + ` in ${((Date.now() - startedAt) / 1000).toFixed(1)} s wall time (${process.uptime().toFixed(1)} s with ts-node's compilation)`
    + (invocation ? `; handler ran on Node.js ${invocation.node.version} (${invocation.node.source}), ${invocation.sandbox.enabled ? 'sandboxed' : `unsandboxed (${invocation.sandbox.reason})`}` : ''));
  say(JSON.stringify(summary));
  return ok ? 0 : 1;
}

// The AWS SDK warns that it will drop the Node.js running this tooling (not the function's): not news here.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (String(warning).startsWith('NodeVersionSupportWarning')) return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  killAllChildren();
  process.exit(1);
});

/**
 * Steps 4 to 6 of `npm run demo -- --shards K`: run the deployed state machine with the local interpreter (each
 * Task invokes the function in the sandbox as its own role), ship every invocation's logs, and prove the run:
 * the execution succeeded, the manifest adds up, every stored part has the manifest's size, SHA-256 and rows, and
 * the catalog table reads every part.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { proveCatalogReads } from './catalog-demo';
import type { Check } from './checks';
import { shipLogEvents } from './cloudwatch-logs';
import type { DeployedStack } from './deploy';
import type { CatalogEntry } from './glue-catalog';
import type { LocalCloud } from './moto-server';
import { checkStoredRun, readStoredRun } from './run-objects';
import { runStateMachine, type LocalExecution, type TaskCall } from './state-machine';
import { ENV } from '../src/contract/environment';
import { describeOutputFormat, type OutputFormatDocument } from '../src/contract/output-format';
import { runFolder } from '../src/contract/runs';
import { DEFAULTS } from '../src/contract/settings';

export interface ShardedDemo {
  readonly rows: number;
  readonly shards: number;
  readonly seed?: number;
  readonly runId: string;
  readonly downloadDir?: string;
  readonly datasetName: string;
  readonly columns: readonly string[];
  readonly output: OutputFormatDocument;
  /** The stack's catalog table, if it has one. */
  readonly catalog?: CatalogEntry;
}

/** One line per finished invocation: which step, which part, how it went. */
export function describeCall(call: TaskCall): string {
  const result = (call.invocation.result ?? {}) as Record<string, unknown>;
  const part = (call.payload as { part?: { index?: number } }).part;
  const what = part ? `part ${part.index}` : call.state;
  const outcome = call.invocation.status === 'Success'
    ? (part ? `${result.rows} rows, ${result.bytes} bytes${result.alreadyExisted ? ', already there' : ''}` : 'ok')
    : `${call.invocation.status}: ${call.invocation.error?.errorType ?? ''} ${(call.invocation.error?.errorMessage ?? '').slice(0, 160)}`;
  return `${call.state} ${what}${call.attempt > 1 ? ` (attempt ${call.attempt})` : ''}: ${outcome} in ${(call.invocation.durationMs / 1000).toFixed(1)} s`;
}

export async function runShardedDemoSteps(
  cloud: LocalCloud, stack: DeployedStack, demo: ShardedDemo, say: (line: string) => void,
): Promise<{ checks: Check[]; summary: Record<string, unknown> }> {
  say(`[4/6] starting the state machine locally (aws-local-stepfunctions) with {"runId":"${demo.runId}"}: `
    + `${demo.shards} parts of ${demo.rows} rows, each Task invoking the function in the sandbox`);
  const execution = await runStateMachine(cloud, {
    stack,
    input: { runId: demo.runId },
    log: (line) => say(`      ${line}`),
    onTaskEnd: (call) => say(`      ${describeCall(call)}`),
  });
  say(`      ${execution.status} in ${execution.seconds.toFixed(1)} s, ${execution.calls.length} invocations`
    + `${execution.retries.length ? `, ${execution.retries.length} retried` : ''}`);
  return proveShardedRun(cloud, stack, demo, [execution], say);
}

/**
 * Steps 5 and 6: ship the logs of the executions' invocations and prove the run they made (several executions of the
 * same run id, as a schedule's repeated firing starts, make one run: every one must succeed).
 */
export async function proveShardedRun(
  cloud: LocalCloud, stack: DeployedStack, demo: ShardedDemo, executions: readonly LocalExecution[], say: (line: string) => void,
): Promise<{ checks: Check[]; summary: Record<string, unknown> }> {
  const failedExecution = executions.find((e) => e.status !== 'SUCCEEDED');
  const last = executions[executions.length - 1];
  const execution = { ...last, calls: executions.flatMap((e) => e.calls), seconds: executions.reduce((sum, e) => sum + e.seconds, 0) };
  say(`[5/6] shipping the logs of ${execution.calls.length} invocations to their log group`);
  for (const { invocation } of execution.calls) {
    await shipLogEvents(cloud, {
      logGroupName: invocation.function.logGroupName, logStreamName: invocation.logStreamName, events: invocation.logEvents,
    });
  }
  const logLines = execution.calls.reduce((sum, call) => sum + call.invocation.logEvents.length, 0);
  say(`      ${logLines} log lines`);

  say('[6/6] proof checks');
  const checks: Check[] = [{
    name: 'execution',
    ok: failedExecution === undefined,
    detail: failedExecution === undefined ? JSON.stringify(execution.output) : `${failedExecution.error}: ${failedExecution.cause}`,
  }];
  say(`  (1) execution: ${checks[0].ok ? 'OK' : 'FAILED'} ${checks[0].detail.slice(0, 400)}`);

  // The bucket the function writes to, as its environment names it.
  const bucket = execution.calls[0]?.invocation.function.environment[ENV.BUCKET_NAME];
  if (!bucket) throw new Error(`the state machine of ${stack.stackName} invoked nothing: no bucket to read the run from`);
  const folder = runFolder(DEFAULTS.keyPrefix, demo.datasetName, demo.runId);
  // The parts are kept (in the download folder, or a scratch one) for the catalog check to read.
  const saveIn = demo.downloadDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'demo-run-'));
  const stored = await readStoredRun(cloud, bucket, folder, { output: demo.output, downloadDir: saveIn });
  const problems = checkStoredRun(stored, { rows: demo.rows, parts: demo.shards, columns: demo.columns, seed: demo.seed });
  const bytes = stored.parts.reduce((sum, p) => sum + p.bytes, 0);
  checks.push({
    name: 'manifest',
    ok: problems.length === 0,
    detail: `s3://${bucket}/${folder}: ${stored.keys.length} objects, ${stored.parts.length} parts, `
      + `${stored.parts.reduce((sum, p) => sum + p.rows, 0)} rows of ${describeOutputFormat(demo.output)}, ${bytes} bytes`
      + (problems.length ? `; ${problems.slice(0, 5).join('; ')}` : '; rows add up, each part\'s size, SHA-256, rows and columns as listed, _SUCCESS written'),
  });
  say(`  (2) manifest and parts: ${checks[1].ok ? 'OK' : 'FAILED'} ${checks[1].detail}`);
  if (stored.manifest) say(`      _manifest.json:\n${JSON.stringify(stored.manifest, null, 2).split('\n').map((l) => `        ${l}`).join('\n')}`);
  if (demo.downloadDir) say(`      copied ${stored.keys.length} objects into ${path.resolve(demo.downloadDir)}`);

  const failedCalls = execution.calls.filter((c) => c.invocation.status !== 'Success');
  const unsandboxed = execution.calls.filter((c) => !c.invocation.sandbox.enabled);
  checks.push({
    name: 'invocations',
    ok: execution.calls.length >= executions.length * (demo.shards + 2) && unsandboxed.length === 0
      && failedCalls.every((f) => execution.calls.some((c) => c.state === f.state && JSON.stringify(c.payload) === JSON.stringify(f.payload) && c.invocation.status === 'Success')),
    detail: `${execution.calls.length} invocations (plan, ${demo.shards} parts, manifest), ${failedCalls.length} failed and retried, `
      + `${unsandboxed.length ? `${unsandboxed.length} NOT sandboxed: ${unsandboxed[0].invocation.sandbox.reason}` : 'all sandboxed as the function\'s role'}, `
      + `peak memory ${Math.max(...execution.calls.map((c) => c.invocation.maxMemoryUsedMb ?? 0))} MB`,
  });
  say(`  (3) invocations: ${checks[2].ok ? 'OK' : 'FAILED'} ${checks[2].detail}`);

  const files = stored.parts.map((part) => path.join(saveIn, part.key.slice(folder.length)));
  const rows = stored.parts.reduce((sum, p) => sum + p.rows, 0);
  const read = demo.catalog
    ? await proveCatalogReads(cloud, demo.catalog, { files, uris: stored.parts.map((part) => `s3://${bucket}/${part.key}`), rows }, say)
    : { name: 'catalog', ok: true, detail: 'the stack has no catalog table' };
  checks.push(read);
  say(`  (4) catalog table: ${read.ok ? 'OK' : 'FAILED'} ${read.detail}`);
  if (!demo.downloadDir) fs.rmSync(saveIn, { recursive: true, force: true });

  return {
    checks,
    summary: {
      status: failedExecution === undefined && checks.every((c) => c.ok) ? 'Success' : 'Failed',
      runId: demo.runId,
      parts: stored.parts.length,
      rows,
      bytes,
      format: describeOutputFormat(demo.output),
      seconds: Number(execution.seconds.toFixed(1)),
    },
  };
}

/**
 * `npm run demo -- [--rows N] [--seed S] [--format F [--compression C]] [--download DIR] [--shards K [--run-id ID]]`:
 * the main job, on this machine, with no AWS account. Synthesizes the example app, deploys it into a local AWS (moto,
 * IAM enforced; its Glue table through the local catalog adapter), invokes the generator as its own role in a
 * Lambda-like sandbox (with --shards: runs its state machine, whose every Task does so), ships its logs to its log
 * group, and proves the result, down to the catalog table reading the data.
 * The last line printed is one JSON summary; the exit code is non-zero if any proof check fails.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PROJECT_ROOT } from './cache-dir';
import { createDemoCatalog, proveCatalogReads } from './catalog-demo';
import type { Check } from './checks';
import { killAllChildren, stopAllChildren } from './child-processes';
import { readLogEvents, shipLogEvents } from './cloudwatch-logs';
import { inspectDataFile } from './data-files';
import { runDatasetDemoSteps } from './dataset-demo';
import { parseDemoArgs, USAGE, UsageError, type DemoArgs } from './demo-args';
import { deployStack, type DeployedStack } from './deploy';
import { createCatalogOfStack } from './glue-catalog';
import { handlerRecordOf, type HandlerRecord } from './handler-records';
import { invokeFunction, type InvocationResult } from './lambda-sandbox';
import { startMotoServer, type LocalCloud } from './moto-server';
import { listKeysUnderPrefix } from './s3-objects';
import { runScheduledDemoSteps } from './scheduled-demo';
import { runShardedDemoSteps } from './sharded-demo';
import { synthesizeIotApp } from '../examples/iot-app';
import { iotSqlChecks } from '../examples/iot-checks';
import { synthesizeRetailApp } from '../examples/retail-app';
import { retailSqlChecks } from '../examples/retail-checks';
import { salesSchema, synthesizeSalesApp } from '../examples/sales-app';
import { ENV } from '../src/contract/environment';
import { DEFAULT_OUTPUT_FORMAT, describeOutputFormat, type OutputFormatDocument } from '../src/contract/output-format';
import { DEFAULTS } from '../src/contract/settings';

/**
 * The proof checks of a demo: invocation (or execution), logs (or manifest), object (or invocations), catalog; for a
 * dataset of tables also its foreign keys.
 */
const PROOF_CHECKS = 4;
const DATASET_PROOF_CHECKS = 6;
/** The examples that are datasets of related tables: their app, and what DuckDB checks of their values. */
const DATASET_EXAMPLES = {
  retail: { app: 'examples/retail-app.ts', synthesize: synthesizeRetailApp, sqlChecks: retailSqlChecks },
  iot: { app: 'examples/iot-app.ts', synthesize: synthesizeIotApp, sqlChecks: iotSqlChecks },
} as const;
/** Rows of a sharded demo run whose command line does not say. */
const DEFAULT_SHARDED_ROWS = 100_000;
/** Where the generator writes (the example app keeps the construct's default). */
const KEY_PREFIX = DEFAULTS.keyPrefix;
/** The steps one successful invocation logs, in order (`uploaded`, or `alreadyExisted` on a retry). */
const REQUIRED_STEPS: ReadonlyArray<readonly string[]> = [['start'], ['written'], ['uploaded', 'alreadyExisted'], ['done']];

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

/** Check (2): the handler's own records of this request, each step of a successful run, are in the log group. */
function proveLogs(
  events: ReadonlyArray<{ message?: string; logStreamName?: string }>, logGroupName: string, requestId: string, logStreamName: string,
): Check & { records: HandlerRecord[] } {
  const records = events.map((e) => handlerRecordOf(e.message ?? '')).filter((r): r is HandlerRecord => r !== undefined);
  const ofRequest = records.filter((r) => r.function_request_id === requestId);
  const missing = REQUIRED_STEPS.filter((steps) => !ofRequest.some((r) => steps.includes(String(r.step))));
  const ours = events.filter((e) => e.logStreamName === logStreamName);
  const unframed = ['START', 'REPORT'].filter((kind) => !ours.some((e) => isPlatformLine(e.message ?? '', kind, requestId)));
  const problems = [
    ...missing.length ? [`no handler record with function_request_id ${requestId} and step ${missing.map((steps) => steps.join(' or ')).join(', nor ')}`] : [],
    ...unframed.map((kind) => `no platform ${kind} line of ${requestId} in stream ${logStreamName}`),
  ];
  return {
    name: 'logs',
    ok: problems.length === 0,
    records: ofRequest,
    detail: `${events.length} events in ${logGroupName}, ${ofRequest.length} of them the handler's records of request ${requestId}`
      + (problems.length ? `; ${problems.join('; ')}` : ''),
  };
}

/** A few fields of a handler record worth printing. */
function describeRecord(record: HandlerRecord): string {
  const fields = ['rows', 'bytes', 'key', 'durationMs', 'seed', 'seedSource', 'failedStep', 'problem']
    .filter((f) => record[f] !== undefined)
    .map((f) => `${f}=${typeof record[f] === 'string' ? record[f] : JSON.stringify(record[f])}`);
  return `${String(record.level ?? '')} step=${String(record.step)} "${String(record.message ?? '')}" function_request_id=${String(record.function_request_id)}`
    + (fields.length ? ` ${fields.join(' ')}` : '');
}

/**
 * Check (3): the object the handler reported is in the bucket under the key prefix, with the size the handler
 * reported, and, read by DuckDB as a file of its format, holds the schema's columns (CSV's header, JSON Lines' keys,
 * Parquet's schema) and as many rows as the handler reported. `rows` is what was counted in the object; the object
 * is saved as `file` (in the download folder, or a scratch one).
 */
async function proveObject(
  cloud: LocalCloud, bucket: string, claimed: { key?: string; rows?: number; bytes?: number }, output: OutputFormatDocument, saveIn: string,
): Promise<Check & { key?: string; size?: number; rows?: number; file?: string }> {
  const keys = await listKeysUnderPrefix(cloud, bucket, KEY_PREFIX);
  const key = claimed.key ? keys.find((k) => k === claimed.key) : keys[0];
  if (!key) {
    return { name: 'object', ok: false, detail: `no object ${claimed.key ?? `under ${KEY_PREFIX}`} in ${bucket} (found: ${keys.join(', ') || 'none'})` };
  }
  const s3 = new S3Client(cloud.clientConfig());
  let bytes: Uint8Array;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    bytes = await object.Body?.transformToByteArray() ?? new Uint8Array();
  } finally {
    s3.destroy();
  }
  const file = path.join(saveIn, path.basename(key));
  fs.writeFileSync(file, bytes);
  const expectedColumns = salesSchema().columnNames;
  const problems: string[] = [];
  let rows: number | undefined;
  try {
    const shape = await inspectDataFile(file, output);
    rows = shape.rows;
    if (JSON.stringify(shape.columns) !== JSON.stringify(expectedColumns)) {
      problems.push(`columns ${JSON.stringify(shape.columns)} are not the schema's ${JSON.stringify(expectedColumns)}`);
    }
  } catch (error) {
    problems.push(`not a valid ${describeOutputFormat(output)} file: ${(error as Error).message.split('\n')[0]}`);
  }
  if (claimed.rows === undefined) problems.push('the handler reported no row count');
  else if (rows !== undefined && rows !== claimed.rows) problems.push(`${rows} data rows, the handler reported ${claimed.rows}`);
  if (claimed.bytes === undefined) problems.push('the handler reported no size');
  else if (bytes.length !== claimed.bytes) problems.push(`${bytes.length} bytes, the handler reported ${claimed.bytes}`);
  const firstLines = output.format === 'parquet' || output.compression !== 'none' ? []
    : Buffer.from(bytes.subarray(0, 4096)).toString('utf8').split('\n').slice(0, 4);
  return {
    name: 'object',
    ok: problems.length === 0,
    key,
    size: bytes.length,
    rows,
    file,
    detail: `s3://${bucket}/${key}, ${bytes.length} bytes of ${describeOutputFormat(output)}, the ${expectedColumns.length} schema columns, `
      + `${rows ?? '?'} data rows` + (problems.length ? `; ${problems.join('; ')}` : ' (as the handler reported)')
      + (firstLines.length ? `; first lines:\n${indent(firstLines.map((l) => shorten(l)).join('\n'), '        ')}` : ''),
  };
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
  const sharded = args.shards === undefined ? undefined : {
    rows: args.rows ?? DEFAULT_SHARDED_ROWS,
    shards: args.shards,
    seed: args.seed,
    runId: args.runId ?? `demo-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(3).toString('hex')}`,
    downloadDir: args.download,
  };
  const output = args.output ?? DEFAULT_OUTPUT_FORMAT;
  // Where the object is saved to be read back: the download folder, or a scratch one removed at the end.
  const saveIn = args.download ?? fs.mkdtempSync(path.join(os.tmpdir(), 'demo-object-'));
  fs.mkdirSync(saveIn, { recursive: true });
  const event = { ...args.rows !== undefined ? { rows: args.rows } : {}, ...args.seed !== undefined ? { seed: args.seed } : {} };

  let invocation: InvocationResult | undefined;
  let expectedChecks = PROOF_CHECKS;
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
    const dataset = args.example === 'sales' ? undefined : DATASET_EXAMPLES[args.example];
    const app = dataset?.app ?? 'examples/sales-app.ts';
    say(`[1/6] synthesizing ${app} into cdk.out/, writing ${describeOutputFormat(output)}`);
    const outdir = path.join(PROJECT_ROOT, 'cdk.out');
    const operations = args.scheduleFire ? { schedule: true, completionEvents: true } : undefined;
    const synth = dataset !== undefined
      ? dataset.synthesize({ outdir, output: args.output })
      : synthesizeSalesApp({ outdir, sharded, output: args.output, operations });
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
    const catalog = dataset !== undefined ? undefined : await createDemoCatalog(cloud, stack, say);

    if (dataset !== undefined) {
      const tables = await createCatalogOfStack(cloud, stack);
      say(`      Glue tables ${tables.map((t) => `${t.databaseName}.${t.tableName}`).join(', ')}: created from the template by the local Glue adapter`);
      const run = await runDatasetDemoSteps(cloud, stack, { event, output, saveIn, catalog: tables, sqlChecks: dataset.sqlChecks() }, say);
      invocation = run.invocation;
      checks.push(...run.checks);
      summary = run.summary;
      expectedChecks = DATASET_PROOF_CHECKS;
    } else if (sharded && args.scheduleFire) {
      const run = await runScheduledDemoSteps(cloud, stack, {
        ...sharded, output, catalog, datasetName: 'sales', columns: salesSchema().columnNames, scheduledTime: args.scheduleFire,
      }, say);
      checks.push(...run.checks);
      summary = run.summary;
      expectedChecks = PROOF_CHECKS + 1;
    } else if (sharded) {
      const run = await runShardedDemoSteps(cloud, stack, {
        ...sharded, output, catalog, datasetName: 'sales', columns: salesSchema().columnNames,
      }, say);
      checks.push(...run.checks);
      summary = run.summary;
    } else {
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
      const logs = proveLogs(events, fn.logGroupName, invocation.requestId, invocation.logStreamName);
      checks.push(logs);
      say(`  (2) log events: ${logs.ok ? 'OK' : 'FAILED'} ${logs.detail}${logs.records.length ? ':' : ''}`);
      if (logs.records.length) say(indent(logs.records.map((r) => shorten(describeRecord(r), 200)).join('\n'), '        '));

      // The bucket the function writes to, as its environment names it (the stack has an access-log bucket too).
      const bucket = result.bucket ?? fn.environment[ENV.BUCKET_NAME];
      const object = bucket
        ? await proveObject(cloud, bucket, result, output, saveIn)
        : { name: 'object', ok: false, detail: 'no bucket in the result or the function\'s environment' };
      checks.push(object);
      say(`  (3) object under ${KEY_PREFIX}: ${object.ok ? 'OK' : 'FAILED'} ${object.detail}`);

      const read = catalog && object.file !== undefined && object.rows !== undefined
        ? await proveCatalogReads(cloud, catalog, { files: [object.file], uris: [`s3://${bucket}/${object.key}`], rows: object.rows }, say)
        : { name: 'catalog', ok: catalog === undefined, detail: catalog ? 'no object to read' : 'the stack has no catalog table' };
      checks.push(read);
      say(`  (4) catalog table: ${read.ok ? 'OK' : 'FAILED'} ${read.detail}`);
      if (args.download) say(`      saved the object as ${path.resolve(object.file ?? args.download)}`);

      const invoked = invocation.status === 'Success' ? result.status ?? 'Success' : invocation.status;
      summary = {
        status: invoked === 'Success' && !checks.every((c) => c.ok) ? 'Failed' : invoked,
        bucket: bucket ?? null,
        key: object.key ?? result.key ?? null,
        rows: object.rows ?? null, // counted in the object found in S3, not the handler's claim
        bytes: object.size ?? null,
        format: describeOutputFormat(output),
        table: catalog ? `${catalog.databaseName}.${catalog.tableName}` : null,
        logEvents: events.length,
      };
    }
  } catch (error) {
    if (!interrupted) console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    summary.status = invocation && invocation.status !== 'Success' ? invocation.status : 'Failed';
    checks.push({ name: 'demo', ok: false, detail: String(error) });
  } finally {
    await stopCloud();
    if (!args.download) fs.rmSync(saveIn, { recursive: true, force: true });
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  if (interrupted) return new Promise<number>(() => undefined); // the signal handler ends the process
  const ok = checks.length === expectedChecks && checks.every((c) => c.ok);
  const timing = ` in ${((Date.now() - startedAt) / 1000).toFixed(1)} s wall time (${process.uptime().toFixed(1)} s with ts-node's compilation)`
    + (invocation ? `; handler ran on Node.js ${invocation.node.version} (${invocation.node.source}), ${invocation.sandbox.enabled ? 'sandboxed' : `unsandboxed (${invocation.sandbox.reason})`}` : '');
  if (ok) {
    say(`all ${expectedChecks} proof checks passed${timing}`);
  } else {
    const failed = checks.filter((c) => !c.ok);
    say(`DEMO FAILED: ${failed.length ? `${failed.map((c) => c.name).join(', ')} did not pass` : 'not all proof checks ran'}${timing}`);
    for (const check of failed) say(`  ${check.name}: ${shorten(check.detail.split('\n')[0], 400)}`);
  }
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

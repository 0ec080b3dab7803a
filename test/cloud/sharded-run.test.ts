/**
 * Sharded runs end to end in the local cloud: the synthesized state machine, as moto's CloudFormation stored it, run
 * by a local Step Functions interpreter whose Tasks invoke the bundled function in the sandbox as its own role
 * (IAM enforced) against moto's S3, over HTTP.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import fakerPackage from '@faker-js/faker/package.json';
import { salesSchema, synthesizeSalesApp, SALES_STACK_NAME } from '../../examples/sales-app';
import {
  deployStack, describeDeployedFunction, startFaultProxy, type DeployedStack, type FaultProxy, type LocalCloud,
} from '../../local-cloud';
import { checkStoredRun, readStoredRun, type StoredRun } from '../../local-cloud/run-objects';
import { runStateMachine, type LocalExecution } from '../../local-cloud/state-machine';
import { ENV } from '../../src/contract/environment';
import { DEFAULT_OUTPUT_FORMAT } from '../../src/contract/output-format';
import { runFolder } from '../../src/contract/runs';
import { parseSchemaDocument } from '../../src/contract/schema-document';
import { DEFAULTS } from '../../src/contract/settings';
import { expectedCsv, sha256 } from '../support/expected-csv';
import { bucketOf, incompleteUploads, readObject } from '../support/local-stack';
import { sharedCloud } from '../support/shared-cloud';
import { recordTrials } from '../support/trust-report';

const ROWS = 24_001; // not a multiple of 8: the first part gets the extra row
const SEED = 7;
const COLUMNS = salesSchema().columnNames;

let cloud: LocalCloud;
let proxy: FaultProxy;
let admin: S3Client;
let eightParts: DeployedStack;
let onePart: DeployedStack;

/** Deploys the sales app with a state machine of `shards` parts, as a stack of its own. */
async function deploySharded(shards: number): Promise<DeployedStack> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `sharded-${shards}-`));
  const { assemblyDir } = synthesizeSalesApp({ outdir, sharded: { rows: ROWS, shards, seed: SEED } });
  return deployStack(cloud, { assemblyDir, stack: SALES_STACK_NAME, stackName: `SalesIn${shards}Parts` });
}

const folderOf = (runId: string) => runFolder(DEFAULTS.keyPrefix, 'sales', runId);
const stored = (stack: DeployedStack, runId: string): Promise<StoredRun> =>
  readStoredRun(cloud, bucketOf(stack), folderOf(runId), { output: DEFAULT_OUTPUT_FORMAT });

/** The data rows of a part: its bytes after the header line. */
const withoutHeader = (csv: Buffer) => csv.subarray(csv.indexOf(0x0a) + 1);

beforeAll(async () => {
  cloud = sharedCloud();
  proxy = await startFaultProxy(cloud.endpoint);
  admin = new S3Client(cloud.clientConfig());
  [eightParts, onePart] = [await deploySharded(8), await deploySharded(1)];
});

afterAll(async () => {
  admin?.destroy();
  await proxy?.close();
  await cloud?.stop();
});

describe('a run of 8 parts', () => {
  let execution: LocalExecution;
  let run: StoredRun;

  beforeAll(async () => {
    execution = await runStateMachine(cloud, { stack: eightParts, input: { runId: 'eight' } });
    run = await stored(eightParts, 'eight');
  });

  test('succeeds: plan, 8 parts at once, manifest; every invocation sandboxed as the function\'s role', () => {
    expect(execution).toMatchObject({ status: 'SUCCEEDED', retries: [] });
    expect(execution.calls.map((c) => c.state).sort()).toEqual(['PlanRun', 'WriteManifest', ...Array(8).fill('WritePart')].sort());
    expect(execution.calls.every((c) => c.invocation.status === 'Success' && c.invocation.sandbox.enabled)).toBe(true);
    expect(execution.output).toMatchObject({ status: 'Success', runId: 'eight', parts: 8, rows: ROWS });
  });

  test('writes part-00000.csv to part-00007.csv, _manifest.json and _SUCCESS under <prefix>sales/<runId>/, nothing else', () => {
    const names = run.keys.map((k) => k.slice(folderOf('eight').length)).sort();
    expect(names).toEqual(['_SUCCESS', '_manifest.json', ...Array.from({ length: 8 }, (_, i) => `part-0000${i}.csv`)]);
  });

  test('the manifest\'s row counts add up, parts are contiguous, and its sizes, SHA-256 and rows are those of the stored objects', () => {
    expect(checkStoredRun(run, { rows: ROWS, parts: 8, columns: COLUMNS, seed: SEED })).toEqual([]);
    expect(run.manifest!.parts.map((p) => p.rows)).toEqual([3001, 3000, 3000, 3000, 3000, 3000, 3000, 3000]);
    expect(run.manifest!.rows).toBe(ROWS);
    for (const part of run.manifest!.parts) {
      expect(run.parts.find((p) => p.key === part.key)).toMatchObject({ sha256: part.sha256, bytes: part.bytes, rows: part.rows });
    }
  });

  test('the manifest says how to make the run again: seed, schema and its hash, versions', async () => {
    const fn = await describeDeployedFunction(cloud, execution.calls[0].invocation.function.functionName, { stack: eightParts });
    const schema = parseSchemaDocument(fn.environment[ENV.SCHEMA]);
    expect(run.manifest).toMatchObject({
      format: 'cdk-synthetic-data/run-manifest@3',
      runId: 'eight',
      dataset: 'sales',
      seed: SEED,
      output: { format: 'csv', compression: 'none' },
      headerInEveryPart: true,
      schema,
      schemaSha256: sha256(Buffer.from(JSON.stringify(schema))),
      generator: { name: 'cdk-synthetic-data', outputFormat: 4, fakerVersion: fakerPackage.version },
    });
  });

  test('its parts without their headers are byte-identical to a 1-part run of the same seed and rows, and to the engine\'s rows', async () => {
    const single = await runStateMachine(cloud, { stack: onePart, input: { runId: 'one' } });
    expect(single.status).toBe('SUCCEEDED');
    const [whole] = (await stored(onePart, 'one')).parts;
    const wholeBytes = await readObject(admin, bucketOf(onePart), whole.key);
    const parts = await Promise.all(run.manifest!.parts.map((p) => readObject(admin, bucketOf(eightParts), p.key)));

    for (const part of parts) expect(part.subarray(0, part.indexOf(0x0a)).toString()).toBe(COLUMNS.join(','));
    const concatenated = Buffer.concat(parts.map(withoutHeader));
    expect(concatenated.equals(withoutHeader(wholeBytes))).toBe(true);
    const fn = await describeDeployedFunction(cloud, single.calls[0].invocation.function.functionName, { stack: onePart });
    expect(wholeBytes.equals(await expectedCsv(parseSchemaDocument(fn.environment[ENV.SCHEMA]), SEED, ROWS))).toBe(true);
  });

  test('starting the same run id again writes nothing new: every part and the manifest were already there, unchanged', async () => {
    const again = await runStateMachine(cloud, { stack: eightParts, input: { runId: 'eight' } });
    const after = await stored(eightParts, 'eight');

    expect(again.status).toBe('SUCCEEDED');
    expect(again.output).toMatchObject({ status: 'Success', alreadyExisted: true, rows: ROWS });
    expect(again.calls.filter((c) => c.state === 'WritePart').every((c) => (c.invocation.result as { alreadyExisted?: boolean }).alreadyExisted)).toBe(true);
    expect(after.keys.slice().sort()).toEqual(run.keys.slice().sort());
    expect(after.parts).toEqual(run.parts);
    expect(after.manifest).toEqual(run.manifest);
  });
});

test('a failed part is retried by the state machine and the run still completes, with nothing duplicated or left over', async () => {
  // Every PutObject of part 3's first invocation fails (500 InternalError, as often as the SDK tries): the invocation fails.
  const failing = 'part-00003.csv';
  proxy.addRule({ operation: 'PutObject', fault: { kind: 'internalError' }, keyContains: failing, times: 5 });
  const execution = await runStateMachine(cloud, {
    stack: eightParts,
    input: { runId: 'retried' },
    // part 3 reaches S3 through the fault proxy
    invokeOptions: ({ payload }) => (JSON.stringify(payload).includes('"index":3') ? { env: { AWS_ENDPOINT_URL_S3: proxy.endpoint } } : {}),
  });
  const run = await stored(eightParts, 'retried');
  const partThree = execution.calls.filter((c) => (c.payload as { part?: { index: number } }).part?.index === 3);
  const injected = proxy.injected('PutObject', 'internalError');
  proxy.reset();

  expect(injected).toBe(5);
  expect(partThree.map((c) => [c.attempt, c.invocation.status])).toEqual([[1, 'Error'], [2, 'Success']]);
  expect(partThree[0].invocation.error?.errorMessage).toMatch(/PutObject/);
  expect(execution.retries).toEqual([{ state: 'WritePart', error: 'States.ALL' }]);
  expect(execution.status).toBe('SUCCEEDED');
  const problems = checkStoredRun(run, { rows: ROWS, parts: 8, columns: COLUMNS, seed: SEED });
  expect(problems).toEqual([]);
  // checkStoredRun also finds any object the manifest does not list: a duplicate would be one
  expect(run.keys).toHaveLength(8 + 2);
  expect(await incompleteUploads(admin, bucketOf(eightParts))).toEqual([]);
  recordTrials('faults: a sharded run\'s part failing on its first invocation (S3 500 on every attempt)', {
    injected: 1, survived: 1, lost: problems.length, duplicated: run.keys.length - 10,
  });
});

test('an execution input the run cannot use fails at the plan, is not retried, and writes nothing', async () => {
  const execution = await runStateMachine(cloud, { stack: eightParts, input: { runId: 'seeded', seed: 3 } });

  expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidInputError', retries: [] });
  expect(JSON.parse(execution.cause!).errorMessage).toMatch(/only "runId" is accepted: rows and seed of a sharded run are the construct's props/);
  expect(execution.calls.map((c) => c.state)).toEqual(['PlanRun']);
  expect((await stored(eightParts, 'seeded')).keys).toEqual([]);
});

/**
 * A dataset of related tables as a sharded run, end to end in the local cloud: the retail example's state machine run
 * by the local interpreter, every part written as the function's own role. The run's parts lie in their tables'
 * folders; its manifest lists the tables, their foreign keys and each part's conformance; the parts of each table, in
 * order, are the rows one invocation makes with the same seed (any shard count, the same data); and DuckDB finds no
 * orphan key across the parts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { App } from 'aws-cdk-lib';
import { addRetailStack, retailTables } from '../../examples/retail-app';
import { retailSqlChecks } from '../../examples/retail-checks';
import type { DatasetResult } from '../../lambda/handler';
import { deployStack, invokeFunction, type DeployedStack, type LocalCloud } from '../../local-cloud';
import { catalogTableOf, type GlueTableInput } from '../../local-cloud/catalog-reader';
import { checkIntegrity } from '../../local-cloud/integrity';
import { checkStoredRun, readStoredRun, type StoredRun } from '../../local-cloud/run-objects';
import { runStateMachine, type LocalExecution } from '../../local-cloud/state-machine';
import { DEFAULT_OUTPUT_FORMAT } from '../../src/contract/output-format';
import { runFolder } from '../../src/contract/runs';
import { datasetFolder, DEFAULTS } from '../../src/contract/settings';
import { bucketOf, functionOf, readObject } from '../support/local-stack';
import { sharedCloud } from '../support/shared-cloud';

const SEED = 31;
const SHARDS = 6;
/** The parts of the run: the shards shared among the tables by their rows, at least one each. */
const PARTS = 7;

let cloud: LocalCloud;
let admin: S3Client;
let scratch: string;
let sharded: DeployedStack;
let single: DeployedStack;
let execution: LocalExecution;
let run: StoredRun;

async function deploy(name: string, shards?: number): Promise<DeployedStack> {
  const app = new App({ outdir: path.join(scratch, name) });
  addRetailStack(app, DEFAULT_OUTPUT_FORMAT, name, shards === undefined ? undefined : { shards, seed: SEED });
  return deployStack(cloud, { assemblyDir: app.synth().directory, stack: name });
}

/** The data rows of a CSV object: its bytes after the header line. */
const withoutHeader = (csv: Buffer) => csv.subarray(csv.indexOf(0x0a) + 1);

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dataset-run-'));
  cloud = sharedCloud();
  admin = new S3Client(cloud.clientConfig());
  sharded = await deploy('RetailSharded', SHARDS);
  single = await deploy('RetailSingle');
  execution = await runStateMachine(cloud, { stack: sharded, input: { runId: 'nightly-1' } });
  run = await readStoredRun(cloud, bucketOf(sharded), runFolder(DEFAULTS.keyPrefix, 'retail', 'nightly-1'), {
    output: DEFAULT_OUTPUT_FORMAT, datasetFolder: datasetFolder(DEFAULTS.keyPrefix, 'retail'), downloadDir: path.join(scratch, 'run'),
  });
});

afterAll(async () => {
  admin?.destroy();
  await cloud?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('the run succeeds, its parts shared among the tables by their rows, each in its table\'s folder', () => {
  expect(execution).toMatchObject({ status: 'SUCCEEDED', retries: [] });
  const manifest = run.manifest!;
  expect(manifest.tables).toEqual([
    { name: 'customers', rows: 2000, folder: 'synthetic-data/retail/customers/', parts: 1 },
    { name: 'products', rows: 5000, folder: 'synthetic-data/retail/products/', parts: 1 },
    { name: 'orders', rows: 20456, folder: 'synthetic-data/retail/orders/', parts: 1 },
    { name: 'order_items', rows: 61296, folder: 'synthetic-data/retail/order_items/', parts: 3 },
    { name: 'shipments', rows: 22680, folder: 'synthetic-data/retail/shipments/', parts: 1 },
  ]);
  expect(manifest.parts.map((part) => [part.table, part.key])).toEqual([
    ['customers', 'synthetic-data/retail/customers/nightly-1/part-00000.csv'],
    ['products', 'synthetic-data/retail/products/nightly-1/part-00001.csv'],
    ['orders', 'synthetic-data/retail/orders/nightly-1/part-00002.csv'],
    ...[3, 4, 5].map((i) => ['order_items', `synthetic-data/retail/order_items/nightly-1/part-0000${i}.csv`]),
    ['shipments', 'synthetic-data/retail/shipments/nightly-1/part-00006.csv'],
  ]);
  const columns = Object.fromEntries(retailTables().map((table) => [table.name, table.schema.columnNames]));
  // 6 shards shared by rows, at least one part per table: 7 parts for the 5 tables.
  expect(checkStoredRun(run, { rows: 111_432, parts: PARTS, columns, seed: SEED })).toEqual([]);
  expect(run.keys).toContain('synthetic-data/retail/nightly-1/_manifest.json');
  expect(run.keys).toContain('synthetic-data/retail/nightly-1/_SUCCESS');
});

test('the manifest lists every foreign key and every part\'s conformance, all checks passed', () => {
  const manifest = run.manifest!;
  expect(manifest.format).toBe('cdk-synthetic-data/run-manifest@3');
  expect(manifest.foreignKeys).toEqual([
    { table: 'orders', column: 'customer_id', parentTable: 'customers', parentColumn: 'customer_id', children: { min: 0, max: 200, distribution: { kind: 'zipf', exponent: 1.5 } } },
    { table: 'order_items', column: 'order_id', parentTable: 'orders', parentColumn: 'order_id', children: { min: 1, max: 5, distribution: { kind: 'uniform' } } },
    { table: 'order_items', column: 'product_id', parentTable: 'products', parentColumn: 'product_id' },
    { table: 'shipments', column: 'order_id', parentTable: 'orders', parentColumn: 'order_id', children: { min: 1, max: 2, distribution: { kind: 'poisson', mean: 0.25 } } },
  ]);
  expect(manifest.parts.every((part) => (part.conformance?.checks ?? 0) > 0 && part.conformance?.failed === 0)).toBe(true);
  const checks = manifest.parts.reduce((sum, part) => sum + part.conformance!.checks, 0);
  expect(manifest.conformance).toEqual({ checks, failed: 0, partsFailing: [] });
  expect(manifest.definition?.tables.map((table) => table.name)).toEqual(['customers', 'products', 'orders', 'order_items', 'shipments']);
});

test('each table\'s parts, in order, are the rows one invocation makes with the same seed', async () => {
  const invocation = await invokeFunction(cloud, functionOf(single), { stack: single, event: { seed: SEED } });
  const result = invocation.result as DatasetResult;
  for (const table of result.tables) {
    const whole = withoutHeader(await readObject(admin, result.bucket, table.key));
    const parts = run.manifest!.parts.filter((part) => part.table === table.name);
    const joined = Buffer.concat(await Promise.all(parts.map(async (part) => withoutHeader(await readObject(admin, bucketOf(sharded), part.key)))));
    expect(joined.equals(whole)).toBe(true);
  }
});

test('DuckDB, reading every part of each table as its catalog table declares, finds no orphan key, 1 to 5 items per order, each customer\'s orders in time order across parts and the values the example declares', async () => {
  const template = sharded.template as { Resources: Record<string, { Type: string; Properties: { TableInput: GlueTableInput } }> };
  const tables = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Glue::Table')
    .map((resource) => catalogTableOf(resource.Properties.TableInput))
    .map((table) => ({
      name: table.name,
      table,
      files: run.manifest!.parts.filter((part) => part.table === table.name).map((part) => path.join(scratch, 'run', part.key.slice('synthetic-data/retail/'.length))),
    }));
  // The parts read in part order: the SQL checks (lookups, times between tables, count laws) hold over the whole run.
  const { foreignKeys: findings, sql } = await checkIntegrity(tables, run.manifest!.foreignKeys!, retailSqlChecks());
  expect(sql.filter((finding) => !finding.ok)).toEqual([]);
  expect(sql).toHaveLength(retailSqlChecks().length);
  expect(findings.map((finding) => [finding.orphans, finding.ok])).toEqual([[0, true], [0, true], [0, true], [0, true]]);
  expect(findings[1].children).toEqual({ min: 1, max: 5, parents: 20_456, childless: 0, runs: 20_456 });
});

test('a single invocation of a sharded dataset is refused: the run is the state machine\'s', async () => {
  const invocation = await invokeFunction(cloud, functionOf(sharded), { stack: sharded, event: {} });
  expect(invocation.status).toBe('Error');
  expect(JSON.stringify(invocation.error)).toContain(`as a sharded run of ${PARTS} parts: start its state machine`);
});

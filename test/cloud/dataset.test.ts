/**
 * A dataset of related tables end to end, in every output format: the retail example synthesized, deployed into the
 * local AWS (moto over HTTP, IAM enforced) and invoked as the function's own role in the sandbox; then, from the
 * stored objects and the dataset's manifest alone, DuckDB reads each table as its catalog table declares and finds no
 * orphan key (anti-join) and 1 to 5 contiguous items per order.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { App, Stack } from 'aws-cdk-lib';
import { addRetailStack } from '../../examples/retail-app';
import { retailSqlChecks } from '../../examples/retail-checks';
import type { DatasetManifest } from '../../lambda/dataset-manifest';
import type { DatasetResult } from '../../lambda/handler';
import { deployStack, invokeFunction, type LocalCloud } from '../../local-cloud';
import { catalogTableOf, type GlueTableInput } from '../../local-cloud/catalog-reader';
import { checkIntegrity } from '../../local-cloud/integrity';
import { SyntheticDataGenerator, Table } from '../../src';
import { validateDatasetDocument } from '../../src/contract/dataset-document';
import { ENV } from '../../src/contract/environment';
import { fileExtension, type OutputFormatDocument } from '../../src/contract/output-format';
import { bigDatasetDocument } from '../support/big-dataset';
import { readObject, functionOf } from '../support/local-stack';
import { sharedCloud } from '../support/shared-cloud';

const FORMATS: OutputFormatDocument[] = [
  { format: 'csv', compression: 'none' },
  { format: 'csv', compression: 'zstd' },
  { format: 'jsonl', compression: 'gzip' },
  { format: 'parquet', compression: 'zstd' },
  { format: 'parquet', compression: 'snappy' },
];

let cloud: LocalCloud;
let admin: S3Client;
let scratch: string;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dataset-moto-'));
  cloud = sharedCloud();
  admin = new S3Client(cloud.clientConfig());
});

afterAll(async () => {
  admin?.destroy();
  await cloud?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe.each(FORMATS)('the retail dataset as $format ($compression)', (output) => {
  const name = `Retail-${output.format}-${output.compression}`;
  let result: DatasetResult;
  let manifest: DatasetManifest;
  let template: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  const files = new Map<string, string>();

  beforeAll(async () => {
    const app = new App({ outdir: path.join(scratch, name) });
    addRetailStack(app, output, name);
    const assemblyDir = app.synth().directory;
    const stack = await deployStack(cloud, { assemblyDir, stack: name });
    template = stack.template as typeof template;
    const invocation = await invokeFunction(cloud, functionOf(stack), { stack, event: { seed: 2026 } });
    if (invocation.status !== 'Success') throw new Error(`the invocation failed: ${JSON.stringify(invocation.error)}`);
    result = invocation.result as DatasetResult;
    manifest = JSON.parse((await readObject(admin, result.bucket, result.manifestKey)).toString('utf8')) as DatasetManifest;
    for (const table of manifest.tables) {
      const file = path.join(scratch, name, path.basename(table.key));
      fs.writeFileSync(file, await readObject(admin, result.bucket, table.key));
      files.set(table.name, file);
    }
  });

  test('one object per table, each in its table\'s folder, as the manifest lists it (rows, bytes, SHA-256), every conformance check passed', () => {
    expect(result.conformance.failed).toBe(0);
    expect(result.conformance.checks).toBeGreaterThan(30);
    expect(manifest.tables.map((table) => [table.name, table.rows])).toEqual([
      ['customers', 2000], ['products', 5000], ['orders', 20456], ['order_items', 61296], ['shipments', 22680],
    ]);
    for (const table of manifest.tables) {
      expect(table.key).toMatch(new RegExp(`^synthetic-data/retail/${table.name}/${table.name}_[0-9a-f-]+${fileExtension(output).replace(/\./g, '\\.')}$`));
      const bytes = fs.readFileSync(files.get(table.name)!);
      expect(bytes.length).toBe(table.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(table.sha256);
    }
    expect(manifest.conformance.results.filter((check) => !check.pass)).toEqual([]);
    expect(manifest.seed).toBe(2026);
  });

  test('DuckDB, reading each table as its catalog table declares, finds no orphan key, 1 to 5 contiguous items per order and the values the example declares', async () => {
    const glueTables = Object.values(template.Resources ?? {}).filter((resource) => resource.Type === 'AWS::Glue::Table')
      .map((resource) => catalogTableOf((resource.Properties as { TableInput: GlueTableInput }).TableInput));
    const tables = glueTables.map((table) => ({ name: table.name, table, files: [files.get(table.name)!] }));
    const { foreignKeys: findings, sql } = await checkIntegrity(tables, manifest.foreignKeys, retailSqlChecks());
    // Lookups against their parents, times between tables, count laws, line totals recomputed, moments, names.
    expect(sql.filter((finding) => !finding.ok)).toEqual([]);
    expect(sql).toHaveLength(retailSqlChecks().length);
    expect(findings.map((finding) => ({ key: `${finding.foreignKey.table}.${finding.foreignKey.column}`, orphans: finding.orphans, ok: finding.ok })))
      .toEqual(['orders.customer_id', 'order_items.order_id', 'order_items.product_id', 'shipments.order_id'].map((key) => ({ key, orphans: 0, ok: true })));
    expect(findings[1].children).toEqual({ min: 1, max: 5, parents: 20_456, childless: 0, runs: 20_456 });
    expect(findings[1].childRows).toBe(61_296);
  });
});

test('an orphan is found: the check is not blind (a child key no parent holds)', async () => {
  const dir = fs.mkdtempSync(path.join(scratch, 'orphan-'));
  const parents = path.join(dir, 'parents.csv');
  const children = path.join(dir, 'children.csv');
  fs.writeFileSync(parents, 'id\n1\n2\n');
  fs.writeFileSync(children, 'parent\n1\n1\n3\n2\n1\n');
  const table = (tableName: string, column: string) => catalogTableOf({
    Name: tableName,
    Parameters: { 'skip.header.line.count': '1' },
    StorageDescriptor: {
      Columns: [{ Name: column, Type: 'bigint' }],
      Location: '',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', Parameters: { separatorChar: ',', quoteChar: '"' } },
    },
  });
  const { foreignKeys: [finding] } = await checkIntegrity([
    { name: 'parents', table: table('parents', 'id'), files: [parents] },
    { name: 'children', table: table('children', 'parent'), files: [children] },
  ], [{ table: 'children', column: 'parent', parentTable: 'parents', parentColumn: 'id', children: { min: 1, max: 2 } }]);
  // 3 is an orphan; parent 1's children are split in two runs, 3 of them.
  expect(finding).toMatchObject({ orphans: 1, ok: false, children: { max: 3, runs: 4, parents: 3 } });
});

test('a dataset too large for the environment (40 tables of 30 columns, names that hardly compress) deploys and runs: the function reads it from its code', async () => {
  const dataset = validateDatasetDocument(bigDatasetDocument(40, 30, true));
  const app = new App({ outdir: path.join(scratch, 'Large') });
  const stack = new Stack(app, 'LargeDataset', { env: { account: '123456789012', region: 'us-east-1' } });
  new SyntheticDataGenerator(stack, 'Large', {
    datasetName: 'large',
    catalogTable: false,
    tables: Table.fromDatasetJson(JSON.stringify(dataset)),
  });
  const deployed = await deployStack(cloud, { assemblyDir: app.synth().directory, stack: 'LargeDataset' });
  const invocation = await invokeFunction(cloud, functionOf(deployed), { stack: deployed, event: { seed: 1 } });
  expect(invocation.function.environment[ENV.TABLES]).toMatch(/^file:dataset-[0-9a-f]{64}\.json$/);
  expect(invocation.status).toBe('Success');
  const result = invocation.result as DatasetResult;
  expect(result.tables.map((table) => [table.name, table.rows])).toEqual(dataset.tables.map((table) => [table.name, table.rows]));
  expect(result.conformance.failed).toBe(0);
});

/**
 * `cdk-synthetic-data generate` makes on the user's machine what the function writes to S3: the same keys and the same
 * bytes, for every format and compression, of one table and of a dataset (its manifest included), from a schema or
 * dataset file and from a synthesized app's cdk.out. The function side is the real handler, run against a fake S3
 * (aws-sdk-client-mock, test/support/handler-harness.ts) that keeps every object it is given: the same handler code
 * the local cloud runs, without the minutes of a deployment into moto.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { App, Stack } from 'aws-cdk-lib';
import { handler } from '../../lambda/handler';
import { OutputFormat, ParquetCompression, Schema, SyntheticDataGenerator, Table, TextCompression } from '../../src';
import { ENV } from '../../src/contract/environment';
import { COMPRESSIONS, type FormatName } from '../../src/contract/output-format';
import { runCli } from '../support/cli-runner';
import { current, installHandlerHarness, lambdaContext, newRequestId, SCHEMA, s3Mock } from '../support/handler-harness';

installHandlerHarness();

const RETAIL_FILE = path.join(__dirname, '..', '..', 'examples', 'retail.dataset.json');

/** Every object the function put into its bucket, by key. */
function uploadedObjects(): Map<string, Buffer> {
  return new Map(s3Mock.commandCalls(PutObjectCommand).map((call) => [call.args[0].input.Key!, Buffer.from(call.args[0].input.Body as Uint8Array)]));
}

/** Every file under `dir`, by its path relative to it with `/` (an object key). */
function localObjects(dir: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else found.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full));
    }
  };
  walk(dir);
  return found;
}

function expectSameObjects(local: Map<string, Buffer>, uploaded: Map<string, Buffer>): void {
  expect([...local.keys()].sort()).toEqual([...uploaded.keys()].sort());
  for (const [key, body] of uploaded) {
    // Compared as bytes (not text): a difference names the key in the failure.
    const made = local.get(key)!;
    expect({ key, equal: Buffer.compare(made, body) === 0, bytes: made.length }).toEqual({ key, equal: true, bytes: body.length });
  }
}

const ALL_FORMATS = (Object.entries(COMPRESSIONS) as Array<[FormatName, readonly string[]]>)
  .flatMap(([format, compressions]) => compressions.map((compression) => [format, compression] as const));

describe('generate makes the bytes the function uploads', () => {
  test.each(ALL_FORMATS)('one table in %s, compression %s, seeded from the run id as the function seeds from its request id', async (format, compression) => {
    // GIVEN the function of the harness's schema, in this format
    process.env[ENV.OUTPUT_FORMAT] = JSON.stringify({ format, compression });
    const requestId = newRequestId();
    // WHEN it makes 300 rows with no seed (so the seed comes from the request id), and the command line makes the same run
    await handler({ rows: 300 }, lambdaContext(requestId));
    const schemaFile = path.join(current.tmpDir, 'schema.json');
    fs.writeFileSync(schemaFile, JSON.stringify(SCHEMA));
    const out = path.join(current.tmpDir, 'out');
    const cli = await runCli('generate', '--schema', schemaFile, '--rows', '300', '--format', format, '--compression', compression,
      '--run-id', requestId, '--dataset-name', 'sales', '--key-prefix', 'synthetic-data/', '--out', out, '--quiet');
    // THEN the folder holds the function's object, byte for byte, and the printed result is the function's
    expect(cli).toMatchObject({ code: 0, stderr: '' });
    expectSameObjects(localObjects(out), uploadedObjects());
    expect(JSON.parse(cli.stdout)).toMatchObject({ status: 'Success', rows: 300, key: [...uploadedObjects().keys()][0] });
  });

  test.each([['csv', 'gzip'], ['jsonl', 'zstd'], ['parquet', 'snappy']])('the retail dataset in %s (%s): every table and the manifest', async (format, compression) => {
    // GIVEN the function of the retail dataset (5 tables, foreign keys, lookups, count laws)
    delete process.env[ENV.SCHEMA];
    delete process.env[ENV.ROWS];
    process.env[ENV.TABLES] = fs.readFileSync(RETAIL_FILE, 'utf8');
    process.env[ENV.MAX_ROWS] = '100000';
    process.env[ENV.OUTPUT_FORMAT] = JSON.stringify({ format, compression });
    const requestId = newRequestId();
    // WHEN it is invoked with a seed, and the command line makes the same dataset naming the same bucket and run id
    await handler({ seed: 2024 }, lambdaContext(requestId));
    const out = path.join(current.tmpDir, 'out');
    const cli = await runCli('generate', '--dataset', RETAIL_FILE, '--seed', '2024', '--format', format, '--compression', compression,
      '--run-id', requestId, '--dataset-name', 'sales', '--bucket', 'my-bucket', '--out', out, '--quiet');
    // THEN every table's object and the manifest (rows, SHA-256, foreign keys, conformance report) are the function's bytes
    expect(cli).toMatchObject({ code: 0, stderr: '' });
    const uploaded = uploadedObjects();
    expect(uploaded.size).toBe(6);
    expectSameObjects(localObjects(out), uploaded);
  });

  test('from a synthesized app (--cdk-out): the settings the construct put into the template, the same objects', async () => {
    // GIVEN an app with two generators, synthesized into a cloud assembly
    const assembly = path.join(current.tmpDir, 'cdk.out');
    // (with the construct paths and asset folders the cdk CLI asks every synth to record)
    const app = new App({ outdir: assembly, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'ShopStack', { env: { account: '123456789012', region: 'us-east-1' } });
    new SyntheticDataGenerator(stack, 'Retail', {
      tables: Table.fromDatasetFile(RETAIL_FILE), datasetName: 'retail', seed: 7, outputFormat: OutputFormat.parquet({ compression: ParquetCompression.GZIP }),
    });
    new SyntheticDataGenerator(stack, 'Sales', {
      schema: Schema.fromJson(JSON.stringify(SCHEMA)), rows: 100, outputFormat: OutputFormat.csv({ compression: TextCompression.GZIP }),
    });
    app.synth();
    const template = JSON.parse(fs.readFileSync(path.join(assembly, 'ShopStack.template.json'), 'utf8'));
    const retailFunction = Object.values<any>(template.Resources).find((resource) => resource.Type === 'AWS::Lambda::Function'
      && String(resource.Metadata?.['aws:cdk:path']).startsWith('ShopStack/Retail/') && resource.Properties.Environment?.Variables?.[ENV.OUTPUT_FORMAT]);
    // WHEN the function runs with the template's environment (the bucket's name is CloudFormation's), and the command line reads the assembly
    for (const name of Object.values(ENV)) delete process.env[name];
    const variables = retailFunction.Properties.Environment.Variables as Record<string, unknown>;
    Object.assign(process.env, Object.fromEntries(Object.entries(variables).filter(([, value]) => typeof value === 'string')), { [ENV.BUCKET_NAME]: 'my-bucket' });
    const requestId = newRequestId();
    await handler({}, lambdaContext(requestId));
    const out = path.join(current.tmpDir, 'out');
    const ambiguous = await runCli('generate', '--cdk-out', assembly, '--out', out);
    const cli = await runCli('generate', '--cdk-out', assembly, '--construct', 'Retail', '--run-id', requestId, '--bucket', 'my-bucket', '--out', out, '--quiet');
    // THEN the app's two generators need --construct, and the retail one makes the function's objects
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('holds 2 generators (ShopStack/Retail, ShopStack/Sales): name one with --construct PATH');
    expect(cli).toMatchObject({ code: 0, stderr: '' });
    expect([...uploadedObjects().keys()].sort()).toEqual([
      `synthetic-data/retail/_manifest_${requestId}.json`,
      `synthetic-data/retail/customers/customers_${requestId}.parquet`,
      `synthetic-data/retail/order_items/order_items_${requestId}.parquet`,
      `synthetic-data/retail/orders/orders_${requestId}.parquet`,
      `synthetic-data/retail/products/products_${requestId}.parquet`,
      `synthetic-data/retail/shipments/shipments_${requestId}.parquet`,
    ].sort());
    expectSameObjects(localObjects(out), uploadedObjects());
  });
});

/**
 * SyntheticDataGenerator with prop tables (a dataset of related tables): the typed API and the example file describe the
 * same dataset and it reaches the function, one catalog table per table, no added permission, a large dataset compressed
 * or moved into the function's code, shards, completion events, and the bad tables props that fail synth.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { iotTables } from '../../examples/iot-app';
import { retailTables } from '../../examples/retail-app';
import { Column, OutputFormat, Schema, SyntheticDataGenerator, SyntheticDataGeneratorProps, Table } from '../../src';
import { validateDatasetDocument } from '../../src/contract/dataset-document';
import { decodeDatasetEnvironment } from '../../src/contract/dataset-environment';
import { ENV } from '../../src/contract/environment';
import { bigDatasetDocument } from '../support/big-dataset';
import { build, leastPrivilege, logicalId, only, smallSchema } from '../support/generator-stack';
import { exactRolePermissions } from '../support/template';

describe('a dataset of related tables (prop tables)', () => {
  const tablesApp = (props: Partial<SyntheticDataGeneratorProps> = {}) => {
    const app = new App();
    const stack = new Stack(app, 'RetailStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const generator = new SyntheticDataGenerator(stack, 'Retail', { tables: retailTables(), datasetName: 'retail', ...props });
    return { stack, generator, template: Template.fromStack(stack) };
  };
  const environmentOf = (template: Template) => only(template.findResources('AWS::Lambda::Function')).Properties.Environment.Variables;

  test('the typed API and examples/retail.dataset.json describe the same dataset, which reaches the function as its environment', () => {
    const fromFile = tablesApp({ tables: Table.fromDatasetFile(path.join(__dirname, '..', '..', 'examples', 'retail.dataset.json')) });
    expect(environmentOf(fromFile.template)).toEqual(environmentOf(tablesApp().template));
    const { template } = tablesApp();
    const environment = environmentOf(template);
    expect(environment[ENV.SCHEMA]).toBeUndefined();
    expect(environment[ENV.ROWS]).toBeUndefined();
    const fromJson = validateDatasetDocument(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'retail.dataset.json'), 'utf8')));
    expect(JSON.parse(decodeDatasetEnvironment(environment[ENV.TABLES], 'env'))).toEqual(fromJson);
  });

  test('the typed API and examples/iot.dataset.json describe the same iot dataset', () => {
    const fromFile = tablesApp({ tables: Table.fromDatasetFile(path.join(__dirname, '..', '..', 'examples', 'iot.dataset.json')), datasetName: 'iot' });
    expect(environmentOf(fromFile.template)).toEqual(environmentOf(tablesApp({ tables: iotTables(), datasetName: 'iot' }).template));
  });

  test('one catalog table per table, over its own folder, references typed as their keys', () => {
    const { stack, generator, template } = tablesApp({ outputFormat: OutputFormat.parquet() });
    const tables = Object.values(template.findResources('AWS::Glue::Table')).map((resource) => resource.Properties.TableInput);
    const bucket = { Ref: logicalId(stack, generator.bucket) };
    expect(tables.map((input) => [input.Name, input.StorageDescriptor.Location])).toEqual([
      ...['customers', 'products', 'orders', 'order_items', 'shipments'].map((name) => [name, { 'Fn::Join': ['', ['s3://', bucket, `/synthetic-data/retail/${name}/`]] }]),
    ]);
    expect(tables[2].StorageDescriptor.Columns.slice(0, 3)).toEqual([
      { Name: 'order_id', Type: 'bigint' }, { Name: 'customer_id', Type: 'string' }, { Name: 'ordered_at', Type: 'timestamp' },
    ]);
    // Looked-up columns have their parent column's type (the SKU a string, the list price its decimal); the helper
    // signed_up_at of orders and ordered_at of shipments are in no catalog table.
    expect(tables[3].StorageDescriptor.Columns.slice(1, 6)).toEqual([
      { Name: 'order_id', Type: 'bigint' }, { Name: 'product_id', Type: 'bigint' }, { Name: 'sku', Type: 'string' },
      { Name: 'product_name', Type: 'string' }, { Name: 'list_price', Type: expect.stringMatching(/^decimal\(\d+,2\)$/) },
    ]);
    expect(tables[4].StorageDescriptor.Columns.map((column: { Name: string }) => column.Name)).toEqual(['shipment_id', 'order_id', 'ship_to_state', 'carrier', 'shipped_at']);
    expect(only(template.findResources('AWS::Glue::Database'))).toBeDefined();
    expect(generator.catalogTableNames).toEqual(['customers', 'products', 'orders', 'order_items', 'shipments']);
    expect(generator.glueTables).toHaveLength(5);
    expect(generator.glueTable).toBeUndefined();
  });

  test('the iot example from its file: lookups, series and values typed as their parents and kinds in the catalog, helpers absent', () => {
    const { template } = tablesApp({
      tables: Table.fromDatasetFile(path.join(__dirname, '..', '..', 'examples', 'iot.dataset.json')), datasetName: 'iot', outputFormat: OutputFormat.parquet(),
    });
    const tables = Object.values(template.findResources('AWS::Glue::Table')).map((resource) => resource.Properties.TableInput);
    expect(tables.map((input) => input.Name)).toEqual(['device_models', 'devices', 'readings']);
    expect(tables[1].StorageDescriptor.Columns.slice(1, 3)).toEqual([{ Name: 'model_id', Type: 'bigint' }, { Name: 'model_name', Type: 'string' }]);
    expect(tables[2].StorageDescriptor.Columns).toEqual([
      { Name: 'device_id', Type: 'string' }, { Name: 'site', Type: 'string' }, { Name: 'read_at', Type: 'timestamp' },
      { Name: 'temperature', Type: 'double' }, { Name: 'battery_level', Type: 'bigint' },
    ]);
  });

  test('the role is the one of a single table: the tables add no permission', () => {
    const { stack, generator } = tablesApp();
    expect(exactRolePermissions(stack, generator.role)).toEqual(leastPrivilege(stack, generator));
  });

  test('10 tables of 30 columns deploy: the dataset travels compressed within Lambda\'s 4 KB environment', () => {
    const dataset = validateDatasetDocument(bigDatasetDocument(10, 30));
    const tables = Table.fromDatasetJson(JSON.stringify(dataset));
    const { template } = tablesApp({ tables });
    const environment = environmentOf(template);
    expect(environment[ENV.TABLES]).toMatch(/^brotli:/);
    const bytes = Object.entries(environment as Record<string, unknown>)
      .reduce((total, [name, value]) => total + name.length + (typeof value === 'string' ? value.length : 63), 0);
    expect(bytes).toBeLessThan(4096);
    expect(JSON.parse(decodeDatasetEnvironment(environment[ENV.TABLES], 'env'))).toEqual(dataset);
  });

  test('a dataset too large for the environment even compressed goes into the function\'s code, named by its SHA-256', () => {
    const dataset = validateDatasetDocument(bigDatasetDocument(40, 30, true));
    const tables = Table.fromDatasetJson(JSON.stringify(dataset));
    const { stack, template } = tablesApp({ tables });
    const value: string = environmentOf(template)[ENV.TABLES];
    const json = JSON.stringify(dataset);
    expect(value).toBe(`file:dataset-${createHash('sha256').update(json).digest('hex')}.json`);
    // The code asset holds the handler and the document, under that name.
    const code = only(template.findResources('AWS::Lambda::Function')).Properties.Code;
    const assetDir = path.join(stack.node.root instanceof App ? (stack.node.root as App).outdir : '', `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    expect(fs.readdirSync(assetDir).sort()).toEqual([value.slice('file:'.length), 'index.js'].sort());
    expect(fs.readFileSync(path.join(assetDir, value.slice('file:'.length)), 'utf8')).toBe(json);
  });

  test.each([
    ['schema and tables', { schema: smallSchema() }, 'prop tables is set with prop schema'],
    ['rows', { rows: 5 }, 'prop tables is set with prop rows'],
    ['catalogTableName', { catalogTableName: 'x' }, 'prop tables is set with prop catalogTableName'],
  ])('tables with %s fails synth', (_, props, message) => {
    expect(() => tablesApp(props)).toThrow(message);
  });

  test('a reference to a column that is not a key fails synth, naming the table and column', () => {
    const customers = Table.of('customers', Schema.fromColumns([Column.uuid('id'), Column.integer('age')]), { rows: 10 });
    const orders = Table.of('orders', Schema.fromColumns([Column.reference('customer', { table: 'customers', column: 'age' })]), { rows: 10 });
    expect(() => tablesApp({ tables: [customers, orders] })).toThrow(
      'SyntheticDataGenerator RetailStack/Retail: prop tables[1] (orders).columns[0] (customer) refers to customers.age, which is not a unique key',
    );
  });

  test('a table of more rows than one invocation may make fails synth', () => {
    const customers = Table.of('customers', Schema.fromColumns([Column.uuid('id')]), { rows: 600_000 });
    const items = Table.of('items', Schema.fromColumns([Column.reference('c', { table: 'customers', column: 'id', minChildren: 2, maxChildren: 2 })]));
    expect(() => tablesApp({ tables: [customers, items] })).toThrow(
      'prop tables[1] (items).rows (the children of customers\'s rows) is 1200000: above the maximum of 1000000 rows',
    );
  });

  test('with shards, the tables share the parts of a run by their rows; a part larger than maxRows fails synth', () => {
    const { generator } = tablesApp({ shards: 6 });
    expect(generator.stateMachine).toBeDefined();
    expect(() => tablesApp({ shards: 2, maxRows: 10_000 })).toThrow(
      'prop tables with prop shards: with 2 shards, a part of table order_items has 61296 rows, above maxRows (10000) per invocation; use more shards',
    );
  });

  test('a dataset file that is not there, or not a dataset, is explained', () => {
    expect(() => Table.fromDatasetFile('/no/such/retail.json')).toThrow(/^dataset file "\/no\/such\/retail.json" could not be read \(.*\): pass the path of a JSON file/);
    expect(() => Table.fromDatasetJson('{"tables": [{"name": "a", "columns": [{"name": "id", "type": "uuid"}]}]}'))
      .toThrow('dataset.tables[0] (a).rows is undefined: expected the number of rows of the table');
  });

  test('with completion events, the function\'s events name the database and every table of the dataset', () => {
    const { template } = tablesApp({ completionEvents: true });
    expect(JSON.parse(environmentOf(template)[ENV.CATALOG])).toEqual({
      database: expect.stringMatching(/^retailstack_retail_[0-9a-f]{8}$/), tables: ['customers', 'products', 'orders', 'order_items', 'shipments'],
    });
  });

  test('neither schema nor tables fails synth', () => {
    const app = new App();
    expect(() => new SyntheticDataGenerator(new Stack(app, 'S'), 'G', {})).toThrow('give prop schema (one table) or prop tables');
  });

  test('a reference in the schema of a single table fails synth and says to declare tables', () => {
    expect(build({ schema: Schema.fromColumns([Column.reference('c', { table: 'customers', column: 'id' })]) }))
      .toThrow('but this schema is a single table: declare the dataset\'s tables');
  });
});

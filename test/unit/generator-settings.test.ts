/**
 * From props to settings, without a synth: the defaults a generator gets, what each prop turns into, and the props it
 * refuses, each refusal naming the generator's path, the prop, the value and what to do.
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Column, OutputFormat, Schema, Table } from '../../src';
import { ENV } from '../../src/contract/environment';
import { InvalidInputError } from '../../src/contract/errors';
import { DEFAULT_RUNTIME } from '../../src/function-code';
import { resolveSettings, type GeneratorSite } from '../../src/generator-settings';
import { PropErrors } from '../../src/prop-errors';
import type { SyntheticDataGeneratorProps } from '../../src/synthetic-data-generator-props';

const SITE: GeneratorSite = { path: 'Stack/Generator', defaultDatabaseName: 'stack_generator_1a2b3c4d' };

const schema = () => Schema.fromColumns([Column.uuid('id'), Column.integer('quantity', { min: 1, max: 20 })]);

const resolve = (props: Partial<SyntheticDataGeneratorProps> = {}) => resolveSettings({ schema: schema(), ...props }, SITE);

/** The error `resolve(props)` throws (the test fails if it throws none). */
function refusal(props: Partial<SyntheticDataGeneratorProps>): Error {
  try {
    resolve(props);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`resolveSettings accepted ${JSON.stringify(props)}`);
}

describe('the settings of a generator given only a schema', () => {
  const settings = resolve();

  test('are the documented defaults', () => {
    expect(settings).toMatchObject({
      keyPrefix: 'synthetic-data/',
      datasetName: 'dataset',
      output: { format: 'csv', compression: 'none' },
      runtime: DEFAULT_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      tracing: true,
      logRetention: logs.RetentionDays.ONE_MONTH,
      retryAttempts: 2,
      warnings: [],
    });
    expect(settings.timeout.toMinutes()).toBe(5);
    expect(settings.ephemeralStorageSize.toMebibytes()).toBe(512);
    expect(settings.maxEventAge.toHours()).toBe(1);
    expect(settings.shardedRun).toBeUndefined();
    expect(settings.dataset).toBeUndefined();
    expect(settings.datasetFile).toBeUndefined();
  });

  test('give the handler the schema, the rows and the names, and no seed or shards', () => {
    expect(settings.environment).toEqual({
      [ENV.SCHEMA]: schema().toJson(),
      [ENV.ROWS]: '1000',
      [ENV.OUTPUT_FORMAT]: JSON.stringify({ format: 'csv', compression: 'none' }),
      [ENV.MAX_ROWS]: '1000000',
      [ENV.KEY_PREFIX]: 'synthetic-data/',
      [ENV.DATASET_NAME]: 'dataset',
    });
  });

  test('have one catalog table over the dataset\'s folder, in a database named after the site', () => {
    expect(settings.catalog).toMatchObject({
      existingDatabaseName: undefined,
      databaseName: 'stack_generator_1a2b3c4d',
      tables: [{ id: 'Table', tableName: 'dataset', folder: 'synthetic-data/dataset/' }],
    });
  });
});

describe('props turn into settings', () => {
  test('shards make a sharded run, as many at a time as there are shards up to 100', () => {
    expect(resolve({ shards: 4 }).shardedRun).toEqual({ shards: 4, concurrency: 4 });
    expect(resolve({ shards: 500, rows: 100_000 }).shardedRun).toEqual({ shards: 500, concurrency: 100 });
    expect(resolve({ shards: 500, rows: 100_000, shardConcurrency: 7 }).shardedRun).toEqual({ shards: 500, concurrency: 7 });
    expect(resolve({ shards: 4 }).environment[ENV.SHARDS]).toBe('4');
  });

  test('an existing database is used as it is named', () => {
    expect(resolve({ catalogDatabaseName: 'lake' }).catalog).toMatchObject({ existingDatabaseName: 'lake', databaseName: 'lake' });
  });

  test('catalogTable: false leaves the catalog out', () => {
    expect(resolve({ catalogTable: false }).catalog).toBeUndefined();
  });

  test('a seed and a row count that are tokens reach the environment as tokens', () => {
    const settings = resolve({ seed: Token.asNumber({ Ref: 'Seed' }), rows: Token.asNumber({ Ref: 'Rows' }) });
    expect(Token.isUnresolved(settings.environment[ENV.SEED])).toBe(true);
    expect(Token.isUnresolved(settings.environment[ENV.ROWS])).toBe(true);
  });

  test('related tables make one catalog table each, named after the table, over its folder', () => {
    const customers = Table.of('customers', Schema.fromColumns([Column.uuid('id')]), { rows: 10 });
    const orders = Table.of('order_lines', Schema.fromColumns([Column.reference('customer', { table: 'customers', column: 'id' })]), { rows: 30 });
    const settings = resolveSettings({ tables: [customers, orders], datasetName: 'shop' }, SITE);
    expect(settings.dataset?.tables.map((table) => table.name)).toEqual(['customers', 'order_lines']);
    expect(settings.catalog?.tables.map(({ id, tableName, folder }) => ({ id, tableName, folder }))).toEqual([
      { id: 'TableCustomers', tableName: 'customers', folder: 'synthetic-data/shop/customers/' },
      { id: 'TableOrderLines', tableName: 'order_lines', folder: 'synthetic-data/shop/order_lines/' },
    ]);
    expect(settings.environment[ENV.SCHEMA]).toBeUndefined();
    expect(settings.environment[ENV.TABLES]).toBeDefined();
  });

  test('Parquet on little memory is a warning, not a refusal', () => {
    expect(resolve({ outputFormat: OutputFormat.parquet(), memorySize: 128 }).warnings).toEqual([{
      id: 'cdk-synthetic-data:parquetMemory',
      message: 'prop memorySize is 128 MB with Parquet output: the function can pass its memory writing objects of a million rows or more '
        + '(at 128 MB it peaked at 120 to 129 MB); use 256 MB or more, or write fewer rows per object',
    }]);
    expect(resolve({ outputFormat: OutputFormat.parquet(), memorySize: 256 }).warnings).toEqual([]);
  });
});

describe('props are refused with the generator\'s path, the prop and what to do', () => {
  test.each([
    ['no schema and no tables', { schema: undefined }, 'give prop schema (one table) or prop tables (a dataset of related tables)'],
    ['shardConcurrency without shards', { shardConcurrency: 5 },
      'prop shardConcurrency is set without prop shards: it bounds the parts of a sharded run; set shards too'],
    ['too many retries', { retryAttempts: 3 },
      'prop retryAttempts is 3: expected 0, 1 or 2 (Lambda retries an asynchronous invocation at most twice)'],
    ['an event age beyond six hours', { maxEventAge: Duration.hours(7) },
      'prop maxEventAge is 25200 seconds: expected whole seconds from 60 (1 minute) to 21600 (6 hours), Lambda\'s bounds for an asynchronous event'],
    ['rows as a token with shards', { shards: 2, rows: Token.asNumber({ Ref: 'Rows' }) },
      'prop rows is a CDK token: with shards, rows must be known at synth time'],
    ['a runtime that is not Node.js', { runtime: lambda.Runtime.PYTHON_3_12 },
      `prop runtime is python3.12: the handler is JavaScript built for Node.js; use a Node.js runtime from nodejs20.x on (default ${DEFAULT_RUNTIME.name})`],
    ['a catalog table name Athena would not accept', { catalogTableName: 'Orders-2024' },
      'prop catalogTableName is "Orders-2024": Glue and Athena names are 1 to 255 lower-case letters, digits and "_" (such as "orders_2024")'],
  ])('%s', (_case, props, message) => {
    expect(refusal(props as Partial<SyntheticDataGeneratorProps>).message).toBe(`SyntheticDataGenerator Stack/Generator: ${message}`);
  });

  test('a contract validator\'s refusal becomes the generator\'s error, with its message', () => {
    const error = refusal({ rows: 0 });
    expect(error).not.toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe('SyntheticDataGenerator Stack/Generator: prop rows is 0: expected a positive whole number of rows, at most 1000000');
  });
});

describe('PropErrors', () => {
  const errors = new PropErrors('App/Stack/Generator');

  test('says which generator', () => {
    expect(errors.refuse('prop x is 1: expected 2').message).toBe('SyntheticDataGenerator App/Stack/Generator: prop x is 1: expected 2');
  });

  test('passes a validator\'s value through, and any error that is not about the input as it is', () => {
    expect(errors.check(() => 42)).toBe(42);
    const bug = new TypeError('a bug');
    expect(() => errors.check(() => { throw bug; })).toThrow(bug);
  });
});

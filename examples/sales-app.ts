/**
 * The example CDK app: one SyntheticDataGenerator for the "sales" reference table of the benchmark
 * (examples/sales.schema.json in JSON form), 10,000 rows per invocation, into a bucket the construct creates, with
 * its Glue catalog table. `npm run demo` synthesizes it into cdk.out/ and deploys it into the local cloud; with
 * `--format F` it writes that format, and with `--shards K` the generator also gets the state machine of sharded
 * runs, for the rows and seed of the command line.
 */
import { App, Stack, TimeZone } from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { exampleStack, synthesizeExample } from './example-app';
import { Column, OutputFormat, ParquetCompression, Schema, SyntheticDataGenerator, TextCompression } from '../src';
import type { OutputFormatDocument } from '../src/contract/output-format';

export const SALES_STACK_NAME = 'SyntheticSalesData';

/** The sales table built with the typed schema API (examples/sales.schema.json is the same, as JSON). */
export function salesSchema(): Schema {
  return Schema.fromColumns([
    Column.uuid('order_id'),
    Column.faker('customer', 'person.fullName'),
    Column.faker('email', 'internet.email'),
    Column.faker('product', 'commerce.productName'),
    Column.integer('quantity', { min: 1, max: 20 }),
    Column.decimal('unit_price', { min: 1, max: 500, fractionDigits: 2 }),
    Column.timestamp('order_date', { from: '2024-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z' }),
    Column.faker('region', 'location.state'),
  ]);
}

/** A sharded variant of the example: the run's rows, its parts, and optionally a fixed seed. */
export interface ShardedSales {
  readonly rows: number;
  readonly shards: number;
  readonly seed?: number;
}

/**
 * The example's operations (`npm run demo -- --schedule-fire TIME`): a nightly schedule at 02:00 UTC, and completion
 * events on the default bus.
 */
export interface SalesOperations {
  readonly schedule?: boolean;
  readonly completionEvents?: boolean;
}

/** The example's schedule: every night at 02:00 UTC. */
export const SALES_SCHEDULE = ScheduleExpression.cron({ minute: '0', hour: '2', timeZone: TimeZone.ETC_UTC });

/** The typed output format of a format's JSON form (the demo's command line). */
export function outputFormatOf(output: OutputFormatDocument): OutputFormat {
  switch (output.format) {
    case 'csv': return OutputFormat.csv({ compression: output.compression as TextCompression });
    case 'jsonl': return OutputFormat.jsonLines({ compression: output.compression as TextCompression });
    case 'parquet': return OutputFormat.parquet({ compression: output.compression as ParquetCompression });
  }
}

/** Builds the example app's stack in `app`: CSV unless an output format is given. */
export function addSalesStack(app: App, sharded?: ShardedSales, output?: OutputFormatDocument, operations?: SalesOperations): Stack {
  const stack = exampleStack(app, SALES_STACK_NAME);
  new SyntheticDataGenerator(stack, 'SalesData', {
    schema: salesSchema(),
    datasetName: 'sales',
    rows: 10_000,
    ...output && { outputFormat: outputFormatOf(output) },
    ...sharded && {
      rows: sharded.rows,
      shards: sharded.shards,
      seed: sharded.seed,
      // a part may be as large as a whole unsharded run
      maxRows: Math.max(Math.ceil(sharded.rows / sharded.shards), 1_000_000),
    },
    ...operations?.schedule && { schedule: SALES_SCHEDULE },
    ...operations?.completionEvents && { completionEvents: true },
  });
  return stack;
}

/** Synthesizes the example app into `outdir` and says where its stack is. */
export function synthesizeSalesApp(
  options: { outdir: string; sharded?: ShardedSales; output?: OutputFormatDocument; operations?: SalesOperations },
): { stackName: string; assemblyDir: string } {
  return synthesizeExample(options.outdir, (app) => addSalesStack(app, options.sharded, options.output, options.operations));
}

if (require.main === module) {
  const { stackName, assemblyDir } = synthesizeSalesApp({ outdir: process.argv[2] ?? 'cdk.out' });
  console.log(`synthesized ${stackName} into ${assemblyDir}`);
}

/**
 * The example CDK app: one SyntheticDataGenerator for the "sales" reference table of the benchmark
 * (examples/sales.schema.json in JSON form), 10,000 rows per invocation, into a bucket the construct creates.
 * `npm run demo` synthesizes it into cdk.out/ and deploys it into the local cloud.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Column, Schema, SyntheticDataGenerator } from '../src';

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

/** Builds the example app's stack in `app`. */
export function addSalesStack(app: App): Stack {
  const stack = new Stack(app, SALES_STACK_NAME, {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  new SyntheticDataGenerator(stack, 'SalesData', {
    schema: salesSchema(),
    datasetName: 'sales',
    rows: 10_000,
  });
  return stack;
}

/** Synthesizes the example app into `outdir` and says where its stack is. */
export function synthesizeSalesApp(options: { outdir: string }): { stackName: string; assemblyDir: string } {
  const app = new App({ outdir: options.outdir });
  const stack = addSalesStack(app);
  const assembly = app.synth();
  return { stackName: stack.stackName, assemblyDir: assembly.directory };
}

if (require.main === module) {
  const { stackName, assemblyDir } = synthesizeSalesApp({ outdir: process.argv[2] ?? 'cdk.out' });
  console.log(`synthesized ${stackName} into ${assemblyDir}`);
}

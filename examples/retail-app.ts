/**
 * The retail example: a dataset of three related tables made together by one SyntheticDataGenerator, with the typed
 * API (examples/retail.dataset.json is the same dataset as JSON):
 * - customers (2,000 rows), keyed by a uuid;
 * - orders (10,000 rows), keyed by a sequence, each for a customer chosen with a Zipf skew of 1.1 (a few customers
 *   place most orders);
 * - order_items: 1 to 5 per order, an order's items contiguous; its row count follows from the orders' (30,000).
 * Each table goes to `synthetic-data/retail/<table>/` with a catalog table of its own name.
 * `npm run demo -- --example retail` synthesizes it into cdk.out/ and deploys it into the local cloud.
 */
import { App, Stack } from 'aws-cdk-lib';
import { outputFormatOf } from './sales-app';
import { Column, Schema, SyntheticDataGenerator, Table } from '../src';
import type { OutputFormatDocument } from '../src/contract/output-format';

export const RETAIL_STACK_NAME = 'SyntheticRetailData';
export const RETAIL_DATASET_NAME = 'retail';

/** The retail dataset's tables, with the typed schema API. */
export function retailTables(): Table[] {
  const customers = Table.of('customers', Schema.fromColumns([
    Column.uuid('customer_id'),
    Column.faker('full_name', 'person.fullName'),
    Column.faker('email', 'internet.email'),
    Column.faker('state', 'location.state'),
    Column.oneOf('segment', ['consumer', 'small_business', 'enterprise'], { weights: [70, 25, 5] }),
    Column.timestamp('signed_up_at', { from: '2020-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z' }),
  ]), { rows: 2_000 });
  const orders = Table.of('orders', Schema.fromColumns([
    Column.sequence('order_id', { start: 100_001 }),
    Column.reference('customer_id', { table: 'customers', column: 'customer_id', skew: 1.1 }),
    Column.timestamp('ordered_at', { from: '2025-01-01T00:00:00Z', to: '2025-12-31T23:59:59Z' }),
    Column.oneOf('status', ['delivered', 'shipped', 'processing', 'cancelled'], { weights: [80, 10, 7, 3] }),
    Column.oneOf('channel', ['web', 'mobile', 'store'], { weights: [50, 35, 15] }),
    Column.oneOf('coupon_code', ['WELCOME10', 'SPRING15', 'VIP20'], { nullPercent: 80 }),
  ]), { rows: 10_000 });
  const orderItems = Table.of('order_items', Schema.fromColumns([
    Column.uuid('order_item_id'),
    Column.reference('order_id', { table: 'orders', column: 'order_id', minChildren: 1, maxChildren: 5 }),
    Column.faker('product', 'commerce.productName'),
    Column.integer('quantity', { min: 1, max: 10 }),
    Column.decimal('unit_price', { min: 0.5, max: 500, fractionDigits: 2 }),
    Column.derived('line_total', 'quantity * unit_price'),
  ]));
  return [customers, orders, orderItems];
}

/** Builds the retail stack in `app`: CSV unless an output format is given. */
export function addRetailStack(
  app: App, output?: OutputFormatDocument, stackName = RETAIL_STACK_NAME, sharded?: { readonly shards: number; readonly seed?: number },
): Stack {
  const stack = new Stack(app, stackName, { env: { account: '123456789012', region: 'us-east-1' } });
  new SyntheticDataGenerator(stack, 'RetailData', {
    tables: retailTables(),
    datasetName: RETAIL_DATASET_NAME,
    ...output && { outputFormat: outputFormatOf(output) },
    ...sharded && { shards: sharded.shards, seed: sharded.seed },
  });
  return stack;
}

/** Synthesizes the retail app into `outdir` and says where its stack is. */
export function synthesizeRetailApp(options: { outdir: string; output?: OutputFormatDocument }): { stackName: string; assemblyDir: string } {
  const app = new App({ outdir: options.outdir });
  const stack = addRetailStack(app, options.output);
  const assembly = app.synth();
  return { stackName: stack.stackName, assemblyDir: assembly.directory };
}

if (require.main === module) {
  const { stackName, assemblyDir } = synthesizeRetailApp({ outdir: process.argv[2] ?? 'cdk.out' });
  console.log(`synthesized ${stackName} into ${assemblyDir}`);
}

/**
 * The retail example: a dataset of three related tables made together by one SyntheticDataGenerator, with the typed
 * API (examples/retail.dataset.json is the same dataset as JSON):
 * - customers (2,000 rows), keyed by a uuid, each one person (email and full name made of the first and last name) with
 *   a zip code in their state;
 * - orders (10,000 rows), keyed by a sequence, each for a customer chosen with a Zipf skew of 1.1 (a few customers
 *   place most orders), ordered in time with a daily and weekly rhythm;
 * - order_items: 1 to 5 per order, an order's items contiguous, its row count following from the orders' (30,000);
 *   Zipf quantities, lognormal prices and a derived line total.
 * The distributions and rhythms are in RETAIL_VALUES (retail-checks.ts), which the demo's value checks read too.
 * Each table goes to `synthetic-data/retail/<table>/` with a catalog table of its own name.
 * `npm run demo -- --example retail` synthesizes it into cdk.out/ and deploys it into the local cloud.
 */
import { App, Stack } from 'aws-cdk-lib';
import { RETAIL_VALUES } from './retail-checks';
import { outputFormatOf } from './sales-app';
import { Column, Distribution, Schema, SyntheticDataGenerator, Table, TimestampOrder } from '../src';
import type { OutputFormatDocument } from '../src/contract/output-format';

export const RETAIL_STACK_NAME = 'SyntheticRetailData';
export const RETAIL_DATASET_NAME = 'retail';

/** The retail dataset's tables, with the typed schema API. */
export function retailTables(): Table[] {
  const { quantity, unitPrice } = RETAIL_VALUES;
  const customers = Table.of('customers', Schema.fromColumns([
    Column.uuid('customer_id'),
    // One person per row: the email and full name are made of the first and last name; the zip code lies in the state.
    Column.faker('first_name', 'person.firstName', { entity: 'customer' }),
    Column.faker('last_name', 'person.lastName', { entity: 'customer' }),
    Column.faker('full_name', 'person.fullName', { entity: 'customer' }),
    Column.faker('email', 'internet.email', { entity: 'customer' }),
    Column.faker('state', 'location.state', { entity: 'address' }),
    Column.faker('zip_code', 'location.zipCode', { entity: 'address' }),
    Column.oneOf('segment', ['consumer', 'small_business', 'enterprise'], { weights: [70, 25, 5] }),
    Column.timestamp('signed_up_at', { from: '2020-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z' }),
  ]), { rows: 2_000 });
  const orders = Table.of('orders', Schema.fromColumns([
    Column.sequence('order_id', { start: 100_001 }),
    Column.reference('customer_id', { table: 'customers', column: 'customer_id', skew: 1.1 }),
    // An event stream: ascending in row order (in every part of a sharded run too), busiest at lunch and in the evening,
    // and towards the weekend.
    Column.timestamp('ordered_at', {
      from: RETAIL_VALUES.orderedAt.from,
      to: RETAIL_VALUES.orderedAt.to,
      order: TimestampOrder.ASCENDING,
      hourWeights: [...RETAIL_VALUES.hourWeights],
      dayWeights: [...RETAIL_VALUES.dayWeights],
    }),
    Column.oneOf('status', ['delivered', 'shipped', 'processing', 'cancelled'], { weights: [80, 10, 7, 3] }),
    Column.oneOf('channel', ['web', 'mobile', 'store'], { weights: [50, 35, 15] }),
    // 250 stores, numbered between 1000 and 9999: exactly 250 distinct values.
    Column.integer('store_id', { min: 1000, max: 9999, distinctValues: RETAIL_VALUES.stores }),
    Column.oneOf('coupon_code', ['WELCOME10', 'SPRING15', 'VIP20'], { nullPercent: 80 }),
  ]), { rows: 10_000 });
  const orderItems = Table.of('order_items', Schema.fromColumns([
    Column.uuid('order_item_id'),
    Column.reference('order_id', { table: 'orders', column: 'order_id', minChildren: 1, maxChildren: 5 }),
    Column.faker('product', 'commerce.productName'),
    // A catalog of 20,000 SKUs: more than the 16,384 values a faker method draws from without distinctValues.
    Column.faker('sku', 'commerce.isbn', { distinctValues: RETAIL_VALUES.skus }),
    // Most lines are of one or two units; prices are skewed, most of them small (median e^3, about 20).
    Column.integer('quantity', { min: quantity.min, max: quantity.max, distribution: Distribution.zipf({ exponent: quantity.exponent }) }),
    Column.decimal('unit_price', {
      min: unitPrice.min,
      max: unitPrice.max,
      fractionDigits: unitPrice.fractionDigits,
      distribution: Distribution.lognormal({ mu: unitPrice.mu, sigma: unitPrice.sigma }),
    }),
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

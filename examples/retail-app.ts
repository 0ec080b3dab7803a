/**
 * The retail example: a dataset of five related tables made together by one SyntheticDataGenerator, with the typed
 * API (examples/retail.dataset.json is the same dataset as JSON):
 * - customers (2,000 rows), keyed by a uuid, each one person (email and full name made of the first and last name) with
 *   a zip code in their state and a signup time;
 * - products (5,000 rows): a SKU each, a name, a category and a lognormal list price;
 * - orders: 0 to 200 per customer from a Zipf count law (most customers none to two, a few very many; about 20,000 in
 *   all), each customer's orders in time order from their signup to the end of 2025 (a series per customer);
 * - order_items: 1 to 5 per order (uniform), a product chosen with a Zipf skew, the product's SKU, name and list price
 *   looked up, and a line total computed from them;
 * - shipments: 1 or 2 per order, 2 to 72 hours after the order's time (looked up, not written), to the state of the
 *   order's customer (looked up through two references).
 * The laws and bounds are in RETAIL_VALUES (retail-checks.ts), which the demo's DuckDB checks read too.
 * Each table goes to `synthetic-data/retail/<table>/` with a catalog table of its own name.
 * `npm run demo -- --example retail` synthesizes it into cdk.out/ and deploys it into the local cloud.
 */
import { App, Stack } from 'aws-cdk-lib';
import { exampleStack, synthesizeExample } from './example-app';
import { RETAIL_VALUES } from './retail-checks';
import { outputFormatOf } from './sales-app';
import { ChildCounts, Column, Distribution, LagUnit, Schema, SyntheticDataGenerator, Table } from '../src';
import type { OutputFormatDocument } from '../src/contract/output-format';

export const RETAIL_STACK_NAME = 'SyntheticRetailData';
export const RETAIL_DATASET_NAME = 'retail';

/** The retail dataset's tables, with the typed schema API. */
export function retailTables(): Table[] {
  const { quantity, listPrice, ordersPerCustomer, itemsPerOrder, shipmentsPerOrder, shippingLag, signedUpAt, orderedAt } = RETAIL_VALUES;
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
    Column.timestamp('signed_up_at', { from: signedUpAt.from, to: signedUpAt.to }),
  ]), { rows: RETAIL_VALUES.customers });
  // The catalog: one SKU per product (exactly as many distinct SKUs as products), lognormal list prices.
  const products = Table.of('products', Schema.fromColumns([
    Column.sequence('product_id', { start: 1 }),
    Column.faker('sku', 'commerce.isbn', { distinctValues: RETAIL_VALUES.products }),
    Column.faker('name', 'commerce.productName'),
    Column.oneOf('category', ['home', 'garden', 'electronics', 'clothing', 'toys'], { weights: [30, 10, 20, 30, 10] }),
    Column.decimal('list_price', {
      min: listPrice.min,
      max: listPrice.max,
      fractionDigits: listPrice.fractionDigits,
      distribution: Distribution.lognormal({ mu: listPrice.mu, sigma: listPrice.sigma }),
    }),
  ]), { rows: RETAIL_VALUES.products });
  const orders = Table.of('orders', Schema.fromColumns([
    Column.sequence('order_id', { start: 100_001 }),
    // Most customers place none, one or two orders; a few place very many (a Zipf count law, drawn per customer).
    Column.reference('customer_id', {
      table: 'customers',
      column: 'customer_id',
      minChildren: ordersPerCustomer.min,
      maxChildren: ordersPerCustomer.max,
      childCounts: ChildCounts.zipf(ordersPerCustomer.exponent),
    }),
    // Each customer's orders in time order, from their signup to the end of the range.
    Column.lookup('signed_up_at', { through: ['customer_id'], column: 'signed_up_at', omit: true }),
    Column.seriesTime('ordered_at', { reference: 'customer_id', start: 'signed_up_at', from: orderedAt.from, to: orderedAt.to }),
    Column.oneOf('status', ['delivered', 'shipped', 'processing', 'cancelled'], { weights: [80, 10, 7, 3] }),
    Column.oneOf('channel', ['web', 'mobile', 'store'], { weights: [50, 35, 15] }),
    // 250 stores, numbered between 1000 and 9999: exactly 250 distinct values.
    Column.integer('store_id', { min: 1000, max: 9999, distinctValues: RETAIL_VALUES.stores }),
    Column.oneOf('coupon_code', ['WELCOME10', 'SPRING15', 'VIP20'], { nullPercent: 80 }),
  ]));
  const orderItems = Table.of('order_items', Schema.fromColumns([
    Column.uuid('order_item_id'),
    Column.reference('order_id', {
      table: 'orders', column: 'order_id', minChildren: itemsPerOrder.min, maxChildren: itemsPerOrder.max, childCounts: ChildCounts.uniform(),
    }),
    // A few products sell most; each item carries its product's SKU, name and list price (lookups, never a join).
    Column.reference('product_id', { table: 'products', column: 'product_id', skew: RETAIL_VALUES.productSkew }),
    Column.lookup('sku', { through: ['product_id'], column: 'sku' }),
    Column.lookup('product_name', { through: ['product_id'], column: 'name' }),
    Column.lookup('list_price', { through: ['product_id'], column: 'list_price' }),
    // Most lines are of one or two units.
    Column.integer('quantity', { min: quantity.min, max: quantity.max, distribution: Distribution.zipf({ exponent: quantity.exponent }) }),
    Column.decimal('discount', { min: 0, max: 0.3, fractionDigits: 2 }),
    Column.derived('line_total', RETAIL_VALUES.lineTotal),
  ]));
  const shipments = Table.of('shipments', Schema.fromColumns([
    Column.uuid('shipment_id'),
    // One shipment per order, about one order in nine split into two.
    Column.reference('order_id', {
      table: 'orders',
      column: 'order_id',
      minChildren: shipmentsPerOrder.min,
      maxChildren: shipmentsPerOrder.max,
      childCounts: ChildCounts.poisson(shipmentsPerOrder.mean),
    }),
    // The order's time, a helper not written; the state of the order's customer, through two references.
    Column.lookup('ordered_at', { through: ['order_id'], column: 'ordered_at', omit: true }),
    Column.lookup('ship_to_state', { through: ['order_id', 'customer_id'], column: 'state' }),
    Column.oneOf('carrier', ['UPS', 'FedEx', 'USPS', 'DHL'], { weights: [40, 30, 20, 10] }),
    // Shipped 2 to 72 hours after the order, most within a day (median e^2.9, about 18 hours).
    Column.timestampAfter('shipped_at', {
      after: 'ordered_at',
      minLag: shippingLag.min,
      maxLag: shippingLag.max,
      unit: LagUnit.HOURS,
      distribution: Distribution.lognormal({ mu: shippingLag.mu, sigma: shippingLag.sigma }),
    }),
  ]));
  return [customers, products, orders, orderItems, shipments];
}

/** Builds the retail stack in `app`: CSV unless an output format is given. */
export function addRetailStack(
  app: App, output?: OutputFormatDocument, stackName = RETAIL_STACK_NAME, sharded?: { readonly shards: number; readonly seed?: number },
): Stack {
  const stack = exampleStack(app, stackName);
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
  return synthesizeExample(options.outdir, (app) => addRetailStack(app, options.output));
}

if (require.main === module) {
  const { stackName, assemblyDir } = synthesizeRetailApp({ outdir: process.argv[2] ?? 'cdk.out' });
  console.log(`synthesized ${stackName} into ${assemblyDir}`);
}

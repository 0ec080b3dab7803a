/**
 * A small dataset of four related tables that uses every relation between rows: lookups (one and two references deep,
 * of a text, a decimal, a nullable timestamp and a reference), an optional reference, a helper column not written
 * (omit) and a derived column reading looked-up values. Shared by the lookup tests.
 */
import { validateDatasetDocument } from '../../src/contract/dataset-document';

export const RELATED_TABLES = [
  {
    name: 'products',
    rows: 60,
    columns: [
      { name: 'product_id', type: 'uuid' },
      { name: 'name', type: 'faker', method: 'commerce.productName' },
      { name: 'list_price', type: 'decimal', min: 1, max: 500, fractionDigits: 2, distribution: { kind: 'lognormal', mu: 3, sigma: 0.9 } },
      { name: 'category', type: 'oneOf', values: ['books', 'garden', 'toys'] },
      { name: 'retired_at', type: 'timestamp', nullPercent: 30 },
    ],
  },
  {
    name: 'customers',
    rows: 40,
    columns: [
      { name: 'customer_id', type: 'sequence', start: 500 },
      { name: 'region', type: 'oneOf', values: ['north', 'south', 'east', 'west'] },
    ],
  },
  {
    name: 'orders',
    rows: 120,
    columns: [
      { name: 'order_id', type: 'sequence', start: 1000 },
      { name: 'customer_id', type: 'reference', table: 'customers', column: 'customer_id', nullPercent: 10 },
      { name: 'region', type: 'lookup', through: 'customer_id', column: 'region' },
    ],
  },
  {
    name: 'order_items',
    columns: [
      { name: 'order_item_id', type: 'uuid' },
      // The paired layout (asked for: counts follow a law by default), so the pinned rows of the lookups stay the same.
      { name: 'order_id', type: 'reference', table: 'orders', column: 'order_id', children: { min: 1, max: 4, distribution: { kind: 'paired' } } },
      { name: 'product_id', type: 'reference', table: 'products', column: 'product_id', skew: 1.1 },
      { name: 'product_name', type: 'lookup', through: ['product_id'], column: 'name' },
      { name: 'list_price', type: 'lookup', through: ['product_id'], column: 'list_price' },
      { name: 'retired_at', type: 'lookup', through: ['product_id'], column: 'retired_at' },
      { name: 'customer_id', type: 'lookup', through: ['order_id'], column: 'customer_id' },
      { name: 'customer_region', type: 'lookup', through: ['order_id', 'customer_id'], column: 'region' },
      { name: 'order_region', type: 'lookup', through: ['order_id'], column: 'region', omit: true },
      { name: 'quantity', type: 'integer', min: 1, max: 5 },
      { name: 'discount', type: 'decimal', min: 0, max: 0.3, fractionDigits: 2, omit: true },
      { name: 'line_total', type: 'derived', expression: 'round(quantity * list_price * (1 - discount), 2)' },
      { name: 'same_region', type: 'derived', expression: 'coalesce(order_region, "none") == coalesce(customer_region, "none")' },
    ],
  },
];

export const RELATED = validateDatasetDocument({ tables: RELATED_TABLES });

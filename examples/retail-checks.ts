/**
 * What the retail dataset's values must satisfy, stated in SQL and checked by DuckDB from the files alone (the demo's
 * step "values", and the dataset tests):
 * - lookups agree with the parent tables, by joins: every item's SKU, name and list price are its product's, every
 *   shipment's state its order's customer's;
 * - time runs forward between tables: no order before its customer's signup, each customer's orders in time order, every
 *   shipment 2 to 72 hours after its order, the lags lognormal as declared;
 * - the line total recomputed on every row from the looked-up list price;
 * - children per parent follow their count laws (orders per customer: Zipf's heavy tail, zero allowed; items and
 *   shipments per order), drawn independently per parent;
 * - the moments of the skewed prices and quantities against their truncated laws (law-moments.ts, closed forms);
 * - customers whose email is made of their own name, and exactly as many stores and SKUs as declared.
 */
import { truncatedLognormal, truncatedPoisson, truncatedZipf, uniformCounts } from './law-moments';
import { countLawCheck, momentsCheck, noneBreak, numberOf, orderedPerParent, sqlTimestamp } from './sql-checks';
import type { SqlCheck } from '../local-cloud/integrity';

/** The retail example's laws and bounds: the one place retail-app.ts and these checks read them from. */
export const RETAIL_VALUES = {
  customers: 2_000,
  /** Products, each with its own SKU (distinctValues). */
  products: 5_000,
  /** Distinct stores among the orders. */
  stores: 250,
  signedUpAt: { from: '2023-01-01T00:00:00Z', to: '2025-06-30T23:59:59Z' },
  /** The orders' range: each customer's orders run from their signup (or from) to `to`. */
  orderedAt: { from: '2023-01-01T00:00:00Z', to: '2025-12-31T23:59:59Z' },
  ordersPerCustomer: { min: 0, max: 200, exponent: 1.5 },
  itemsPerOrder: { min: 1, max: 5 },
  shipmentsPerOrder: { min: 1, max: 2, mean: 0.25 },
  /** Hours from an order to its shipment. */
  shippingLag: { min: 2, max: 72, mu: 2.9, sigma: 0.6 },
  listPrice: { min: 0.5, max: 500, fractionDigits: 2, mu: 3, sigma: 0.9 },
  quantity: { min: 1, max: 10, exponent: 1.2 },
  productSkew: 1.1,
  lineTotal: 'round(quantity * list_price * (1 - discount), 2)',
} as const;

/** The checks of the retail dataset (examples/retail-app.ts). */
export function retailSqlChecks(): SqlCheck[] {
  const { listPrice, quantity, stores, products, ordersPerCustomer, itemsPerOrder, shipmentsPerOrder, shippingLag, orderedAt } = RETAIL_VALUES;
  const lagHours = 'epoch_ms(s.shipped_at) - epoch_ms(o.ordered_at)';
  return [
    noneBreak('order_items: SKU, product name and list price are those of the item\'s product (lookups, by a join)',
      `SELECT count(*) FILTER (WHERE p.product_id IS NULL OR i.sku IS DISTINCT FROM p.sku OR i.product_name IS DISTINCT FROM p.name
          OR i.list_price::DECIMAL(18, 2) IS DISTINCT FROM p.list_price::DECIMAL(18, 2)), count(*)
        FROM order_items i LEFT JOIN products p USING (product_id)`,
      'items differ from their product'),
    noneBreak('shipments.ship_to_state is the state of the order\'s customer (a lookup through two references, by joins)',
      `SELECT count(*) FILTER (WHERE c.customer_id IS NULL OR s.ship_to_state IS DISTINCT FROM c.state), count(*)
        FROM shipments s LEFT JOIN orders o USING (order_id) LEFT JOIN customers c ON c.customer_id = o.customer_id`,
      'shipments to another state than their customer\'s'),
    noneBreak(`order_items.line_total = ${RETAIL_VALUES.lineTotal}`,
      `SELECT count(*) FILTER (WHERE line_total::DECIMAL(18, 2) IS DISTINCT FROM
          round(quantity * list_price::DECIMAL(18, 2) * (1 - discount::DECIMAL(18, 2)), 2)), count(*) FROM order_items`,
      'rows differ'),
    noneBreak('orders: none before its customer\'s signup, none after the range',
      `SELECT count(*) FILTER (WHERE c.customer_id IS NULL OR o.ordered_at < c.signed_up_at OR o.ordered_at > ${sqlTimestamp(orderedAt.to)}),
          count(*) FROM orders o LEFT JOIN customers c USING (customer_id)`,
      'orders out of their customer\'s span'),
    orderedPerParent('orders: each customer\'s orders in time order in the file (a series per customer)', 'orders', 'customer_id', 'ordered_at',
      'orders earlier than their customer\'s order before'),
    noneBreak(`shipments: ${shippingLag.min} to ${shippingLag.max} hours after their order, never before`,
      `SELECT count(*) FILTER (WHERE o.order_id IS NULL OR ${lagHours} < ${shippingLag.min * 3_600_000} OR ${lagHours} > ${shippingLag.max * 3_600_000}),
          count(*) FROM shipments s LEFT JOIN orders o USING (order_id)`,
      'shipments outside their lag'),
    momentsCheck(`shipments: hours from order to shipment ~ lognormal(μ ${shippingLag.mu}, σ ${shippingLag.sigma}) in [${shippingLag.min}, ${shippingLag.max}]`,
      `(SELECT (${lagHours}) / 3600000 AS hours FROM shipments s JOIN orders o USING (order_id))`, 'hours', truncatedLognormal(shippingLag.mu, shippingLag.sigma, shippingLag.min, shippingLag.max)),
    countLawCheck({
      parent: 'customers',
      each: 'customer',
      key: 'customer_id',
      child: 'orders',
      reference: 'customer_id',
      lawName: `Zipf(${ordersPerCustomer.exponent}) over ${ordersPerCustomer.min}..${ordersPerCustomer.max}`,
      law: truncatedZipf(ordersPerCustomer.exponent, ordersPerCustomer.min, ordersPerCustomer.max),
    }),
    countLawCheck({
      parent: 'orders',
      each: 'order',
      key: 'order_id',
      child: 'order_items',
      reference: 'order_id',
      lawName: `uniform over ${itemsPerOrder.min}..${itemsPerOrder.max}`,
      law: uniformCounts(itemsPerOrder.min, itemsPerOrder.max),
    }),
    countLawCheck({
      parent: 'orders',
      each: 'order',
      key: 'order_id',
      child: 'shipments',
      reference: 'order_id',
      lawName: `Poisson(${shipmentsPerOrder.mean}) over ${shipmentsPerOrder.min}..${shipmentsPerOrder.max}`,
      law: truncatedPoisson(shipmentsPerOrder.mean, shipmentsPerOrder.min, shipmentsPerOrder.max),
    }),
    momentsCheck(`products.list_price ~ lognormal(μ ${listPrice.mu}, σ ${listPrice.sigma}) in [${listPrice.min}, ${listPrice.max}]`,
      'products', 'list_price', truncatedLognormal(listPrice.mu, listPrice.sigma, listPrice.min, listPrice.max)),
    momentsCheck(`order_items.quantity ~ Zipf(${quantity.exponent}) on ${quantity.min}..${quantity.max}`,
      'order_items', 'quantity', truncatedZipf(quantity.exponent, quantity.min, quantity.max)),
    {
      name: `exactly ${stores} stores among the orders and ${products} SKUs among the products (distinctValues)`,
      query: 'SELECT (SELECT count(DISTINCT store_id) FROM orders), (SELECT count(DISTINCT sku) FROM products)',
      judge: ([[storesMade, skusMade]]) => ({
        ok: numberOf(storesMade) === stores && numberOf(skusMade) === products,
        observed: `${numberOf(storesMade)} stores, ${numberOf(skusMade)} SKUs`,
      }),
    },
    noneBreak('customers: email and full name made of the customer\'s own first and last name',
      // faker's email local part: the first name, or the first name, "." or "_" and the last name; then digits or none.
      `WITH names AS (
          SELECT full_name, first_name, last_name, split_part(email, '@', 1) AS local,
            regexp_replace(replace(strip_accents(first_name), ' ', ''), '[^A-Za-z0-9._+-]', '', 'g') AS first,
            regexp_replace(replace(strip_accents(last_name), ' ', ''), '[^A-Za-z0-9._+-]', '', 'g') AS last
          FROM customers),
        rest AS (SELECT *, substr(local, length(first) + 1) AS after FROM names)
        SELECT count(*) FILTER (WHERE NOT (starts_with(local, first) AND (regexp_full_match(after, '[0-9]*')
          OR (substr(after, 1, 1) IN ('.', '_') AND starts_with(substr(after, 2), last) AND regexp_full_match(substr(after, 2 + length(last)), '[0-9]*'))))
          OR strpos(full_name, first_name || ' ' || last_name) = 0),
          count(*)
        FROM rest`,
      'customers whose email or full name is not made of their name'),
  ];
}

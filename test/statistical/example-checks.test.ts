/**
 * The examples' DuckDB checks (examples/retail-checks.ts, examples/iot-checks.ts) are right and not blind: the laws'
 * closed-form moments agree with a numeric integration or a direct sum, every check passes on the example as the engine
 * makes it, and each fails on the same tables with its property broken by one SQL statement (undone before the next).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { iotSqlChecks } from '../../examples/iot-checks';
import { truncatedLognormal, truncatedPoisson, truncatedZipf, uniformCounts } from '../../examples/law-moments';
import { retailSqlChecks } from '../../examples/retail-checks';
import { rowsOf, withDuckDb } from '../../local-cloud/duckdb';
import type { SqlCheck } from '../../local-cloud/integrity';
import { parseDatasetDocument } from '../../src/contract/dataset-document';
import { loadDataset } from '../support/example-tables';

const exampleFile = (name: string) => path.join(__dirname, '..', '..', 'examples', `${name}.dataset.json`);

/** Mean and standard deviation of a density on [a, b], by the midpoint rule on a log-spaced grid. */
function integrated(density: (x: number) => number, a: number, b: number, steps = 400_000): { mean: number; sd: number } {
  let mass = 0;
  let first = 0;
  let second = 0;
  const ratio = Math.log(b / a) / steps;
  for (let i = 0; i < steps; i++) {
    const low = a * Math.exp(i * ratio);
    const high = a * Math.exp((i + 1) * ratio);
    const x = (low + high) / 2;
    const w = density(x) * (high - low);
    mass += w;
    first += w * x;
    second += w * x * x;
  }
  const mean = first / mass;
  return { mean, sd: Math.sqrt(second / mass - mean * mean) };
}

describe('the laws\' moments', () => {
  test('the truncated lognormal\'s closed-form moments equal a numeric integration of its density', () => {
    for (const [mu, sigma, a, b] of [[3, 0.9, 0.5, 500], [0, 1, 0.1, 3], [2.9, 0.6, 2, 72]]) {
      const density = (x: number) => Math.exp(-((Math.log(x) - mu) ** 2) / (2 * sigma * sigma)) / x;
      const numeric = integrated(density, a, b);
      const closed = truncatedLognormal(mu, sigma, a, b);
      expect(Math.abs(closed.mean - numeric.mean) / numeric.mean).toBeLessThan(1e-5);
      expect(Math.abs(closed.sd - numeric.sd) / numeric.sd).toBeLessThan(1e-4);
    }
  });

  test('the count laws are those of their weights', () => {
    // Zipf 1..2 with weights 1 and 2^-1: P(1) = 2/3, P(2) = 1/3.
    const zipf = truncatedZipf(1, 1, 2);
    expect(zipf.mean).toBeCloseTo(4 / 3, 12);
    expect(zipf.sd).toBeCloseTo(Math.sqrt(2) / 3, 12);
    // Poisson(0.25) on 1..2: weights 0.25 and 0.25² / 2, so P(2) = 1/9.
    expect(truncatedPoisson(0.25, 1, 2).probabilities[1]).toBeCloseTo(1 / 9, 12);
    // Poisson(3) untruncated in practice: mean and variance 3.
    const poisson = truncatedPoisson(3, 0, 60);
    expect(poisson.mean).toBeCloseTo(3, 9);
    expect(poisson.sd).toBeCloseTo(Math.sqrt(3), 9);
    expect(uniformCounts(1, 5)).toMatchObject({ mean: 3, min: 1, probabilities: [0.2, 0.2, 0.2, 0.2, 0.2] });
  });
});

/** Every check's verdict by name. */
async function verdicts(connection: DuckDBConnection, checks: readonly SqlCheck[]): Promise<Map<string, { ok: boolean; observed: string }>> {
  const found = new Map<string, { ok: boolean; observed: string }>();
  for (const check of checks) found.set(check.name, check.judge(await rowsOf(connection, check.query)));
  return found;
}

/** The checks that fail once `statements` have changed the tables; the change is rolled back after. */
async function failingAfter(connection: DuckDBConnection, checks: readonly SqlCheck[], statements: readonly string[]): Promise<string[]> {
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const statement of statements) await connection.run(statement);
    return [...(await verdicts(connection, checks))].filter(([, verdict]) => !verdict.ok).map(([name]) => name);
  } finally {
    await connection.run('ROLLBACK');
  }
}

/** Runs `use` over the example as the engine makes it at `seed`, after checking that every check passes on it. */
async function withExample(name: string, checks: readonly SqlCheck[], use: (connection: DuckDBConnection) => Promise<void>): Promise<void> {
  const dataset = parseDatasetDocument(fs.readFileSync(exampleFile(name), 'utf8'));
  await withDuckDb(async (connection) => {
    await loadDataset(connection, dataset, 20261207);
    const made = await verdicts(connection, checks);
    expect([...made].filter(([, verdict]) => !verdict.ok)).toEqual([]);
    await use(connection);
  });
}

const checkNamed = (checks: readonly SqlCheck[], start: string): string => {
  const found = checks.filter((check) => check.name.startsWith(start));
  expect(found).toHaveLength(1);
  return found[0].name;
};

/**
 * Over the example as made (every check passing), each break, a check's name and the statements that break its
 * property, makes that check fail; and every check is broken by one of them.
 */
async function expectEachBreakFails(example: string, checks: readonly SqlCheck[], breaks: ReadonlyArray<[string, string[]]>): Promise<void> {
  await withExample(example, checks, async (connection) => {
    for (const [check, statements] of breaks) {
      const failing = await failingAfter(connection, checks, statements);
      expect({ check, failing }).toEqual({ check, failing: expect.arrayContaining([checkNamed(checks, check)]) });
    }
  });
  expect(breaks.map(([check]) => checkNamed(checks, check)).sort()).toEqual(checks.map((check) => check.name).sort());
}

test('every retail check passes on the example as made, and each fails where its property is broken', async () => {
  const checks = retailSqlChecks();
  const breaks: Array<[string, string[]]> = [
    ['order_items: SKU, product name and list price', ['UPDATE order_items SET product_name = product_name || \'!\' WHERE rowid = 5']],
    ['shipments.ship_to_state', ['UPDATE shipments SET ship_to_state = \'Atlantis\' WHERE rowid = 3']],
    ['order_items.line_total', ['UPDATE order_items SET line_total = line_total + 0.01 WHERE rowid = 7']],
    ['orders: none before', ['UPDATE orders SET ordered_at = TIMESTAMP \'2022-12-31 00:00:00\' WHERE rowid = 0']],
    // A customer's second order moved before their first.
    ['orders: each customer\'s orders in time order', [
      `UPDATE orders SET ordered_at = ordered_at - INTERVAL 3650 DAY WHERE rowid = 1 + (SELECT min(rowid) FROM orders
        WHERE customer_id = (SELECT customer_id FROM orders GROUP BY 1 HAVING count(*) > 20 LIMIT 1))`,
    ]],
    ['shipments: 2 to 72 hours', ['UPDATE shipments SET shipped_at = shipped_at + INTERVAL 100 HOUR WHERE rowid = 1']],
    ['shipments: hours from order to shipment', ['UPDATE shipments SET shipped_at = shipped_at + INTERVAL 3 HOUR WHERE rowid % 2 = 0']],
    // Counts that alternate 1, 5, 1, 5: the mean of the uniform law, but paired rather than independent.
    ['order_items per order', [
      `CREATE OR REPLACE TABLE order_items AS SELECT paired.order_id, items.* EXCLUDE (order_id, n) FROM
        (SELECT o.order_id, row_number() OVER (ORDER BY o.r) AS n
          FROM (SELECT order_id, row_number() OVER () AS r FROM orders) o, range(CASE WHEN o.r % 2 = 0 THEN 1 ELSE 5 END)) paired
        JOIN (SELECT *, row_number() OVER () AS n FROM order_items) items USING (n) ORDER BY n`,
    ]],
    ['orders per customer', ['DELETE FROM orders WHERE customer_id IN (SELECT customer_id FROM customers WHERE rowid % 3 = 0)']],
    ['shipments per order', ['DELETE FROM shipments WHERE rowid % 10 = 0']],
    ['products.list_price', ['UPDATE products SET list_price = least(500, list_price * 1.5)']],
    ['order_items.quantity', ['UPDATE order_items SET quantity = 1 WHERE rowid % 4 = 0']],
    ['exactly 250 stores', ['UPDATE orders SET store_id = (SELECT max(store_id) FROM orders) WHERE store_id = (SELECT min(store_id) FROM orders)']],
    ['customers: email and full name', ['UPDATE customers SET email = \'someone.else@example.com\' WHERE rowid = 0']],
  ];
  await expectEachBreakFails('retail', checks, breaks);
}, 120_000);

test('every iot check passes on the example as made, and each fails where its property is broken', async () => {
  const checks = iotSqlChecks();
  const breaks: Array<[string, string[]]> = [
    ['devices.model_name', ['UPDATE devices SET model_name = model_name || \'!\' WHERE rowid = 0']],
    ['readings.site', ['UPDATE readings SET site = \'paris\' WHERE rowid = 17']],
    ['readings: none before', ['UPDATE readings SET read_at = TIMESTAMP \'2024-12-01 00:00:00\' WHERE rowid = 0']],
    ['readings: each device\'s readings in time order', ['UPDATE readings SET read_at = read_at + INTERVAL 2 DAY WHERE rowid = 10']],
    ['readings: each device\'s readings cover', [
      'DELETE FROM readings WHERE device_id = (SELECT device_id FROM readings WHERE rowid = 0) AND rowid > 100',
    ]],
    ['readings per device', ['DELETE FROM readings WHERE rowid % 10 = 0']],
    ['readings.temperature: lag-1', ['UPDATE readings SET temperature = temperature + 8 * (random() - 0.5)']],
    ['readings.temperature: a daily cycle', ['UPDATE readings SET temperature = temperature + 1.5 * cos(2 * pi() * hour(read_at) / 24)']],
  ];
  await expectEachBreakFails('iot', checks, breaks);
}, 180_000);

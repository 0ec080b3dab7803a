/**
 * The retail example's value checks (examples/retail-checks.ts) are right and not blind: the closed-form moments agree
 * with a numeric integration of the same truncated densities, and each SQL check, run by DuckDB, passes on rows that
 * keep the property and fails on rows that break it.
 */
import { RETAIL_VALUES, retailSqlChecks, truncatedLognormal, truncatedZipf } from '../../examples/retail-checks';
import { withDuckDb, rowsOf } from '../../local-cloud/duckdb';

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

test('the truncated lognormal\'s closed-form moments equal a numeric integration of its density', () => {
  for (const [mu, sigma, a, b] of [[3, 0.9, 0.5, 500], [0, 1, 0.1, 3], [5, 0.4, 50, 400]]) {
    const density = (x: number) => Math.exp(-((Math.log(x) - mu) ** 2) / (2 * sigma * sigma)) / x;
    const numeric = integrated(density, a, b);
    const closed = truncatedLognormal(mu, sigma, a, b);
    expect(Math.abs(closed.mean - numeric.mean) / numeric.mean).toBeLessThan(1e-5);
    expect(Math.abs(closed.sd - numeric.sd) / numeric.sd).toBeLessThan(1e-4);
  }
});

test('the truncated Zipf moments are those of its weights', () => {
  // 1..2 with weights 1 and 2^-1: P(1) = 2/3, P(2) = 1/3.
  const { mean, sd } = truncatedZipf(1, 1, 2);
  expect(mean).toBeCloseTo(4 / 3, 12);
  expect(sd).toBeCloseTo(Math.sqrt(2) / 3, 12);
});

/** Runs each retail check over tables made by `setup` and returns pass or fail by check name. */
async function judged(setup: readonly string[]): Promise<Record<string, boolean>> {
  return withDuckDb(async (connection) => {
    for (const statement of setup) await connection.run(statement);
    const verdicts: Record<string, boolean> = {};
    for (const check of retailSqlChecks()) verdicts[check.name] = check.judge(await rowsOf(connection, check.query)).ok;
    return verdicts;
  });
}

/** Tables that keep every property: values drawn by DuckDB from the declared laws (by rejection, which truncates exactly). */
function goodTables(breakWith: Partial<Record<'items' | 'orders' | 'customers' | 'stores', string>> = {}): string[] {
  const { unitPrice, quantity, orderedAt, hourWeights, dayWeights, skus } = RETAIL_VALUES;
  const zipf = Array.from({ length: quantity.max - quantity.min + 1 }, (_, k) => (k + 1) ** -quantity.exponent);
  const zipfTotal = zipf.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  const quantityOf = `CASE ${zipf.map((w, k) => `WHEN u < ${(cumulative += w) / zipfTotal} THEN ${quantity.min + k}`).join(' ')} ELSE ${quantity.max} END`;
  const start = `TIMESTAMP '${orderedAt.from.slice(0, 10)}'`;
  const seconds = (Date.parse(orderedAt.to) - Date.parse(orderedAt.from)) / 1000 + 1;
  const accept = `[${hourWeights.join(', ')}][hour(t) + 1] / ${Math.max(...hourWeights)} * [${dayWeights.join(', ')}][isodow(t)] / ${Math.max(...dayWeights)}`;
  return [
    'SELECT setseed(0.42)',
    `CREATE TABLE order_items AS SELECT *, 'sku-' || (row_number() OVER () % ${skus}) AS sku FROM (
     SELECT quantity, unit_price, ${breakWith.items ?? 'quantity * unit_price'} AS line_total FROM (
       SELECT (${quantityOf})::BIGINT AS quantity,
         round(exp(${unitPrice.mu} + ${unitPrice.sigma} * sqrt(-2 * ln(1 - v)) * cos(2 * pi() * w)), 2)::DECIMAL(5,2) AS unit_price
       FROM (SELECT random() AS u, random() AS v, random() AS w FROM range(30000)))
     WHERE unit_price BETWEEN ${unitPrice.min} AND ${unitPrice.max} LIMIT 20000)`,
    // Stores at random among 250 (or fewer, broken): with 20,000 orders every one of them is met.
    `CREATE TABLE orders AS SELECT ${breakWith.orders ?? 'ordered_at'} AS ordered_at, 1000 + floor(s * ${breakWith.stores ?? RETAIL_VALUES.stores})::BIGINT AS store_id FROM (
       SELECT t AS ordered_at, s FROM (SELECT ${start} + to_seconds((random() * ${seconds})::BIGINT) AS t, random() AS r, random() * 0.999999 AS s FROM range(60000))
       WHERE r < ${accept} ORDER BY 1)`,
    `CREATE TABLE customers AS SELECT first_name, last_name, first_name || ' ' || last_name AS full_name,
       ${breakWith.customers ?? "regexp_replace(replace(strip_accents(first_name), ' ', ''), '[^A-Za-z0-9._+-]', '', 'g') || '.' || "
         + "regexp_replace(strip_accents(last_name), '[^A-Za-z0-9._+-]', '', 'g') || '42@example.com'"} AS email
     FROM (VALUES ('Ann', 'Lee'), ('José', 'O''Neil'), ('Mary Ann', 'Smith-Jones')) t(first_name, last_name)`,
  ];
}

test('every retail check passes on tables that keep its property', async () => {
  const verdicts = await judged(goodTables());
  expect(Object.entries(verdicts).filter(([, ok]) => !ok).map(([name]) => name)).toEqual([]);
  expect(Object.keys(verdicts)).toHaveLength(8);
}, 60_000);

test('each retail check fails on tables that break its property', async () => {
  const broken = await judged(goodTables({
    items: 'quantity * unit_price + CASE WHEN quantity = 3 THEN 0.01 ELSE 0 END',
    orders: 'CASE WHEN hour(ordered_at) = 12 THEN ordered_at - INTERVAL 2 DAY ELSE ordered_at END',
    customers: "last_name || '.' || first_name || '@example.com'",
    stores: '249',
  }));
  expect(Object.entries(broken).filter(([, ok]) => !ok).map(([name]) => name).sort()).toEqual([
    'customers: email and full name made of the customer\'s own first and last name',
    'exactly 250 stores among the orders and 20000 SKUs among the items (distinctValues)',
    'order_items.line_total = quantity × unit_price',
    'orders.ordered_at ascending in file order',
  ]);
  // Uniform prices and quantities, and orders at every hour alike, are told apart from the declared laws.
  const uniform = await judged([
    'SELECT setseed(0.5)',
    'CREATE TABLE order_items AS SELECT q AS quantity, p AS unit_price, q * p AS line_total, \'sku-\' || i AS sku FROM '
      + '(SELECT (1 + floor(random() * 10))::BIGINT AS q, round(0.5 + random() * 499.5, 2)::DECIMAL(5,2) AS p, range AS i FROM range(20000))',
    "CREATE TABLE orders AS SELECT TIMESTAMP '2025-01-01' + to_seconds((random() * 31536000)::BIGINT) AS ordered_at, 1000 + range % 250 AS store_id "
      + 'FROM range(20000) ORDER BY 1',
    "CREATE TABLE customers AS SELECT 'Ann' AS first_name, 'Lee' AS last_name, 'Ann Lee' AS full_name, 'Ann_Lee@example.com' AS email",
  ]);
  expect(Object.entries(uniform).filter(([, ok]) => !ok).map(([name]) => name).sort()).toEqual([
    'order_items.quantity ~ Zipf(1.2) on 1..10: mean and standard deviation',
    'order_items.unit_price ~ lognormal(μ 3, σ 0.9) in [0.5, 500]: mean and standard deviation',
    'orders.ordered_at: orders per day of the week follow its weights (Monday = 0)',
    'orders.ordered_at: orders per hour of the day follow its weights',
  ]);
}, 60_000);

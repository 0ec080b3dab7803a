/**
 * What the retail dataset's values must satisfy, stated in SQL and checked by DuckDB from the files alone (the demo's
 * step "values", and the dataset tests): the derived line total recomputed on every row, the moments of the skewed
 * prices and quantities against their truncated distributions' (computed here from the closed forms, not by the
 * engine), order times in file order with their daily and weekly rhythm, and customers whose email is made of their
 * own name, and exactly as many stores and SKUs as declared.
 *
 * Tolerance: a mean within 5 standard errors, a standard deviation within 5 standard errors of the sample standard
 * deviation, a count share within 5 binomial standard deviations (plus one row): a false failure about once in a
 * million checks.
 */
import type { Cell } from '../local-cloud/duckdb';
import type { SqlCheck } from '../local-cloud/integrity';

const Z = 5;

/** The retail example's distributions and rhythms: the one place retail-app.ts and these checks read them from. */
export const RETAIL_VALUES = {
  unitPrice: { min: 0.5, max: 500, fractionDigits: 2, mu: 3, sigma: 0.9 },
  quantity: { min: 1, max: 10, exponent: 1.2 },
  orderedAt: { from: '2025-01-01T00:00:00Z', to: '2025-12-31T23:59:59Z' },
  /** Distinct stores among the orders, and SKUs among the items (distinctValues). */
  stores: 250,
  skus: 20_000,
  /** Orders per hour of the day (UTC): quiet at night, a lunch peak and an evening peak. */
  hourWeights: [2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 11, 13, 11, 9, 8, 8, 9, 11, 13, 12, 9, 6, 3],
  /** Orders per day of the week, Monday first: busier towards the weekend. */
  dayWeights: [10, 10, 10, 11, 13, 16, 14],
} as const;

/** 1 − erf(x) for x ≥ 0, to about 1e-7 relative (a Chebyshev fit of e^{x²} erfc(x), as in Numerical Recipes). */
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(poly);
  return x >= 0 ? value : 2 - value;
}

/** The standard normal distribution function. */
function phi(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

interface Moments {
  readonly mean: number;
  readonly sd: number;
  /** Standard error of the sample standard deviation of n values: √((μ4 − σ⁴) / n) / (2σ). */
  readonly sdError: (n: number) => number;
}

/** Mean, variance and fourth central moment from the first four raw moments. */
function momentsOf(raw: readonly [number, number, number, number]): Moments {
  const [m1, m2, m3, m4] = raw;
  const variance = m2 - m1 * m1;
  const fourth = m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4;
  const sd = Math.sqrt(variance);
  return { mean: m1, sd, sdError: (n) => Math.sqrt(Math.max(0, fourth - variance * variance) / n) / (2 * sd) };
}

/** A lognormal (mu, sigma) truncated to [a, b]: E[X^k | a ≤ X ≤ b] = e^{kμ + k²σ²/2} (Φ(β − kσ) − Φ(α − kσ)) / (Φ(β) − Φ(α)). */
export function truncatedLognormal(mu: number, sigma: number, a: number, b: number): Moments {
  const alpha = (Math.log(a) - mu) / sigma;
  const beta = (Math.log(b) - mu) / sigma;
  const mass = phi(beta) - phi(alpha);
  const raw = [1, 2, 3, 4].map((k) => Math.exp(k * mu + (k * k * sigma * sigma) / 2) * (phi(beta - k * sigma) - phi(alpha - k * sigma)) / mass);
  return momentsOf(raw as [number, number, number, number]);
}

/** Whole numbers min..max with P(min + k) ∝ (k + 1)^-s. */
export function truncatedZipf(exponent: number, min: number, max: number): Moments {
  const weights = Array.from({ length: max - min + 1 }, (_, k) => (k + 1) ** -exponent);
  const total = weights.reduce((a, b) => a + b, 0);
  const raw = [1, 2, 3, 4].map((power) => weights.reduce((sum, w, k) => sum + (w / total) * (min + k) ** power, 0));
  return momentsOf(raw as [number, number, number, number]);
}

const number = (cell: Cell): number => Number(cell ?? NaN);
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** A column's mean and standard deviation against the distribution's. */
function momentsCheck(table: string, column: string, law: string, expected: Moments): SqlCheck {
  return {
    name: `${table}.${column} ~ ${law}: mean and standard deviation`,
    query: `SELECT avg("${column}")::DOUBLE, stddev_pop("${column}")::DOUBLE, count("${column}") FROM "${table}"`,
    judge: ([[mean, sd, count]]) => {
      const n = number(count);
      const meanMargin = (Z * expected.sd) / Math.sqrt(n);
      const sdMargin = Z * expected.sdError(n);
      const ok = n > 0 && Math.abs(number(mean) - expected.mean) <= meanMargin && Math.abs(number(sd) - expected.sd) <= sdMargin;
      return {
        ok,
        observed: `mean ${round(number(mean))} (expected ${round(expected.mean)} ± ${round(meanMargin)}), `
          + `sd ${round(number(sd))} (expected ${round(expected.sd)} ± ${round(sdMargin)}) over ${n} rows`,
      };
    },
  };
}

/** Counts per bucket (hour, weekday) against expected shares, each within Z binomial standard deviations plus one. */
function sharesCheck(name: string, query: string, expectedShares: (bucket: number) => number, buckets: number): SqlCheck {
  return {
    name,
    query,
    judge: (rows) => {
      const counts = new Map(rows.map(([bucket, count]) => [number(bucket), number(count)]));
      const n = [...counts.values()].reduce((a, b) => a + b, 0);
      const off: string[] = [];
      let worst = 0;
      for (let bucket = 0; bucket < buckets; bucket++) {
        const p = expectedShares(bucket);
        const deviation = Math.abs((counts.get(bucket) ?? 0) - n * p);
        const margin = Z * Math.sqrt(n * p * (1 - p)) + 1;
        worst = Math.max(worst, deviation / margin);
        if (deviation > margin) off.push(`${bucket}: ${counts.get(bucket) ?? 0} (expected ${Math.round(n * p)})`);
      }
      return {
        ok: n > 0 && off.length === 0,
        observed: off.length === 0 ? `${buckets} shares over ${n} rows, the farthest at ${Math.round(worst * 100)}% of its margin` : `off: ${off.join(', ')}`,
      };
    },
  };
}

/** Days of each ISO weekday (Monday = 0) in [from, to], whole days. */
function weekdayCounts(from: string, to: string): number[] {
  const counts = new Array<number>(7).fill(0);
  for (let day = Date.parse(from); day <= Date.parse(to); day += 86_400_000) counts[(new Date(day).getUTCDay() + 6) % 7]++;
  return counts;
}

/** The checks of the retail dataset (examples/retail-app.ts). */
export function retailSqlChecks(): SqlCheck[] {
  const { unitPrice, quantity, orderedAt, hourWeights, dayWeights, stores, skus } = RETAIL_VALUES;
  const hourTotal = hourWeights.reduce((a, b) => a + b, 0);
  const days = weekdayCounts(orderedAt.from, orderedAt.to);
  const dayMass = dayWeights.map((w, d) => w * days[d]);
  const dayTotal = dayMass.reduce((a, b) => a + b, 0);
  return [
    {
      name: 'order_items.line_total = quantity × unit_price',
      query: 'SELECT count(*) FILTER (WHERE line_total IS DISTINCT FROM quantity * unit_price), count(*) FROM order_items',
      judge: ([[differ, rows]]) => ({ ok: number(differ) === 0 && number(rows) > 0, observed: `${number(differ)} of ${number(rows)} rows differ` }),
    },
    momentsCheck('order_items', 'unit_price', `lognormal(μ ${unitPrice.mu}, σ ${unitPrice.sigma}) in [${unitPrice.min}, ${unitPrice.max}]`,
      truncatedLognormal(unitPrice.mu, unitPrice.sigma, unitPrice.min, unitPrice.max)),
    momentsCheck('order_items', 'quantity', `Zipf(${quantity.exponent}) on ${quantity.min}..${quantity.max}`,
      truncatedZipf(quantity.exponent, quantity.min, quantity.max)),
    {
      name: 'orders.ordered_at ascending in file order',
      query: 'SELECT count(*) FILTER (WHERE previous > ordered_at), count(*) FROM '
        + '(SELECT ordered_at, lag(ordered_at) OVER (ORDER BY r) AS previous FROM (SELECT ordered_at, row_number() OVER () AS r FROM orders))',
      judge: ([[backwards, rows]]) => ({ ok: number(backwards) === 0 && number(rows) > 0, observed: `${number(backwards)} of ${number(rows)} rows earlier than the row before` }),
    },
    // Every hour of the year's days has the hour weights, whatever the day's weight: hour shares follow them alone.
    sharesCheck('orders.ordered_at: orders per hour of the day follow its weights',
      'SELECT hour(ordered_at), count(*) FROM orders GROUP BY 1', (hour) => hourWeights[hour] / hourTotal, 24),
    sharesCheck('orders.ordered_at: orders per day of the week follow its weights (Monday = 0)',
      'SELECT isodow(ordered_at) - 1, count(*) FROM orders GROUP BY 1', (day) => dayMass[day] / dayTotal, 7),
    {
      name: `exactly ${stores} stores among the orders and ${skus} SKUs among the items (distinctValues)`,
      query: 'SELECT (SELECT count(DISTINCT store_id) FROM orders), (SELECT count(DISTINCT sku) FROM order_items)',
      judge: ([[storesMade, skusMade]]) => ({
        ok: number(storesMade) === stores && number(skusMade) === skus,
        observed: `${number(storesMade)} stores, ${number(skusMade)} SKUs`,
      }),
    },
    {
      name: 'customers: email and full name made of the customer\'s own first and last name',
      // faker's email local part: the first name, or the first name, "." or "_" and the last name; then digits or none.
      query: `WITH names AS (
          SELECT full_name, first_name, last_name, split_part(email, '@', 1) AS local,
            regexp_replace(replace(strip_accents(first_name), ' ', ''), '[^A-Za-z0-9._+-]', '', 'g') AS first,
            regexp_replace(replace(strip_accents(last_name), ' ', ''), '[^A-Za-z0-9._+-]', '', 'g') AS last
          FROM customers),
        rest AS (SELECT *, substr(local, length(first) + 1) AS after FROM names)
        SELECT count(*) FILTER (WHERE NOT (starts_with(local, first) AND (regexp_full_match(after, '[0-9]*')
          OR (substr(after, 1, 1) IN ('.', '_') AND starts_with(substr(after, 2), last) AND regexp_full_match(substr(after, 2 + length(last)), '[0-9]*'))))),
          count(*) FILTER (WHERE strpos(full_name, first_name || ' ' || last_name) = 0),
          count(*)
        FROM rest`,
      judge: ([[emails, fullNames, rows]]) => ({
        ok: number(emails) === 0 && number(fullNames) === 0 && number(rows) > 0,
        observed: `${number(emails)} emails and ${number(fullNames)} full names of ${number(rows)} customers not made of their name`,
      }),
    },
  ];
}

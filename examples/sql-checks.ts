/**
 * The kinds of DuckDB check the examples state their values with (retail-checks.ts, iot-checks.ts), each judged from
 * the files alone: a count of rows that break a rule (0 expected), a column's moments against a law's, and the counts of
 * children per parent against a count law.
 *
 * Tolerance: a mean within 5 standard errors, a standard deviation within 5 standard errors of the sample standard
 * deviation, a share within 5 binomial standard deviations (plus one row), a correlation within 5/√n of 0: a false
 * failure about once in a million checks.
 */
import type { CountLaw, Moments } from './law-moments';
import type { Cell } from '../local-cloud/duckdb';
import type { SqlCheck } from '../local-cloud/integrity';
import { quoted } from '../local-cloud/sql-text';

const Z = 5;

export const numberOf = (cell: Cell): number => Number(cell ?? NaN);
export const rounded = (value: number, digits = 3) => Number(value.toFixed(digits));

/** An ISO-8601 UTC instant as a DuckDB TIMESTAMP literal (to the second). */
export const sqlTimestamp = (iso: string) => `TIMESTAMP '${iso.slice(0, 19).replace('T', ' ')}'`;

/**
 * A rule every row keeps: `query` returns one row of (rows breaking it, rows looked at); passes with 0 of at least one.
 * `what` names the rows that break it ("items whose product name differs from their product's").
 */
export function noneBreak(name: string, query: string, what: string): SqlCheck {
  return {
    name,
    query,
    judge: ([[breaking, rows]]) => ({
      ok: numberOf(breaking) === 0 && numberOf(rows) > 0,
      observed: `${numberOf(breaking)} ${what} of ${numberOf(rows)}`,
    }),
  };
}

/** The mean and standard deviation of `expression` over `source` (a table's name, or a query in parentheses) against a law's. */
export function momentsCheck(name: string, source: string, expression: string, expected: Moments): SqlCheck {
  const from = source.startsWith('(') ? `${source} AS source` : quoted(source);
  return {
    name,
    query: `SELECT avg(x)::DOUBLE, stddev_pop(x)::DOUBLE, count(x) FROM (SELECT (${expression})::DOUBLE AS x FROM ${from})`,
    judge: ([[mean, sd, count]]) => {
      const n = numberOf(count);
      const meanMargin = (Z * expected.sd) / Math.sqrt(n);
      const sdMargin = Z * expected.sdError(n);
      const ok = n > 0 && Math.abs(numberOf(mean) - expected.mean) <= meanMargin && Math.abs(numberOf(sd) - expected.sd) <= sdMargin;
      return {
        ok,
        observed: `mean ${rounded(numberOf(mean))} (expected ${rounded(expected.mean)} ± ${rounded(meanMargin)}), `
          + `sd ${rounded(numberOf(sd))} (expected ${rounded(expected.sd)} ± ${rounded(sdMargin)}) over ${n} values`,
      };
    },
  };
}

/**
 * Each parent's rows in time order in the file: no row of `table` earlier than the row of the same `parent` before it
 * (rows in file order), `what` naming the rows that break it ("readings earlier than their device's reading before").
 */
export function orderedPerParent(name: string, table: string, parent: string, time: string, what: string): SqlCheck {
  return noneBreak(name,
    `SELECT count(*) FILTER (WHERE previous > ${quoted(time)}), count(*) FROM (
        SELECT ${quoted(time)}, lag(${quoted(time)}) OVER (PARTITION BY ${quoted(parent)} ORDER BY r) AS previous
        FROM (SELECT ${quoted(parent)}, ${quoted(time)}, row_number() OVER () AS r FROM ${quoted(table)}))`,
    what);
}

/** Where a parent's children are: the child table and its reference to the parent's key. */
export interface ChildCountsOf {
  readonly parent: string;
  /** One parent row, in words ("customer"). */
  readonly each: string;
  readonly key: string;
  readonly child: string;
  readonly reference: string;
  /** The law, as the reference declares it ("Zipf(1.5) over 0..200"). */
  readonly lawName: string;
  readonly law: CountLaw;
}

/**
 * Children per parent, every parent counted (zero included), in the parent file's order: their mean within 5 standard
 * errors of the law's, the share of parents with the law's least count within 5 binomial standard deviations of its
 * probability, every count within the law's bounds, and the lag-1 correlation of consecutive parents' counts within 5/√n
 * of 0 (counts drawn independently, not paired).
 */
export function countLawCheck(of: ChildCountsOf): SqlCheck {
  const { law } = of;
  const max = law.min + law.probabilities.length - 1;
  return {
    name: `${of.child} per ${of.each}: ${of.lawName}, drawn independently per ${of.each}`,
    query: `WITH parents AS (SELECT ${quoted(of.key)} AS k, row_number() OVER () AS r FROM ${quoted(of.parent)}),
        counted AS (SELECT ${quoted(of.reference)} AS k, count(*) AS n FROM ${quoted(of.child)} GROUP BY 1),
        counts AS (SELECT r, coalesce(n, 0)::DOUBLE AS n FROM parents LEFT JOIN counted USING (k)),
        pairs AS (SELECT n, lag(n) OVER (ORDER BY r) AS previous FROM counts)
      SELECT avg(n), count(*), count(*) FILTER (WHERE n = ${law.min}), min(n), max(n), corr(n, previous) FROM pairs`,
    judge: ([[mean, count, least, lowest, highest, lag1]]) => {
      const n = numberOf(count);
      const meanMargin = (Z * law.sd) / Math.sqrt(n);
      const p = law.probabilities[0];
      const leastMargin = Z * Math.sqrt(n * p * (1 - p)) + 1;
      const lagMargin = Z / Math.sqrt(n);
      const ok = n > 1
        && Math.abs(numberOf(mean) - law.mean) <= meanMargin
        && Math.abs(numberOf(least) - n * p) <= leastMargin
        && numberOf(lowest) >= law.min && numberOf(highest) <= max
        && Math.abs(numberOf(lag1)) <= lagMargin;
      return {
        ok,
        observed: `${n} parents: mean ${rounded(numberOf(mean))} (expected ${rounded(law.mean)} ± ${rounded(meanMargin)}), `
          + `${numberOf(least)} with ${law.min} (expected ${Math.round(n * p)} ± ${Math.round(leastMargin)}), `
          + `${numberOf(lowest)} to ${numberOf(highest)} (declared ${law.min} to ${max}), `
          + `lag-1 correlation ${rounded(numberOf(lag1))} (expected 0 ± ${rounded(lagMargin)})`,
      };
    },
  };
}

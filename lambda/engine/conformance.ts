/**
 * The spec-conformance report: per column, what the schema declares beside what the engine observed making the
 * object's cells (null share, distinct values, range, a list's weights, foreign-key integrity, children per parent),
 * each with pass or fail under a stated tolerance. New column kinds add their checks here.
 *
 * Tolerance: a share (nulls, a list value) passes unless the Chernoff bound puts its count's probability below 5.7e-7
 * (what 5 standard deviations leave of a normal: a false failure about once in 1.7 million checks, at any row count);
 * a distinct count estimated by HyperLogLog (1.6% standard error) within 8% of its expectation plus 5 standard
 * deviations of the count; one counted exactly within 5 standard deviations; bounds, integrity and children per parent
 * hold exactly.
 */
import type { DatasetTableRef } from './compiled-table';
import type { DerivedRecheck } from './derived-recheck';
import { MAX_SEEN_VALUES, type DistinctCounter, type Observed } from './distinct-counters';
import type { LookupRecheck } from './lookup-recheck';
import { cycleHolds } from './series-cycles';
import type { SeriesRecheck, SeriesValueRecheck } from './series-recheck';
import { distributionChecks, judgesDistinct, SHAPE_TOLERANCE, timeLayoutChecks, type ShapeCheckKind } from './shape-checks';
import { childCountKey, childLayoutOf, countLawOf, type ChildLayout } from '../../src/contract/child-counts';
import type { ColumnDocument } from '../../src/contract/column-documents';
import { resolveReference } from '../../src/contract/dataset-document';
import { decimalSteps } from '../../src/contract/decimal';
import { LAG_UNIT_MS, lagColumnOf } from '../../src/contract/lags';

export type CheckKind = 'nullShare' | 'distinct' | 'range' | 'weights' | 'foreignKey' | 'childrenPerParent' | 'derived' | 'lookup' | 'after' | 'childrenMean' | 'childrenLag1' | 'seriesOrder' | 'seriesLag1' | 'seriesCycle' | ShapeCheckKind;

export interface ConformanceCheck {
  /** The table, for a dataset of several. */
  readonly table?: string;
  readonly column: string;
  readonly check: CheckKind;
  readonly declared: string;
  readonly observed: string;
  readonly pass: boolean;
}

export interface ConformanceSummary {
  readonly checks: number;
  readonly failed: number;
}

/** The tolerances, as the report states them. */
export const CONFORMANCE_TOLERANCE = 'shares unless their Chernoff bound is below 5.7e-7 (5 standard deviations); '
  + 'distinct counts within 5 standard deviations (plus 8% when estimated by HyperLogLog); bounds, foreign keys and children per parent exactly; '
  + SHAPE_TOLERANCE + '; '
  + 'derived columns recomputed on a sample of rows by an independent interpreter, exactly (no mismatch); '
  + 'looked-up values equal to the parent\'s at the row the written key names, on a sample of rows (no mismatch); '
  + 'lags within their bounds exactly; a count law\'s mean within 5 standard errors and its lag-1 correlation within 5/√n of 0; '
  + 'series in order within their span on a sample of rows exactly, their lag-1 autocorrelation within 5 standard errors plus 0.05, '
  + 'a cycle\'s amplitude within 5 standard errors plus 2% and its peak within 5 standard errors plus 1% of its period';

/** The chance of a false failure the share checks allow: that of 5 standard deviations of a normal, two-sided. */
const FALSE_FAILURE = 5.7e-7;
const FALSE_FAILURE_LOG = -Math.log(FALSE_FAILURE);
/** The exactly counted distinct values pass within Z standard deviations of their expectation. */
const Z = 5;
/** Slack of the estimated distinct counts, in values, for the few values where 8% is less than one. */
const SKETCH_SLACK = 2;
const SKETCH_TOLERANCE = 0.08;
/** A value expected this many times or more is certain enough to appear (P(absent) < e^-30). */
const SURE_COUNT = 30;

export interface ObservedObject {
  readonly columns: readonly ColumnDocument[];
  readonly rows: number;
  readonly nulls: Float64Array;
  readonly counters: readonly DistinctCounter[];
  /** Where the object's rows lie in its table, to know whether a parent's first and last children were all made here. */
  readonly firstRow: number;
  readonly tableRows?: number;
  readonly dataset?: DatasetTableRef;
  /** Per derived column, its recomputation on a sample of the object's rows (derived.ts). */
  readonly derived?: ReadonlyArray<DerivedRecheck | undefined>;
  /** Per lookup column, its comparison with the parent named by the written keys on a sample of rows (lookup-recheck.ts). */
  readonly lookups?: ReadonlyArray<LookupRecheck | undefined>;
  /** Per seriesTime column, its order and span on a sample of rows (series-recheck.ts). */
  readonly series?: ReadonlyArray<SeriesRecheck | SeriesValueRecheck | undefined>;
}

function percent(share: number): string {
  return `${Math.round(share * 1e4) / 100}%`;
}

/**
 * Whether `observed` of `n` is a plausible count of a share p: it fails when the Chernoff bound puts the probability of
 * a count at least that far from n·p below FALSE_FAILURE (what 5 standard deviations leave of a normal), a bound that
 * holds for any n, where the normal approximation fails a few rows of a rare share. Exact at 0 and 1. `margin` is the
 * normal approximation of the same tolerance, for the report.
 */
function shareWithin(observed: number, n: number, p: number): { pass: boolean; margin: number } {
  if (n === 0) return { pass: true, margin: 0 };
  if (p <= 0) return { pass: observed === 0, margin: 0 };
  if (p >= 1) return { pass: observed === n, margin: 0 };
  const q = observed / n;
  const term = (a: number, b: number) => (a === 0 ? 0 : a * Math.log(a / b));
  const divergence = term(q, p) + term(1 - q, 1 - p);
  return { pass: n * divergence <= FALSE_FAILURE_LOG, margin: Math.sqrt((2 * FALSE_FAILURE_LOG * p * (1 - p)) / n) };
}

/** Expected distinct values of n uniform draws from `span` values, and their standard deviation (occupancy). */
function expectedDistinct(span: number, n: number): number {
  if (n === 0) return 0;
  return span === 1 ? 1 : span * -Math.expm1(n * Math.log1p(-1 / span));
}

function distinctDeviation(span: number, n: number): number {
  const empty = Math.exp(-n / span);
  return Math.sqrt(Math.max(0, span * empty * (1 - (1 + n / span) * empty)));
}

/** Above this many parents the skewed expectation is not summed (it takes a term per parent). */
const MAX_SUMMED_PARENTS = 1_000_000;

/**
 * Expected distinct parents of n references drawn by the skewed choice of references.ts (rank k with the probability
 * the rounded-down continuous power law gives it), summed over the parents.
 */
function expectedSkewedDistinct(parents: number, skew: number, n: number): { expected: number; deviation: number } {
  if (n === 0) return { expected: 0, deviation: 0 };
  const oneMinus = 1 - skew;
  const log = Math.abs(oneMinus) < 1e-9;
  const total = log ? Math.log(parents + 1) : (parents + 1) ** oneMinus - 1;
  let expected = 0;
  // The parents' indicators are negatively correlated: the sum of their variances bounds the count's variance.
  let variance = 0;
  for (let k = 0; k < parents; k++) {
    const p = log ? Math.log((k + 2) / (k + 1)) / total : ((k + 2) ** oneMinus - (k + 1) ** oneMinus) / total;
    const reached = -Math.expm1(n * Math.log1p(-p));
    expected += reached;
    variance += reached * (1 - reached);
  }
  return { expected, deviation: Math.sqrt(variance) };
}

/**
 * A column with distinctValues N (exact-distinct.ts): `rows` contiguous rows hold min(N, rows) values, each row's value
 * null with the declared share p apart. Of the N values, `rows mod N` appear q + 1 times and the others q times
 * (q = floor(rows / N)); a value is missing only when all its cells are null, independently of the others.
 */
function distinctValuesCheck(n: number, rows: number, p: number, distinct: number, exact: boolean): { declared: string; pass: boolean } {
  const q = Math.floor(rows / n);
  const rest = rows - q * n;
  const values = Math.min(n, rows);
  if (p === 0) {
    const declared = `exactly ${values} (distinctValues ${n})`;
    return exact ? { declared, pass: distinct === values } : { declared: `${declared} ± 8%`, pass: estimateWithin(distinct, values, 0) };
  }
  const reached = (times: number) => (times === 0 ? 0 : 1 - p ** times);
  const expected = rest * reached(q + 1) + (n - rest) * reached(q);
  const variance = rest * reached(q + 1) * (1 - reached(q + 1)) + (n - rest) * reached(q) * (1 - reached(q));
  const deviation = Math.sqrt(variance);
  if (exact) {
    const margin = Z * deviation + 1;
    return {
      declared: `about ${Math.round(expected)} ± ${Math.round(margin)} of ${values} (distinctValues ${n}, some only in null cells)`,
      pass: distinct <= values && Math.abs(distinct - expected) <= margin,
    };
  }
  return {
    declared: `about ${Math.round(expected)} ± 8% of ${values} (distinctValues ${n}, some only in null cells)`,
    pass: estimateWithin(distinct, expected, deviation),
  };
}

/** Whether an estimated distinct count is its expectation, within the sketch's 8%, Z standard deviations of the count, and a little slack. */
function estimateWithin(distinct: number, expected: number, deviation: number): boolean {
  return Math.abs(distinct - expected) <= SKETCH_TOLERANCE * expected + Z * deviation + SKETCH_SLACK;
}

export function conformanceChecks(object: ObservedObject): ConformanceCheck[] {
  const checks: ConformanceCheck[] = [];
  const table = object.dataset?.table;
  object.columns.forEach((column, c) => {
    const add = (check: CheckKind, declared: string, observed: string, pass: boolean) => {
      checks.push({ ...(table === undefined ? {} : { table }), column: column.name, check, declared, observed, pass });
    };
    const n = object.rows;
    const nulls = object.nulls[c] ?? 0;
    const declaredNull = (column.nullPercent ?? 0) / 100;
    const lookup = object.lookups?.[c];
    if (lookup !== undefined) {
      // A looked-up value is its parent's: its nulls, range and distinct values are the parent's, judged there.
      add('lookup', `every sampled value equal to ${lookup.parent} at the parent row the written key names`,
        `${lookup.mismatches} mismatches in ${lookup.rows} rows (every ${lookup.every})`, lookup.mismatches === 0);
      return;
    }
    const series = object.series?.[c];
    if (series !== undefined && 'pairs' in series) {
      if (series.pairs < 30) return;
      const show = (x: number) => x.toFixed(3);
      add('seriesLag1', `lag-1 autocorrelation within each ${(column as { reference: string }).reference} ${show(series.expected)} ± ${show(series.margin)} `
        + '(declared drift, seasonality and noise at the rows\' time steps)', `${show(series.observed)} over ${series.pairs} pairs`,
      Math.abs(series.observed - series.expected) <= series.margin);
      for (const fit of series.cycles ?? []) {
        const { cycle } = fit;
        const clock = (days: number) => (days - cycle.originDays + cycle.periodDays) % cycle.periodDays;
        const peak = (days: number) => (cycle.name === 'daily' ? `${(clock(days) * 24).toFixed(2)} h UTC` : `day ${clock(days).toFixed(2)} from Monday`);
        const margin = cycle.name === 'daily' ? `${(fit.peakMargin * 24).toFixed(2)} h` : `${fit.peakMargin.toFixed(2)} days`;
        add('seriesCycle', `${cycle.name} amplitude ${show(cycle.amplitude)} ± ${show(fit.amplitudeMargin)}, peak at ${peak(cycle.peakDays)} ± ${margin}`,
          `amplitude ${show(fit.amplitude)}, peak at ${peak(fit.peakDays)} over ${series.pairs} pairs`, cycleHolds(fit));
      }
      return;
    }
    if (series !== undefined && column.type === 'seriesTime') {
      // Null only where its start is: nullShare judges nothing declared here.
      add('seriesOrder', `each ${column.reference}'s children ascending in time within its span (${column.start ?? column.from} to ${column.to})`,
        `${series.outOfOrder} out of order, ${series.outOfSpan} outside the span in ${series.rows} rows (every ${series.every})`,
        series.outOfOrder === 0 && series.outOfSpan === 0);
      return;
    }
    const recheck = object.derived?.[c];
    if (recheck !== undefined) {
      add('derived', 'every recomputed row equal', `${recheck.mismatches} mismatches in ${recheck.rows} rows (every ${recheck.every})`, recheck.mismatches === 0);
    }
    const nullShare = shareWithin(nulls, n, declaredNull);
    if (column.type === 'timestampAfter') {
      // Null where the timestamp it follows is, on top of its own share: the declared share is a floor.
      add('nullShare', `at least ${percent(declaredNull)} (and where ${column.after} is null)`, `${percent(n === 0 ? 0 : nulls / n)} (${nulls} of ${n})`,
        nullShare.pass || nulls / n > declaredNull);
      const seen = object.counters[c]?.observed?.() ?? {};
      if (n === 0 || seen.min === undefined || seen.max === undefined) return;
      const lagColumn = lagColumnOf(column);
      const unitMs = LAG_UNIT_MS[column.unit];
      add('after', `every value ${column.minLag} to ${column.maxLag} ${column.unit} after ${column.after}, never before it`,
        `lags from ${seen.min / unitMs} to ${seen.max / unitMs} ${column.unit}`, seen.min >= lagColumn.min && seen.max <= lagColumn.max);
      // The lags' mean and standard deviation against the declared law, in milliseconds.
      distributionChecks(lagColumn, seen, n - nulls, 0).filter((shape) => shape.check === 'mean' || shape.check === 'standardDeviation')
        .forEach((shape) => add(shape.check, `lag in ms: ${shape.declared}`, shape.observed, shape.pass));
      return;
    }
    if (recheck?.nullable === true) {
      // Null operands add nulls to the declared share: it is a floor.
      add('nullShare', `at least ${percent(declaredNull)} (and where an operand is null)`, `${percent(n === 0 ? 0 : nulls / n)} (${nulls} of ${n})`,
        nullShare.pass || nulls / n > declaredNull);
      return;
    }
    add('nullShare', `${percent(declaredNull)}${nullShare.margin > 0 ? ` ± ${percent(nullShare.margin)}` : ''}`,
      `${percent(n === 0 ? 0 : nulls / n)} (${nulls} of ${n})`, nullShare.pass);
    const counter = object.counters[c];
    if (!counter || n === 0) return;
    const made = n - nulls;
    const distinct = counter.estimate(made);
    const seen = counter.observed?.() ?? {};
    const distinctValues = 'distinctValues' in column ? column.distinctValues : undefined;
    if (distinctValues !== undefined) {
      const exact = distinctValues <= MAX_SEEN_VALUES;
      const { declared, pass } = distinctValuesCheck(distinctValues, n, declaredNull, distinct, exact);
      add('distinct', declared, `${distinct}${exact ? '' : ' (estimated)'}`, pass);
    }
    switch (column.type) {
      case 'oneOf': {
        // A value listed twice is one value, with the weights of both.
        const weights = new Map<number, number>();
        column.values.forEach((value, i) => {
          const first = column.values.indexOf(value);
          weights.set(first, (weights.get(first) ?? 0) + (column.weights?.[i] ?? 1));
        });
        const total = [...weights.values()].reduce((a, b) => a + b, 0);
        const possible = [...weights.values()].filter((w) => w > 0).length;
        const sure = [...weights.values()].every((w) => w === 0 || (made * w) / total >= SURE_COUNT);
        add('distinct', sure ? `${possible}` : `at most ${possible}`, `${distinct}`, sure ? distinct === possible : distinct <= possible);
        if (seen.counts && made > 0) {
          const off = [...weights].filter(([i, w]) => !shareWithin(seen.counts![i], made, w / total).pass);
          add('weights', column.weights ? `shares ${[...weights.values()].map((w) => percent(w / total)).join(', ')}` : `uniform over ${possible}`,
            off.length === 0 ? 'every share within tolerance'
              : `off: ${off.map(([i]) => `${column.values[i]} ${percent(seen.counts![i] / made)}`).join(', ')}`,
            off.length === 0);
        }
        return;
      }
      case 'integer':
      case 'decimal':
      case 'timestamp': {
        const [low, high, show] = boundsOf(column);
        if (seen.min !== undefined && seen.max !== undefined) {
          add('range', `${show(low)} to ${show(high)}`, `${show(seen.min)} to ${show(seen.max)}`, seen.min >= low && seen.max <= high);
        }
        // Exactly N values, judged above; a declared distribution or time layout has checks of its own, its distinct count among them.
        if (distinctValues !== undefined) return;
        const shaped = column.type === 'timestamp'
          ? timeLayoutChecks(column, seen, made, distinct, { firstRow: object.firstRow, rows: n, tableRows: object.tableRows }, shareWithin)
          : column.distribution === undefined ? [] : distributionChecks(column, seen, made, distinct);
        shaped.forEach((shape) => add(shape.check, shape.declared, shape.observed, shape.pass));
        if (judgesDistinct(column)) return;
        const span = high - low + 1;
        const expected = expectedDistinct(span, made);
        if (column.type !== 'timestamp' && span <= 65_536) {
          // Counted exactly: within Z standard deviations of the occupancy expectation (all values, once certain).
          const margin = Z * distinctDeviation(span, made) + 1;
          const sure = made / span >= SURE_COUNT;
          add('distinct', sure ? `${span}` : `about ${Math.round(expected)} ± ${Math.round(margin)}`, `${distinct}`,
            sure ? distinct === span : Math.abs(distinct - expected) <= margin);
        } else {
          add('distinct', `about ${Math.round(expected)} ± 8%`, `${distinct} (estimated)`, estimateWithin(distinct, expected, distinctDeviation(span, made)));
        }
        return;
      }
      case 'reference': {
        if (object.dataset === undefined) return;
        const parentRows = resolveReference(object.dataset.document, column).parentTable.rows;
        const where = `${column.table}.${column.column}`;
        if (seen.min !== undefined && seen.max !== undefined) {
          add('foreignKey', `every key is a row of ${where} (rows 0 to ${parentRows - 1})`,
            `parent rows ${seen.min} to ${seen.max} of ${made} references`, seen.min >= 0 && seen.max <= parentRows - 1 && Number.isInteger(seen.min));
        }
        const countLaw = column.children === undefined ? undefined : countLawOf(column.children);
        const law = countLaw === undefined ? undefined
          : childLayoutOf(parentRows, column.children!, childCountKey(object.dataset.table, column.name));
        if (column.children) {
          // With a law, only the parents drawn with children have any.
          const parentsWithChildren = law?.parentsWithChildren ?? parentRows;
          if (seen.children) checks.push(childrenCheck(object, column.name, column.children, seen.children, parentsWithChildren, table));
          if (law !== undefined && seen.min !== undefined && seen.max !== undefined) {
            countLawChecks(law, countLaw!.kind, seen.min, seen.max)
              .forEach((check) => add(check.check, check.declared, check.observed, check.pass));
          }
        } else if (column.skew === undefined) {
          const expected = expectedDistinct(parentRows, made);
          add('distinct', `about ${Math.round(expected)} parents ± 8% (uniform)`, `${distinct} (estimated)`,
            estimateWithin(distinct, expected, distinctDeviation(parentRows, made)));
        } else if (parentRows <= MAX_SUMMED_PARENTS) {
          // The skew shows in how few parents the references reach: far fewer than a uniform choice would.
          const { expected, deviation } = expectedSkewedDistinct(parentRows, column.skew, made);
          add('distinct', `about ${Math.round(expected)} parents ± ${Math.round(SKETCH_TOLERANCE * expected + Z * deviation)} `
            + `(Zipf ${column.skew}; uniform would reach ${Math.round(expectedDistinct(parentRows, made))})`,
          `${distinct} (estimated)`, estimateWithin(distinct, expected, deviation));
        }
        return;
      }
      default:
        return;
    }
  });
  return checks;
}

/** At most this many parents' counts are judged per object (the first ones it covers). */
const MAX_JUDGED_PARENTS = 1_000_000;

/**
 * The counts of the parents an object's rows belong to (first to last), as the layout drew them: their mean against
 * the law's (5 standard errors) and their lag-1 correlation against 0 (5 / √n): consecutive parents independent.
 */
function countLawChecks(
  law: ChildLayout, kind: string, first: number, last: number,
): Array<{ check: CheckKind; declared: string; observed: string; pass: boolean }> {
  const n = Math.min(last - first + 1, MAX_JUDGED_PARENTS);
  if (n < 30) return [];
  let sum = 0;
  for (let p = first; p < first + n; p++) sum += law.countOf(p);
  const mean = sum / n;
  let squares = 0;
  let products = 0;
  let previous = law.countOf(first) - mean;
  squares += previous * previous;
  for (let p = first + 1; p < first + n; p++) {
    const deviation = law.countOf(p) - mean;
    squares += deviation * deviation;
    products += previous * deviation;
    previous = deviation;
  }
  const lag1 = squares === 0 ? 0 : products / squares;
  const meanMargin = (Z * Math.sqrt(law.variance)) / Math.sqrt(n) + 1e-9;
  const lagMargin = Z / Math.sqrt(n);
  const show = (x: number) => x.toPrecision(4);
  return [
    {
      check: 'childrenMean',
      declared: `${show(law.mean)} ± ${show(meanMargin)} children per parent (${kind})`,
      observed: `${show(mean)} over ${n} parents`,
      pass: Math.abs(mean - law.mean) <= meanMargin,
    },
    { check: 'childrenLag1', declared: `0 ± ${show(lagMargin)} (consecutive parents' counts independent)`, observed: show(lag1), pass: Math.abs(lag1) <= lagMargin },
  ];
}

function childrenCheck(
  object: ObservedObject, column: string, declared: { min: number; max: number },
  runs: NonNullable<Observed['children']>, parentRows: number, table: string | undefined,
): ConformanceCheck {
  // A run at the object's edge is a parent's every child only where the table starts or ends there.
  const startsTable = object.firstRow === 0;
  const endsTable = object.tableRows !== undefined && object.firstRow + object.rows === object.tableRows;
  const lengths: number[] = [];
  if (runs.closedRuns > 0) lengths.push(runs.min, runs.max);
  if (runs.oneRun) {
    if (startsTable && endsTable) lengths.push(runs.firstRun);
  } else {
    if (startsTable) lengths.push(runs.firstRun);
    if (endsTable) lengths.push(runs.lastRun);
  }
  const parents = runs.closedRuns + (runs.oneRun ? (startsTable && endsTable ? 1 : 0) : (startsTable ? 1 : 0) + (endsTable ? 1 : 0));
  const min = Math.min(...lengths);
  const max = Math.max(...lengths);
  const whole = startsTable && endsTable;
  const pass = parents === 0 || (min >= declared.min && max <= declared.max && (!whole || parents === parentRows));
  return {
    ...(table === undefined ? {} : { table }),
    column,
    check: 'childrenPerParent',
    declared: `${declared.min} to ${declared.max} per parent${whole ? `, all ${parentRows} parents` : ''}`,
    observed: parents === 0 ? 'no parent wholly in this object' : `${min} to ${max} over ${parents} parents`,
    pass,
  };
}

/** A number column's declared bounds in the engine's units, and how to show them. */
function boundsOf(column: ColumnDocument): [number, number, (value: number) => string] {
  switch (column.type) {
    case 'integer':
      return [column.min, column.max, String];
    case 'decimal': {
      const { low, high } = decimalSteps(column.min, column.max, column.fractionDigits);
      const scale = 10 ** column.fractionDigits;
      return [low, high, (value) => (value / scale).toFixed(column.fractionDigits)];
    }
    case 'timestamp':
      return [Date.parse(column.from), Date.parse(column.to), (value) => new Date(value).toISOString()];
    default:
      throw new Error(`column ${column.name} has no bounds: a bug`);
  }
}

export function summarize(checks: readonly ConformanceCheck[]): ConformanceSummary {
  return { checks: checks.length, failed: checks.filter((check) => !check.pass).length };
}

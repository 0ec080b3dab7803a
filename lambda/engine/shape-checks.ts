/**
 * The conformance checks of a column's declared shape (conformance.ts calls them): a numeric distribution's mean and
 * standard deviation, an ascending timestamp's order, the shares of the hours and days a timestamp's weights declare,
 * and the distinct count those shapes lead to.
 *
 * Tolerances: the mean within 5 standard errors (σ/√n) and the standard deviation within 5 of its own (√((μ4 − σ⁴)/(4σ²n)),
 * the fourth central moment computed like the rest), each plus the expectation's numeric integration error, and checked
 * from 100 values on; the order exactly; the hour and day shares as every share (Chernoff, 5 standard deviations).
 */
import type { Observed } from './distinct-counters';
import {
  compileDistribution, expectedValues, numericLayout, type ExpectedValues, type NumericLayout,
} from './distributions';
import { expectedHourOfWeekShares } from './time-order';
import type { DecimalColumnDocument, IntegerColumnDocument, TimestampColumnDocument } from '../../src/contract/column-documents';
import { WEEK_HOURS, msPerHourOfWeek, weekWeights } from '../../src/contract/distributions';

export type ShapeCheckKind = 'mean' | 'standardDeviation' | 'ordering' | 'hourOfDay' | 'dayOfWeek';

export interface ShapeCheck {
  readonly check: ShapeCheckKind | 'distinct';
  readonly declared: string;
  readonly observed: string;
  readonly pass: boolean;
}

/** The tolerances of these checks, as the report states them. */
export const SHAPE_TOLERANCE = 'means and standard deviations within 5 standard errors plus the expectation\'s integration error '
  + '(from 100 values on); ascending order exactly; hour-of-day and day-of-week shares as any share';

const Z = 5;
/** Below this many values the moments' normal approximation is too rough to judge by. */
export const MIN_MOMENT_VALUES = 100;

/** A share check (conformance.ts's shareWithin), passed in. */
export type ShareWithin = (observed: number, n: number, p: number) => { pass: boolean; margin: number };

const expectations = new WeakMap<object, { layout: NumericLayout; expected: ExpectedValues }>();

/** What a numeric column with a distribution is expected to make, computed once per column document. */
export function expectationOf(column: IntegerColumnDocument | DecimalColumnDocument): { layout: NumericLayout; expected: ExpectedValues } {
  let known = expectations.get(column);
  if (known === undefined) {
    const layout = numericLayout(column);
    const distribution = column.distribution ?? { kind: 'uniform' };
    const compiled = distribution.kind === 'uniform'
      ? {
        sample: (u: number) => layout.low + Math.min(layout.high - layout.low, Math.floor(u * (layout.high - layout.low + 1))),
        probability: () => 1,
      }
      : compileDistribution(distribution, layout);
    known = { layout, expected: expectedValues(compiled, layout) };
    expectations.set(column, known);
  }
  return known;
}

/** Mean and standard deviation of a numeric column with a distribution, and its distinct count where it is not uniform. */
export function distributionChecks(
  column: IntegerColumnDocument | DecimalColumnDocument, seen: Observed, made: number, distinct: number,
): ShapeCheck[] {
  const checks: ShapeCheck[] = [];
  const { layout, expected } = expectationOf(column);
  const show = (steps: number) => (steps / layout.scale).toPrecision(6);
  const name = column.distribution!.kind;
  const moments = seen.moments;
  if (moments !== undefined && moments.count >= MIN_MOMENT_VALUES) {
    const n = moments.count;
    const mean = moments.center + moments.sum / n;
    const deviation = Math.sqrt(Math.max(0, (moments.sumSquares - (moments.sum * moments.sum) / n) / (n - 1)));
    const expectedMean = layout.low + expected.mean;
    const sigma = expected.standardDeviation;
    const meanMargin = (Z * sigma) / Math.sqrt(n) + expected.meanError;
    const deviationMargin = sigma === 0 ? expected.deviationError
      : Z * Math.sqrt(Math.max(0, expected.fourthMoment - sigma ** 4) / (4 * sigma * sigma * n)) + expected.deviationError;
    // A single possible value: both exact (up to the sums' rounding).
    const slack = 1e-9 * (Math.abs(expectedMean) + 1);
    checks.push({
      check: 'mean',
      declared: `${show(expectedMean)} ± ${show(meanMargin)} (${name})`,
      observed: show(mean),
      pass: Math.abs(mean - expectedMean) <= meanMargin + slack,
    });
    checks.push({
      check: 'standardDeviation',
      declared: `${show(sigma)} ± ${show(deviationMargin)} (${name})`,
      observed: show(deviation),
      pass: Math.abs(deviation - sigma) <= deviationMargin + Math.sqrt(slack),
    });
  }
  const { probabilities } = expected;
  if (column.distribution!.kind !== 'uniform' && probabilities !== undefined) {
    // Counted exactly: each value is reached with probability 1 − (1 − p)^n; the indicators' variances bound the count's.
    let mean = 0;
    let variance = 0;
    for (const p of probabilities) {
      const reached = p <= 0 ? 0 : -Math.expm1(made * Math.log1p(-p));
      mean += reached;
      variance += reached * (1 - reached);
    }
    const margin = Z * Math.sqrt(variance) + 1;
    checks.push({
      check: 'distinct',
      declared: `about ${Math.round(mean)} ± ${Math.round(margin)} (${name})`,
      observed: `${distinct}`,
      pass: Math.abs(distinct - mean) <= margin,
    });
  }
  return checks;
}

/** Whether a numeric column's distinct count is judged here rather than as a uniform range's. */
export function judgesDistinct(column: IntegerColumnDocument | DecimalColumnDocument | TimestampColumnDocument): boolean {
  if (column.type === 'timestamp') return isLaidOut(column);
  return column.distribution !== undefined && column.distribution.kind !== 'uniform';
}

function isLaidOut(column: TimestampColumnDocument): boolean {
  return column.order === 'ascending' || column.hourWeights !== undefined || column.dayWeights !== undefined;
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * An ordered or weighted timestamp column's checks. `rows` are the object's rows from `firstRow`, of a table of
 * `tableRows` (unknown: the shares of an ascending column, which depend on where the rows are, are not checked).
 */
export function timeLayoutChecks(
  column: TimestampColumnDocument, seen: Observed, made: number, distinct: number,
  where: { firstRow: number; rows: number; tableRows?: number }, shareWithin: ShareWithin,
): ShapeCheck[] {
  if (!isLaidOut(column)) return [];
  const checks: ShapeCheck[] = [];
  const ascending = column.order === 'ascending';
  if (ascending && seen.ordering !== undefined) {
    const { ordered, first, last } = seen.ordering;
    checks.push({
      check: 'ordering',
      declared: 'ascending: no value below the one before it, in row order',
      observed: ordered ? `ascending from ${new Date(first).toISOString()} to ${new Date(last).toISOString()}` : 'a value below the one before it',
      pass: ordered,
    });
  }
  const hours = seen.hoursOfWeek;
  const { tableRows } = where;
  if (hours !== undefined && made > 0 && (!ascending || tableRows !== undefined)) {
    const [x0, x1] = ascending ? [where.firstRow / tableRows!, Math.min(1, (where.firstRow + where.rows) / tableRows!)] : [0, 1];
    const shares = expectedHourOfWeekShares(column, x0, x1);
    const fold = (values: ArrayLike<number>, groups: number, groupOf: (h: number) => number) => {
      const out = new Float64Array(groups);
      for (let h = 0; h < WEEK_HOURS; h++) out[groupOf(h)] += values[h];
      return out;
    };
    const shareCheck = (check: 'hourOfDay' | 'dayOfWeek', labels: string[], groupOf: (h: number) => number) => {
      const expectedShares = fold(shares, labels.length, groupOf);
      const counts = fold(hours, labels.length, groupOf);
      const off = labels.filter((_, i) => !shareWithin(counts[i], made, expectedShares[i]).pass);
      checks.push({
        check,
        declared: `shares ${labels.map((label, i) => `${label} ${percent(expectedShares[i])}`).join(', ')}`,
        observed: off.length === 0 ? 'every share within tolerance'
          : `off: ${off.map((label) => `${label} ${percent(counts[labels.indexOf(label)] / made)}`).join(', ')}`,
        pass: off.length === 0,
      });
    };
    if (column.hourWeights !== undefined) shareCheck('hourOfDay', Array.from({ length: 24 }, (_, h) => `${h}h`), (h) => h % 24);
    if (column.dayWeights !== undefined) shareCheck('dayOfWeek', DAYS, (h) => Math.floor(h / 24));
  }
  if (!ascending && made > 0) {
    // Each millisecond of an hour of the week is as likely as the others: the expected distinct count sums over the hours.
    const weights = weekWeights(column.hourWeights, column.dayWeights);
    const ms = msPerHourOfWeek(Date.parse(column.from), Date.parse(column.to) + 1);
    let total = 0;
    for (let h = 0; h < WEEK_HOURS; h++) total += ms[h] * weights[h];
    let expected = 0;
    let variance = 0;
    for (let h = 0; h < WEEK_HOURS; h++) {
      if (ms[h] === 0 || weights[h] === 0) continue;
      const reached = -Math.expm1(made * Math.log1p(-weights[h] / total));
      expected += ms[h] * reached;
      variance += ms[h] * reached * (1 - reached);
    }
    const margin = 0.08 * expected + Z * Math.sqrt(variance) + 2;
    checks.push({
      check: 'distinct',
      declared: `about ${Math.round(expected)} ± 8% (weighted hours)`,
      observed: `${distinct} (estimated)`,
      pass: Math.abs(distinct - expected) <= margin,
    });
  }
  return checks;
}

function percent(share: number): string {
  return `${Math.round(share * 1e4) / 100}%`;
}

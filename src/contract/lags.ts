/**
 * Time after another: a `timestampAfter` column is a timestamp of its row (its own, or looked up from a parent) plus a
 * lag of at least `minLag` (0 or more) and at most `maxLag` units, drawn from a distribution (uniform by default), so it
 * is never before it: shipped 2 to 72 hours after ordering, a first reading minutes after installation.
 *
 * The lag is drawn as a whole number of milliseconds by the same truncated laws as a number column
 * (distributions.ts), the law's parameters scaled from the column's unit to milliseconds (lagColumnOf): what the engine
 * samples and what the conformance report judges the observed lags against.
 */
import type { ColumnDocument, IntegerColumnDocument, TimestampAfterColumnDocument } from './column-documents';
import { validateDistribution, type DistributionDocument } from './distributions';
import { describeValue, fail, InvalidInputError } from './errors';

export type LagUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export const LAG_UNIT_MS: Readonly<Record<LagUnit, number>> = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

export const LAG_LIMITS = {
  /** The longest lag: 100 years of 365.25 days, in milliseconds. */
  maxLagMs: 100 * 365.25 * 86_400_000,
} as const;

function requireNumber(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, value, 'expected a finite number');
  return value;
}

/** Validates a `timestampAfter` column's own options; whether `after` names a timestamp is checkLaggedColumns'. */
export function validateLaggedColumn(
  at: string, raw: Record<string, unknown>, base: { name: string; nullPercent?: number; omit?: boolean },
): TimestampAfterColumnDocument {
  const after = raw.after;
  if (typeof after !== 'string') fail(`${at}.after`, after, 'expected the name of a timestamp column of this table (its own or a lookup of a parent\'s)');
  const unit = raw.unit === undefined ? 'hours' : raw.unit;
  if (typeof unit !== 'string' || !Object.prototype.hasOwnProperty.call(LAG_UNIT_MS, unit)) {
    fail(`${at}.unit`, unit, `allowed units are ${Object.keys(LAG_UNIT_MS).join(', ')}`);
  }
  const unitMs = LAG_UNIT_MS[unit as LagUnit];
  const minLag = raw.minLag === undefined ? 0 : requireNumber(`${at}.minLag`, raw.minLag);
  const maxLag = requireNumber(`${at}.maxLag`, raw.maxLag);
  if (minLag < 0) fail(`${at}.minLag`, minLag, `a lag of 0 or more ${unit}: the value is never before ${after}`);
  if (maxLag < minLag) throw new InvalidInputError(`${at}: minLag (${minLag}) is greater than maxLag (${maxLag}); set minLag <= maxLag`);
  if (maxLag * unitMs > LAG_LIMITS.maxLagMs) fail(`${at}.maxLag`, maxLag, `at most 100 years (${LAG_LIMITS.maxLagMs / unitMs} ${unit})`);
  const low = Math.round(minLag * unitMs);
  const high = Math.round(maxLag * unitMs);
  const document = { ...base, type: 'timestampAfter' as const, after, minLag, maxLag, unit: unit as LagUnit };
  if (raw.distribution === undefined) return document;
  const kind = (raw.distribution as { kind?: unknown } | null)?.kind;
  if (kind === 'zipf') {
    fail(`${at}.distribution.kind`, kind, 'a lag is a duration, not a list of ranked values: use lognormal, exponential, normal, pareto or uniform');
  }
  const distribution = validateDistribution(fail, `${at}.distribution`, raw.distribution, { min: minLag, low, high, step: 1 / unitMs });
  return { ...document, distribution };
}

const lagColumns = new WeakMap<TimestampAfterColumnDocument, IntegerColumnDocument>();

/**
 * The lag as an integer column of milliseconds, its law scaled from the column's unit: what is drawn and judged. The
 * same object for the same column, so what is computed once per column document (the law's expectation) is.
 */
export function lagColumnOf(column: TimestampAfterColumnDocument): IntegerColumnDocument {
  let lag = lagColumns.get(column);
  if (lag === undefined) {
    const unitMs = LAG_UNIT_MS[column.unit];
    const min = Math.round(column.minLag * unitMs);
    const max = Math.round(column.maxLag * unitMs);
    lag = { name: `${column.name}_lag`, type: 'integer', min, max, distribution: scaled(column.distribution ?? { kind: 'uniform' }, unitMs) };
    lagColumns.set(column, lag);
  }
  return lag;
}

function scaled(distribution: DistributionDocument, unitMs: number): DistributionDocument {
  switch (distribution.kind) {
    case 'normal':
      return { kind: 'normal', mean: distribution.mean * unitMs, standardDeviation: distribution.standardDeviation * unitMs };
    case 'lognormal':
      return { kind: 'lognormal', mu: distribution.mu + Math.log(unitMs), sigma: distribution.sigma };
    case 'exponential':
      return { kind: 'exponential', mean: distribution.mean * unitMs };
    default:
      // uniform has no parameter; pareto's scale is the column's min (scaled with it); zipf is refused for lags.
      return distribution;
  }
}

/**
 * Checks that each `timestampAfter` column of a table follows a timestamp of its row, and that no chain of them goes
 * round. `typeOf` says what a lookup is (a dataset knows); without it (a single table) lookups are left to the dataset.
 */
export function checkLaggedColumns(
  columns: readonly ColumnDocument[], whereOf: (c: number) => string, isTimestamp: (column: ColumnDocument) => boolean | undefined,
): void {
  const byName = new Map(columns.map((column, c) => [column.name, c]));
  columns.forEach((column, c) => {
    if (column.type !== 'timestampAfter') return;
    const chain = [c];
    let current: ColumnDocument = column;
    while (current.type === 'timestampAfter') {
      const at = whereOf(chain[chain.length - 1]);
      const b = byName.get(current.after);
      if (b === undefined) {
        fail(`${at}.after`, current.after, `no column of this table has that name; its columns are ${columns.map((other) => other.name).join(', ')}`);
      }
      if (chain.includes(b)) {
        throw new InvalidInputError(`${whereOf(c)}: timestampAfter columns follow each other in a cycle: `
          + `${[...chain.slice(chain.indexOf(b)), b].map((i) => columns[i].name).join(' -> ')}; one of them must follow a timestamp of its own`);
      }
      const baseColumn = columns[b];
      const timestamp = baseColumn.type === 'derived' ? false : isTimestamp(baseColumn);
      if (timestamp === false) {
        const what = baseColumn.type === 'derived' ? 'a derived column' : `a ${baseColumn.type} column, not a timestamp`;
        throw new InvalidInputError(`${at}.after is ${describeValue(current.after)}, ${what}: a lag is added to a made timestamp; `
          + 'name a timestamp column of this table, a faker date, another timestampAfter, or a lookup of a parent\'s timestamp');
      }
      chain.push(b);
      current = baseColumn;
    }
  });
}

/**
 * How the values of a numeric column are spread (its `distribution`), and how a timestamp column's instants are laid
 * out (its `order`, `hourWeights`, `dayWeights`): their JSON forms, the math the validator needs to judge them (the
 * distributions' CDFs, the time density's mass), and their validation. The engine samples them
 * (lambda/engine/distributions.ts, lambda/engine/time-order.ts) with the same math.
 *
 * It imports only contract modules: compiled by jsii and bundled into the handler.
 */

export type DistributionKind = 'uniform' | 'normal' | 'lognormal' | 'exponential' | 'zipf' | 'pareto';

export type DistributionDocument =
  | { readonly kind: 'uniform' }
  | { readonly kind: 'normal'; readonly mean: number; readonly standardDeviation: number }
  /** The logarithm's mean and standard deviation: the median is e^mu. */
  | { readonly kind: 'lognormal'; readonly mu: number; readonly sigma: number }
  /** Values min + Exp(mean). */
  | { readonly kind: 'exponential'; readonly mean: number }
  /** Over the column's values in order from min: the k-th (from 0) with probability ∝ (k + 1)^-exponent. */
  | { readonly kind: 'zipf'; readonly exponent: number }
  /** Scale x_m = min (> 0), shape alpha. */
  | { readonly kind: 'pareto'; readonly alpha: number };

export type TimestampOrder = 'uniform' | 'ascending';

export const DISTRIBUTION_LIMITS = {
  /** The largest Zipf exponent (as a reference column's skew): beyond it nearly every value is the first. */
  maxZipfExponent: 5,
  /** A distribution with less of its mass than this between the bounds is refused: its values would all be the bounds' rounding. */
  minMass: 1e-9,
  /** The largest lognormal mu: e^mu stays far inside a double. */
  maxLogMu: 700,
} as const;

const PARAMETERS: Record<DistributionKind, readonly string[]> = {
  uniform: [],
  normal: ['mean', 'standardDeviation'],
  lognormal: ['mu', 'sigma'],
  exponential: ['mean'],
  zipf: ['exponent'],
  pareto: ['alpha'],
};
const KINDS = Object.keys(PARAMETERS) as DistributionKind[];

/** A schema value that is not allowed; schema-document.ts's InvalidInputError, passed in to keep this module below it. */
type Fail = (where: string, value: unknown, allowed: string) => never;

// ---- The continuous distributions' CDF and survival function, accurate in both tails. ----

const SQRT_PI = Math.sqrt(Math.PI);

/** The complementary error function, to about 1e-15 relative: a positive series below 3, a continued fraction above. */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) {
    // erf(x) = 2/√π · e^(-x²) · Σ 2^n x^(2n+1) / (1·3·…·(2n+1)): every term positive, no cancellation.
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - ((2 / SQRT_PI) * Math.exp(-x * x) * sum);
  }
  // erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated from a depth where it has converged.
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + (k / 2) / f;
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** P(Z <= z) and P(Z > z) of a standard normal. */
export const normalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);
export const normalSf = (z: number): number => 0.5 * erfc(z / Math.SQRT2);

/** A continuous distribution's CDF, survival function and median, in the column's units. */
export interface Continuous {
  readonly median: number;
  cdf(x: number): number;
  sf(x: number): number;
}

/** The continuous law of a distribution (not uniform or zipf, which are over the column's steps); `min` is the column's. */
export function continuousOf(distribution: DistributionDocument, min: number): Continuous | undefined {
  switch (distribution.kind) {
    case 'normal': {
      const { mean, standardDeviation: sd } = distribution;
      return { cdf: (x) => normalCdf((x - mean) / sd), sf: (x) => normalSf((x - mean) / sd), median: mean };
    }
    case 'lognormal': {
      const { mu, sigma } = distribution;
      return {
        cdf: (x) => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma)),
        sf: (x) => (x <= 0 ? 1 : normalSf((Math.log(x) - mu) / sigma)),
        median: Math.exp(mu),
      };
    }
    case 'exponential': {
      const { mean } = distribution;
      return {
        cdf: (x) => (x <= min ? 0 : -Math.expm1(-(x - min) / mean)),
        sf: (x) => (x <= min ? 1 : Math.exp(-(x - min) / mean)),
        median: min + mean * Math.LN2,
      };
    }
    case 'pareto': {
      const { alpha } = distribution;
      return {
        cdf: (x) => (x <= min ? 0 : -Math.expm1(alpha * Math.log(min / x))),
        sf: (x) => (x <= min ? 1 : Math.exp(alpha * Math.log(min / x))),
        median: min * 2 ** (1 / alpha),
      };
    }
    default:
      return undefined;
  }
}

/**
 * The share of a continuous law's mass in [a, b], from whichever tail keeps it exact: the CDF below the median, the
 * survival function above it (1 − F(a) would lose every digit far in the upper tail).
 */
export function massBetween(law: Continuous, a: number, b: number): { readonly upper: boolean; readonly start: number; readonly mass: number } {
  if (a >= law.median) {
    const start = law.sf(a);
    return { upper: true, start, mass: start - law.sf(b) };
  }
  const start = law.cdf(a);
  return { upper: false, start, mass: law.cdf(b) - start };
}

/**
 * Where a numeric column's values are truncated, in its units: each value (a whole step) takes the mass of the
 * interval that rounds to it, so the bounds are the least and greatest value widened by half a step.
 */
export function truncationOf(low: number, high: number, step: number): { readonly a: number; readonly b: number } {
  return { a: (low - 0.5) * step, b: (high + 0.5) * step };
}

function requireParameter(fail: Fail, where: string, value: unknown, test: (n: number) => boolean, allowed: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !test(value)) fail(where, value, allowed);
  return value;
}

/**
 * Validates a numeric column's `distribution`. `low`..`high` are its values in whole steps of `step` (1 for an
 * integer, 10^-fractionDigits for a decimal), `min` its declared least value.
 */
export function validateDistribution(
  fail: Fail, where: string, raw: unknown, column: { readonly min: number; readonly low: number; readonly high: number; readonly step: number },
): DistributionDocument {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail(where, raw, 'expected an object such as {"kind": "normal", "mean": 50, "standardDeviation": 10}');
  }
  const record = raw as Record<string, unknown>;
  const kind = record.kind as DistributionKind;
  if (!KINDS.includes(kind)) fail(`${where}.kind`, record.kind, `allowed kinds are ${KINDS.join(', ')}`);
  const known = ['kind', ...PARAMETERS[kind]];
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) fail(`${where}.${key}`, record[key], `not a parameter of ${kind}; its fields are ${known.join(', ')}`);
  }
  const positive = (name: string, what: string) => requireParameter(fail, `${where}.${name}`, record[name], (n) => n > 0, `${what}: a finite number above 0`);
  const finite = (name: string, what: string) => requireParameter(fail, `${where}.${name}`, record[name], () => true, `${what}: a finite number`);
  let distribution: DistributionDocument;
  switch (kind) {
    case 'uniform':
      return { kind };
    case 'zipf': {
      const exponent = positive('exponent', 'the Zipf exponent');
      if (exponent > DISTRIBUTION_LIMITS.maxZipfExponent) {
        fail(`${where}.exponent`, exponent, `a Zipf exponent above 0 and at most ${DISTRIBUTION_LIMITS.maxZipfExponent} (1 is classic Zipf)`);
      }
      return { kind, exponent };
    }
    case 'normal':
      distribution = { kind, mean: finite('mean', 'the mean'), standardDeviation: positive('standardDeviation', 'the standard deviation') };
      break;
    case 'lognormal': {
      const mu = requireParameter(fail, `${where}.mu`, record.mu, (n) => Math.abs(n) <= DISTRIBUTION_LIMITS.maxLogMu,
        `the logarithm's mean (the median is e^mu): a finite number from -${DISTRIBUTION_LIMITS.maxLogMu} to ${DISTRIBUTION_LIMITS.maxLogMu}`);
      distribution = { kind, mu, sigma: positive('sigma', 'the logarithm\'s standard deviation') };
      break;
    }
    case 'exponential':
      distribution = { kind, mean: positive('mean', 'the mean above min') };
      break;
    case 'pareto':
      if (column.min <= 0) {
        fail(`${where}`, raw, `a Pareto distribution's scale is the column's min, which must be above 0 (it is ${column.min}); raise min`);
      }
      distribution = { kind, alpha: positive('alpha', 'the Pareto shape') };
      break;
  }
  const { a, b } = truncationOf(column.low, column.high, column.step);
  const { mass } = massBetween(continuousOf(distribution, column.min)!, a, b);
  if (!(mass >= DISTRIBUTION_LIMITS.minMass)) {
    fail(where, raw, `only ${mass.toPrecision(3)} of this distribution's mass lies between min and max (at least ${DISTRIBUTION_LIMITS.minMass} is needed): `
      + 'move its parameters into the range, or widen min and max');
  }
  return distribution;
}

// ---- A timestamp column's time density: hour-of-day and day-of-week weights, UTC. ----

export const HOUR_MS = 3_600_000;
export const WEEK_HOURS = 168;
export const WEEK_MS = WEEK_HOURS * HOUR_MS;
/** 1970-01-05T00:00:00Z, a Monday: hours of the week count from Mondays 00:00 UTC. */
export const A_MONDAY_MS = 4 * 24 * HOUR_MS;

/** The hour of the week (0 = Monday 00:00 to 01:00 UTC) of an instant in epoch milliseconds. */
export function hourOfWeek(ms: number): number {
  // Floors rather than %, which on doubles is a slow fmod (this runs per cell of a weighted column).
  const hours = Math.floor((ms - A_MONDAY_MS) / HOUR_MS);
  return hours - Math.floor(hours / WEEK_HOURS) * WEEK_HOURS;
}

/** The density of each hour of the week: hourWeights[hour of day] × dayWeights[day, Monday first] (absent: 1). */
/** The least and greatest positive hour or day weight. */
export const WEIGHT_RANGE = { min: 1e-100, max: 1e100 } as const;

export function weekWeights(hourWeights: readonly number[] | undefined, dayWeights: readonly number[] | undefined): Float64Array {
  const weights = new Float64Array(WEEK_HOURS);
  for (let h = 0; h < WEEK_HOURS; h++) weights[h] = (hourWeights?.[h % 24] ?? 1) * (dayWeights?.[Math.floor(h / 24)] ?? 1);
  return weights;
}

/**
 * How many milliseconds of [a, b) (epoch ms, fractional allowed) fall in each hour of the week: every hour of a whole
 * week once, then the rest hour by hour, so any range costs at most 169 steps.
 */
export function msPerHourOfWeek(a: number, b: number): Float64Array {
  const out = new Float64Array(WEEK_HOURS);
  if (!(b > a)) return out;
  const weeks = Math.floor((b - a) / WEEK_MS);
  out.fill(weeks * HOUR_MS);
  let t = a + weeks * WEEK_MS;
  while (t < b) {
    const hour = hourOfWeek(t);
    const end = Math.min(b, (Math.floor(t / HOUR_MS) + 1) * HOUR_MS);
    out[hour] += end - t;
    t = end;
  }
  return out;
}

function validateWeights(fail: Fail, where: string, raw: unknown, count: number, what: string): number[] {
  if (!Array.isArray(raw) || raw.length !== count) fail(where, raw, `expected ${count} weights, ${what}`);
  // Hour and day weights multiply, and the week's mass adds 168 products of milliseconds: weights kept within 1e±100
  // keep every product and sum a normal double (1e200 × 1e200 would overflow, 1e-200 × 1e-200 vanish).
  raw.forEach((w, i) => requireParameter(fail, `${where}[${i}]`, w, (n) => n === 0 || (n >= WEIGHT_RANGE.min && n <= WEIGHT_RANGE.max),
    `a weight: 0, or a finite number from ${WEIGHT_RANGE.min} to ${WEIGHT_RANGE.max}`));
  const total = (raw as number[]).reduce((sum, w) => sum + w, 0);
  if (!(total > 0) || !Number.isFinite(total)) fail(where, raw, 'at least one weight must be positive, and their sum finite (use percentages, say)');
  return [...raw as number[]];
}

/** A timestamp column's order and weights, validated; `from` and `to` are its bounds in epoch ms. */
export function validateTimeLayout(
  fail: Fail, at: string, raw: Record<string, unknown>, from: number, to: number,
): { order?: TimestampOrder; hourWeights?: number[]; dayWeights?: number[] } {
  const layout: { order?: TimestampOrder; hourWeights?: number[]; dayWeights?: number[] } = {};
  if (raw.order !== undefined) {
    if (raw.order !== 'uniform' && raw.order !== 'ascending') {
      fail(`${at}.order`, raw.order, '"uniform" (each row anywhere in the range) or "ascending" (in row order, across every part and shard)');
    }
    layout.order = raw.order;
  }
  if (raw.hourWeights !== undefined) {
    layout.hourWeights = validateWeights(fail, `${at}.hourWeights`, raw.hourWeights, 24, 'one per hour of the day, UTC, from 00:00');
  }
  if (raw.dayWeights !== undefined) {
    layout.dayWeights = validateWeights(fail, `${at}.dayWeights`, raw.dayWeights, 7, 'one per day of the week, UTC, Monday first');
  }
  if (layout.hourWeights !== undefined || layout.dayWeights !== undefined) {
    const weights = weekWeights(layout.hourWeights, layout.dayWeights);
    const ms = msPerHourOfWeek(from, to + 1);
    if (!ms.some((length, h) => length > 0 && weights[h] > 0)) {
      fail(at, { hourWeights: layout.hourWeights, dayWeights: layout.dayWeights },
        'every hour from "from" to "to" has weight 0, so no instant can be made; give an hour or day of the range a positive weight, or widen the range');
    }
  }
  return layout;
}

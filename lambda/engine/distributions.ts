/**
 * Sampling a numeric column's `distribution` (src/contract/distributions.ts) and what its values are expected to be.
 *
 * A value is one inverse-CDF step from a 53-bit uniform u, no rejection loop: the continuous laws are truncated to the
 * column's bounds widened by half a step (u' = F(a) + u·(F(b) − F(a)), x = F⁻¹(u'), or the same with the survival
 * function above the median, where F loses its digits) and x is rounded to the nearest step, so each value takes the
 * mass of the interval that rounds to it. Zipf is over the steps themselves: the first 4,096 exactly by cumulative
 * weights, the rest by the continuous power law whose integral over a step's rounding interval is its weight.
 *
 * Everything is fixed when the column is compiled; a cell costs one or two logarithms and no allocation.
 */
import type { DecimalColumnDocument, IntegerColumnDocument } from '../../src/contract/column-documents';
import { decimalSteps } from '../../src/contract/decimal';
import {
  continuousOf, massBetween, truncationOf, type DistributionDocument,
} from '../../src/contract/distributions';

/** A numeric column's values as whole steps: low..high, a step being 1/scale of the column's unit. */
export interface NumericLayout {
  readonly low: number;
  readonly high: number;
  readonly scale: number;
  /** The column's declared least value (a Pareto law's scale). */
  readonly min: number;
}

export function numericLayout(column: IntegerColumnDocument | DecimalColumnDocument): NumericLayout {
  if (column.type === 'integer') return { low: column.min, high: column.max, scale: 1, min: column.min };
  const { low, high } = decimalSteps(column.min, column.max, column.fractionDigits);
  return { low, high, scale: 10 ** column.fractionDigits, min: column.min };
}

// Acklam's rational approximation of the standard normal quantile (relative error below 1.2e-9).
// eslint-disable-next-line @stylistic/max-len
const A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
const B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
// eslint-disable-next-line @stylistic/max-len
const C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
const D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
const P_LOW = 0.02425;

/** z with P(Z <= z) = p, for a standard normal Z; ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < P_LOW) return lowerTail(p);
  if (p > 1 - P_LOW) return -lowerTail(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q)
    / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

function lowerTail(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p));
  return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
}

/** x with F(x) = p (lower) and x with 1 − F(x) = q (upper), in the column's units. */
function quantilesOf(distribution: DistributionDocument, min: number): { lower: (p: number) => number; upper: (q: number) => number } {
  switch (distribution.kind) {
    case 'normal': {
      const { mean, standardDeviation: sd } = distribution;
      return { lower: (p) => mean + sd * normalQuantile(p), upper: (q) => mean - sd * normalQuantile(q) };
    }
    case 'lognormal': {
      const { mu, sigma } = distribution;
      return { lower: (p) => Math.exp(mu + sigma * normalQuantile(p)), upper: (q) => Math.exp(mu - sigma * normalQuantile(q)) };
    }
    case 'exponential': {
      const { mean } = distribution;
      return { lower: (p) => min - mean * Math.log1p(-p), upper: (q) => min - mean * Math.log(q) };
    }
    case 'pareto': {
      const { alpha } = distribution;
      return { lower: (p) => min * Math.exp(-Math.log1p(-p) / alpha), upper: (q) => min * Math.exp(-Math.log(q) / alpha) };
    }
    default:
      throw new Error(`distribution ${distribution.kind} is not continuous: a bug`);
  }
}

/** Zipf ranks handled by exact cumulative weights; the rest by the continuous power law. */
const ZIPF_HEAD = 4096;

/**
 * The first index i up to `last` with sorted[i] > target (`last` when none is): where a target falls among cumulative
 * weights. A zero weight repeats the previous sum, which is never above the target, so it is never the answer.
 */
export function firstAbove(sorted: Float64Array, last: number, target: number): number {
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A distribution over a column's steps: a value from a uniform u in [0, 1), and each value's probability. */
export interface CompiledDistribution {
  /** The value (whole steps, low..high) of u: monotone in u. */
  readonly sample: (u: number) => number;
  /** The probability of value low + k, for k from 0 to high − low. */
  readonly probability: (k: number) => number;
}

/** Compiles a non-uniform distribution over `layout`'s steps. */
export function compileDistribution(distribution: DistributionDocument, layout: NumericLayout): CompiledDistribution {
  return distribution.kind === 'zipf' ? compileZipf(distribution.exponent, layout) : compileContinuous(distribution, layout);
}

function compileContinuous(distribution: DistributionDocument, { low, high, scale, min }: NumericLayout): CompiledDistribution {
  const law = continuousOf(distribution, min)!;
  const { a, b } = truncationOf(low, high, 1 / scale);
  const { upper, start, mass } = massBetween(law, a, b);
  const quantiles = quantilesOf(distribution, min);
  const sample = upper
    ? (u: number) => clampRound(quantiles.upper(start - u * mass) * scale, low, high)
    : (u: number) => clampRound(quantiles.lower(start + u * mass) * scale, low, high);
  const tail = upper ? (x: number) => law.sf(x) : (x: number) => law.cdf(x);
  const sign = upper ? -1 : 1;
  return {
    sample,
    probability(k) {
      const value = low + k;
      const from = value === low ? a : (value - 0.5) / scale;
      const to = value === high ? b : (value + 0.5) / scale;
      return Math.max(0, (sign * (tail(to) - tail(from))) / mass);
    },
  };
}

/** `x` rounded to a whole number within [low, high] (NaN and infinities to the nearer bound). */
function clampRound(x: number, low: number, high: number): number {
  const k = Math.round(x);
  if (k > high) return high;
  return k >= low ? k : low;
}

function compileZipf(s: number, { low, high }: NumericLayout): CompiledDistribution {
  const count = high - low + 1;
  const head = Math.min(count, ZIPF_HEAD);
  const cumulative = new Float64Array(head);
  let headTotal = 0;
  for (let k = 0; k < head; k++) {
    headTotal += (k + 1) ** -s;
    cumulative[k] = headTotal;
  }
  // Ranks r = k + 1 beyond the head: weight ∫ x^-s over [r − 1/2, r + 1/2), the power law rounded to the nearest rank.
  const oneMinus = 1 - s;
  const log = Math.abs(oneMinus) < 1e-9;
  const tailStart = head + 0.5;
  const integral = (x: number) => (log ? Math.log(x / tailStart) : (x ** oneMinus - tailStart ** oneMinus) / oneMinus);
  const tailTotal = count > head ? integral(count + 0.5) : 0;
  const total = headTotal + tailTotal;
  const last = head - 1;
  return {
    sample(u) {
      const target = u * total;
      if (target < headTotal) return low + firstAbove(cumulative, last, target);
      const rest = target - headTotal;
      const x = log ? tailStart * Math.exp(rest) : (tailStart ** oneMinus + oneMinus * rest) ** (1 / oneMinus);
      return clampRound(low + x - 1, low + head, high);
    },
    probability(k) {
      return (k < head ? (k + 1) ** -s : integral(k + 1.5) - integral(k + 0.5)) / total;
    },
  };
}

/** What a column's values are expected to be, in whole steps. */
export interface ExpectedValues {
  readonly mean: number;
  readonly standardDeviation: number;
  /** The fourth central moment, for the standard error of the observed standard deviation. */
  readonly fourthMoment: number;
  /** Bounds of the numeric integration's error on the mean and on the standard deviation (0 when summed exactly). */
  readonly meanError: number;
  readonly deviationError: number;
  /** Each value's probability, when there are few enough values to sum over them exactly. */
  readonly probabilities?: Float64Array;
}

/** Up to this many values the moments are summed over every value; above, integrated over u. */
export const MAX_SUMMED_VALUES = 65_536;
/** Points per band of u (integrate). */
const BAND_POINTS = 2048;
/** Bands on each side of u = 1/2, down to widths of 2^-53: the generator's u has 53 bits. */
const BANDS = 52;

/**
 * The mean, standard deviation and fourth central moment of the values `compiled` makes over `layout`: summed over
 * every value when there are few, otherwise by the midpoint rule over u (the generator's own map from u to a value,
 * rounding included) in bands that halve towards both ends, so the far tail of a heavy law, where u is within 2^-18 of
 * 0 or 1, weighs what it should; the difference from half as many points, doubled, is the error bound.
 */
export function expectedValues(compiled: CompiledDistribution, layout: NumericLayout): ExpectedValues {
  const count = layout.high - layout.low + 1;
  if (count <= MAX_SUMMED_VALUES) {
    const probabilities = new Float64Array(count);
    let total = 0;
    for (let k = 0; k < count; k++) {
      probabilities[k] = compiled.probability(k);
      total += probabilities[k];
    }
    for (let k = 0; k < count; k++) probabilities[k] /= total;
    const moments = momentsOf(count, (k) => k, (k) => probabilities[k]);
    // The sampler's quantile is Acklam's (1.2e-9 relative): allow as much on the exact sums.
    return { ...moments, meanError: 1e-8 * (moments.standardDeviation + 1), deviationError: 1e-8 * (moments.standardDeviation + 1), probabilities };
  }
  const fine = integrate(compiled, layout.low, BAND_POINTS);
  const coarse = integrate(compiled, layout.low, BAND_POINTS / 2);
  return {
    ...fine,
    meanError: 2 * Math.abs(fine.mean - coarse.mean),
    deviationError: 2 * Math.abs(fine.standardDeviation - coarse.standardDeviation),
  };
}

/**
 * The midpoint rule over u in 2 × BANDS bands, `points` points each: band b < BANDS is [2^-(b+2), 2^-(b+1)) below 1/2
 * (the last one reaching down to 0), band BANDS + b its mirror above 1/2.
 */
function integrate(compiled: CompiledDistribution, low: number, points: number) {
  const n = 2 * BANDS * points;
  const us = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let b = 0; b < BANDS; b++) {
    const width = 2 ** -(b + 2);
    const from = b === BANDS - 1 ? 0 : width;
    const span = b === BANDS - 1 ? 2 * width : width;
    for (let i = 0; i < points; i++) {
      const u = from + ((i + 0.5) / points) * span;
      us[b * points + i] = u;
      us[(BANDS + b) * points + i] = 1 - u;
      weights[b * points + i] = span / points;
      weights[(BANDS + b) * points + i] = span / points;
    }
  }
  const values = us.map((u) => compiled.sample(u) - low);
  return momentsOf(n, (i) => values[i], (i) => weights[i]);
}

/** Moments of values value(i) with weights weight(i), i below n, in the values' units relative to low. */
function momentsOf(n: number, value: (i: number) => number, weight: (i: number) => number) {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += value(i) * weight(i);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = value(i) - mean;
    const d2 = d * d * weight(i);
    m2 += d2;
    m4 += d2 * d * d;
  }
  return { mean, standardDeviation: Math.sqrt(m2), fourthMoment: m4 };
}

/** The mean of the values, roughly (a thousand points): where the engine centres its sums of squares, to keep their digits. */
export function roughMean(compiled: CompiledDistribution): number {
  let sum = 0;
  for (let i = 0; i < 1024; i++) sum += compiled.sample((i + 0.5) / 1024);
  return sum / 1024;
}

/**
 * Which of the generator's distributions a numeric column follows, and its parameters: each candidate (uniform, normal,
 * lognormal, exponential; Zipf for a small integer range) gets parameters from the sample's moments, is truncated to
 * the column's bounds as the engine truncates it, and is scored by the Kolmogorov-Smirnov distance between its CDF and
 * the sample's. The best is kept when it is clearly better than uniform (a distance below 70% of uniform's); the
 * reason, with every candidate's distance, goes into the report.
 */
import { normalCdf, type DistributionDocument } from '../../src/contract/distributions';

export interface Fit {
  readonly distribution?: DistributionDocument;
  readonly because: string;
}

/** The CDF of a normal law at x (the contract's, which the engine's laws use too). */
const normalAt = (x: number, mean: number, sd: number) => normalCdf((x - mean) / sd);

/** KS distance between the sorted sample and a CDF truncated to [low, high]. */
function ksDistance(sorted: readonly number[], cdf: (x: number) => number, low: number, high: number): number {
  const a = cdf(low);
  const mass = cdf(high) - a;
  if (!(mass > 1e-9)) return 1;
  let worst = 0;
  const n = sorted.length;
  for (let i = 0; i < n; i += 1) {
    const f = Math.min(1, Math.max(0, (cdf(sorted[i]) - a) / mass));
    worst = Math.max(worst, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
  }
  return worst;
}

const round = (x: number, digits = 4) => Number(x.toPrecision(digits));

/** KS distance of a small integer range: the candidate's mass at each value (its CDF at the cell's edges) against the counts. */
function discreteKs(counts: readonly number[], total: number, massAt: (k: number) => number): number {
  const masses = counts.map((_, k) => Math.max(0, massAt(k)));
  const sum = masses.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return 1;
  let worst = 0;
  let model = 0;
  let seen = 0;
  for (let k = 0; k < counts.length; k += 1) {
    model += masses[k] / sum;
    seen += counts[k];
    worst = Math.max(worst, Math.abs(model - seen / total));
  }
  return worst;
}

/** Integer ranges up to this many values are compared value by value (exactly), wider ones as continuous. */
const DISCRETE_RANGE = 10_000;

export function fitDistribution(sample: readonly number[], bounds: { min: number; max: number }, integer: boolean): Fit {
  if (sample.length < 50 || bounds.max <= bounds.min) return { because: 'too few values or a single value: no distribution' };
  const sorted = [...sample].sort((x, y) => x - y);
  const n = sorted.length;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / n;
  const sd = Math.sqrt(sorted.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1));
  const laws: Array<{ name: string; distribution?: DistributionDocument; cdf: (x: number) => number }> = [
    { name: 'uniform', cdf: (x) => x },
  ];
  if (sd > 0) {
    const normal = { kind: 'normal', mean: round(mean, 6), standardDeviation: round(sd, 6) } as const;
    laws.push({ name: 'normal', distribution: normal, cdf: (x) => normalAt(x, normal.mean, normal.standardDeviation) });
  }
  if (bounds.min > 0) {
    const logs = sorted.map(Math.log);
    const mu = logs.reduce((sum, x) => sum + x, 0) / n;
    const sigma = Math.sqrt(logs.reduce((sum, x) => sum + (x - mu) ** 2, 0) / (n - 1));
    if (sigma > 0) {
      const lognormal = { kind: 'lognormal', mu: round(mu, 6), sigma: round(sigma, 6) } as const;
      laws.push({ name: 'lognormal', distribution: lognormal, cdf: (x) => (x <= 0 ? 0 : normalAt(Math.log(x), lognormal.mu, lognormal.sigma)) });
    }
  }
  if (mean > bounds.min) {
    const exponential = { kind: 'exponential', mean: round(mean - bounds.min, 6) } as const;
    laws.push({ name: 'exponential', distribution: exponential, cdf: (x) => (x <= bounds.min ? 0 : 1 - Math.exp(-(x - bounds.min) / exponential.mean)) });
  }
  let candidates: Array<{ name: string; distribution?: DistributionDocument; distance: number }>;
  if (integer && bounds.max - bounds.min < DISCRETE_RANGE) {
    const counts = new Array<number>(bounds.max - bounds.min + 1).fill(0);
    for (const x of sorted) counts[Math.round(x) - bounds.min] += 1;
    // Uniform is over the values; a continuous law gives each integer the mass of its cell [k - 0.5, k + 0.5].
    candidates = laws.map((law) => ({
      ...law,
      distance: discreteKs(counts, n, law.name === 'uniform' ? () => 1 : (k) => law.cdf(bounds.min + k + 0.5) - law.cdf(bounds.min + k - 0.5)),
    }));
    const exponent = zipfExponent(counts);
    if (exponent !== undefined) {
      candidates.push({ name: 'zipf', distribution: { kind: 'zipf', exponent }, distance: discreteKs(counts, n, (k) => (k + 1) ** -exponent) });
    }
  } else {
    const span = bounds.max - bounds.min;
    candidates = laws.map((law) => ({
      ...law,
      distance: ksDistance(sorted, law.name === 'uniform' ? (x) => (x - bounds.min) / span : law.cdf, bounds.min, bounds.max),
    }));
  }
  const uniform = candidates[0];
  const best = candidates.reduce((a, b) => (b.distance < a.distance ? b : a));
  const scores = candidates.map((candidate) => `${candidate.name} ${candidate.distance.toFixed(3)}`).join(', ');
  if (best === uniform || best.distance > 0.7 * uniform.distance) {
    return { because: `uniform fits as well as any (Kolmogorov-Smirnov distance: ${scores})` };
  }
  return { distribution: best.distribution, because: `${best.name} fits best (Kolmogorov-Smirnov distance: ${scores})` };
}

/** Zipf over the values from min: the exponent from the slope of log count against log rank (k + 1). */
function zipfExponent(counts: readonly number[]): number | undefined {
  const points = counts.map((count, k) => [Math.log(k + 1), Math.log(count)] as const).filter(([, y]) => Number.isFinite(y));
  if (points.length < 3) return undefined;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / points.length;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
  const slope = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0) / points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  const exponent = round(-slope, 4);
  return exponent > 0 && exponent <= 5 ? exponent : undefined;
}

/**
 * The moments of the truncated laws the examples declare, computed here from closed forms and the laws' own weights (not
 * by the engine), so that the examples' DuckDB checks judge the engine's values against an independent expectation.
 */

/** Mean and standard deviation of a law, and the standard error of a sample's standard deviation. */
export interface Moments {
  readonly mean: number;
  readonly sd: number;
  /** Standard error of the sample standard deviation of n values: √((μ4 − σ⁴) / n) / (2σ). */
  readonly sdError: (n: number) => number;
}

/** A law over whole numbers min..max: the probability of each, from min. */
export interface CountLaw extends Moments {
  readonly min: number;
  readonly probabilities: readonly number[];
}

/** 1 − erf(x), to about 1e-7 relative (a Chebyshev fit of e^{x²} erfc(x), as in Numerical Recipes). */
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

/** A law over min..max from each whole number's weight. */
function countLawOf(min: number, weights: readonly number[]): CountLaw {
  const total = weights.reduce((a, b) => a + b, 0);
  const probabilities = weights.map((w) => w / total);
  const raw = [1, 2, 3, 4].map((power) => probabilities.reduce((sum, p, k) => sum + p * (min + k) ** power, 0));
  return { ...momentsOf(raw as [number, number, number, number]), min, probabilities };
}

/** Whole numbers min..max with P(min + k) ∝ (k + 1)^-s. */
export function truncatedZipf(exponent: number, min: number, max: number): CountLaw {
  return countLawOf(min, Array.from({ length: max - min + 1 }, (_, k) => (k + 1) ** -exponent));
}

/** Poisson counts of the given mean truncated to min..max: P(k) ∝ mean^k / k!. */
export function truncatedPoisson(mean: number, min: number, max: number): CountLaw {
  let logFactorial = 0;
  for (let k = 2; k <= min; k++) logFactorial += Math.log(k);
  const weights: number[] = [];
  for (let k = min; k <= max; k++) {
    if (k > min) logFactorial += Math.log(k);
    weights.push(Math.exp(k * Math.log(mean) - mean - logFactorial));
  }
  return countLawOf(min, weights);
}

/** Every whole number min..max equally likely. */
export function uniformCounts(min: number, max: number): CountLaw {
  return countLawOf(min, new Array<number>(max - min + 1).fill(1));
}

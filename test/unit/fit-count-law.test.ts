/**
 * The count law infer gives a children layout (cli/infer/fit-count-law.ts): counts drawn from each of the engine's laws
 * come back as that law with about its parameter, and the reason names every candidate's score.
 */
import { fitCountLaw } from '../../cli/infer/fit-count-law';
import { mix32 } from '../../lambda/engine/random';

/** Parents per count min..max, drawn from probabilities ∝ weight(k) with a fixed generator. */
function drawn(parents: number, min: number, max: number, weight: (n: number) => number): number[] {
  const weights = Array.from({ length: max - min + 1 }, (_, k) => weight(min + k));
  const total = weights.reduce((a, b) => a + b, 0);
  const histogram = new Array<number>(weights.length).fill(0);
  for (let p = 0; p < parents; p++) {
    let u = (mix32(p + 12345) / 4294967296) * total;
    let k = 0;
    while (u >= weights[k] && k < weights.length - 1) u -= weights[k++];
    histogram[k]++;
  }
  return histogram;
}

const logFactorial = (n: number) => Array.from({ length: n }, (_, i) => Math.log(i + 1)).reduce((a, b) => a + b, 0);

test('uniform counts: the uniform law', () => {
  expect(fitCountLaw(drawn(5000, 1, 5, () => 1), 1).law).toEqual({ kind: 'uniform' });
});

test('Poisson counts, truncated: the Poisson law of about their mean before truncation', () => {
  const fit = fitCountLaw(drawn(20_000, 1, 2, (n) => Math.exp(n * Math.log(0.25) - logFactorial(n))), 1);
  expect(fit.law.kind).toBe('poisson');
  expect((fit.law as { mean: number }).mean).toBeGreaterThan(0.2);
  expect((fit.law as { mean: number }).mean).toBeLessThan(0.3);
  const wide = fitCountLaw(drawn(5000, 0, 40, (n) => Math.exp(n * Math.log(12) - logFactorial(n))), 0);
  expect(wide.law.kind).toBe('poisson');
  expect((wide.law as { mean: number }).mean).toBeCloseTo(12, 0);
});

test('a heavy tail with zeros: the Zipf law of about its exponent, the reason with every candidate', () => {
  const fit = fitCountLaw(drawn(20_000, 0, 200, (n) => (n + 1) ** -1.5), 0);
  expect(fit.law.kind).toBe('zipf');
  expect((fit.law as { exponent: number }).exponent).toBeCloseTo(1.5, 1);
  expect(fit.because).toMatch(/^counts per parent 0 to 200 \(mean [\d.]+\), drawn from Zipf\(1\.\d+\): the least AIC of uniform \d+, Poisson\([\d.]+\) \d+, Zipf\([\d.]+\) \d+$/);
});

test('one count only: uniform, the only law with no parameter to fit', () => {
  expect(fitCountLaw([100], 3).law).toEqual({ kind: 'uniform' });
});

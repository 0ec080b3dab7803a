/**
 * The law of a children layout's counts: the counts per parent (zero included) fitted by maximum likelihood with each of
 * the engine's count laws over the observed min..max — uniform, Poisson (its mean found so that the truncated law's mean
 * is the sample's), Zipf (its exponent so that the law's mean log-rank is the sample's) — and the one of the least AIC
 * (twice the parameters less twice the log-likelihood) kept, with every candidate's score in the reason.
 */
import type { ChildCountLawDocument } from '../../src/contract/column-documents';

export interface CountLawFit {
  readonly law: ChildCountLawDocument;
  readonly because: string;
}

/** Probabilities of min..max under each law. */
function probabilities(law: ChildCountLawDocument, min: number, max: number): number[] {
  const weights: number[] = [];
  let logFactorial = 0;
  for (let n = 2; n <= min; n += 1) logFactorial += Math.log(n);
  for (let n = min; n <= max; n += 1) {
    if (n > min) logFactorial += Math.log(n);
    if (law.kind === 'uniform') weights.push(1);
    else if (law.kind === 'poisson') weights.push(n * Math.log(law.mean) - logFactorial);
    else weights.push(-law.exponent * Math.log(n - min + 1));
  }
  if (law.kind === 'poisson') {
    const top = Math.max(...weights);
    for (let i = 0; i < weights.length; i += 1) weights[i] = Math.exp(weights[i] - top);
  } else if (law.kind === 'zipf') {
    for (let i = 0; i < weights.length; i += 1) weights[i] = Math.exp(weights[i]);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/** The parameter in [low, high] at which `statistic` (increasing in it) equals `target`, by bisection. */
function solve(statistic: (parameter: number) => number, target: number, low: number, high: number): number {
  for (let step = 0; step < 60; step += 1) {
    const middle = (low + high) / 2;
    if (statistic(middle) < target) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

const expectation = (p: readonly number[], f: (k: number) => number) => p.reduce((sum, pk, k) => sum + pk * f(k), 0);

/**
 * The exponent s of the Zipf law P(k) ∝ (k + 1)^-s over k = 0..weights.length − 1 that best explains `weights[k]`
 * observations of k (maximum likelihood: the law's mean log(k + 1) equals the observations', found by bisection over
 * 0..5, since it falls as s grows). Counts per parent from their least, or a reference's choices per parent sorted down.
 */
export function zipfExponent(weights: readonly number[]): number {
  const n = weights.reduce((a, b) => a + b, 0);
  const observed = weights.reduce((sum, w, k) => sum + w * Math.log(k + 1), 0) / n;
  const meanLogRank = (s: number) => {
    let total = 0;
    let weighted = 0;
    for (let k = 0; k < weights.length; k += 1) {
      const w = (k + 1) ** -s;
      total += w;
      weighted += w * Math.log(k + 1);
    }
    return weighted / total;
  };
  return solve((s) => -meanLogRank(s), -observed, 0, 5);
}
const rounded = (x: number) => Number(x.toPrecision(4));

/** `parents[k]`: the number of parents with min + k children. */
export function fitCountLaw(parents: readonly number[], min: number): CountLawFit {
  const max = min + parents.length - 1;
  const n = parents.reduce((a, b) => a + b, 0);
  const sampleMean = parents.reduce((sum, count, k) => sum + count * (min + k), 0) / n;
  const candidates: ChildCountLawDocument[] = [{ kind: 'uniform' }];
  if (max > min && sampleMean > min && sampleMean < max) {
    const mean = solve((m) => expectation(probabilities({ kind: 'poisson', mean: m }, min, max), (k) => min + k), sampleMean, 1e-6, 10 * max + 10);
    candidates.push({ kind: 'poisson', mean: rounded(mean) });
    const exponent = zipfExponent(parents);
    if (exponent > 0.01 && exponent < 4.99) candidates.push({ kind: 'zipf', exponent: rounded(exponent) });
  }
  const scored = candidates.map((law) => {
    const p = probabilities(law, min, max);
    const logLikelihood = parents.reduce((sum, count, k) => sum + (count === 0 ? 0 : count * Math.log(Math.max(p[k], 1e-300))), 0);
    return { law, aic: 2 * (law.kind === 'uniform' ? 0 : 1) - 2 * logLikelihood };
  });
  // On a tie (over two counts, a Poisson and a Zipf law can both be any law), the simpler or better known law.
  const best = scored.reduce((a, b) => (b.aic < a.aic - 1e-6 * Math.abs(a.aic) ? b : a));
  const name = (law: ChildCountLawDocument) => (law.kind === 'poisson' ? `Poisson(${law.mean})` : law.kind === 'zipf' ? `Zipf(${law.exponent})` : 'uniform');
  return {
    law: best.law,
    because: `counts per parent ${min} to ${max} (mean ${rounded(sampleMean)}), drawn from ${name(best.law)}: the least AIC of `
      + scored.map((s) => `${name(s.law)} ${Math.round(s.aic)}`).join(', '),
  };
}

/**
 * Numbers that evolve per entity (src/contract/series.ts, seriesValue): level(parent) + drift(parent, t) +
 * daily(t) + weekly(t) + noise(row), rounded to the column's digits.
 *
 * The drift is a mean-reverting process of standard deviation σ and correlation time τ days, whose covariance at a lag of
 * Δ days is σ² e^(−Δ/τ): made as σ √(2/K) Σ cos(ω_k t + φ_k) over K cosines whose frequencies ω_k are drawn per parent from
 * that covariance's spectrum (Cauchy, scale 1/τ) and phases φ_k uniform. It is smooth, depends on (parent, t) alone, and
 * costs K cosines a row (fastCosine's, checked to round as Math.cos's would: fast-cosine.ts); a parent's level and
 * cosines are drawn once when its first row is made (rows of one parent are consecutive). The seasonal terms are
 * cosines of the UTC time of day and of the week.
 */
import { VALUE_NUMBER } from './distinct-counters';
import { normalQuantile } from './distributions';
import { fastCosine, FAST_COSINE_ERROR, roundedIfCertain } from './fast-cosine';
import { numberKey, VALUE_KEY, type ColumnContext, type NumberGenerator } from './kernel';
import { rowTimestampOf } from './lags';
import { draw, mix32, unit53 } from './random';
import { followedReference } from './references';
import type { DeclaredCycle } from './series-cycles';
import type { SeriesValueColumnDocument } from '../../src/contract/column-documents';

/**
 * A bound on how far the sums' roundings (about 20 of them, each within 2^-53 of its magnitude) can move the drift summed
 * with fastCosine from the one summed with Math.cos, per unit of the terms' magnitudes: 2^-44, 25 times that.
 */
const SUM_ERROR = 2 ** -44;

/** Cosines of a parent's drift. */
export const DRIFT_TERMS = 16;
const DAY_MS = 86_400_000;
/** 1970-01-01 was a Thursday: Monday 00:00 UTC is day 4 of the epoch (mod 7). */
const MONDAY_DAY = 4;
const TWO_PI = 2 * Math.PI;

export function seriesValueGenerator(column: SeriesValueColumnDocument, context: ColumnContext): NumberGenerator {
  const { seed, index } = context;
  const followed = followedReference(column.reference, column.name, context);
  const time = rowTimestampOf(context, column.time, column.name);
  const timeIsNull = time.isNull;
  const entityKey = mix32(seed ^ mix32(index + 0x2545f491));
  const { level, drift, daily, weekly } = column;
  const noise = column.noise ?? 0;
  const scale = 10 ** column.fractionDigits;
  const amplitude = drift === undefined ? 0 : drift.standardDeviation * Math.sqrt(2 / DRIFT_TERMS);
  const frequencies = new Float64Array(DRIFT_TERMS);
  const phases = new Float64Array(DRIFT_TERMS);
  let lastParent = -1;
  let parentLevel = 0;
  const enter = (parent: number) => {
    lastParent = parent;
    const hash = mix32(mix32((parent >>> 0) ^ entityKey) ^ Math.floor(parent / 4294967296));
    parentLevel = level.min + unit53(hash, draw(hash, 1)) * (level.max - level.min);
    if (drift === undefined) return;
    for (let k = 0; k < DRIFT_TERMS; k++) {
      const u = unit53(draw(hash, 2 + 2 * k), draw(hash, 3 + 2 * k));
      frequencies[k] = Math.tan(Math.PI * (u - 0.5)) / drift.reversionDays;
      phases[k] = TWO_PI * (draw(hash, 40 + k) / 4294967296);
    }
  };
  // The terms after the drift, added one by one in this order (so both sums round alike), each only where declared.
  const afterDrift = (sum: number, dailyTerm: number, weeklyTerm: number, noiseTerm: number): number => {
    let value = sum;
    if (daily !== undefined) value += dailyTerm;
    if (weekly !== undefined) value += weeklyTerm;
    if (noise !== 0) value += noiseTerm;
    return value;
  };
  return {
    shape: 'number',
    type: { kind: 'double' },
    distinct: { kind: 'sketch' },
    ...(timeIsNull === undefined ? {} : { isNull: (_cell: number, row: number) => timeIsNull(row) }),
    value(cell, row) {
      const parent = followed.parentOfRow(row);
      if (parent !== lastParent) enter(parent);
      const days = time.instantOf(row) / DAY_MS;
      const dailyTerm = daily === undefined ? 0 : daily.amplitude * Math.cos(TWO_PI * (days - daily.peakHour / 24));
      const weeklyTerm = weekly === undefined ? 0 : weekly.amplitude * Math.cos((TWO_PI * (days - MONDAY_DAY - weekly.peakDay)) / 7);
      const noiseDraw = Math.min(1 - 2 ** -53, Math.max(2 ** -53, unit53(cell, draw(cell, 1))));
      const noiseTerm = noise === 0 ? 0 : noise * normalQuantile(noiseDraw);
      let whole: number | undefined;
      if (amplitude !== 0) {
        // The drift with fastCosine, kept when its rounding is certain to be that of the sum with Math.cos.
        let value = parentLevel;
        for (let k = 0; k < DRIFT_TERMS; k++) value += amplitude * fastCosine(frequencies[k] * days + phases[k]);
        value = afterDrift(value, dailyTerm, weeklyTerm, noiseTerm);
        // Every partial sum is at most `magnitude`; each cosine within FAST_COSINE_ERROR of Math.cos's.
        const magnitude = Math.abs(parentLevel) + DRIFT_TERMS * amplitude + Math.abs(dailyTerm) + Math.abs(weeklyTerm) + Math.abs(noiseTerm);
        const error = DRIFT_TERMS * amplitude * FAST_COSINE_ERROR + SUM_ERROR * (magnitude + Math.abs(value));
        whole = roundedIfCertain(value, scale, error);
      }
      if (whole === undefined) {
        let value = parentLevel;
        for (let k = 0; k < DRIFT_TERMS && amplitude !== 0; k++) value += amplitude * Math.cos(frequencies[k] * days + phases[k]);
        whole = Math.round(afterDrift(value, dailyTerm, weeklyTerm, noiseTerm) * scale);
      }
      const rounded = whole / scale;
      VALUE_KEY[0] = numberKey(whole);
      VALUE_NUMBER[0] = rounded;
      return rounded;
    },
  };
}

/** The lag-1 covariance of a series' values `days` apart, and their variance, as declared (without the levels). */
export function declaredCovariance(column: SeriesValueColumnDocument, days: number): { covariance: number; variance: number } {
  const driftVariance = (column.drift?.standardDeviation ?? 0) ** 2;
  const dailyVariance = (column.daily?.amplitude ?? 0) ** 2 / 2;
  const weeklyVariance = (column.weekly?.amplitude ?? 0) ** 2 / 2;
  const covariance = driftVariance * Math.exp(-days / (column.drift?.reversionDays ?? 1))
    + dailyVariance * Math.cos(TWO_PI * days) + weeklyVariance * Math.cos((TWO_PI * days) / 7);
  return { covariance, variance: driftVariance + dailyVariance + weeklyVariance + (column.noise ?? 0) ** 2 };
}

/** The daily and weekly cycles a series declares, with their peaks in days from the epoch (series-cycles.ts). */
export function declaredCycles(column: SeriesValueColumnDocument): DeclaredCycle[] {
  const cycles: DeclaredCycle[] = [];
  if (column.daily !== undefined) cycles.push({ name: 'daily', periodDays: 1, amplitude: column.daily.amplitude, peakDays: column.daily.peakHour / 24, originDays: 0 });
  if (column.weekly !== undefined) {
    cycles.push({ name: 'weekly', periodDays: 7, amplitude: column.weekly.amplitude, peakDays: (MONDAY_DAY + column.weekly.peakDay) % 7, originDays: MONDAY_DAY });
  }
  return cycles;
}

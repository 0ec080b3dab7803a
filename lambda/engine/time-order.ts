/**
 * A timestamp column's instants when it declares an order or weights (src/contract/distributions.ts).
 *
 * The time density over [from, to] is uniform, or ∝ hourWeights[hour] × dayWeights[day] (UTC, Monday first). It is
 * periodic by the week, so its cumulative mass is whole weeks × a week's mass + the cumulative weights of the hours of
 * the week (168, precomputed) + a part of one hour: Q, the inverse, is a division, a binary search over 168 sums and a
 * linear step inside the hour, for a range of any length (no table of the range's hours, no cap).
 *
 * Uniform order: t = Q(u). Ascending: row r of a table of N rows takes t = Q((r + u)/N), inside its own slot of the
 * run's time, so the values are non-decreasing in row order within an object and across parts at any shard count,
 * with jitter inside each slot. Q is monotone even where floating point rounds (its pieces are clamped to their hour
 * and week), so the order holds exactly.
 */
import { firstAbove } from './distributions';
import type { TimestampColumnDocument } from '../../src/contract/column-documents';
import {
  A_MONDAY_MS, HOUR_MS, WEEK_HOURS, WEEK_MS, msPerHourOfWeek, weekWeights,
} from '../../src/contract/distributions';

const GUIDE = 256;

/** Q: the instant (epoch ms, not yet floored) at share x in [0, 1] of the density's mass over [from, to + 1 ms). */
export type TimeQuantile = (x: number) => number;

export function timeQuantile(column: TimestampColumnDocument): TimeQuantile {
  const from = Date.parse(column.from);
  const end = Date.parse(column.to) + 1;
  if (column.hourWeights === undefined && column.dayWeights === undefined) {
    const span = end - from;
    return (x) => from + x * span;
  }
  const weights = weekWeights(column.hourWeights, column.dayWeights);
  const cumulative = new Float64Array(WEEK_HOURS + 1);
  for (let h = 0; h < WEEK_HOURS; h++) cumulative[h + 1] = cumulative[h] + weights[h];
  const weekMass = cumulative[WEEK_HOURS];
  const ends = cumulative.subarray(1);
  // Where the search starts for each 1/256 of a week's mass: a step or two from the answer, not eight of a binary search.
  const guide = new Uint8Array(GUIDE + 1);
  for (let j = 0; j <= GUIDE; j++) guide[j] = firstAbove(ends, WEEK_HOURS - 1, (j / GUIDE) * weekMass);
  const perGuide = GUIDE / weekMass;
  // Counted from the Monday 00:00 UTC at or before `from`, so the numbers stay small.
  const origin = from - ((((from - A_MONDAY_MS) % WEEK_MS) + WEEK_MS) % WEEK_MS);
  const massAt = (ms: number) => {
    const t = ms - origin;
    const weeks = Math.floor(t / WEEK_MS);
    const inWeek = t - weeks * WEEK_MS;
    const h = Math.min(WEEK_HOURS - 1, Math.floor(inWeek / HOUR_MS));
    return weeks * weekMass + cumulative[h] + ((inWeek - h * HOUR_MS) / HOUR_MS) * weights[h];
  };
  const start = massAt(from);
  const total = massAt(end) - start;
  return (x) => {
    const mass = start + x * total;
    const weeks = Math.floor(mass / weekMass);
    const rest = mass - weeks * weekMass;
    if (rest <= 0) return origin + weeks * WEEK_MS;
    if (rest >= weekMass) return origin + (weeks + 1) * WEEK_MS;
    // The hour with cumulative[h] <= rest < cumulative[h + 1] (its weight is positive): firstAbove's answer, from the guide.
    let lo = guide[Math.floor(rest * perGuide)];
    while (lo > 0 && ends[lo - 1] > rest) lo--;
    while (lo < WEEK_HOURS - 1 && ends[lo] <= rest) lo++;
    const within = Math.min(1, Math.max(0, (rest - cumulative[lo]) / weights[lo]));
    return origin + weeks * WEEK_MS + (lo + within) * HOUR_MS;
  };
}

/**
 * The expected share of each hour of the week among instants made at shares of the mass in [x0, x1) (the whole range:
 * 0 and 1; an ascending column's rows r0..r1 of N: r0/N and r1/N), from the actual hours of that stretch of time.
 */
export function expectedHourOfWeekShares(column: TimestampColumnDocument, x0: number, x1: number): Float64Array {
  const quantile = timeQuantile(column);
  const weights = weekWeights(column.hourWeights, column.dayWeights);
  const ms = msPerHourOfWeek(quantile(x0), quantile(x1));
  const shares = ms.map((length, h) => length * weights[h]);
  const total = shares.reduce((sum, share) => sum + share, 0);
  return total > 0 ? shares.map((share) => share / total) : shares;
}

/**
 * What the iot dataset's values must satisfy, stated in SQL and checked by DuckDB from the files alone (the demo's step
 * "values", and the example tests):
 * - lookups agree with the parent tables, by joins: each device's model name is its model's, each reading's site its
 *   device's;
 * - each device's readings: none before its installation, in time order in the file, covering at least 90% of its life
 *   (from its installation, or the range's start, to the range's end);
 * - readings per device follow the Poisson count law, drawn independently per device;
 * - the temperatures move as declared: the lag-1 autocorrelation within devices against the declared drift, daily cycle
 *   and noise at the pairs' own time steps, and the daily cycle's amplitude and peak hour by a regression on the time of
 *   day within each device (computed here, not by the engine's report).
 */
import { truncatedPoisson } from './law-moments';
import { countLawCheck, noneBreak, numberOf, orderedPerParent, rounded, sqlTimestamp } from './sql-checks';
import type { SqlCheck } from '../local-cloud/integrity';

/** The iot example's laws and bounds: the one place iot-app.ts and these checks read them from. */
export const IOT_VALUES = {
  models: 12,
  devices: 900,
  installedAt: { from: '2025-01-01T00:00:00Z', to: '2025-06-15T00:00:00Z' },
  readAt: { from: '2025-01-01T00:00:00Z', to: '2025-06-30T23:59:59Z' },
  readingsPerDevice: { min: 50, max: 3000, mean: 1000 },
  temperature: {
    levelMin: 18, levelMax: 26, driftStandardDeviation: 1.5, driftReversionDays: 5, dailyAmplitude: 4, dailyPeakHour: 15, noise: 0.2,
  },
  /** The least share of its life each device's readings cover. */
  coverage: 0.9,
} as const;

const DAY_MS = 86_400_000;

/** The checks of the iot dataset (examples/iot-app.ts). */
export function iotSqlChecks(): SqlCheck[] {
  const { readingsPerDevice, readAt, temperature, coverage } = IOT_VALUES;
  const driftVariance = temperature.driftStandardDeviation ** 2;
  const dailyVariance = temperature.dailyAmplitude ** 2 / 2;
  const variance = driftVariance + dailyVariance + temperature.noise ** 2;
  return [
    noneBreak('devices.model_name is the name of the device\'s model (a lookup, by a join)',
      `SELECT count(*) FILTER (WHERE m.model_id IS NULL OR d.model_name IS DISTINCT FROM m.model_name), count(*)
        FROM devices d LEFT JOIN device_models m USING (model_id)`,
      'devices with another name than their model\'s'),
    noneBreak('readings.site is the site of the reading\'s device (a lookup, by a join)',
      `SELECT count(*) FILTER (WHERE d.device_id IS NULL OR r.site IS DISTINCT FROM d.site), count(*)
        FROM readings r LEFT JOIN devices d USING (device_id)`,
      'readings from another site than their device\'s'),
    noneBreak('readings: none before its device\'s installation, none after the range',
      `SELECT count(*) FILTER (WHERE d.device_id IS NULL OR r.read_at < d.installed_at OR r.read_at > ${sqlTimestamp(readAt.to)}), count(*)
        FROM readings r LEFT JOIN devices d USING (device_id)`,
      'readings outside their device\'s life'),
    orderedPerParent('readings: each device\'s readings in time order in the file', 'readings', 'device_id', 'read_at',
      'readings earlier than their device\'s reading before'),
    {
      name: `readings: each device's readings cover at least ${coverage * 100}% of its life (installation, or ${readAt.from}, to ${readAt.to})`,
      query: `WITH spans AS (
          SELECT d.device_id, epoch_ms(greatest(d.installed_at, ${sqlTimestamp(readAt.from)})) AS born,
            epoch_ms(min(r.read_at)) AS first, epoch_ms(max(r.read_at)) AS last
          FROM devices d JOIN readings r USING (device_id) GROUP BY d.device_id, d.installed_at),
        covered AS (SELECT (last - first) / (epoch_ms(${sqlTimestamp(readAt.to)}) - born)::DOUBLE AS share FROM spans)
        SELECT count(*) FILTER (WHERE share < ${coverage}), count(*), min(share) FROM covered`,
      judge: ([[short, devices, least]]) => ({
        ok: numberOf(short) === 0 && numberOf(devices) > 0,
        observed: `${numberOf(short)} of ${numberOf(devices)} devices under ${coverage * 100}%; the least covers ${rounded(numberOf(least) * 100, 1)}%`,
      }),
    },
    countLawCheck({
      parent: 'devices',
      each: 'device',
      key: 'device_id',
      child: 'readings',
      reference: 'device_id',
      lawName: `Poisson(${readingsPerDevice.mean}) over ${readingsPerDevice.min}..${readingsPerDevice.max}`,
      law: truncatedPoisson(readingsPerDevice.mean, readingsPerDevice.min, readingsPerDevice.max),
    }),
    {
      // 1 − E[D²] / 2V, D the step between consecutive readings of one device (its level cancels), against the mean
      // declared covariance at the pairs' own steps over V: σ² e^(−Δ/τ) + (A²/2) cos(2πΔ), V = σ² + A²/2 + noise².
      name: `readings.temperature: lag-1 autocorrelation within devices as declared (drift σ ${temperature.driftStandardDeviation} over `
        + `${temperature.driftReversionDays} days, daily ±${temperature.dailyAmplitude}, noise ${temperature.noise})`,
      query: `WITH ordered AS (SELECT device_id, read_at, temperature, row_number() OVER () AS r FROM readings),
          pairs AS (
            SELECT temperature - lag(temperature) OVER w AS step, (epoch_ms(read_at) - epoch_ms(lag(read_at) OVER w)) / ${DAY_MS}.0 AS days
            FROM ordered WINDOW w AS (PARTITION BY device_id ORDER BY r))
        SELECT count(step), avg(step * step),
          avg(${driftVariance} * exp(-days / ${temperature.driftReversionDays}) + ${dailyVariance} * cos(2 * pi() * days))
        FROM pairs WHERE step IS NOT NULL`,
      judge: ([[pairs, meanSquare, covariance]]) => {
        const n = numberOf(pairs);
        const observed = 1 - numberOf(meanSquare) / (2 * variance);
        const expected = numberOf(covariance) / variance;
        const margin = (5 * Math.SQRT2 * (1 - expected)) / Math.sqrt(n) + 0.05;
        return {
          ok: n > 0 && Math.abs(observed - expected) <= margin,
          observed: `${rounded(observed)} over ${n} pairs (expected ${rounded(expected)} ± ${rounded(margin)})`,
        };
      },
    },
    {
      // temperature − its device's mean regressed on cos and sin of the time of day (each less its device's mean):
      // a = A cos(2π p / 24), b = A sin(2π p / 24) for a cycle A cos(2π (h − p) / 24).
      name: `readings.temperature: a daily cycle of amplitude ${temperature.dailyAmplitude} ± 5% peaking at `
        + `${temperature.dailyPeakHour}:00 UTC ± 15 minutes`,
      query: `WITH phases AS (
            SELECT device_id, temperature AS y, 2 * pi() * (epoch_ms(read_at) % ${DAY_MS}) / ${DAY_MS}.0 AS angle FROM readings),
          centered AS (
            SELECT y - avg(y) OVER d AS y, cos(angle) - avg(cos(angle)) OVER d AS c, sin(angle) - avg(sin(angle)) OVER d AS s
            FROM phases WINDOW d AS (PARTITION BY device_id))
        SELECT sum(c * c), sum(s * s), sum(c * s), sum(c * y), sum(s * y), count(*) FROM centered`,
      judge: ([[cc, ss, cs, cy, sy, count]]) => {
        const [scc, sss, scs, scy, ssy] = [cc, ss, cs, cy, sy].map(numberOf);
        const determinant = scc * sss - scs * scs;
        const a = (sss * scy - scs * ssy) / determinant;
        const b = (scc * ssy - scs * scy) / determinant;
        const amplitude = Math.hypot(a, b);
        const peak = ((Math.atan2(b, a) * 24) / (2 * Math.PI) + 24) % 24;
        const apart = Math.min(Math.abs(peak - temperature.dailyPeakHour), 24 - Math.abs(peak - temperature.dailyPeakHour));
        return {
          ok: numberOf(count) > 0 && Math.abs(amplitude - temperature.dailyAmplitude) <= 0.05 * temperature.dailyAmplitude && apart <= 0.25,
          observed: `amplitude ${rounded(amplitude)}, peak at ${rounded(peak, 2)} h UTC over ${numberOf(count)} readings`,
        };
      },
    },
  ];
}

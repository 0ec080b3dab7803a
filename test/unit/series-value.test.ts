/**
 * Numbers that evolve per entity (seriesValue): a device's temperature is its own level plus a smooth drift, a daily
 * cycle peaking at the declared hour and noise; consecutive readings of one device are strongly correlated (the
 * report's seriesLag1 check passes against the declared figure, and fails where the values jump independently; its
 * seriesCycle check finds each declared cycle's amplitude and peak, and fails on another); any
 * row range alone or cut into any number of parts equals the whole table's rows; mistakes are refused at synth.
 */
import fc from 'fast-check';
import { conformanceChecks } from '../../lambda/engine/conformance';
import { CycleFitter, cycleHolds, peakDistance } from '../../lambda/engine/series-cycles';
import { validateDatasetDocument } from '../../src/contract/dataset-document';
import { Column } from '../../src/schema';
import { rowsOfTable, tableOf } from '../support/dataset-rows';

const temperature = {
  name: 'temperature',
  type: 'seriesValue',
  reference: 'device_id',
  time: 'read_at',
  level: { min: 18, max: 24 },
  drift: { standardDeviation: 1.5, reversionDays: 3 },
  daily: { amplitude: 4, peakHour: 15 },
  noise: 0.2,
  fractionDigits: 2,
};
const datasetWith = (value: Record<string, unknown>) => validateDatasetDocument({
  tables: [
    { name: 'devices', rows: 40, columns: [{ name: 'device_id', type: 'sequence' }] },
    {
      name: 'readings',
      columns: [
        { name: 'device_id', type: 'reference', table: 'devices', column: 'device_id', children: { min: 100, max: 300, distribution: { kind: 'uniform' } } },
        { name: 'read_at', type: 'seriesTime', reference: 'device_id', from: '2025-06-01T00:00:00Z', to: '2025-06-30T23:59:59Z' },
        value,
      ],
    },
  ],
});
const IOT = datasetWith(temperature);

describe('numbers that evolve per entity', () => {
  test('each device has its level, a daily cycle peaking at 15:00 UTC, and smooth steps; the report checks the autocorrelation', async () => {
    const { records, report } = await rowsOfTable(IOT, 'readings', 6);
    const byHour = Array.from({ length: 24 }, () => [] as number[]);
    let steps = 0;
    let stepSquares = 0;
    const means = new Map<string, number[]>();
    records.forEach(([device, at, value], i) => {
      byHour[new Date(at).getUTCHours()].push(Number(value));
      if (!means.has(device)) means.set(device, []);
      means.get(device)!.push(Number(value));
      if (i > 0 && records[i - 1][0] === device) {
        steps++;
        stepSquares += (Number(value) - Number(records[i - 1][2])) ** 2;
      }
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Peak at 15h, trough at 3h: 2 × 4 degrees apart, give or take the levels' and drift's spread over a few hundred readings.
    expect(mean(byHour[15]) - mean(byHour[3])).toBeGreaterThan(6.5);
    expect(mean(byHour[15]) - mean(byHour[3])).toBeLessThan(9.5);
    // Devices keep their own levels (uniform 18 to 24, the daily cycle averaging out).
    const levels = [...means.values()].map(mean);
    expect(Math.max(...levels) - Math.min(...levels)).toBeGreaterThan(3);
    // Steps between consecutive readings (about 3.6 hours apart) are smaller than values that jumped independently
    // would be: √(2 × (4²/2 + 1.5² + 0.2²)) = 6.0 degrees.
    expect(Math.sqrt(stepSquares / steps)).toBeLessThan(3.5);
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
    const lag1 = report.conformance.find((check) => check.check === 'seriesLag1')!;
    expect(lag1.declared).toMatch(/^lag-1 autocorrelation within each device_id 0\.[5-9]\d\d ± 0\.\d\d\d/);
    const daily = report.conformance.find((check) => check.check === 'seriesCycle')!;
    expect(daily.declared).toMatch(/^daily amplitude 4\.000 ± 0\.\d+, peak at 15\.00 h UTC ± 0\.\d+ h$/);
    expect(daily.observed).toMatch(/^amplitude [34]\.\d{3}, peak at 1[45]\.\d\d h UTC over \d+ pairs$/);
  });

  test('the report measures a daily and a weekly cycle together, each with its amplitude and peak', async () => {
    const both = datasetWith({ ...temperature, weekly: { amplitude: 2, peakDay: 5.5 } });
    const { report } = await rowsOfTable(both, 'readings', 6);
    const cycles = report.conformance.filter((check) => check.check === 'seriesCycle');
    expect(cycles.map((check) => check.declared)).toEqual([
      expect.stringMatching(/^daily amplitude 4\.000 ± [\d.]+, peak at 15\.00 h UTC/),
      expect.stringMatching(/^weekly amplitude 2\.000 ± [\d.]+, peak at day 5\.50 from Monday/),
    ]);
    expect(cycles.every((check) => check.pass)).toBe(true);
  });

  test('a fit of pairs finds the amplitude and peak they were made with, and refuses another amplitude or peak', () => {
    // Pairs 1 to 3 hours apart over a month: 3 cos(2π(t − 0.25)) plus a level that the steps cancel and noise of 0.3.
    const made = (days: number) => 3 * Math.cos(2 * Math.PI * (days - 0.25));
    let state = 7;
    const noise = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return (state / 2147483648 - 0.5) * 0.3 * Math.sqrt(12);
    };
    const fitOf = (amplitude: number, peakDays: number) => {
      const fitter = new CycleFitter([{ name: 'daily', periodDays: 1, amplitude, peakDays, originDays: 0 }]);
      state = 7;
      for (let i = 0; i < 2000; i++) {
        const before = (i * 30) / 2000;
        const after = before + (1 + (i % 3)) / 24;
        fitter.add(before, after, made(after) + noise() - (made(before) + noise()));
      }
      return fitter.fit()![0];
    };
    const right = fitOf(3, 0.25);
    expect(right.amplitude).toBeCloseTo(3, 1);
    expect(right.peakDays).toBeCloseTo(0.25, 2);
    expect(cycleHolds(right)).toBe(true);
    expect(cycleHolds(fitOf(4, 0.25))).toBe(false);
    expect(cycleHolds(fitOf(3, 0.5))).toBe(false);
    // 0.99 and 0.01 of a day are 0.02 apart on the clock, not 0.98.
    expect(peakDistance(0.99, 0.01, 1)).toBeCloseTo(0.02, 12);
  });

  test('values that jump independently fail the declared autocorrelation', () => {
    const column = tableOf(IOT, 'readings').columns[2];
    const judged = conformanceChecks({
      columns: [column],
      rows: 1000,
      nulls: new Float64Array(1),
      counters: [],
      firstRow: 0,
      series: [{ pairs: 1000, observed: 0.02, expected: 0.95, margin: 0.06 }],
    });
    expect(judged).toEqual([expect.objectContaining({ check: 'seriesLag1', observed: '0.020 over 1000 pairs', pass: false })]);
  });

  test('any row range alone, or cut into any number of parts, equals the whole table\'s rows (fast-check)', async () => {
    const rows = tableOf(IOT, 'readings').rows;
    const whole = (await rowsOfTable(IOT, 'readings', 12)).bytes.toString('utf8').split('\n').slice(0, -1);
    await fc.assert(fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: rows - 1 }), { maxLength: 6 }), async (cuts) => {
      const edges = [0, ...cuts.sort((a, b) => a - b), rows];
      const parts: string[] = [];
      for (let i = 0; i + 1 < edges.length; i++) {
        parts.push(...(await rowsOfTable(IOT, 'readings', 12, edges[i], edges[i + 1] - edges[i])).bytes.toString('utf8').split('\n').slice(0, -1));
      }
      expect(parts).toEqual(whole);
    }), { numRuns: 15 });
  });

  test('a known seed keeps making the same rows (changing them is a breaking change)', async () => {
    expect((await rowsOfTable(IOT, 'readings', 20261207, 0, 6)).bytes.toString('utf8')).toMatchSnapshot();
  });
});

describe('refused at synth, saying where and what to do', () => {
  const at = 'dataset.tables[1] (readings).columns[2] (temperature)';
  test.each([
    ['a time that is not a timestamp', { time: 'device_id' }, `${at}.time is "device_id", a reference column: a series' values follow a timestamp of the row`],
    ['a level upside down', { level: { min: 5, max: 1 } }, `${at}.level: min (5) is greater than max (1)`],
    ['a drift that never forgets', { drift: { standardDeviation: 1, reversionDays: 0 } }, `${at}.drift.reversionDays is 0: a number above 0`],
    ['a negative noise', { noise: -1 }, `${at}.noise is -1: a number from 0`],
    ['nullPercent', { nullPercent: 5 }, `${at}: nullPercent is 5 on a seriesValue`],
  ])('%s', (_what, change, message) => {
    expect(() => datasetWith({ ...temperature, ...change })).toThrow(message);
  });

  test('the typed API writes the JSON form', () => {
    expect(Column.seriesValue('temperature', {
      reference: 'device_id',
      time: 'read_at',
      levelMin: 18,
      levelMax: 24,
      driftStandardDeviation: 1.5,
      driftReversionDays: 3,
      dailyAmplitude: 4,
      dailyPeakHour: 15,
      noise: 0.2,
    })._toDocument()).toEqual({
      name: 'temperature',
      type: 'seriesValue',
      reference: 'device_id',
      time: 'read_at',
      level: { min: 18, max: 24 },
      drift: { standardDeviation: 1.5, reversionDays: 3 },
      daily: { amplitude: 4, peakHour: 15 },
      noise: 0.2,
    });
  });
});

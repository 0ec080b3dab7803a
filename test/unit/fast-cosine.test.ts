/**
 * The series values' cheaper cosine: a seriesValue column sums its drift with fastCosine, which is not Math.cos bit for
 * bit, and keeps the sum only when its rounding cannot differ from that of the sum with Math.cos. Users rely on the
 * bytes: a seed makes the same readings as before this cosine, whatever the column's drift, seasons, noise and digits.
 * Proven three ways: fastCosine's distance from Math.cos stays under the bound the check assumes; the check never keeps
 * a rounding that an error within its bound could change; and whole tables made with fastCosine equal, byte for byte,
 * the same tables made with Math.cos in its place (with columns chosen so that both the kept and the redone sums occur).
 */
import fc from 'fast-check';
import { FAST_COSINE_ERROR, fastCosine, roundedIfCertain } from '../../lambda/engine/fast-cosine';
import { validateDatasetDocument, type DatasetDocument } from '../../src/contract/dataset-document';

test('fastCosine is within FAST_COSINE_ERROR of Math.cos, inside its reduced range and beyond', () => {
  fc.assert(fc.property(fc.double({ min: -(2 ** 21), max: 2 ** 21, noNaN: true }), (x) => {
    expect(Math.abs(fastCosine(x) - Math.cos(x))).toBeLessThan(FAST_COSINE_ERROR);
  }), { numRuns: 50_000 });
  for (const x of [0, -0, Math.PI / 2, Math.PI, -Math.PI, 1e-300, 2 ** 20 - 0.5, -(2 ** 20) + 0.5, 2 ** 20, 1e9, Number.MAX_VALUE]) {
    expect(Math.abs(fastCosine(x) - Math.cos(x))).toBeLessThan(FAST_COSINE_ERROR);
  }
});

test('a rounding is kept only when every number within the error rounds to it', () => {
  fc.assert(fc.property(
    fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 6 }), fc.double({ min: 0, max: 1e-3, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
    (approximate, digits, error, where) => {
      const scale = 10 ** digits;
      const whole = roundedIfCertain(approximate, scale, error);
      if (whole === undefined) return;
      expect(whole).toBe(Math.round(approximate * scale));
      expect(Math.round((approximate + where * error) * scale)).toBe(whole);
    },
  ), { numRuns: 50_000 });
  // At a boundary (k + 0.5 once scaled) nothing is certain; far from one, the rounding is.
  expect(roundedIfCertain(21.375, 100, 1e-12)).toBeUndefined();
  expect(roundedIfCertain(21.3749999999, 100, 1e-9)).toBeUndefined();
  expect(roundedIfCertain(21.371, 100, 1e-9)).toBe(2137);
});

/** Readings of 30 devices whose temperature is `temperature` (a seriesValue column). */
const readingsWith = (temperature: Record<string, unknown>): DatasetDocument => validateDatasetDocument({
  tables: [
    { name: 'devices', rows: 30, columns: [{ name: 'device_id', type: 'uuid' }] },
    {
      name: 'readings',
      columns: [
        { name: 'device_id', type: 'reference', table: 'devices', column: 'device_id', children: { min: 50, max: 150, distribution: { kind: 'uniform' } } },
        { name: 'read_at', type: 'seriesTime', reference: 'device_id', from: '2024-01-01T00:00:00Z', to: '2025-12-31T23:59:59Z' },
        { name: 'temperature', type: 'seriesValue', reference: 'device_id', time: 'read_at', ...temperature },
      ],
    },
  ],
});

/** The readings' CSV as the engine makes it, with fastCosine itself or with Math.cos in its place. */
async function readings(dataset: DatasetDocument, seed: number, cosine: 'fastCosine' | 'Math.cos'): Promise<string> {
  let made: Promise<{ bytes: Buffer }> | undefined;
  jest.isolateModules(() => {
    if (cosine === 'Math.cos') {
      jest.doMock('../../lambda/engine/fast-cosine', () => ({ ...jest.requireActual('../../lambda/engine/fast-cosine'), fastCosine: Math.cos }));
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { rowsOfTable } = require('../support/dataset-rows') as typeof import('../support/dataset-rows');
    made = rowsOfTable(dataset, 'readings', seed);
  });
  jest.dontMock('../../lambda/engine/fast-cosine');
  return (await made!).bytes.toString('utf8');
}

test('series values made with fastCosine are byte for byte those made with Math.cos', async () => {
  const columns = [
    // The iot example's temperature.
    {
      level: { min: 18, max: 26 },
      drift: { standardDeviation: 1.5, reversionDays: 5 },
      daily: { amplitude: 4, peakHour: 15 },
      noise: 0.2,
      fractionDigits: 2,
    },
    // Fast drifts (frequencies whose arguments pass 2^20, where fastCosine is Math.cos), a week's season, six digits.
    { level: { min: -5, max: 5 }, drift: { standardDeviation: 3, reversionDays: 0.001 }, weekly: { amplitude: 2, peakDay: 3 }, fractionDigits: 6 },
    // A drift so large, at six digits, that no sum is certain: every one is redone with Math.cos.
    { level: { min: 0, max: 1 }, drift: { standardDeviation: 1e7, reversionDays: 30 }, noise: 5, fractionDigits: 6 },
    // Whole numbers, and no drift at all (Math.cos alone).
    { level: { min: 100, max: 200 }, drift: { standardDeviation: 20, reversionDays: 2 }, fractionDigits: 0 },
    { level: { min: 10, max: 20 }, daily: { amplitude: 1, peakHour: 3 }, noise: 1, fractionDigits: 3 },
  ];
  for (const [i, temperature] of columns.entries()) {
    const dataset = readingsWith(temperature);
    const fast = await readings(dataset, 100 + i, 'fastCosine');
    expect(fast.split('\n').length).toBeGreaterThan(1_500);
    expect(fast).toBe(await readings(dataset, 100 + i, 'Math.cos'));
  }
});

test('the mock of the comparison above takes: with a cosine that is off, the values differ', async () => {
  const dataset = readingsWith({ level: { min: 18, max: 26 }, drift: { standardDeviation: 1.5, reversionDays: 5 }, fractionDigits: 2 });
  let made: Promise<{ bytes: Buffer }> | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../lambda/engine/fast-cosine', () => ({
      ...jest.requireActual('../../lambda/engine/fast-cosine'), fastCosine: (x: number) => Math.cos(x) + 1e-3,
    }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { rowsOfTable } = require('../support/dataset-rows') as typeof import('../support/dataset-rows');
    made = rowsOfTable(dataset, 'readings', 7);
  });
  jest.dontMock('../../lambda/engine/fast-cosine');
  expect((await made!).bytes.toString('utf8')).not.toBe(await readings(dataset, 7, 'fastCosine'));
});

/**
 * How the engine's values are spread: uniform over ranges, in proportion to weights. The property tests
 * check that every cell is in range and the boundary tests that both ends are reached; these check the
 * frequencies in between, which neither would notice if a range leaned to one side.
 */
import { engineOutput, parseCsv, schemaOf } from '../support/engine-output';

const ROWS = 100_000;

/** Cells of a one-column schema. */
async function cells(column: Record<string, unknown>): Promise<string[]> {
  const { bytes } = await engineOutput({ schema: schemaOf({ name: 'c', ...column }), seed: 2024, rowCount: ROWS });
  return parseCsv(bytes).slice(1).map((row) => row[0]);
}

/** Expects each bin's count within five binomial standard deviations of ROWS × its share (one false alarm in millions). */
function expectShares(counts: number[], shares: number[]): void {
  counts.forEach((count, i) => {
    const p = shares[i];
    expect(Math.abs(count - ROWS * p)).toBeLessThanOrEqual(5 * Math.sqrt(ROWS * p * (1 - p)) + 1e-9);
  });
}

test('integers are uniform over their range', async () => {
  const counts = new Array(10).fill(0);
  for (const cell of await cells({ type: 'integer', min: -4, max: 5 })) counts[Number(cell) + 4]++;
  expectShares(counts, new Array(10).fill(0.1));
});

test('decimals are uniform over their steps', async () => {
  const counts = new Array(10).fill(0);
  for (const cell of await cells({ type: 'decimal', min: 0, max: 99.99, fractionDigits: 2 })) counts[Math.floor(Number(cell) / 10)]++;
  expectShares(counts, new Array(10).fill(0.1));
});

test('timestamps are uniform over their range, in ranges short and long', async () => {
  for (const [from, to] of [['2024-01-01T00:00:00Z', '2024-01-01T00:00:09Z'], ['1900-01-01T00:00:00Z', '2199-12-31T23:59:59Z']]) {
    const start = Date.parse(from);
    const span = Date.parse(to) - start + 1; // every millisecond from `from` to `to`, both included
    const counts = new Array(10).fill(0);
    for (const cell of await cells({ type: 'timestamp', from, to })) counts[Math.min(9, Math.floor(((Date.parse(cell) - start) / span) * 10))]++;
    expectShares(counts, new Array(10).fill(0.1));
  }
});

test('a weighted choice picks each value in proportion to its weight', async () => {
  const values = ['web', 'store', 'phone', 'never'];
  const counts = new Array(values.length).fill(0);
  for (const cell of await cells({ type: 'oneOf', values, weights: [70, 25, 5, 0] })) counts[values.indexOf(cell)]++;
  expectShares(counts, [0.7, 0.25, 0.05, 0]);
});

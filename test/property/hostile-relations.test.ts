/**
 * Hostile input to the options of related tables: lookups (through, column), helper columns (omit), lags (after, minLag,
 * maxLag, unit, distribution), series (reference, start, from, to, time, level, drift, daily, weekly, noise) and child
 * counts (children.min, children.distribution), each set to wrong types, numbers at and past every edge, unicode and
 * control characters, `__proto__` keys. Every dataset is either refused with an InvalidInputError whose message is one
 * printable line naming the dataset, or accepted, and then it validates to itself and makes rows of every table.
 * fast-check picks the seeds; a failure prints the seed and path that reproduce it.
 */
import * as fc from 'fast-check';
import { validateDatasetDocument, type DatasetDocument } from '../../src/contract/dataset-document';
import { rowsOfTable } from '../support/dataset-rows';
import { expectCleanRejection, hostileValue } from '../support/hostile-values';

const VALID = {
  tables: [
    {
      name: 'products',
      rows: 20,
      columns: [
        { name: 'product_id', type: 'uuid' },
        { name: 'price', type: 'decimal', min: 1, max: 50 },
        { name: 'since', type: 'timestamp', from: '2025-01-01', to: '2025-03-01', nullPercent: 10 },
      ],
    },
    {
      name: 'items',
      columns: [
        { name: 'product_id', type: 'reference', table: 'products', column: 'product_id', children: { min: 0, max: 6, distribution: { kind: 'poisson', mean: 3 } } },
        { name: 'price', type: 'lookup', through: ['product_id'], column: 'price' },
        { name: 'since', type: 'lookup', through: ['product_id'], column: 'since', omit: true },
        { name: 'sold_at', type: 'seriesTime', reference: 'product_id', start: 'since', from: '2025-01-01', to: '2025-06-01' },
        { name: 'shipped_at', type: 'timestampAfter', after: 'sold_at', minLag: 1, maxLag: 48, unit: 'hours', distribution: { kind: 'lognormal', mu: 2, sigma: 0.5 } },
        { name: 'stock', type: 'seriesValue', reference: 'product_id', time: 'sold_at', level: { min: 10, max: 90 }, drift: { standardDeviation: 5, reversionDays: 10 }, daily: { amplitude: 2, peakHour: 12 }, noise: 1 },
        { name: 'total', type: 'derived', expression: 'price * 2' },
      ],
    },
  ],
};

/** The fields a mutation may set, per column of `items` (by position), with nested paths for objects. */
const TARGETS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [0, ['children', 'min']], [0, ['children', 'max']], [0, ['children', 'distribution']], [0, ['children', 'distribution', 'kind']],
  [0, ['children', 'distribution', 'mean']], [0, ['children', 'distribution', '__proto__']],
  [1, ['through']], [1, ['through', '0']], [1, ['column']], [1, ['omit']], [1, ['nullPercent']],
  [2, ['omit']], [2, ['through']],
  [3, ['reference']], [3, ['start']], [3, ['from']], [3, ['to']], [3, ['omit']],
  [4, ['after']], [4, ['minLag']], [4, ['maxLag']], [4, ['unit']], [4, ['distribution']], [4, ['distribution', 'sigma']], [4, ['nullPercent']],
  [5, ['time']], [5, ['level']], [5, ['level', 'min']], [5, ['drift']], [5, ['drift', 'reversionDays']], [5, ['daily', 'peakHour']],
  [5, ['weekly']], [5, ['noise']], [5, ['fractionDigits']], [5, ['constructor']],
];

function mutated(path: readonly string[], column: number, value: unknown): unknown {
  const document = JSON.parse(JSON.stringify(VALID));
  let target = document.tables[1].columns[column];
  for (const step of path.slice(0, -1)) {
    if (typeof target[step] !== 'object' || target[step] === null) target[step] = {};
    target = target[step];
  }
  Object.defineProperty(target, path[path.length - 1], { value, enumerable: true, configurable: true, writable: true });
  return document;
}

describe('hostile options of related tables', () => {
  test('are refused cleanly, naming the dataset, or accepted and usable (fast-check)', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(fc.asyncProperty(fc.constantFrom(...TARGETS), hostileValue, async ([column, path], value) => {
      let dataset: DatasetDocument;
      try {
        dataset = validateDatasetDocument(mutated(path, column, value));
      } catch (e) {
        expectCleanRejection(e, /^dataset/);
        refused++;
        return;
      }
      expect(validateDatasetDocument(JSON.parse(JSON.stringify(dataset)))).toEqual(dataset);
      for (const table of dataset.tables) {
        const { records } = await rowsOfTable(dataset, table.name, 7, 0, Math.min(table.rows, 50));
        expect(records).toHaveLength(Math.min(table.rows, 50));
      }
      accepted++;
    }), { numRuns: 300 });
    expect(refused).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
  });
});

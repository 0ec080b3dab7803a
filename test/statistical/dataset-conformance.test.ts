/**
 * The conformance report raises no false alarm on related tables: every check (distributions, distinct counts, children
 * per parent, skewed, uniform and children references) passes on every row of a 40-table dataset, for two seeds; more
 * than 5,000 checks, each a statistical test of what the engine made. Not in unit/: it makes every row of 40 tables twice.
 */
import { validateDatasetDocument } from '../../src/contract/dataset-document';
import { bigDatasetDocument } from '../support/big-dataset';
import { rowsOfTable } from '../support/dataset-rows';

test('no false alarm: every check of a 40-table dataset (skewed, uniform and children references) passes, for several seeds', async () => {
  const dataset = validateDatasetDocument(bigDatasetDocument(40, 30, true));
  let checks = 0;
  for (const seed of [1, 2]) {
    for (const table of dataset.tables) {
      const { report } = await rowsOfTable(dataset, table.name, seed);
      checks += report.conformance.length;
      expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
    }
  }
  expect(checks).toBeGreaterThan(5000);
});

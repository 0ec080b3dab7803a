/**
 * Child counts from a law: each parent's count is drawn on its own from uniform, Poisson or Zipf over min..max (zero
 * allowed); the child table's rows are their sum, known at synth; the rows are each parent's children, contiguous, in
 * parent order, parents without children skipped; consecutive counts are independent (the report's lag-1 check, which
 * the paired layout fails); any row range made alone, or cut into any number of parts, equals the whole table's rows;
 * and the law's options are refused at synth with a message that says what to do.
 */
import fc from 'fast-check';
import { childCountKey, childLayoutOf, BLOCK_PARENTS } from '../../src/contract/child-counts';
import type { ReferenceColumnDocument } from '../../src/contract/column-documents';
import { childRowCount, validateDatasetDocument } from '../../src/contract/dataset-document';
import { ChildCounts } from '../../src/relation-options';
import { Column } from '../../src/schema';
import { rowsOfTable, tableOf } from '../support/dataset-rows';

const datasetWith = (children: Record<string, unknown>, parents = 3000) => validateDatasetDocument({
  tables: [
    { name: 'customers', rows: parents, columns: [{ name: 'customer_id', type: 'sequence' }] },
    {
      name: 'orders',
      columns: [
        { name: 'order_id', type: 'uuid' },
        { name: 'customer_id', type: 'reference', table: 'customers', column: 'customer_id', children },
      ],
    },
  ],
});

/** Each customer's number of orders, in customer order, from the rows (0 for those without any). */
async function countsOf(dataset: ReturnType<typeof datasetWith>, seed: number): Promise<number[]> {
  const parents = tableOf(dataset, 'customers').rows;
  const counts = new Array<number>(parents).fill(0);
  let previous = -1;
  for (const [, key] of (await rowsOfTable(dataset, 'orders', seed)).records) {
    const parent = Number(key) - 1;
    expect(parent).toBeGreaterThanOrEqual(previous); // contiguous, in parent order
    previous = parent;
    counts[parent]++;
  }
  return counts;
}

function lag1(counts: readonly number[]): number {
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  let products = 0;
  let squares = 0;
  counts.forEach((c, i) => {
    squares += (c - mean) ** 2;
    if (i > 0) products += (counts[i - 1] - mean) * (c - mean);
  });
  return products / squares;
}

describe('child counts from a law', () => {
  test.each([
    ['uniform 0..4', { min: 0, max: 4, distribution: { kind: 'uniform' } }, 2],
    ['Poisson of mean 1.5 over 0..20', { min: 0, max: 20, distribution: { kind: 'poisson', mean: 1.5 } }, 1.5],
    ['Zipf 1.5 over 0..500 (most customers 0 to 2 orders, a few hundreds)', { min: 0, max: 500, distribution: { kind: 'zipf', exponent: 1.5 } }, undefined],
  ])('%s: the rows are the sum of the counts, known at synth, with zeros, independent from parent to parent', async (_law, children, mean) => {
    const dataset = datasetWith(children);
    const counts = await countsOf(dataset, 5);
    const reference = tableOf(dataset, 'orders').columns[1] as ReferenceColumnDocument;
    const layout = childLayoutOf(3000, reference.children!, childCountKey('orders', 'customer_id'));
    expect(counts).toEqual(Array.from({ length: 3000 }, (_, p) => layout.countOf(p)));
    expect(tableOf(dataset, 'orders').rows).toBe(counts.reduce((a, b) => a + b, 0));
    expect(counts.filter((c) => c === 0).length).toBeGreaterThan(0);
    if (mean !== undefined) expect(Math.abs(counts.reduce((a, b) => a + b, 0) / 3000 - mean)).toBeLessThan(0.1);
    expect(Math.abs(lag1(counts))).toBeLessThan(5 / Math.sqrt(3000));
    const { report } = await rowsOfTable(dataset, 'orders', 5);
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
    expect(report.conformance.map((check) => check.check)).toEqual(expect.arrayContaining(['childrenPerParent', 'childrenMean', 'childrenLag1']));
  });

  test('Zipf counts have a heavy tail: most parents few children, the busiest hundreds', async () => {
    const counts = await countsOf(datasetWith({ min: 0, max: 500, distribution: { kind: 'zipf', exponent: 1.5 } }), 5);
    const sorted = [...counts].sort((a, b) => a - b);
    expect(sorted[1500]).toBeLessThanOrEqual(2);
    expect(sorted[2999]).toBeGreaterThan(100);
  });

  test('the counts are the same for every seed (the rows are known at synth); the values are not', async () => {
    const dataset = datasetWith({ min: 0, max: 6, distribution: { kind: 'poisson', mean: 2 } });
    expect(await countsOf(dataset, 1)).toEqual(await countsOf(dataset, 2));
    const a = (await rowsOfTable(dataset, 'orders', 1)).records.map((r) => r[0]);
    const b = (await rowsOfTable(dataset, 'orders', 2)).records.map((r) => r[0]);
    expect(a).not.toEqual(b);
  });

  test('the paired layout, only when asked for, has the artifact a law removes: consecutive counts add up to min + max', async () => {
    const paired = datasetWith({ min: 1, max: 5, distribution: { kind: 'paired' } });
    expect(tableOf(paired, 'orders').rows).toBe(childRowCount(3000, { min: 1, max: 5, distribution: { kind: 'paired' } }));
    const pairs = await countsOf(paired, 5);
    expect(pairs.every((c, p) => p % 2 === 1 || c + pairs[p + 1] === 6)).toBe(true);
    // Within a pair the correlation is -1, between pairs 0: about -1/2 over all neighbours.
    expect(lag1(pairs)).toBeLessThan(-0.4);
    // Without a distribution, the counts follow the uniform law: independent, and the same as asking for it.
    const byDefault = await countsOf(datasetWith({ min: 1, max: 5 }), 5);
    expect(Math.abs(lag1(byDefault))).toBeLessThan(5 / Math.sqrt(3000));
    expect(byDefault).toEqual(await countsOf(datasetWith({ min: 1, max: 5, distribution: { kind: 'uniform' } }), 5));
  });

  test('a row\'s parent is found without the rows before it, across block edges (any range alone, any number of parts: fast-check)', async () => {
    const dataset = datasetWith({ min: 0, max: 7, distribution: { kind: 'poisson', mean: 1 } }, 3 * BLOCK_PARENTS + 17);
    const rows = tableOf(dataset, 'orders').rows;
    const whole = (await rowsOfTable(dataset, 'orders', 9)).bytes.toString('utf8').split('\n').slice(0, -1);
    await fc.assert(fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: rows - 1 }), { maxLength: 6 }), async (cuts) => {
      const edges = [0, ...cuts.sort((a, b) => a - b), rows];
      const parts: string[] = [];
      for (let i = 0; i + 1 < edges.length; i++) {
        parts.push(...(await rowsOfTable(dataset, 'orders', 9, edges[i], edges[i + 1] - edges[i])).bytes.toString('utf8').split('\n').slice(0, -1));
      }
      expect(parts).toEqual(whole);
    }), { numRuns: 20 });
  });

  test('a minimum of -0 children is 0: the validated document writes and validates again to itself', () => {
    const dataset = datasetWith({ min: -0, max: 6, distribution: { kind: 'poisson', mean: 3 } });
    const reference = tableOf(dataset, 'orders').columns[1] as { children: { min: number } };
    expect(Object.is(reference.children.min, 0)).toBe(true);
    expect(validateDatasetDocument(JSON.parse(JSON.stringify(dataset)))).toEqual(dataset);
  });

  test('a known seed keeps making the same rows (changing them is a breaking change)', async () => {
    const dataset = datasetWith({ min: 0, max: 9, distribution: { kind: 'zipf', exponent: 1.2 } }, 40);
    expect((await rowsOfTable(dataset, 'orders', 20261207, 0, 8)).bytes.toString('utf8')).toMatchSnapshot();
  });
});

describe('refused at synth, saying where and what to do', () => {
  const at = 'dataset.tables[1] (orders).columns[1] (customer_id).children';
  test.each([
    ['0 children in the paired layout', { min: 0, max: 3, distribution: { kind: 'paired' } },
      `${at} is {"min":0,"max":3,"distribution":{"kind":"paired"}}: min and max are whole numbers with 1 <= min <= max <= 10000 (0 children is allowed with a distribution`],
    ['an unknown law', { min: 0, max: 3, distribution: { kind: 'geometric' } }, `${at}.distribution.kind is "geometric": allowed kinds are uniform, poisson, zipf, paired`],
    ['a Poisson mean of 0', { min: 0, max: 3, distribution: { kind: 'poisson', mean: 0 } }, `${at}.distribution.mean is 0: a number above 0`],
    ['a Poisson law with no mass in the range', { min: 900, max: 1000, distribution: { kind: 'poisson', mean: 2 } },
      `${at}.distribution: a Poisson law of mean 2 has almost no mass from 900 to 1000`],
    ['a stray field', { min: 0, max: 3, distribution: { kind: 'zipf', exponent: 1, mean: 2 } }, `${at}.distribution.mean is 2: not a parameter of zipf`],
  ])('%s', (_what, children, message) => {
    expect(() => datasetWith(children)).toThrow(message);
  });

  test('the typed API writes the JSON form', () => {
    expect(Column.reference('customer_id', {
      table: 'customers', column: 'customer_id', minChildren: 0, maxChildren: 300, childCounts: ChildCounts.zipf(1.5),
    })._toDocument()).toEqual({
      name: 'customer_id', type: 'reference', table: 'customers', column: 'customer_id', children: { min: 0, max: 300, distribution: { kind: 'zipf', exponent: 1.5 } },
    });
  });
});

/**
 * Related tables: the dataset document's validation (what a user gets wrong, and the message that says where), foreign
 * keys computed from the parent's key cell (every key exists, children contiguous and within their bounds, the skew
 * visible), determinism by row range for every table, and the conformance report (it passes on good data and fails
 * where an observation breaks the spec; over a 40-table dataset: test/statistical/dataset-conformance.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { conformanceChecks } from '../../lambda/engine/conformance';
import { distinctCounter, VALUE_NUMBER } from '../../lambda/engine/distinct-counters';
import {
  childRowCount, foreignKeysOf, parseDatasetDocument, validateDatasetDocument, withKeyTypes,
} from '../../src/contract/dataset-document';
import { decodeDatasetEnvironment, encodeDatasetEnvironment, PLAIN_LIMIT_BYTES } from '../../src/contract/dataset-environment';
import { validateSchemaDocument } from '../../src/contract/schema-document';
import { bigDatasetDocument } from '../support/big-dataset';
import { rowsOfTable, tableOf } from '../support/dataset-rows';

const RETAIL = parseDatasetDocument(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'retail.dataset.json'), 'utf8'));
/**
 * The retail example as it was before lookups and count laws: orders with a skewed reference and a daily and weekly
 * rhythm, items in the paired layout. Its pinned rows prove the engine still makes those kinds' bytes.
 */
const PAIRED_RETAIL = parseDatasetDocument(fs.readFileSync(path.join(__dirname, '..', 'support', 'paired-retail.dataset.json'), 'utf8'));

const customer = { name: 'customers', rows: 10, columns: [{ name: 'id', type: 'uuid' }, { name: 'n', type: 'integer' }] };
const order = (reference: Record<string, unknown>) => ({ name: 'orders', rows: 20, columns: [{ name: 'order_id', type: 'sequence' }, reference] });

describe('the dataset document', () => {
  test('the retail example: child rows follow from the parent, foreign keys listed, references typed as their keys', () => {
    // Orders, items and shipments follow from their parents by count laws, summed at synth.
    expect(RETAIL.tables.map((table) => [table.name, table.rows])).toEqual([
      ['customers', 2000], ['products', 5000], ['orders', 20456], ['order_items', 61296], ['shipments', 22680],
    ]);
    expect(foreignKeysOf(RETAIL)).toEqual([
      { table: 'orders', column: 'customer_id', parentTable: 'customers', parentColumn: 'customer_id', children: { min: 0, max: 200, distribution: { kind: 'zipf', exponent: 1.5 } } },
      { table: 'order_items', column: 'order_id', parentTable: 'orders', parentColumn: 'order_id', children: { min: 1, max: 5, distribution: { kind: 'uniform' } } },
      { table: 'order_items', column: 'product_id', parentTable: 'products', parentColumn: 'product_id' },
      { table: 'shipments', column: 'order_id', parentTable: 'orders', parentColumn: 'order_id', children: { min: 1, max: 2, distribution: { kind: 'poisson', mean: 0.25 } } },
    ]);
    expect(withKeyTypes(RETAIL, tableOf(RETAIL, 'orders')).columns[1]).toEqual({ name: 'customer_id', type: 'uuid' });
    expect(withKeyTypes(RETAIL, tableOf(RETAIL, 'order_items')).columns[1]).toEqual({ name: 'order_id', type: 'sequence', start: 100001, step: 1 });
  });

  test('a validated dataset validates again to itself (the construct writes it, the handler reads it)', () => {
    expect(validateDatasetDocument(JSON.parse(JSON.stringify(RETAIL)))).toEqual(RETAIL);
  });

  test.each([
    ['an unknown table', [customer, order({ name: 'c', type: 'reference', table: 'custmers', column: 'id' })],
      'dataset.tables[1] (orders).columns[1] (c).table is "custmers": no table of the dataset has that name; its tables are customers, orders'],
    ['an unknown column', [customer, order({ name: 'c', type: 'reference', table: 'customers', column: 'ID' })],
      'dataset.tables[1] (orders).columns[1] (c).column is "ID": table "customers" has no such column; its columns are id, n'],
    ['a key that is not unique', [customer, order({ name: 'c', type: 'reference', table: 'customers', column: 'n' })],
      'dataset.tables[1] (orders).columns[1] (c) refers to customers.n, which is not a unique key (it is a integer column)'],
    ['a key with nulls', [{ ...customer, columns: [{ name: 'id', type: 'uuid', nullPercent: 1 }] }, order({ name: 'c', type: 'reference', table: 'customers', column: 'id' })],
      'refers to customers.id, which is not a unique key (it has nullPercent 1)'],
    ['a cycle', [
      { name: 'a', rows: 1, columns: [{ name: 'id', type: 'uuid' }, { name: 'b_id', type: 'reference', table: 'b', column: 'id' }] },
      { name: 'b', rows: 1, columns: [{ name: 'id', type: 'uuid' }, { name: 'a_id', type: 'reference', table: 'a', column: 'id' }] },
    ], 'dataset has a cycle of references: a -> b -> a'],
    ['a table referring to itself', [{ name: 'a', rows: 1, columns: [{ name: 'id', type: 'uuid' }, { name: 'up', type: 'reference', table: 'a', column: 'id' }] }],
      'dataset has a cycle of references: a -> a'],
    ['two children layouts in one table', [customer, {
      name: 'items',
      columns: [
        { name: 'x', type: 'reference', table: 'customers', column: 'id', children: { min: 1, max: 2 } },
        { name: 'y', type: 'reference', table: 'customers', column: 'id', children: { min: 1, max: 2 } },
      ],
    }], 'dataset.tables[1] (items).columns[1] (y) has children, and so has column x'],
    ['rows that disagree with the children', [customer, { name: 'items', rows: 5, columns: [{ name: 'c', type: 'reference', table: 'customers', column: 'id', children: { min: 1, max: 3, distribution: { kind: 'paired' } } }] }],
      'dataset.tables[1] (items).rows is 5: the rows of a table whose column c has children follow from its parent "customers": 20 rows; leave rows out'],
    ['a table without rows', [{ name: 'a', columns: [{ name: 'id', type: 'uuid' }] }], 'dataset.tables[0] (a).rows is undefined: expected the number of rows of the table'],
    ['two tables of one name', [customer, customer], 'dataset.tables[1].name is "customers", already the name of tables[0]: table names must be unique'],
    ['a table name Athena would need quoted', [{ ...customer, name: 'Order-Items' }], 'dataset.tables[0].name is "Order-Items": a table name is 1 to 64 lower-case letters'],
    ['skew and children together', [customer, { name: 'items', columns: [{ name: 'c', type: 'reference', table: 'customers', column: 'id', skew: 1, children: { min: 1, max: 3 } }] }],
      'skew and children are both set'],
    ['a skew out of bounds', [customer, order({ name: 'c', type: 'reference', table: 'customers', column: 'id', skew: 0 })],
      'dataset.tables[1] (orders).columns[1] (c).skew is 0: a Zipf exponent above 0 and at most 5'],
    ['children out of bounds', [customer, { name: 'items', columns: [{ name: 'c', type: 'reference', table: 'customers', column: 'id', children: { min: 3, max: 2 } }] }],
      'min and max are whole numbers with 0 <= min <= max <= 10000'],
  ])('refuses %s, naming the table and column', (_, tables, message) => {
    expect(() => validateDatasetDocument({ tables })).toThrow(message);
  });

  test('a single-table schema refuses a reference, and says to declare tables', () => {
    expect(() => validateSchemaDocument({ columns: [{ name: 'c', type: 'reference', table: 'customers', column: 'id' }] }))
      .toThrow('schema.columns[0] (c) is a reference to table "customers", but this schema is a single table: declare the dataset\'s tables');
  });

  test('a large dataset travels compressed, and decodes to the same text', () => {
    const small = JSON.stringify({ tables: [customer] });
    expect(encodeDatasetEnvironment(small)).toBe(small);
    const large = JSON.stringify(validateDatasetDocument(bigDatasetDocument(10, 30)));
    expect(Buffer.byteLength(large)).toBeGreaterThan(PLAIN_LIMIT_BYTES);
    const encoded = encodeDatasetEnvironment(large);
    expect(encoded).toMatch(/^brotli:[A-Za-z0-9+/=]+$/);
    expect(encoded.length).toBeLessThan(large.length / 5);
    expect(decodeDatasetEnvironment(encoded, 'env')).toBe(large);
    expect(() => decodeDatasetEnvironment('brotli:AAAA', 'environment variable X')).toThrow(/environment variable X starts with "brotli:" but does not decompress/);
  });
});

describe('foreign keys computed from the parent\'s key cell', () => {
  test('the paired layout: every reference is a key of its parent, and every child lies in a contiguous run of 1 to 5 per order, all orders covered', async () => {
    const customers = await rowsOfTable(PAIRED_RETAIL, 'customers', 11);
    const orders = await rowsOfTable(PAIRED_RETAIL, 'orders', 11);
    const items = await rowsOfTable(PAIRED_RETAIL, 'order_items', 11);
    const customerIds = new Set(customers.records.map((r) => r[0]));
    expect(customerIds.size).toBe(2000);
    expect(orders.records.every((r) => customerIds.has(r[1]))).toBe(true);
    const orderIds = orders.records.map((r) => r[0]);
    const runs: Array<[string, number]> = [];
    for (const record of items.records) {
      if (runs.length > 0 && runs[runs.length - 1][0] === record[1]) runs[runs.length - 1][1]++;
      else runs.push([record[1], 1]);
    }
    expect(runs.map(([id]) => id)).toEqual(orderIds); // each order once, in order: contiguous and complete
    expect(Math.min(...runs.map(([, n]) => n))).toBe(1);
    expect(Math.max(...runs.map(([, n]) => n))).toBe(5);
    expect(items.records).toHaveLength(childRowCount(10_000, { min: 1, max: 5, distribution: { kind: 'paired' } }));
  });

  test('the paired layout, an odd number of parents: the last one has (min + max) / 2 children, rounded down', async () => {
    const dataset = validateDatasetDocument({
      tables: [{ ...customer, rows: 7 }, { name: 'items', columns: [{ name: 'c', type: 'reference', table: 'customers', column: 'id', children: { min: 2, max: 7, distribution: { kind: 'paired' } } }] }],
    });
    expect(tableOf(dataset, 'items').rows).toBe(3 * 9 + 4);
    const parents = (await rowsOfTable(dataset, 'customers', 5)).records.map((r) => r[0]);
    const children = (await rowsOfTable(dataset, 'items', 5)).records.map((r) => r[0]);
    expect(children.slice(-4)).toEqual(Array(4).fill(parents[6]));
    expect(children[children.length - 5]).not.toBe(parents[6]);
  });

  test('skew 1.1: a few customers place most orders; uniform spreads them', async () => {
    const ordersOf = async (skew?: number) => {
      const dataset = validateDatasetDocument({
        tables: [{ ...customer, rows: 1000 }, { name: 'orders', rows: 20_000, columns: [{ name: 'c', type: 'reference', table: 'customers', column: 'id', ...(skew ? { skew } : {}) }] }],
      });
      const counts = new Map<string, number>();
      for (const [id] of (await rowsOfTable(dataset, 'orders', 3)).records) counts.set(id, (counts.get(id) ?? 0) + 1);
      const sorted = [...counts.values()].sort((a, b) => b - a);
      return { parents: counts.size, top10Share: sorted.slice(0, 10).reduce((a, b) => a + b, 0) / 20_000 };
    };
    const uniform = await ordersOf();
    const skewed = await ordersOf(1.1);
    expect(uniform.parents).toBe(1000);
    expect(uniform.top10Share).toBeLessThan(0.02);
    // Rank k has weight (k + 1)^-1.1: the first 10 of 1000 ranks take about 47% of the mass.
    expect(skewed.top10Share).toBeGreaterThan(0.4);
    expect(skewed.top10Share).toBeLessThan(0.55);
  });

  test('any row range of any table, made alone, equals the same rows of the whole table (fast-check)', async () => {
    const whole = new Map<string, string[]>();
    for (const table of RETAIL.tables) {
      whole.set(table.name, (await rowsOfTable(RETAIL, table.name, 99)).bytes.toString('utf8').split('\n').slice(0, -1));
    }
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...RETAIL.tables.map((table) => table.name)),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      async (name, a, b) => {
        const rows = tableOf(RETAIL, name).rows;
        const first = Math.floor(Math.min(a, b) * (rows - 1));
        const count = Math.max(1, Math.floor(Math.abs(a - b) * (rows - first)));
        const part = (await rowsOfTable(RETAIL, name, 99, first, count)).bytes.toString('utf8').split('\n').slice(0, -1);
        expect(part).toEqual(whole.get(name)!.slice(first, first + count));
      },
    ), { numRuns: 25 });
  });

  test('a known seed keeps making the same rows of every table (changing them is a breaking change)', async () => {
    const firstRows: Record<string, string> = {};
    for (const table of PAIRED_RETAIL.tables) {
      firstRows[table.name] = (await rowsOfTable(PAIRED_RETAIL, table.name, 20261202, 0, 4)).bytes.toString('utf8');
    }
    expect(firstRows).toMatchSnapshot();
  });

  test('a known seed keeps making the same rows of the retail example\'s tables, lookups, count laws and series included', async () => {
    const firstRows: Record<string, string> = {};
    for (const table of RETAIL.tables) {
      firstRows[table.name] = (await rowsOfTable(RETAIL, table.name, 20261207, 0, 4)).bytes.toString('utf8');
    }
    expect(firstRows).toMatchSnapshot();
  });
});

describe('the conformance report', () => {
  test('every check of the retail tables passes, each kind of check present', async () => {
    const checks = [];
    for (const dataset of [RETAIL, PAIRED_RETAIL]) {
      for (const table of dataset.tables) checks.push(...(await rowsOfTable(dataset, table.name, 4)).report.conformance);
    }
    expect(checks.filter((check) => !check.pass)).toEqual([]);
    expect(new Set(checks.map((check) => check.check))).toEqual(new Set([
      'nullShare', 'distinct', 'range', 'weights', 'foreignKey', 'childrenPerParent',
      'mean', 'standardDeviation', 'ordering', 'hourOfDay', 'dayOfWeek', 'derived',
      'lookup', 'childrenMean', 'childrenLag1', 'seriesOrder', 'after',
    ]));
    expect(checks.filter((check) => check.column === 'order_id' && check.check === 'childrenPerParent')).toEqual([
      expect.objectContaining({ table: 'order_items', declared: '1 to 5 per parent, all 20456 parents', observed: '1 to 5 over 20456 parents' }),
      expect.objectContaining({ table: 'shipments', declared: '1 to 2 per parent, all 20456 parents', observed: '1 to 2 over 20456 parents' }),
      expect.objectContaining({ table: 'order_items', declared: '1 to 5 per parent, all 10000 parents', observed: '1 to 5 over 10000 parents' }),
    ]);
  });

  test('a part of a child table checks only the parents whose every child it holds', async () => {
    const { report } = await rowsOfTable(RETAIL, 'order_items', 4, 1000, 2000);
    const check = report.conformance.find((c) => c.check === 'childrenPerParent')!;
    expect(check.pass).toBe(true);
    expect(check.declared).toBe('1 to 5 per parent');
    expect(check.observed).toMatch(/^[1-5] to [1-5] over \d+ parents$/);
  });

  test('fails where an observation breaks the spec', () => {
    const columns = validateSchemaDocument({
      columns: [
        { name: 'q', type: 'integer', min: 1, max: 5, nullPercent: 10 },
        { name: 's', type: 'oneOf', values: ['a', 'b'], weights: [90, 10] },
      ],
    }).columns;
    const observe = (q: number[], s: number[]) => {
      const counters = [distinctCounter({ kind: 'seen', size: 5, range: true }), distinctCounter({ kind: 'seen', size: 2, counts: true })];
      // The counters read the number from the engine's shared slot, where the generators leave it.
      for (const value of q) {
        VALUE_NUMBER[0] = value;
        counters[0].add(value - 1);
      }
      for (const index of s) counters[1].add(index);
      return conformanceChecks({ columns, rows: 1000, nulls: Float64Array.of(1000 - q.length, 0), counters, firstRow: 0 });
    };
    const good = observe(Array.from({ length: 900 }, (_, i) => 1 + (i % 5)), Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0)));
    expect(good.filter((check) => !check.pass)).toEqual([]);
    const bad = observe(Array.from({ length: 500 }, (_, i) => 2 + (i % 5)), Array.from({ length: 1000 }, (_, i) => (i % 2)));
    expect(bad.filter((check) => !check.pass).map((check) => `${check.column} ${check.check}`)).toEqual(['q nullShare', 'q range', 'q distinct', 's weights']);
  });

  test('children runs counted in pieces and merged in order equal the runs counted whole (fast-check)', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }),
      (runLengths, cuts) => {
        const keys = runLengths.flatMap((length, parent) => Array(length).fill(parent) as number[]);
        const whole = distinctCounter({ kind: 'children' });
        keys.forEach((key) => whole.add(key));
        const bounds = [...new Set([0, ...cuts.map((cut) => cut % keys.length), keys.length])].sort((x, y) => x - y);
        const merged = distinctCounter({ kind: 'children' });
        for (let i = 0; i + 1 < bounds.length; i++) {
          const piece = distinctCounter({ kind: 'children' });
          keys.slice(bounds[i], bounds[i + 1]).forEach((key) => piece.add(key));
          merged.merge(piece.state);
        }
        expect(merged.observed!()).toEqual(whole.observed!());
        expect(merged.estimate(keys.length)).toBe(runLengths.length);
      },
    ));
  });
});

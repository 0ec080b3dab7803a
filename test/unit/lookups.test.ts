/**
 * Lookups and helper columns: a lookup's value is its parent's, through one or two references, at the very parent row
 * the written key names (checked here by joining the tables' rows, as a reader would); nulls come from optional
 * references and nullable parent columns; the type is the parent column's in every format and the catalog; expressions
 * read looked-up values; `omit` columns feed expressions and lookups but are written nowhere; any row range made alone
 * equals the same rows of the whole table, cut into any number of parts; and every mistake is refused at synth with a
 * message that says where and what to do.
 */
import fc from 'fast-check';
import { compileTable } from '../../lambda/engine/compiled-table';
import { catalogColumns } from '../../src/contract/catalog';
import { validateDatasetDocument, withKeyTypes } from '../../src/contract/dataset-document';
import { logicalTypesOf } from '../../src/contract/logical-types';
import { validateSchemaDocument } from '../../src/contract/schema-document';
import { Column, Schema } from '../../src/schema';
import { rowsOfTable, tableOf } from '../support/dataset-rows';
import { engineOutput, parseCsv } from '../support/engine-output';
import { RELATED, RELATED_TABLES } from '../support/related-dataset';

const SEED = 31;

async function recordsByKey(name: string, seed = SEED): Promise<Map<string, string[]>> {
  const { records } = await rowsOfTable(RELATED, name, seed);
  return new Map(records.map((record) => [record[0], record]));
}

describe('lookups take the parent row\'s values', () => {
  test('every looked-up value equals the parent\'s, joined by the written key, one and two references deep', async () => {
    const products = await recordsByKey('products');
    const customers = await recordsByKey('customers');
    const orders = await recordsByKey('orders');
    const items = (await rowsOfTable(RELATED, 'order_items', SEED)).records;
    expect(items).toHaveLength(tableOf(RELATED, 'order_items').rows);
    let nullCustomers = 0;
    for (const [, orderId, productId, productName, listPrice, retiredAt, customerId, customerRegion, quantity, lineTotal, sameRegion] of items) {
      const product = products.get(productId)!;
      expect([productName, listPrice, retiredAt]).toEqual([product[1], product[2], product[4]]);
      const order = orders.get(orderId)!;
      expect(customerId).toBe(order[1]);
      if (customerId === '') {
        nullCustomers++;
        expect(customerRegion).toBe('');
      } else {
        expect(customerRegion).toBe(customers.get(customerId)![1]);
      }
      // The discount is a helper: the total lies between 70% and 100% of quantity × list price.
      const full = Number(quantity) * Number(listPrice);
      expect(Number(lineTotal)).toBeGreaterThanOrEqual(Math.round(full * 70) / 100 - 0.01);
      expect(Number(lineTotal)).toBeLessThanOrEqual(full + 1e-9);
      expect(sameRegion).toBe('true');
    }
    // 10% of orders have no customer, and their items no customer's region.
    expect(nullCustomers).toBeGreaterThan(0);
    expect(new Set(items.map((item) => item[5] === ''))).toEqual(new Set([true, false]));
    for (const [, customerId, region] of orders.values()) {
      expect(region).toBe(customerId === '' ? '' : customers.get(customerId)![1]);
    }
  });

  test('the report checks every lookup against the parent the written key names, and passes', async () => {
    const { report } = await rowsOfTable(RELATED, 'order_items', SEED);
    const lookups = report.conformance.filter((check) => check.check === 'lookup');
    expect(lookups.map((check) => check.column)).toEqual(['product_name', 'list_price', 'retired_at', 'customer_id', 'customer_region']);
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
    expect(lookups[4]).toMatchObject({ declared: expect.stringContaining('customers.region'), observed: '0 mismatches in 300 rows (every 1)' });
  });

  test('a lookup has its parent column\'s type in every format and the catalog (a key\'s, through a lookup of a reference)', () => {
    const items = tableOf(RELATED, 'order_items');
    const typed = withKeyTypes(RELATED, items);
    const types = logicalTypesOf(typed.columns);
    const compiled = compileTable(items, SEED, { tableRows: items.rows, dataset: { document: RELATED, table: 'order_items' } });
    // The formats write what the compiled generators' types say; the catalog declares the typed columns.
    expect(compiled.generators.map((generator) => generator.type)).toEqual(compiled.written.map((c) => types[c]));
    expect(Object.fromEntries(catalogColumns(typed, { format: 'parquet', compression: 'zstd' }).map((column) => [column.name, column.type]))).toEqual({
      order_item_id: 'string',
      order_id: 'bigint',
      product_id: 'string',
      product_name: 'string',
      list_price: 'decimal(5,2)',
      retired_at: 'timestamp',
      customer_id: 'bigint',
      customer_region: 'string',
      quantity: 'bigint',
      line_total: expect.stringMatching(/^decimal\(\d+,2\)$/),
      same_region: 'boolean',
    });
    // Nullable where the parent column or a reference on the way is: CSV reads them as text.
    const csv = catalogColumns(typed, { format: 'csv', compression: 'none' });
    expect(csv.find((column) => column.name === 'customer_id')).toMatchObject({ type: 'string', comment: expect.stringContaining('bigint') });
    expect(csv.find((column) => column.name === 'product_name')).toEqual({ name: 'product_name', type: 'string' });
  });
});

describe('helper columns (omit)', () => {
  test('are made and read, but in no file, header, report or catalog column', async () => {
    const items = tableOf(RELATED, 'order_items');
    const run = { schema: items, seed: SEED, rowCount: 5, header: true, dataset: { document: RELATED, table: 'order_items' } };
    const { bytes, report } = await engineOutput(run);
    const header = parseCsv(bytes)[0];
    expect(header).not.toContain('discount');
    expect(header).not.toContain('order_region');
    expect(report.columns.map((column) => column.name)).toEqual(header);
    expect(new Set(report.conformance.map((check) => check.column))).toEqual(new Set(header));
    expect(catalogColumns(withKeyTypes(RELATED, items), { format: 'csv', compression: 'none' }).map((column) => column.name)).toEqual(header);
    for (const format of ['jsonl', 'parquet'] as const) {
      const other = await engineOutput({ ...run, output: { format, compression: 'none' } });
      expect(other.report.columns.map((column) => column.name)).toEqual(header);
      if (format === 'jsonl') expect(Object.keys(JSON.parse(other.bytes.toString('utf8').split('\n')[0]))).toEqual(header);
    }
  });

  test('a column written or omitted leaves every other column\'s bytes as they were', async () => {
    const columns = (omit: boolean) => [
      { name: 'id', type: 'uuid' }, { name: 'hidden', type: 'integer', min: 1, max: 9, omit }, { name: 'twice', type: 'derived', expression: 'hidden * 2' },
    ];
    const seen = parseCsv((await engineOutput({ schema: validateSchemaDocument({ columns: columns(false) }), seed: 4, rowCount: 50 })).bytes);
    const hidden = parseCsv((await engineOutput({ schema: validateSchemaDocument({ columns: columns(true) }), seed: 4, rowCount: 50 })).bytes);
    expect(hidden).toEqual(seen.map(([id, , twice]) => [id, twice]));
    expect(Schema.fromJson(JSON.stringify({ columns: columns(true) })).columnNames).toEqual(['id', 'twice']);
  });
});

describe('determinism', () => {
  test('any row range of any table, made alone, equals the same rows of the whole table, cut into any number of parts (fast-check)', async () => {
    const whole = new Map<string, string[]>();
    for (const table of RELATED.tables) whole.set(table.name, (await rowsOfTable(RELATED, table.name, 99)).bytes.toString('utf8').split('\n').slice(0, -1));
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...RELATED.tables.map((table) => table.name)),
      fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      async (name, fractions) => {
        const rows = tableOf(RELATED, name).rows;
        const edges = [...new Set([0, ...fractions.map((f) => Math.floor(f * rows)), rows])].sort((a, b) => a - b);
        const parts: string[] = [];
        for (let i = 0; i + 1 < edges.length; i++) {
          parts.push(...(await rowsOfTable(RELATED, name, 99, edges[i], edges[i + 1] - edges[i])).bytes.toString('utf8').split('\n').slice(0, -1));
        }
        expect(parts).toEqual(whole.get(name));
      },
    ), { numRuns: 20 });
  });

  test('a known seed keeps making the same rows (changing them is a breaking change)', async () => {
    const firstRows: Record<string, string> = {};
    for (const table of RELATED.tables) firstRows[table.name] = (await rowsOfTable(RELATED, table.name, 20261207, 0, 4)).bytes.toString('utf8');
    expect(firstRows).toMatchSnapshot();
  });
});

describe('refused at synth, saying where and what to do', () => {
  const withItems = (...columns: Record<string, unknown>[]) => ({
    tables: [...RELATED_TABLES.slice(0, 3), { name: 'order_items', columns: [RELATED_TABLES[3].columns[1], RELATED_TABLES[3].columns[2], ...columns] }],
  });
  test.each([
    ['a lookup through a column that does not exist', { name: 'x', type: 'lookup', through: ['product'], column: 'name' },
      'dataset.tables[3] (order_items).columns[2] (x).through[0] is "product": table "order_items" has no such column; its references are order_id, product_id'],
    ['a lookup through a column that is not a reference', { name: 'x', type: 'lookup', through: ['order_id', 'region'], column: 'name' },
      'dataset.tables[3] (order_items).columns[2] (x).through[1] is "region": column orders.region is a lookup column, not a reference to follow; its references are customer_id'],
    ['a parent column that does not exist', { name: 'x', type: 'lookup', through: 'product_id', column: 'price' },
      'dataset.tables[3] (order_items).columns[2] (x).column is "price": table "products" (reached through product_id) has no such column; its columns are product_id, name, list_price, category, retired_at'],
    ['nullPercent on a lookup', { name: 'x', type: 'lookup', through: 'product_id', column: 'name', nullPercent: 5 },
      'dataset.tables[3] (order_items).columns[2] (x): nullPercent is 5 on a lookup: a looked-up cell is null exactly where the parent\'s cell'],
    ['an empty path', { name: 'x', type: 'lookup', through: [], column: 'name' },
      'dataset.tables[3] (order_items).columns[2] (x).through is []: expected the reference column to follow'],
    ['omit that is not a boolean', { name: 'x', type: 'lookup', through: 'product_id', column: 'name', omit: 'yes' },
      'dataset.tables[3] (order_items).columns[2] (x).omit is "yes": true (a helper column, made but not written) or false'],
  ])('%s', (_what, column, message) => {
    expect(() => validateDatasetDocument(withItems(column))).toThrow(message);
  });

  test('a lookup of a derived column: says to look up its operands and repeat the expression', () => {
    const tables = withItems({ name: 'x', type: 'lookup', through: 'product_id', column: 'name' }).tables;
    tables[0] = { ...tables[0], columns: [...tables[0].columns, { name: 'double_price', type: 'derived', expression: 'list_price * 2' }] };
    (tables[3].columns as unknown[]).push({ name: 'y', type: 'lookup', through: 'product_id', column: 'double_price' });
    expect(() => validateDatasetDocument({ tables })).toThrow('looks up products.double_price, a derived column: a lookup takes a made value; '
      + 'look up the columns its expression reads and repeat the expression "list_price * 2" here');
  });

  test('lookups that would go round in a cycle: refused as the cycle of references they need', () => {
    expect(() => validateDatasetDocument({
      tables: [
        { name: 'a', rows: 1, columns: [{ name: 'id', type: 'uuid' }, { name: 'b_id', type: 'reference', table: 'b', column: 'id' }, { name: 'x', type: 'lookup', through: 'b_id', column: 'y' }] },
        { name: 'b', rows: 1, columns: [{ name: 'id', type: 'uuid' }, { name: 'a_id', type: 'reference', table: 'a', column: 'id' }, { name: 'y', type: 'lookup', through: 'a_id', column: 'x' }] },
      ],
    })).toThrow('dataset has a cycle of references: a -> b -> a');
  });

  test('a single-table schema refuses a lookup, and a schema that would write nothing is refused', () => {
    expect(() => validateSchemaDocument({ columns: [{ name: 'x', type: 'lookup', through: 'a', column: 'b' }] }))
      .toThrow('schema.columns[0] (x) is a lookup through "a", but this schema is a single table: declare the dataset\'s tables');
    expect(() => validateSchemaDocument({ columns: [{ name: 'x', type: 'uuid', omit: true }] }))
      .toThrow('schema.columns: every column has omit: true, so nothing would be written; write at least one column');
  });

  test('the typed API writes the JSON form', () => {
    expect(Column.lookup('region', { through: ['order_id', 'customer_id'], column: 'region', omit: true })._toDocument())
      .toEqual({ name: 'region', type: 'lookup', through: ['order_id', 'customer_id'], column: 'region', omit: true });
    expect(Column.integer('lag', { min: 1, max: 5, omit: true })._toDocument()).toEqual({ name: 'lag', type: 'integer', min: 1, max: 5, omit: true });
  });
});

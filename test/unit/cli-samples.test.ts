/**
 * How the command line reads a column of a sample (cli/samples/): cells typed from any reader's values, exact counts up
 * to EXACT_VALUES distinct values and the engine's sketch beyond (within its error, still telling a unique column), top
 * values in order of frequency, and the bounds, moments, ascending order and step of numbers; and where a manifest's
 * tables are found (as `generate` writes them, or as a download of the dataset's folder holds them).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cellOf } from '../../cli/samples/cells';
import { ColumnProfile, EXACT_VALUES } from '../../cli/samples/column-profile';
import { sampleSetOf } from '../../cli/samples/sample-set';

test.each([
  ['', undefined],
  [null, undefined],
  ['true', { kind: 'boolean', number: 1, key: 'true' }],
  ['-42', { kind: 'integer', number: -42, key: '-42' }],
  ['01234', { kind: 'text', key: '01234' }],
  ['12.50', { kind: 'decimal', number: 12.5, fractionDigits: 2, key: '12.50' }],
  [12.5, { kind: 'decimal', number: 12.5, fractionDigits: 1, key: '12.5' }],
  [42n, { kind: 'integer', number: 42, key: '42' }],
  ['2024-03-01T10:00:00.000Z', { kind: 'timestamp', number: Date.UTC(2024, 2, 1, 10), key: '2024-03-01T10:00:00.000Z' }],
  [new Date(Date.UTC(2024, 2, 1)), { kind: 'timestamp', number: Date.UTC(2024, 2, 1), key: '2024-03-01T00:00:00.000Z' }],
  ['web', { kind: 'text', key: 'web' }],
])('the cell of %j', (value, cell) => {
  expect(cellOf(value)).toEqual(cell);
});

test(`past ${EXACT_VALUES.toLocaleString('en-US')} distinct values the sketch counts them, within 5%, and still finds the column unique`, () => {
  const column = new ColumnProfile('id');
  const values = EXACT_VALUES + 200_000;
  for (let i = 0; i < values; i += 1) column.add(`id-${i}`);
  expect(column.counts).toBeUndefined();
  expect(Math.abs(column.distinct - values) / values).toBeLessThan(0.05);
  expect(column.unique).toBe(true);
  expect(column.topValues(5)).toEqual([]);
});

test('exact counts: top values by frequency (ties in value order), nulls, bounds, moments, ascending order and step', () => {
  const column = new ColumnProfile('n');
  for (const value of [5, 7, 7, 9, null, 9, 9, 11]) column.add(value);
  expect(column.topValues(2)).toEqual([{ value: '9', count: 3 }, { value: '7', count: 2 }]);
  expect(column.topValues(10).map(({ value }) => value)).toEqual(['9', '7', '11', '5']);
  expect([column.cells, column.nulls, column.distinct, column.unique, column.kind]).toEqual([8, 1, 4, false, 'integer']);
  expect([column.min, column.max, column.ascending, column.step]).toEqual([5, 11, true, null]);
  expect(column.numericMean).toBeCloseTo(57 / 7, 12);
  const steps = new ColumnProfile('seq');
  for (let i = 0; i < 10; i += 1) steps.add(100 + 5 * i);
  expect([steps.step, steps.unique, steps.runs]).toEqual([5, true, 10]);
});

describe('the tables of a dataset manifest', () => {
  const manifest = {
    format: 'cdk-synthetic-data/dataset-manifest@1',
    tables: [
      { name: 'customers', key: 'synthetic-data/retail/customers/customers_r1.csv' },
      { name: 'orders', key: 'synthetic-data/retail/orders/orders_r1.csv' },
    ],
    foreignKeys: [],
  };

  /** A folder with the manifest at `manifestAt` and each table's file at `fileOf(key)`. */
  function folder(manifestAt: string, fileOf: (key: string) => string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-set-'));
    for (const table of manifest.tables) {
      const file = path.join(dir, fileOf(table.key));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'id\n1\n');
    }
    fs.writeFileSync(path.join(dir, manifestAt), JSON.stringify(manifest));
    return dir;
  }

  test.each([
    ['as generate --out writes it (the whole keys)', 'synthetic-data/retail/_manifest_r1.json', (key: string) => key],
    ['as a download of the dataset\'s folder (the keys without their leading folders)', '_manifest_r1.json',
      (key: string) => key.split('/').slice(2).join('/')],
  ])('are found %s', (_, manifestAt, fileOf) => {
    const dir = folder(manifestAt, fileOf);
    const found = sampleSetOf([dir], 'infer');
    expect(found.tables).toEqual(manifest.tables.map((table) => ({ name: table.name, files: [path.join(dir, fileOf(table.key))] })));
    expect(found.manifest?.file).toBe(path.join(dir, manifestAt));
  });

  test('that are nowhere above the manifest: an error that says what to give', () => {
    const dir = folder('_manifest_r1.json', (key) => `elsewhere/${key}`);
    fs.rmSync(path.join(dir, 'elsewhere'), { recursive: true });
    expect(() => sampleSetOf([dir], 'infer')).toThrow(/customers_r1\.csv is not found, whole or without its leading folders\): give the folder `generate --out` wrote/);
  });
});

/**
 * The generation engine: deterministic by row, streamed in chunks, realistic faker columns, and a report
 * that says what it made. (Property-based checks of every cell are in test/property/engine.test.ts; worker threads in
 * test/statistical/worker-threads.test.ts.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { faker } from '@faker-js/faker';
import fc from 'fast-check';
import { generateObject, POOL_SIZE } from '../../lambda/driver';
import { parseSchemaDocument } from '../../src/contract/schema-document';
import { engineOutput, parseCsv, schemaOf } from '../support/engine-output';
import { VARIED_LENGTH_ROWS as everyKind } from '../support/schemas';

const salesSchema = parseSchemaDocument(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'sales.schema.json'), 'utf8'));

describe('deterministic by row', () => {
  test('rows [a, b) made alone equal the same rows of a larger run, byte for byte', async () => {
    const total = 3000;
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: total }), fc.integer({ min: 0, max: total }),
      async (seed, x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        const whole = await engineOutput({ schema: everyKind, seed, rowCount: total, header: false });
        const parts = await Promise.all([[0, a], [a, b - a], [b, total - b]].map(([firstRow, rowCount]) =>
          engineOutput({ schema: everyKind, seed, firstRow, rowCount, header: false })));
        expect(Buffer.concat(parts.map((part) => part.bytes)).equals(whole.bytes)).toBe(true);
      },
    ), { numRuns: 12 });
  });

  test('rows far beyond 2^32 are made, and made the same way alone', async () => {
    const firstRow = 2 ** 40 + 17;
    const alone = await engineOutput({ schema: everyKind, seed: 5, firstRow: firstRow + 3, rowCount: 2, header: false });
    const within = await engineOutput({ schema: everyKind, seed: 5, firstRow, rowCount: 5, header: false });
    const rows = parseCsv(within.bytes);
    expect(parseCsv(alone.bytes)).toEqual(rows.slice(3));
    expect(rows.map((row) => row[1])).toEqual([0, 1, 2, 3, 4].map((i) => String(10 + (firstRow + i) * 3)));
    // Not the rows 2^40 below them again: the row index's high half is part of every cell's hash.
    const below = parseCsv((await engineOutput({ schema: everyKind, seed: 5, firstRow: firstRow - 2 ** 40, rowCount: 5, header: false })).bytes);
    rows.forEach((row, i) => expect(row[0]).not.toBe(below[i][0]));
    expect(rows.map((row) => row[2])).not.toEqual(below.map((row) => row[2]));
  });

  test('the same seed gives the same file on every run; another seed gives another file', async () => {
    const first = await engineOutput({ schema: salesSchema, seed: 99, rowCount: 2000 });
    const again = await engineOutput({ schema: salesSchema, seed: 99, rowCount: 2000 });
    const other = await engineOutput({ schema: salesSchema, seed: 100, rowCount: 2000 });
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect(other.bytes.equals(first.bytes)).toBe(false);
    // Not a shuffle of the same rows either: another seed shares (almost) no order ids.
    const ids = new Set(parseCsv(first.bytes).slice(1).map((row) => row[0]));
    expect(parseCsv(other.bytes).slice(1).filter((row) => ids.has(row[0]))).toEqual([]);
  });

  test('a known seed keeps making the same bytes as this version of the engine (changing them is a breaking change)', async () => {
    const { bytes } = await engineOutput({ schema: salesSchema, seed: 42, rowCount: 3 });
    expect(bytes.toString('utf8')).toMatchSnapshot();
  });
});

describe('streaming', () => {
  test('bytes reach the sink in chunks of bounded size, and the engine waits for each chunk to be taken', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const sizes: number[] = [];
    const report = await generateObject({ schema: salesSchema, seed: 1, rowCount: 20_000 }, {
      write: async (chunk) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        sizes.push(chunk.length);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
      },
    }, { chunkBytes: 64 * 1024 });
    expect(mostInFlight).toBe(1);
    expect(sizes.length).toBeGreaterThan(20);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(report.bytes);
    expect(report.sinkWaitMs).toBeGreaterThan(0);
  });

  test('zero rows make the header only', async () => {
    const { bytes, report } = await engineOutput({ schema: salesSchema, seed: 1, rowCount: 0 });
    expect(bytes.toString()).toBe('order_id,customer,email,product,quantity,unit_price,order_date,region\n');
    expect(report.rows).toBe(0);
  });
});

describe('realistic faker columns', () => {
  let rows: string[][];
  beforeAll(async () => {
    rows = parseCsv((await engineOutput({ schema: salesSchema, seed: 3, rowCount: 100_000 })).bytes).slice(1);
  });
  const column = (name: string) => rows.map((row) => row[salesSchema.columns.findIndex((c) => c.name === name)]);

  test('names, emails and products are made of faker\'s own English data', () => {
    const firstNames = new Set([...faker.rawDefinitions.person!.first_name!.female!, ...faker.rawDefinitions.person!.first_name!.male!]);
    const prefixes = new Set(faker.rawDefinitions.person!.prefix!.generic!);
    for (const name of column('customer').slice(0, 2000)) {
      const words = name.split(' ');
      expect(firstNames.has(prefixes.has(words[0]) ? words[1] : words[0])).toBe(true);
    }
    const products = faker.rawDefinitions.commerce!.product_name!;
    for (const product of column('product').slice(0, 2000)) {
      const [adjective, material, noun] = product.split(' ');
      const known = [products.adjective.includes(adjective), products.material.includes(material), products.product.includes(noun)];
      expect(known).toEqual([true, true, true]);
    }
    for (const email of column('email').slice(0, 2000)) expect(email).toMatch(/^[A-Za-z0-9]+([._][A-Za-z0-9'-]+)?\d{0,2}@(gmail|yahoo|hotmail)\.com$/);
    expect(new Set(column('region'))).toEqual(new Set(faker.rawDefinitions.location!.state));
  });

  test('full names follow faker\'s patterns in its proportions: prefix 8 in 64, suffix 8 in 64, hyphenated last name 5 in 100', () => {
    const names = column('customer').filter((name) => name !== '');
    const prefixes = new Set(faker.rawDefinitions.person!.prefix!.generic!);
    const suffixes = new Set(faker.rawDefinitions.person!.suffix!);
    const share = (test: (words: string[]) => boolean) => names.filter((name) => test(name.split(' '))).length / names.length;
    expect(share((words) => prefixes.has(words[0]))).toBeCloseTo(8 / 64, 2);
    expect(share((words) => suffixes.has(words[words.length - 1]))).toBeCloseTo(8 / 64, 2);
    expect(share((words) => words.some((word) => word.includes('-')))).toBeCloseTo(0.05, 2);
    expect(share((words) => !prefixes.has(words[0]) && !suffixes.has(words[words.length - 1]))).toBeCloseTo(49 / 64, 2);
  });

  test('high cardinality: not a few hundred repeated values', () => {
    expect(new Set(column('customer')).size).toBeGreaterThan(50_000);
    expect(new Set(column('email')).size).toBeGreaterThan(80_000);
    expect(new Set(column('product')).size).toBeGreaterThan(9_000);
    expect(new Set(column('unit_price')).size).toBeGreaterThan(40_000);
  });

  test('numbers a faker method makes are written as numbers, without the formula guard of text', async () => {
    const schema = schemaOf({ name: 'lat', type: 'faker', method: 'location.latitude' }, { name: 'word', type: 'oneOf', values: ['-1'] });
    const cells = parseCsv((await engineOutput({ schema, seed: 4, rowCount: 2000 })).bytes).slice(1);
    const latitudes = cells.map(([lat]) => Number(lat));
    expect(latitudes.every((lat) => Number.isFinite(lat) && lat >= -90 && lat <= 90)).toBe(true);
    expect(latitudes.some((lat) => lat < 0)).toBe(true);
    // The same characters declared as text are guarded.
    expect(new Set(cells.map(([, word]) => word))).toEqual(new Set(["'-1"]));
  });

  test('other faker methods draw from a pool of faker-made values per column', async () => {
    const schema = schemaOf({ name: 'city', type: 'faker', method: 'location.city' }, { name: 'color', type: 'faker', method: 'color.human' });
    const cells = parseCsv((await engineOutput({ schema, seed: 8, rowCount: 50_000 })).bytes).slice(1);
    const cities = new Set(cells.map((row) => row[0]));
    expect(cities.size).toBeGreaterThan(5000);
    expect(cities.size).toBeLessThanOrEqual(POOL_SIZE);
    const colors = new Set(faker.rawDefinitions.color!.human);
    for (const row of cells.slice(0, 1000)) expect(colors.has(row[1])).toBe(true);
  });
});

describe('the report', () => {
  test('counts rows and bytes, estimates distinct values within a few percent, and measures nulls', async () => {
    const { bytes, report } = await engineOutput({ schema: everyKind, seed: 21, rowCount: 50_000 });
    const cells = parseCsv(bytes).slice(1);
    expect(report.rows).toBe(50_000);
    expect(report.bytes).toBe(bytes.length);
    everyKind.columns.forEach((column, c) => {
      const values = cells.map((row) => row[c]).filter((value) => value !== '');
      const exact = new Set(values).size;
      const reported = report.columns[c];
      expect(reported.name).toBe(column.name);
      expect(Math.abs(reported.distinctEstimate - exact)).toBeLessThanOrEqual(Math.max(2, exact * 0.05));
      expect(reported.nullPercent).toBeCloseTo(((cells.length - values.length) / cells.length) * 100, 2);
    });
    expect(report.columns.map((column) => column.type)).toEqual(['uuid', 'sequence', 'faker:person.fullName', 'faker:location.city', 'integer', 'decimal', 'timestamp', 'oneOf']);
  });
});

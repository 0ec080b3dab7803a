/**
 * distinctValues: exactly N distinct values in a table (as many as rows when fewer), and in any part of N contiguous
 * rows or more; refusals at synth; determinism by row; the conformance report's count against N.
 */
import fc from 'fast-check';
import { conformanceChecks } from '../../lambda/engine/conformance';
import { keyedPermutation } from '../../lambda/engine/exact-distinct';
import { POOL_SIZE } from '../../lambda/engine/faker-values';
import { fakerDistinctLimit } from '../../src/contract/distinct-values';
import { FAKER_CAPACITY } from '../../src/contract/faker-capacity';
import { FAKER_METHODS } from '../../src/contract/faker-methods';
import { validateSchemaDocument } from '../../src/contract/schema-document';
import { Column, Schema } from '../../src/schema';
import { decodeRows } from '../support/decode';
import { engineOutput, parseCsv, schemaOf } from '../support/engine-output';
import { DISTINCT_KINDS as kinds } from '../support/schemas';
import { expectSplitsMakeTheWholeRun } from '../support/splits';

const schema = schemaOf(...kinds);

async function columnsOf(run: { firstRow?: number; rowCount: number; tableRows?: number }, seed = 11) {
  const out = await engineOutput({ schema, seed, ...run });
  const [header, ...rows] = parseCsv(out.bytes);
  return { report: out.report, columns: Object.fromEntries(header.map((name, c) => [name, rows.map((row) => row[c])])) };
}

describe('exactly distinctValues values', () => {
  test('a table holds exactly N distinct values of each kind, within the bounds', async () => {
    const { columns, report } = await columnsOf({ rowCount: 5000 });
    for (const kind of kinds) expect({ [kind.name]: new Set(columns[kind.name]).size }).toEqual({ [kind.name]: kind.distinctValues });
    const ids = columns.store_id.map(Number);
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...ids)).toBeLessThanOrEqual(100_000);
    // Spread over the whole range, not bunched at one end: one value in each 200-wide slice.
    expect(new Set(ids.map((id) => Math.floor((id - 1) / 200))).size).toBe(500);
    expect(columns.price.every((p) => /^\d+\.\d\d$/.test(p) && Number(p) >= 0 && Number(p) <= 20)).toBe(true);
    const instants = columns.at.map((at) => Date.parse(at));
    expect(instants.every((ms) => ms >= Date.parse('2024-01-01') && ms <= Date.parse('2024-01-02'))).toBe(true);
    const distinct = report.conformance.filter((check) => check.check === 'distinct');
    expect(distinct.map((check) => [check.column, check.declared, check.observed, check.pass])).toEqual(
      kinds.map((kind) => [kind.name, `exactly ${kind.distinctValues} (distinctValues ${kind.distinctValues})`, `${kind.distinctValues}`, true]));
  });

  test('fewer rows than N make as many distinct values as rows; any N contiguous rows make all N (fast-check)', async () => {
    await fc.assert(fc.asyncProperty(fc.nat(2 ** 40), fc.integer({ min: 1, max: 1500 }), fc.nat(), async (firstRow, rowCount, seed) => {
      const { columns, report } = await columnsOf({ firstRow, rowCount, tableRows: firstRow + rowCount }, seed);
      for (const kind of kinds) expect(new Set(columns[kind.name]).size).toBe(Math.min(kind.distinctValues, rowCount));
      expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
    }), { numRuns: 15 });
  });

  test('any integer bounds, up to the widest safe range, hold N distinct values within them (fast-check)', async () => {
    await fc.assert(fc.asyncProperty(fc.maxSafeInteger(), fc.maxSafeInteger(), fc.integer({ min: 1, max: 3000 }), fc.nat(),
      async (a, b, asked, seed) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        const distinctValues = Math.min(asked, max - min + 1);
        const one = schemaOf({ name: 'n', type: 'integer', min, max, distinctValues });
        const values = (await engineOutput({ schema: one, seed, rowCount: distinctValues, header: false })).bytes.toString('utf8').split('\n').slice(0, -1);
        expect(new Set(values).size).toBe(distinctValues);
        expect(values.every((v) => BigInt(v) >= BigInt(min) && BigInt(v) <= BigInt(max))).toBe(true);
      }), { numRuns: 60 });
  });

  test('a pooled faker method reaches far beyond the pool of 16,384: 100,000 distinct IBANs', async () => {
    const ibans = schemaOf({ name: 'iban', type: 'faker', method: 'finance.iban', distinctValues: 100_000 });
    const rowCount = 120_000;
    const { bytes, report } = await engineOutput({ schema: ibans, seed: 5, rowCount, header: false });
    const values = bytes.toString('utf8').split('\n').slice(0, -1);
    expect(values).toHaveLength(rowCount);
    expect(new Set(values).size).toBe(100_000);
    expect(100_000).toBeGreaterThan(POOL_SIZE);
    // Above the exact counter's reach the count is a sketch's estimate, checked within its tolerance.
    const [check] = report.conformance.filter((c) => c.check === 'distinct');
    expect(check).toMatchObject({ declared: 'exactly 100000 (distinctValues 100000) ± 8%', pass: true });
    expect(check.observed).toMatch(/^\d+ \(estimated\)$/);
  });

  test('every format writes a pool beyond 65,536 values as made: JSON Lines and Parquet (a dictionary that large) read back', async () => {
    const ibans = schemaOf(
      { name: 'iban', type: 'faker', method: 'finance.iban', distinctValues: 70_000 }, { name: 'n', type: 'integer', distinctValues: 3 });
    for (const format of ['jsonl', 'parquet'] as const) {
      const output = { format, compression: 'none' } as const;
      const { bytes } = await engineOutput({ schema: ibans, seed: 9, rowCount: 80_000, output });
      const rows = await decodeRows(bytes, output, ibans);
      expect(rows).toHaveLength(80_000);
      const distinct = { format, ibans: new Set(rows.map(([iban]) => iban)).size, n: new Set(rows.map(([, n]) => n)).size };
      expect(distinct).toEqual({ format, ibans: 70_000, n: 3 });
    }
  });

  test('a method\'s whole allowed capacity is made, whatever the seed: small lists, and lists faker\'s samples nearly exhausted', async () => {
    for (const method of ['datatype.boolean', 'animal.type', 'person.firstName', 'commerce.productName']) {
      const [most] = FAKER_CAPACITY[method];
      const one = schemaOf({ name: 'v', type: 'faker', method, distinctValues: most });
      for (const seed of [1, 2 ** 40 + 3]) {
        const { bytes } = await engineOutput({ schema: one, seed, rowCount: most, header: false });
        expect({ method, distinct: new Set(parseCsv(bytes).map(([v]) => v)).size }).toEqual({ method, distinct: most });
      }
    }
  });

  test('with nulls, the report expects the values some null cells hide, and passes', async () => {
    const withNulls = schemaOf({ name: 'n', type: 'integer', min: 0, max: 10_000, distinctValues: 2000, nullPercent: 60 });
    const { report, bytes } = await engineOutput({ schema: withNulls, seed: 2, rowCount: 3000 });
    const made = new Set(parseCsv(bytes).slice(1).map(([n]) => n).filter((n) => n !== ''));
    const [check] = report.conformance.filter((c) => c.check === 'distinct');
    expect(check).toMatchObject({ observed: `${made.size}`, pass: true });
    expect(check.declared).toMatch(/^about \d+ ± \d+ of 2000 \(distinctValues 2000, some only in null cells\)$/);
    // Without nulls every value is made; one value short, or one too many, fails.
    const column = { name: 'n', type: 'integer', min: 0, max: 10_000, distinctValues: 2000 };
    const { report: strict } = await engineOutput({ schema: schemaOf(column), seed: 2, rowCount: 3000 });
    expect(strict.conformance.find((c) => c.check === 'distinct')).toMatchObject({ declared: 'exactly 2000 (distinctValues 2000)', observed: '2000', pass: true });
    for (const counted of [1999, 2001]) {
      const counter = { state: new Uint8Array(0), add() {}, merge() {}, estimate: () => counted };
      const object = { columns: schemaOf(column).columns, rows: 3000, nulls: new Float64Array(1), counters: [counter], firstRow: 0 };
      const checks = conformanceChecks(object);
      expect(checks.find((c) => c.check === 'distinct')).toMatchObject({ observed: `${counted}`, pass: false });
    }
  });

  test('the keyed permutation is a bijection of [0, n), another for another key (fast-check)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.nat(), (n, key) => {
      const permute = keyedPermutation(key, n);
      const images = Array.from({ length: n }, (_, i) => permute(i));
      expect(new Set(images).size).toBe(n);
      expect(images.every((k) => Number.isInteger(k) && k >= 0 && k < n)).toBe(true);
    }), { numRuns: 200 });
    const a = Array.from({ length: 1000 }, (_, i) => keyedPermutation(1, 1000)(i));
    const b = Array.from({ length: 1000 }, (_, i) => keyedPermutation(2, 1000)(i));
    expect(a.filter((k, i) => k === b[i]).length).toBeLessThan(20);
  });
});

describe('deterministic by row', () => {
  test('any split of a run into parts (any shard count) makes the same rows as the whole run (fast-check)', async () => {
    await expectSplitsMakeTheWholeRun(schema, 3000, 10);
  });

  test('a known seed keeps making the same values of every kind (changing them is a breaking change)', async () => {
    const { bytes } = await engineOutput({ schema, seed: 42, rowCount: 4 });
    expect(bytes.toString('utf8')).toMatchSnapshot();
  });
});

describe('the validator', () => {
  const refused = (column: Record<string, unknown>) => () => validateSchemaDocument({ columns: [{ name: 'c', ...column }] });

  test('refuses more values than the bounds hold', () => {
    expect(refused({ type: 'integer', min: 1, max: 10, distinctValues: 11 })).toThrow(
      'schema.columns[0] (c).distinctValues is 11: the column\'s bounds hold only 10 values; ask for at most 10 or widen the bounds');
    expect(refused({ type: 'decimal', min: 0, max: 1, fractionDigits: 1, distinctValues: 12 })).toThrow(/bounds hold only 11 values/);
    expect(refused({ type: 'timestamp', from: '2024-01-01T00:00:00Z', to: '2024-01-01T00:00:01Z', distinctValues: 1002 })).toThrow(/bounds hold only 1001 values/);
    expect(validateSchemaDocument({ columns: [{ name: 'c', type: 'integer', min: 1, max: 10, distinctValues: 10 }] }).columns[0]).toMatchObject({ distinctValues: 10 });
  });

  test('refuses what is not a whole number from 1 to 100,000,000', () => {
    for (const bad of [0, -1, 1.5, '10', 100_000_001]) {
      expect(refused({ type: 'integer', max: 1e9, distinctValues: bad })).toThrow(
        /^schema.columns\[0\] \(c\).distinctValues is .*: a whole number from 1 to 100000000: how many distinct values the column has$/);
    }
  });

  test('refuses more values than the faker method makes, saying how many it does', () => {
    expect(refused({ type: 'faker', method: 'animal.type', distinctValues: 100 })).toThrow(
      new RegExp(`distinctValues is 100: faker's animal.type makes about ${FAKER_CAPACITY['animal.type'][0]} distinct values that can be reached`));
  });

  test('refuses a pool beyond the function\'s memory, saying the limit', () => {
    const { memory } = fakerDistinctLimit('finance.iban');
    expect(refused({ type: 'faker', method: 'finance.iban', distinctValues: 1_000_000 })).toThrow(
      'schema.columns[0] (c).distinctValues is 1000000: a pool of that many finance.iban values would take more than the 24 MiB the function keeps for '
      + `one column's values; ask for at most ${memory}, or use a uuid or sequence column for unique keys`);
    expect(memory).toBeGreaterThan(100_000);
  });

  test('refuses distinctValues with a distribution or an entity', () => {
    expect(refused({ type: 'faker', method: 'person.firstName', entity: 'customer', distinctValues: 10 })).toThrow(
      /\(c\): distinctValues and entity are both set/);
    // Another part of the schema adds distributions to numbers; whatever their form, they cannot go with distinctValues.
    const both = { name: 'c', type: 'integer', distinctValues: 10, distribution: { kind: 'normal' } };
    expect(() => validateSchemaDocument({ columns: [both] })).toThrow(/distinctValues and distribution are both set|unknown field "distribution"/);
  });

  test('every faker method has a capacity', () => {
    expect(Object.keys(FAKER_CAPACITY)).toEqual([...FAKER_METHODS]);
  });
});

describe('the typed API', () => {
  test('Column.faker takes an entity and distinctValues; number columns take distinctValues', () => {
    const typed = Schema.fromColumns([
      Column.faker('email', 'internet.email', { entity: 'customer' }),
      Column.faker('iban', 'finance.iban', { distinctValues: 100_000 }),
      Column.integer('store_id', { min: 1, max: 100_000, distinctValues: 500 }),
      Column.decimal('price', { distinctValues: 20 }),
      Column.timestamp('at', { distinctValues: 20 }),
    ]);
    expect(JSON.parse(typed.toJson()).columns).toEqual([
      { name: 'email', type: 'faker', method: 'internet.email', entity: 'customer' },
      { name: 'iban', type: 'faker', method: 'finance.iban', distinctValues: 100_000 },
      { name: 'store_id', type: 'integer', min: 1, max: 100_000, distinctValues: 500 },
      { name: 'price', type: 'decimal', min: 0, max: 1000, fractionDigits: 2, distinctValues: 20 },
      { name: 'at', type: 'timestamp', from: '2024-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z', distinctValues: 20 },
    ]);
    expect(() => Column.faker('city', 'location.city', { entity: 'address' })).not.toThrow();
    expect(() => Schema.fromColumns([Column.faker('city', 'location.city', { entity: 'address' })])).toThrow(/location.city cannot agree with them/);
    // The JSON form fails synth the same way.
    expect(() => Schema.fromJson(JSON.stringify({ columns: [{ name: 'iban', type: 'faker', method: 'finance.iban', distinctValues: 1_000_000 }] })))
      .toThrow(/^schema.columns\[0\] \(iban\).distinctValues is 1000000: a pool of that many finance.iban values would take more than the 24 MiB/);
  });
});

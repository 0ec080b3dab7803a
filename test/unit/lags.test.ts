/**
 * Time after another (timestampAfter): each value is the timestamp it follows (of its row, or looked up from the parent
 * row its key names) plus a lag within the declared bounds, never before it, null where it is null; the lags follow the
 * declared law (the report's mean and standard deviation checks, and their failure on a wrong law); any row range made
 * alone equals the same rows of the whole table at any number of parts; mistakes are refused at synth, naming the column.
 */
import fc from 'fast-check';
import { conformanceChecks } from '../../lambda/engine/conformance';
import { validateDatasetDocument } from '../../src/contract/dataset-document';
import { validateSchemaDocument } from '../../src/contract/schema-document';
import { LagUnit } from '../../src/relation-options';
import { Column, Distribution } from '../../src/schema';
import { rowsOfTable, tableOf } from '../support/dataset-rows';
import { engineOutput, parseCsv } from '../support/engine-output';

const HOUR = 3_600_000;
const SHIPPING = validateDatasetDocument({
  tables: [
    {
      name: 'orders',
      rows: 3000,
      columns: [
        { name: 'order_id', type: 'sequence', start: 1 },
        { name: 'ordered_at', type: 'timestamp', from: '2025-01-01T00:00:00Z', to: '2025-12-31T23:59:59Z', nullPercent: 5 },
      ],
    },
    {
      name: 'shipments',
      columns: [
        { name: 'shipment_id', type: 'uuid' },
        { name: 'order_id', type: 'reference', table: 'orders', column: 'order_id', children: { min: 1, max: 3, distribution: { kind: 'paired' } } },
        { name: 'ordered_at', type: 'lookup', through: 'order_id', column: 'ordered_at', omit: true },
        {
          name: 'shipped_at',
          type: 'timestampAfter',
          after: 'ordered_at',
          minLag: 2,
          maxLag: 72,
          unit: 'hours',
          distribution: { kind: 'lognormal', mu: 2.5, sigma: 0.8 },
        },
        { name: 'delivered_at', type: 'timestampAfter', after: 'shipped_at', minLag: 1, maxLag: 10, unit: 'days' },
      ],
    },
  ],
});

describe('timestamps after their parent', () => {
  test('a shipment leaves 2 to 72 hours after its order (looked up), is delivered 1 to 10 days later, and is null where the order time is', async () => {
    const orders = new Map((await rowsOfTable(SHIPPING, 'orders', 8)).records.map(([id, at]) => [id, at]));
    const { records, report } = await rowsOfTable(SHIPPING, 'shipments', 8);
    expect(records).toHaveLength(tableOf(SHIPPING, 'shipments').rows);
    let nulls = 0;
    const lags: number[] = [];
    for (const [, orderId, shippedAt, deliveredAt] of records) {
      const orderedAt = orders.get(orderId)!;
      if (orderedAt === '') {
        nulls++;
        expect([shippedAt, deliveredAt]).toEqual(['', '']);
        continue;
      }
      const lag = Date.parse(shippedAt) - Date.parse(orderedAt);
      lags.push(lag / HOUR);
      expect(lag).toBeGreaterThanOrEqual(2 * HOUR);
      expect(lag).toBeLessThanOrEqual(72 * HOUR);
      const delivery = Date.parse(deliveredAt) - Date.parse(shippedAt);
      expect(delivery).toBeGreaterThanOrEqual(24 * HOUR);
      expect(delivery).toBeLessThanOrEqual(240 * HOUR);
    }
    expect(nulls).toBeGreaterThan(0);
    // Lognormal(2.5, 0.8) hours: median e^2.5 = 12.2 hours.
    const median = lags.sort((a, b) => a - b)[Math.floor(lags.length / 2)];
    expect(median).toBeGreaterThan(11);
    expect(median).toBeLessThan(13.5);
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
    const shipped = report.conformance.filter((check) => check.column === 'shipped_at').map((check) => check.check);
    expect(shipped).toEqual(['nullShare', 'after', 'mean', 'standardDeviation']);
    expect(report.conformance.find((check) => check.column === 'shipped_at' && check.check === 'after')!.declared)
      .toBe('every value 2 to 72 hours after ordered_at, never before it');
  });

  test('the report fails lags that break the declared law', async () => {
    const { report } = await rowsOfTable(SHIPPING, 'shipments', 8);
    const lognormal = tableOf(SHIPPING, 'shipments').columns[3];
    const uniform = { ...lognormal, distribution: { kind: 'uniform' as const } };
    // Lags of a lognormal's mean (about 14 hours) judged against a uniform law of 2 to 72 hours (mean 37): off.
    const judged = conformanceChecks({
      columns: [uniform],
      rows: 100,
      nulls: new Float64Array(1),
      counters: [{
        estimate: () => 100,
        observed: () => ({
          min: 3 * HOUR, max: 40 * HOUR, moments: { count: 100, sum: 100 * 14 * HOUR, sumSquares: 100 * (8 * HOUR) ** 2, center: 0 },
        }),
      } as never],
      firstRow: 0,
    });
    expect(judged.find((check) => check.check === 'after')!.pass).toBe(true);
    expect(judged.find((check) => check.check === 'mean')!.pass).toBe(false);
    expect(report.conformance.find((check) => check.column === 'shipped_at' && check.check === 'mean')!.pass).toBe(true);
  });

  test('a timestamp after another of its own row, in a single table, and after a faker date', async () => {
    const schema = validateSchemaDocument({
      columns: [
        { name: 'created', type: 'timestamp' },
        { name: 'seen', type: 'faker', method: 'date.past' },
        { name: 'opened', type: 'timestampAfter', after: 'created', maxLag: 30, unit: 'minutes', distribution: { kind: 'exponential', mean: 5 } },
        { name: 'revisited', type: 'timestampAfter', after: 'seen', minLag: 1, maxLag: 2, unit: 'days', nullPercent: 10 },
      ],
    });
    const { bytes, report } = await engineOutput({ schema, seed: 3, rowCount: 2000 });
    const [, ...rows] = parseCsv(bytes);
    for (const [created, seen, opened, revisited] of rows) {
      expect(Date.parse(opened) - Date.parse(created)).toBeGreaterThanOrEqual(0);
      expect(Date.parse(opened) - Date.parse(created)).toBeLessThanOrEqual(30 * 60_000);
      if (revisited !== '') expect(Date.parse(revisited) - Date.parse(seen)).toBeGreaterThanOrEqual(24 * HOUR);
    }
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
  });
});

describe('determinism', () => {
  test('any row range, made alone or cut into any number of parts, equals the same rows of the whole table (fast-check)', async () => {
    const whole = (await rowsOfTable(SHIPPING, 'shipments', 41)).bytes.toString('utf8').split('\n').slice(0, -1);
    const rows = tableOf(SHIPPING, 'shipments').rows;
    await fc.assert(fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: rows - 1 }), { maxLength: 5 }), async (cuts) => {
      const edges = [0, ...cuts.sort((a, b) => a - b), rows];
      const parts: string[] = [];
      for (let i = 0; i + 1 < edges.length; i++) {
        parts.push(...(await rowsOfTable(SHIPPING, 'shipments', 41, edges[i], edges[i + 1] - edges[i])).bytes.toString('utf8').split('\n').slice(0, -1));
      }
      expect(parts).toEqual(whole);
    }), { numRuns: 15 });
  });

  test('a known seed keeps making the same rows (changing them is a breaking change)', async () => {
    expect((await rowsOfTable(SHIPPING, 'shipments', 20261207, 0, 5)).bytes.toString('utf8')).toMatchSnapshot();
  });
});

describe('refused at synth, saying where and what to do', () => {
  const schemaWith = (column: Record<string, unknown>) => ({
    columns: [{ name: 'at', type: 'timestamp' }, { name: 'qty', type: 'integer' }, { name: 'x', ...column }],
  });
  test.each([
    ['a lag on a number', { type: 'timestampAfter', after: 'qty', maxLag: 2 },
      'schema.columns[2] (x).after is "qty", a integer column, not a timestamp: a lag is added to a made timestamp'],
    ['a lag after a column that does not exist', { type: 'timestampAfter', after: 'when', maxLag: 2 },
      'schema.columns[2] (x).after is "when": no column of this table has that name; its columns are at, qty, x'],
    ['a lag before its timestamp', { type: 'timestampAfter', after: 'at', minLag: -1, maxLag: 2 },
      'schema.columns[2] (x).minLag is -1: a lag of 0 or more hours: the value is never before at'],
    ['min above max', { type: 'timestampAfter', after: 'at', minLag: 3, maxLag: 2 }, 'schema.columns[2] (x): minLag (3) is greater than maxLag (2)'],
    ['an unknown unit', { type: 'timestampAfter', after: 'at', maxLag: 2, unit: 'weeks' },
      'schema.columns[2] (x).unit is "weeks": allowed units are seconds, minutes, hours, days'],
    ['a Zipf lag', { type: 'timestampAfter', after: 'at', maxLag: 2, distribution: { kind: 'zipf', exponent: 1 } },
      'schema.columns[2] (x).distribution.kind is "zipf": a lag is a duration'],
    ['a lag after a derived column', { type: 'timestampAfter', after: 'd', maxLag: 2 }, '(x).after is "d", a derived column'],
  ])('%s', (_what, column, message) => {
    const document = schemaWith(column);
    if (column.after === 'd') document.columns.push({ name: 'd', type: 'derived', expression: 'at' } as never);
    expect(() => validateSchemaDocument(document)).toThrow(message);
  });

  test('a cycle of lags, and a lag on a looked-up number', () => {
    expect(() => validateSchemaDocument({
      columns: [
        { name: 'a', type: 'timestampAfter', after: 'b', maxLag: 1 }, { name: 'b', type: 'timestampAfter', after: 'a', maxLag: 1 },
      ],
    })).toThrow('schema.columns[0] (a): timestampAfter columns follow each other in a cycle: a -> b -> a; one of them must follow a timestamp of its own');
    const tables = JSON.parse(JSON.stringify(SHIPPING.tables));
    tables[1].columns[2].column = 'order_id';
    expect(() => validateDatasetDocument({ tables })).toThrow(
      'dataset.tables[1] (shipments).columns[3] (shipped_at).after is "ordered_at", a lookup column, not a timestamp');
  });

  test('the typed API writes the JSON form', () => {
    expect(Column.timestampAfter('shipped_at', {
      after: 'ordered_at', minLag: 2, maxLag: 72, unit: LagUnit.HOURS, distribution: Distribution.lognormal({ mu: 2.5, sigma: 0.8 }),
    })._toDocument()).toEqual({
      name: 'shipped_at', type: 'timestampAfter', after: 'ordered_at', minLag: 2, maxLag: 72, unit: 'hours', distribution: { kind: 'lognormal', mu: 2.5, sigma: 0.8 },
    });
  });
});

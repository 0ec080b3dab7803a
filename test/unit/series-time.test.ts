/**
 * Series per entity (seriesTime): each device's readings are in time order, after its installation, and span its
 * life up to the range's end (covering at least 90% of it), instead of each device filling a slice of the range; the
 * report's seriesOrder check passes, and fails on a series out of order; any row range alone or cut into any number of
 * parts equals the whole table's rows; mistakes are refused at synth.
 */
import fc from 'fast-check';
import { conformanceChecks } from '../../lambda/engine/conformance';
import { validateDatasetDocument } from '../../src/contract/dataset-document';
import { Column } from '../../src/schema';
import { rowsOfTable, tableOf } from '../support/dataset-rows';

const TO = '2025-06-30T23:59:59Z';
const tables = (children: Record<string, unknown>) => [
  {
    name: 'devices',
    rows: 60,
    columns: [
      { name: 'device_id', type: 'sequence' },
      { name: 'installed_at', type: 'timestamp', from: '2025-01-01T00:00:00Z', to: '2025-05-31T00:00:00Z' },
    ],
  },
  {
    name: 'readings',
    columns: [
      { name: 'device_id', type: 'reference', table: 'devices', column: 'device_id', children },
      { name: 'installed_at', type: 'lookup', through: 'device_id', column: 'installed_at', omit: true },
      { name: 'read_at', type: 'seriesTime', reference: 'device_id', start: 'installed_at', from: '2025-01-01T00:00:00Z', to: TO },
    ],
  },
];
const IOT = validateDatasetDocument({ tables: tables({ min: 20, max: 200, distribution: { kind: 'poisson', mean: 80 } }) });

describe('series per entity', () => {
  test.each([
    ['counts from a law', IOT],
    ['the paired layout', validateDatasetDocument({ tables: tables({ min: 20, max: 140 }) })],
  ])('%s: each device reports from its installation to the end, in time order, over at least 90%% of its life', async (_layout, dataset) => {
    const installed = new Map((await rowsOfTable(dataset, 'devices', 3)).records.map(([id, at]) => [id, Date.parse(at)]));
    const { records, report } = await rowsOfTable(dataset, 'readings', 3);
    const series = new Map<string, number[]>();
    for (const [device, readAt] of records) {
      if (!series.has(device)) series.set(device, []);
      series.get(device)!.push(Date.parse(readAt));
    }
    expect(series.size).toBe(60);
    const end = Date.parse(TO);
    for (const [device, times] of series) {
      const start = installed.get(device)!;
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBeGreaterThanOrEqual(start);
      expect(times[times.length - 1]).toBeLessThanOrEqual(end);
      expect((times[times.length - 1] - times[0]) / (end - start)).toBeGreaterThanOrEqual(0.9);
    }
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
    expect(report.conformance.find((check) => check.check === 'seriesOrder')).toMatchObject({
      declared: `each device_id's children ascending in time within its span (installed_at to ${TO})`, pass: true,
    });
  });

  test('the report fails a series out of order or out of its span', () => {
    const column = tableOf(IOT, 'readings').columns[2];
    const judged = conformanceChecks({
      columns: [column],
      rows: 10,
      nulls: new Float64Array(1),
      counters: [],
      firstRow: 0,
      series: [{ rows: 10, every: 1, outOfOrder: 1, outOfSpan: 0 }],
    });
    expect(judged).toEqual([expect.objectContaining({ check: 'seriesOrder', observed: '1 out of order, 0 outside the span in 10 rows (every 1)', pass: false })]);
  });

  test('any row range alone, or cut into any number of parts, equals the whole table\'s rows (fast-check)', async () => {
    const rows = tableOf(IOT, 'readings').rows;
    const whole = (await rowsOfTable(IOT, 'readings', 21)).bytes.toString('utf8').split('\n').slice(0, -1);
    await fc.assert(fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: rows - 1 }), { maxLength: 6 }), async (cuts) => {
      const edges = [0, ...cuts.sort((a, b) => a - b), rows];
      const parts: string[] = [];
      for (let i = 0; i + 1 < edges.length; i++) {
        parts.push(...(await rowsOfTable(IOT, 'readings', 21, edges[i], edges[i + 1] - edges[i])).bytes.toString('utf8').split('\n').slice(0, -1));
      }
      expect(parts).toEqual(whole);
    }), { numRuns: 20 });
  });

  test('a known seed keeps making the same rows (changing them is a breaking change)', async () => {
    expect((await rowsOfTable(IOT, 'readings', 20261207, 0, 6)).bytes.toString('utf8')).toMatchSnapshot();
  });
});

describe('refused at synth, saying where and what to do', () => {
  const readings = (column: Record<string, unknown>, children: Record<string, unknown> | null = { min: 1, max: 3 }) => ({
    tables: [
      tables({})[0],
      {
        name: 'readings',
        ...(children ? {} : { rows: 10 }),
        columns: [
          { name: 'device_id', type: 'reference', table: 'devices', column: 'device_id', ...(children ? { children } : {}) },
          { name: 'n', type: 'integer' },
          { name: 'read_at', type: 'seriesTime', reference: 'device_id', from: '2025-01-01', to: '2025-02-01', ...column },
        ],
      },
    ],
  });
  test.each([
    ['a series on a table without children', readings({}, null),
      'dataset.tables[1] (readings).columns[2] (read_at).reference is "device_id": a series orders each parent\'s children in time, so it needs '
      + 'this table\'s reference with children; this table has none'],
    ['a series of a column that is not a reference', readings({ reference: 'n' }), '(read_at).reference is "n": a series orders each parent\'s children in time'],
    ['a start that is not a timestamp', readings({ start: 'n' }), '(read_at).start is "n", a integer column: a series starts at a made timestamp of its row'],
    ['a start that does not exist', readings({ start: 'since' }), '(read_at).start is "since": no column of this table has that name'],
    ['from after to', readings({ from: '2025-03-01' }), '(read_at): from (2025-03-01) is later than to (2025-02-01)'],
  ])('%s', (_what, dataset, message) => {
    expect(() => validateDatasetDocument(dataset)).toThrow(message);
  });

  test('the typed API writes the JSON form', () => {
    expect(Column.seriesTime('read_at', { reference: 'device_id', start: 'installed_at', from: '2025-01-01', to: TO })._toDocument())
      .toEqual({ name: 'read_at', type: 'seriesTime', reference: 'device_id', start: 'installed_at', from: '2025-01-01', to: TO });
  });
});

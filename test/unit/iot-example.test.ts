/**
 * The iot example (examples/iot.dataset.json) validates, has the rows its count law sums to, and its readings keep
 * every declared relation: the site looked up from the device, each device's readings in time order from its
 * installation over at least 90% of its life, and a report whose every check passes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDatasetDocument } from '../../src/contract/dataset-document';
import { rowsOfTable } from '../support/dataset-rows';
import { expectWorkersMakeTheSameBytes } from '../support/engine-output';

const IOT = parseDatasetDocument(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'iot.dataset.json'), 'utf8'));

test('the iot example: devices, their readings as series after installation, every check passing', async () => {
  expect(IOT.tables.map((table) => table.name)).toEqual(['device_models', 'devices', 'readings']);
  const readings = IOT.tables[2].rows;
  // About 1,000 readings per device, 900 devices: within the construct's default maxRows (1,000,000).
  expect(readings).toBeGreaterThan(850_000);
  expect(readings).toBeLessThanOrEqual(1_000_000);
  const devices = new Map((await rowsOfTable(IOT, 'devices', 1)).records.map(([id, , , site, installed]) => [id, { site, installed: Date.parse(installed) }]));
  // The first 50 devices' readings, whole (the table is in device order): a part of the table, as any shard makes it.
  const { records, report } = await rowsOfTable(IOT, 'readings', 1, 0, 50_000);
  expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
  const byDevice = new Map<string, number[]>();
  for (const [device, site, readAt] of records) {
    expect(site).toBe(devices.get(device)!.site);
    if (!byDevice.has(device)) byDevice.set(device, []);
    byDevice.get(device)!.push(Date.parse(readAt));
  }
  const end = Date.parse('2025-06-30T23:59:59Z');
  const whole = [...byDevice].slice(0, -1); // the last device may continue past row 50,000
  for (const [device, times] of whole) {
    const installed = devices.get(device)!.installed;
    expect(times[0]).toBeGreaterThanOrEqual(installed);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect((times[times.length - 1] - times[0]) / (end - installed)).toBeGreaterThanOrEqual(0.9);
  }
});

test('two worker threads of the bundled function make the same readings as one thread', async () => {
  const run = { schema: IOT.tables[2], seed: 4, firstRow: 1000, rowCount: 140_000, header: false, dataset: { document: IOT, table: 'readings' } };
  const { alone, threaded } = await expectWorkersMakeTheSameBytes(run);
  expect(threaded.report.conformance).toEqual(alone.report.conformance);
});

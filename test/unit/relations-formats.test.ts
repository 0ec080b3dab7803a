/**
 * The new kinds in every format: lookups (text, decimal, nullable timestamp, a key), helper columns, timestampAfter,
 * seriesTime and seriesValue are written by CSV, JSON Lines and Parquet with the same values, and DuckDB reads the
 * Parquet file with the logical types the catalog declares (a looked-up decimal as DECIMAL, a series value as DOUBLE,
 * instants as TIMESTAMP), helper columns absent.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateDatasetDocument, withKeyTypes, type DatasetDocument } from '../../src/contract/dataset-document';
import { logicalTypesOf } from '../../src/contract/logical-types';
import { tableOf } from '../support/dataset-rows';
import { engineOutput, parseCsv } from '../support/engine-output';
import { DuckDb } from '../support/parquet-readers';
import { RELATED } from '../support/related-dataset';

const IOT = validateDatasetDocument(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'iot.dataset.json'), 'utf8')));

async function inEveryFormat(dataset: DatasetDocument, name: string, rows: number) {
  const run = { schema: tableOf(dataset, name), seed: 17, rowCount: rows, dataset: { document: dataset, table: name } };
  const csv = parseCsv((await engineOutput({ ...run, header: true })).bytes);
  const jsonl = (await engineOutput({ ...run, output: { format: 'jsonl', compression: 'none' } })).bytes.toString('utf8').trim().split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const parquet = (await engineOutput({ ...run, output: { format: 'parquet', compression: 'zstd' } })).bytes;
  return { csv, jsonl, parquet };
}

test.each([
  ['order items with lookups and helpers', RELATED, 'order_items', 300],
  ['iot readings: series time, series values, a looked-up site', IOT, 'readings', 2000],
])('%s: the same values in CSV, JSON Lines and Parquet, typed as declared', async (_what, dataset, name, rows) => {
  const { csv, jsonl, parquet } = await inEveryFormat(dataset, name, rows);
  const [header, ...records] = csv;
  expect(records).toHaveLength(rows);
  expect(jsonl.map((object) => Object.keys(object))).toEqual(records.map(() => header));
  // JSON holds the same cells as CSV (numbers as numbers, equal in value; nulls as null).
  jsonl.forEach((object, r) => header.forEach((column, c) => {
    const cell = records[r][c];
    const value = object[column];
    if (typeof value === 'number') expect(value).toBe(Number(cell));
    else expect(value === null ? '' : String(value)).toBe(cell);
  }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relations-formats-'));
  const file = path.join(dir, 'table.parquet');
  fs.writeFileSync(file, parquet);
  const duck = await DuckDb.open();
  try {
    const schema = await duck.query(`SELECT name, type FROM parquet_schema('${file}') WHERE name <> 'schema'`);
    const columns = withKeyTypes(dataset, tableOf(dataset, name)).columns;
    const types = logicalTypesOf(columns).filter((_type, c) => columns[c].omit !== true);
    expect(schema.map((column) => column.name)).toEqual(header);
    const described = await duck.query(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    described.forEach((column, c) => {
      const kind = types[c].kind;
      const expected = kind === 'decimal' ? /^DECIMAL/ : kind === 'double' ? /^DOUBLE$/ : kind === 'timestamp' ? /^TIMESTAMP/ : kind === 'bigint' ? /^BIGINT$/
        : kind === 'boolean' ? /^BOOLEAN$/ : /^VARCHAR$/;
      expect(`${column.column_name}: ${column.column_type}`).toMatch(new RegExp(`^${header[c]}: ${expected.source.slice(1)}`));
    });
    const count = await duck.query(`SELECT count(*)::INTEGER AS n FROM read_parquet('${file}')`);
    expect(count[0].n).toBe(rows);
  } finally {
    duck.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

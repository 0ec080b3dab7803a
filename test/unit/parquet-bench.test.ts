/**
 * The Parquet benchmark compares like with like: the sales-like blocks it measures are well-formed, and
 * hyparquet-writer, through the adapter, writes the same rows with the same schema as our encoder (read back by
 * DuckDB and hyparquet). Nothing here measures speed.
 */
import type * as HyparquetWriter from 'hyparquet-writer' with { 'resolution-mode': 'import' };
import { HyparquetWriterAdapter } from '../../scripts/parquet-bench/hyparquet-writer-adapter';
import { SALES_COLUMNS, SalesBlocks } from '../../scripts/parquet-bench/sales-blocks';
import { encodeFile, ReadBack } from '../support/parquet-readers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ByteWriter } = require('hyparquet-writer') as typeof HyparquetWriter;

const CREATED_BY = 'cdk-synthetic-data version 0.0.0 (build test)';

let readBack: ReadBack;

beforeAll(async () => {
  readBack = await ReadBack.open();
});

afterAll(() => readBack?.close());

/** Rows 0-999 and 1000-1599 of the sales table, each writer given its blocks from reused arrays, as the benchmark does. */
function salesFiles(codec: 'zstd' | 'snappy'): { ours: Uint8Array; theirs: Uint8Array } {
  const ourBlocks = new SalesBlocks(1000);
  const refilled = function* () {
    yield ourBlocks.block(0, 1000);
    yield ourBlocks.block(1000, 600);
  };
  const ours = encodeFile(SALES_COLUMNS, refilled(), { compression: codec, createdBy: CREATED_BY });
  const theirBlocks = new SalesBlocks(1000);
  const writer = new ByteWriter();
  const adapter = new HyparquetWriterAdapter(SALES_COLUMNS, { writer, codec: codec === 'zstd' ? 'ZSTD' : 'SNAPPY', createdBy: CREATED_BY });
  adapter.writeRowGroup(theirBlocks.block(0, 1000));
  adapter.writeRowGroup(theirBlocks.block(1000, 600));
  adapter.finish();
  return { ours: ours.bytes, theirs: writer.getBytes() };
}

test.each(['zstd', 'snappy'] as const)('hyparquet-writer through the adapter and our encoder write the same rows and schema (%s)', async (codec) => {
  // GIVEN
  const { ours, theirs } = salesFiles(codec);
  const fileOf = (bytes: Uint8Array) => readBack.save(bytes);
  const columns = SALES_COLUMNS.map((column) => `"${column.name}"`).join(', ');
  const rowsOf = async (file: string) => readBack.duckdb.query(`SELECT ${columns} FROM read_parquet('${file}', file_row_number = true) ORDER BY file_row_number`);
  const schemaOf = async (file: string) => (await readBack.duckdb.query(`SELECT name, type, repetition_type, converted_type, logical_type FROM parquet_schema('${file}')`))
    .slice(1);
  const codecsOf = async (file: string) => readBack.duckdb.query(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`);
  // WHEN
  const [ourFile, theirFile] = [fileOf(ours), fileOf(theirs)];
  // THEN
  const ourRows = await rowsOf(ourFile);
  expect(ourRows).toHaveLength(1600);
  expect(await rowsOf(theirFile)).toEqual(ourRows);
  expect(await schemaOf(theirFile)).toEqual(await schemaOf(ourFile));
  expect(await codecsOf(theirFile)).toEqual([{ compression: codec.toUpperCase() }]);
  expect(await codecsOf(ourFile)).toEqual([{ compression: codec.toUpperCase() }]);
});

test('the sales blocks: every column as declared, nulls only in coupon, text and dictionaries within their arrays', async () => {
  // GIVEN
  const blocks = new SalesBlocks(5000);
  // WHEN
  const block = blocks.block(123_456, 5000);
  // THEN
  expect(block.columns.map((column) => column.count)).toEqual([5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, block.columns[8].count]);
  expect(block.columns[8].count).toBeGreaterThan(1000);
  expect(block.columns[8].count).toBeLessThan(1500);
  const file = encodeFile(SALES_COLUMNS, [block], { compression: 'none', createdBy: CREATED_BY });
  const stats = await readBack.duckdb.query(`SELECT count(DISTINCT order_id) AS ids, min(quantity) AS qmin, max(quantity) AS qmax, min(unit_price) AS pmin, max(unit_price) AS pmax,
    min(order_date) >= TIMESTAMPTZ '2024-01-01 00:00:00+00' AND max(order_date) < TIMESTAMPTZ '2025-01-01 00:00:00+00' AS in2024,
    count(DISTINCT region) AS regions, count(DISTINCT product) AS products, bool_and(email LIKE '%@%.com') AS emails, bool_and(regexp_matches(order_id, '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$')) AS uuids
    FROM read_parquet('${readBack.save(file.bytes)}')`);
  expect(stats).toEqual([{ ids: '5000', qmin: '1', qmax: '20', pmin: expect.any(String), pmax: expect.any(String), in2024: true, regions: '50', products: expect.any(String), emails: true, uuids: true }]);
  expect(Number(stats[0].pmin)).toBeGreaterThanOrEqual(1);
  expect(Number(stats[0].pmax)).toBeLessThanOrEqual(500);
  expect(Number(stats[0].products)).toBeGreaterThan(3000);
});

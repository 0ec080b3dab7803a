/**
 * `cdk-synthetic-data infer`: from the retail example's files (made by generate, byte for byte the function's objects) it
 * recovers the keys, the foreign keys with their layout, count laws and skew, the lookups, derived values, series and
 * lags between rows, the types, categories, faker methods and distributions, in CSV and in Parquet; a relation broken
 * on one row is not inferred; its fidelity report passes its own tolerances; --no-categories copies no text
 * value of the sample; a sample the schema cannot express fails the report (exit 1); small files give precise types.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { readRows } from '../../cli/samples/read-rows';
import * as library from '../../src';
import { parseDatasetDocument, validateDatasetDocument, type DatasetDocument } from '../../src/contract/dataset-document';
import { runCli } from '../support/cli-runner';

const RETAIL_FILE = path.join(__dirname, '..', '..', 'examples', 'retail.dataset.json');
/** The retail example before lookups and count laws (test/support/paired-retail.dataset.json). */
const PAIRED_RETAIL_FILE = path.join(__dirname, '..', 'support', 'paired-retail.dataset.json');

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-infer-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The retail dataset made by generate in `format`, without its manifest: files as a user would have them. */
async function retailSamples(format: string, rows?: number): Promise<string> {
  const out = path.join(dir, 'samples');
  const scale = rows === undefined ? [] : ['--rows', String(rows)];
  expect((await runCli('generate', '--dataset', RETAIL_FILE, '--seed', '11', '--format', format, ...scale, '--out', out, '--quiet')).code).toBe(0);
  fs.rmSync(path.join(out, 'synthetic-data', 'dataset', '_manifest_local.json'));
  return out;
}

const columnOf = (document: DatasetDocument, table: string, column: string) =>
  document.tables.find((candidate) => candidate.name === table)!.columns.find((candidate) => candidate.name === column) as Record<string, any>;

test.each(['csv', 'parquet'])('the retail files in %s: keys, foreign keys, count laws, lookups, derived values, series and lags recovered; the fidelity report passes', async (format) => {
  // GIVEN the retail example's five tables as files
  const samples = await retailSamples(format);
  // WHEN a dataset is inferred from them
  const out = path.join(dir, 'dataset.json');
  const cli = await runCli('infer', samples, '--out', out, '--quiet');
  // THEN it is a valid dataset, faithful to the sample by its own report
  expect(cli.stdout).toContain('PASS: all');
  expect(cli.code).toBe(0);
  const inferred = parseDatasetDocument(fs.readFileSync(out, 'utf8'));
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'dataset.fidelity.json'), 'utf8'));
  expect(report).toMatchObject({ pass: true, failed: 0 });
  // The 35 written columns (the 2 helper lookups are in no file)
  expect(report.columns).toHaveLength(35);
  // AND the keys and foreign keys are the retail example's, children tables with their count laws
  expect(inferred.tables.map((table) => table.name).sort()).toEqual(['customers', 'order_items', 'orders', 'products', 'shipments']);
  expect(columnOf(inferred, 'customers', 'customer_id')).toEqual({ name: 'customer_id', type: 'uuid' });
  expect(columnOf(inferred, 'orders', 'order_id')).toEqual({ name: 'order_id', type: 'sequence', start: 100001, step: 1 });
  const ordersPerCustomer = columnOf(inferred, 'orders', 'customer_id');
  expect(ordersPerCustomer).toMatchObject({ type: 'reference', table: 'customers', column: 'customer_id', children: { min: 0, distribution: { kind: 'zipf' } } });
  expect(ordersPerCustomer.children.distribution.exponent).toBeCloseTo(1.5, 1);
  expect(columnOf(inferred, 'order_items', 'order_id')).toEqual({
    name: 'order_id', type: 'reference', table: 'orders', column: 'order_id', children: { min: 1, max: 5, distribution: { kind: 'uniform' } },
  });
  expect(columnOf(inferred, 'shipments', 'order_id')).toMatchObject({ children: { min: 1, max: 2 } });
  const productOfItem = columnOf(inferred, 'order_items', 'product_id');
  expect(productOfItem).toMatchObject({ type: 'reference', table: 'products', column: 'product_id' });
  expect(productOfItem.skew).toBeGreaterThan(0.8);
  expect(productOfItem.skew).toBeLessThan(1.4);
  // AND the relations between rows: lookups through one and two references, a derived line total, each customer's
  // orders as a series from their signup, shipments 2 to 72 hours after their order, the helpers not written
  expect(columnOf(inferred, 'order_items', 'list_price')).toEqual({ name: 'list_price', type: 'lookup', through: ['product_id'], column: 'list_price' });
  expect(columnOf(inferred, 'order_items', 'product_name')).toEqual({ name: 'product_name', type: 'lookup', through: ['product_id'], column: 'name' });
  expect(columnOf(inferred, 'shipments', 'ship_to_state')).toEqual({ name: 'ship_to_state', type: 'lookup', through: ['order_id', 'customer_id'], column: 'state' });
  expect(columnOf(inferred, 'order_items', 'line_total')).toEqual({ name: 'line_total', type: 'derived', expression: 'round(list_price * quantity * (1 - discount), 2)' });
  expect(columnOf(inferred, 'orders', 'signed_up_at')).toEqual({ name: 'signed_up_at', type: 'lookup', through: ['customer_id'], column: 'signed_up_at', omit: true });
  expect(columnOf(inferred, 'orders', 'ordered_at')).toMatchObject({ type: 'seriesTime', reference: 'customer_id', start: 'signed_up_at' });
  expect(columnOf(inferred, 'shipments', 'ordered_at')).toMatchObject({ type: 'lookup', through: ['order_id'], column: 'ordered_at', omit: true });
  const shipped = columnOf(inferred, 'shipments', 'shipped_at');
  expect(shipped).toMatchObject({ type: 'timestampAfter', after: 'ordered_at', unit: 'hours', distribution: { kind: 'lognormal' } });
  expect(shipped.minLag).toBeGreaterThanOrEqual(2);
  expect(shipped.maxLag).toBeLessThanOrEqual(72);
  // AND the columns' kinds: faker methods for recognizable text, categories with weights, nulls, distributions
  expect(columnOf(inferred, 'customers', 'email')).toMatchObject({ type: 'faker', method: 'internet.email' });
  expect(columnOf(inferred, 'customers', 'state')).toMatchObject({ type: 'faker', method: 'location.state' });
  expect(columnOf(inferred, 'customers', 'zip_code')).toMatchObject({ type: 'faker', method: 'location.zipCode' });
  expect(columnOf(inferred, 'customers', 'first_name')).toMatchObject({ type: 'faker', method: 'person.firstName' });
  const status = columnOf(inferred, 'orders', 'status');
  expect(status).toMatchObject({ type: 'oneOf', values: ['delivered', 'shipped', 'processing', 'cancelled'] });
  expect(status.weights.reduce((sum: number, weight: number) => sum + weight, 0)).toBe(report.tables.find((table: { name: string }) => table.name === 'orders').sampleRows);
  const coupon = columnOf(inferred, 'orders', 'coupon_code');
  expect(coupon.nullPercent).toBeGreaterThan(77);
  expect(coupon.nullPercent).toBeLessThan(83);
  expect(columnOf(inferred, 'orders', 'store_id')).toMatchObject({ type: 'integer', distinctValues: 250 });
  expect(columnOf(inferred, 'order_items', 'quantity')).toMatchObject({ type: 'integer', min: 1, max: 10, distribution: { kind: 'zipf' } });
  expect(columnOf(inferred, 'order_items', 'quantity').distribution.exponent).toBeCloseTo(1.2, 0);
  expect(columnOf(inferred, 'products', 'list_price')).toMatchObject({ type: 'decimal', fractionDigits: 2, distribution: { kind: 'lognormal' } });
  expect(columnOf(inferred, 'products', 'list_price').distribution.mu).toBeCloseTo(3, 0);
}, 120_000);

test('the retail example as it was (a skewed reference, ascending order times, items paired 1 to 5): recovered, faithful', async () => {
  const out = path.join(dir, 'samples');
  expect((await runCli('generate', '--dataset', PAIRED_RETAIL_FILE, '--seed', '11', '--out', out, '--quiet')).code).toBe(0);
  fs.rmSync(path.join(out, 'synthetic-data', 'dataset', '_manifest_local.json'));
  const cli = await runCli('infer', out, '--out', path.join(dir, 'dataset.json'), '--quiet');
  expect(cli.stdout).toContain('PASS: all');
  const inferred = parseDatasetDocument(fs.readFileSync(path.join(dir, 'dataset.json'), 'utf8'));
  const customerOfOrder = columnOf(inferred, 'orders', 'customer_id');
  expect(customerOfOrder).toMatchObject({ type: 'reference', table: 'customers', column: 'customer_id' });
  expect(customerOfOrder.skew).toBeGreaterThan(0.8);
  expect(customerOfOrder.skew).toBeLessThan(1.4);
  expect(columnOf(inferred, 'orders', 'ordered_at')).toMatchObject({ type: 'timestamp', order: 'ascending' });
  // Paired counts are uniform over 1..5 at each parent: the law that fits them.
  expect(columnOf(inferred, 'order_items', 'order_id')).toMatchObject({ children: { min: 1, max: 5, distribution: { kind: 'uniform' } } });
  expect(columnOf(inferred, 'order_items', 'line_total')).toEqual({ name: 'line_total', type: 'derived', expression: 'round(quantity * unit_price, 2)' });
}, 120_000);

test('relations that break on one row are not inferred: a changed looked-up value, a line total off by a cent, a shipment before its order', async () => {
  const samples = await retailSamples('csv', 300);
  const edit = (table: string, change: (header: string[], cells: string[]) => void) => {
    const file = path.join(samples, 'synthetic-data', 'dataset', table, `${table}_local.csv`);
    const [header, first, ...rest] = fs.readFileSync(file, 'utf8').split('\n');
    const cells = first.split(',');
    change(header.split(','), cells);
    fs.writeFileSync(file, [header, cells.join(','), ...rest].join('\n'));
  };
  edit('order_items', (header, cells) => {
    cells[header.indexOf('product_name')] = 'Not The Product';
    cells[header.indexOf('line_total')] = (Number(cells[header.indexOf('line_total')]) + 0.01).toFixed(2);
  });
  edit('shipments', (header, cells) => { cells[header.indexOf('shipped_at')] = '2022-01-01T00:00:00.000Z'; });
  await runCli('infer', samples, '--out', path.join(dir, 'dataset.json'), '--quiet');
  const inferred = parseDatasetDocument(fs.readFileSync(path.join(dir, 'dataset.json'), 'utf8'));
  expect(columnOf(inferred, 'order_items', 'product_name').type).toBe('faker');
  expect(columnOf(inferred, 'order_items', 'line_total').type).toBe('decimal');
  expect(columnOf(inferred, 'shipments', 'shipped_at').type).toBe('timestamp');
  // The rows that still hold keep their relations.
  expect(columnOf(inferred, 'order_items', 'list_price').type).toBe('lookup');
}, 120_000);

test('--no-categories: no text value of the sample in the document, the categories kept as placeholders with their weights', async () => {
  const samples = await retailSamples('csv', 500);
  const out = path.join(dir, 'dataset.json');
  expect((await runCli('infer', samples, '--out', out, '--no-categories', '--quiet')).code).toBe(0);
  const text = fs.readFileSync(out, 'utf8');
  const strings = new Set<string>();
  JSON.parse(text, (_key, value) => { if (typeof value === 'string') strings.add(value); return value; });
  const sampleTexts = new Set<string>();
  const files: string[] = [];
  const walk = (at: string): void => fs.readdirSync(at, { withFileTypes: true })
    .forEach((entry) => (entry.isDirectory() ? walk(path.join(at, entry.name)) : files.push(path.join(at, entry.name))));
  walk(samples);
  for (const file of files) {
    await readRows(file, (rows) => rows.forEach((row) => Object.values(row).forEach((value) => {
      if (typeof value === 'string' && !/^[\d.:TZ-]+$/.test(value)) sampleTexts.add(value);
    })));
  }
  expect(sampleTexts.size).toBeGreaterThan(1000);
  expect([...strings].filter((value) => sampleTexts.has(value))).toEqual([]);
  expect(columnOf(parseDatasetDocument(text), 'orders', 'status')).toMatchObject({ type: 'oneOf', values: ['category_1', 'category_2', 'category_3', 'category_4'] });
});

test('a sample the schema cannot say (two clusters of numbers): the fidelity report fails, exit 1, and still writes both files', async () => {
  const rows = Array.from({ length: 2000 }, (_, i) => `${i % 2 === 0 ? 10 + (i % 7) : 90 + (i % 5)}`);
  const sample = path.join(dir, 'clusters.csv');
  fs.writeFileSync(sample, `score\n${rows.join('\n')}\n`);
  const cli = await runCli('infer', sample, '--out', path.join(dir, 'd.json'), '--quiet');
  expect(cli.code).toBe(1);
  expect(cli.stdout).toMatch(/clusters\.score: .*✗ standardDeviation/);
  expect(cli.stdout).toMatch(/FAIL: \d+ of \d+ checks outside their tolerances/);
  expect(fs.existsSync(path.join(dir, 'd.json'))).toBe(true);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'd.fidelity.json'), 'utf8')).pass).toBe(false);
});

test('types from a small JSON Lines file: decimals keep their fraction digits, booleans become categories, codes stay text', async () => {
  const sample = path.join(dir, 'items.jsonl');
  const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ price: `${(i % 97) + 1}.${String(i % 100).padStart(2, '0')}`, active: i % 4 !== 0, code: String(i).padStart(5, '0') }));
  fs.writeFileSync(sample, `${lines.join('\n')}\n`);
  const cli = await runCli('infer', sample, '--out', path.join(dir, 'd.json'), '--quiet');
  const table = parseDatasetDocument(fs.readFileSync(path.join(dir, 'd.json'), 'utf8')).tables[0];
  expect(cli.code).toBe(0);
  expect(table.name).toBe('items');
  expect(table.columns[0]).toMatchObject({ name: 'price', type: 'decimal', min: 1, max: 97.96, fractionDigits: 2 });
  expect(table.columns[1]).toEqual({ name: 'active', type: 'oneOf', values: ['true', 'false'], weights: [300, 100] });
  expect(table.columns[2]).toMatchObject({ name: 'code', type: 'faker', method: 'location.zipCode' });
});

test('--typescript and --python: the same tables as code; the TypeScript, run against the library, makes the same dataset', async () => {
  const samples = await retailSamples('csv', 500);
  const out = path.join(dir, 'dataset.json');
  const tsFile = path.join(dir, 'tables.ts');
  const pyFile = path.join(dir, 'tables.py');
  expect((await runCli('infer', samples, '--out', out, '--typescript', tsFile, '--python', pyFile, '--quiet')).code).toBe(0);
  // The TypeScript module, compiled and run with `cdk-synthetic-data` resolved to this library's sources
  const compiled = ts.transpileModule(fs.readFileSync(tsFile, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const exported: { tables?: library.Table[] } = {};
  new Function('require', 'exports', compiled)((name: string) => {
    expect(name).toBe('cdk-synthetic-data');
    return library;
  }, exported);
  const fromCode = validateDatasetDocument({ tables: exported.tables!.map((table) => table._toDocument()) });
  expect(fromCode).toEqual(parseDatasetDocument(fs.readFileSync(out, 'utf8')));
  // The Python module parses, and has a Column.* call per column, with Python's names for the options
  const python = fs.readFileSync(pyFile, 'utf8');
  const parsed = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', pyFile], { encoding: 'utf8' });
  expect(parsed.stderr).toBe('');
  expect(parsed.status).toBe(0);
  // 35 written columns and 2 helpers (the signup an order's series starts at, the order time a shipment follows)
  expect(python.match(/^ {8}Column\.\w+\(/gm)).toHaveLength(37);
  expect(python).toContain('Column.reference("order_id", table="orders", column="order_id", min_children=1, max_children=5, child_counts=ChildCounts.uniform())');
  expect(python).toContain('Column.lookup("ship_to_state", through=["order_id", "customer_id"], column="state")');
  expect(python).toContain('Column.lookup("ordered_at", through=["order_id"], column="ordered_at", omit=True)');
  expect(python).toMatch(/Column\.timestamp_after\("shipped_at", after="ordered_at", min_lag=[\d.]+, max_lag=[\d.]+, unit=LagUnit\.HOURS/);
  expect(python).toMatch(/Column\.series_time\("ordered_at", reference="customer_id", start="signed_up_at", from_="/);
  expect(python).toContain('Column.one_of("status", ["delivered", "shipped", "processing", "cancelled"], weights=[');
});

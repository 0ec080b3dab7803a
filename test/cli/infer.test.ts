/**
 * `cdk-synthetic-data infer`: from the retail example's files (made by generate, byte for byte the function's objects) it
 * recovers the keys, the foreign keys with their layout and skew, the types, categories, faker methods and
 * distributions, in CSV and in Parquet; its fidelity report passes its own tolerances; --no-categories copies no text
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

test.each(['csv', 'parquet'])('the retail files in %s: keys, foreign keys, types and distributions recovered; the fidelity report passes', async (format) => {
  // GIVEN the retail example's three tables as files
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
  expect(report.columns).toHaveLength(23);
  // AND the keys and foreign keys are the retail example's: children 1 to 5 per order, customers chosen with a skew near 1.1
  expect(inferred.tables.map((table) => [table.name, table.rows])).toEqual([['customers', 2000], ['order_items', 30000], ['orders', 10000]]);
  expect(columnOf(inferred, 'customers', 'customer_id')).toEqual({ name: 'customer_id', type: 'uuid' });
  expect(columnOf(inferred, 'orders', 'order_id')).toEqual({ name: 'order_id', type: 'sequence', start: 100001, step: 1 });
  expect(columnOf(inferred, 'order_items', 'order_id')).toEqual({ name: 'order_id', type: 'reference', table: 'orders', column: 'order_id', children: { min: 1, max: 5 } });
  const customerOfOrder = columnOf(inferred, 'orders', 'customer_id');
  expect(customerOfOrder).toMatchObject({ type: 'reference', table: 'customers', column: 'customer_id' });
  expect(customerOfOrder.skew).toBeGreaterThan(0.8);
  expect(customerOfOrder.skew).toBeLessThan(1.4);
  // AND the columns' kinds: faker methods for recognizable text, categories with weights, nulls, ascending time, distributions
  expect(columnOf(inferred, 'customers', 'email')).toMatchObject({ type: 'faker', method: 'internet.email' });
  expect(columnOf(inferred, 'customers', 'state')).toMatchObject({ type: 'faker', method: 'location.state' });
  expect(columnOf(inferred, 'customers', 'zip_code')).toMatchObject({ type: 'faker', method: 'location.zipCode' });
  expect(columnOf(inferred, 'customers', 'first_name')).toMatchObject({ type: 'faker', method: 'person.firstName' });
  const status = columnOf(inferred, 'orders', 'status');
  expect(status).toMatchObject({ type: 'oneOf', values: ['delivered', 'shipped', 'processing', 'cancelled'] });
  expect(status.weights.reduce((sum: number, weight: number) => sum + weight, 0)).toBe(10000);
  const coupon = columnOf(inferred, 'orders', 'coupon_code');
  expect(coupon.nullPercent).toBeGreaterThan(77);
  expect(coupon.nullPercent).toBeLessThan(83);
  expect(columnOf(inferred, 'orders', 'ordered_at')).toMatchObject({ type: 'timestamp', order: 'ascending' });
  expect(columnOf(inferred, 'orders', 'store_id')).toMatchObject({ type: 'integer', distinctValues: 250 });
  expect(columnOf(inferred, 'order_items', 'quantity')).toMatchObject({ type: 'integer', min: 1, max: 10, distribution: { kind: 'zipf' } });
  expect(columnOf(inferred, 'order_items', 'quantity').distribution.exponent).toBeCloseTo(1.2, 0);
  expect(columnOf(inferred, 'order_items', 'unit_price')).toMatchObject({ type: 'decimal', fractionDigits: 2, distribution: { kind: 'lognormal' } });
  expect(columnOf(inferred, 'order_items', 'unit_price').distribution.mu).toBeCloseTo(3, 0);
}, 60_000);

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
  expect(python.match(/^ {8}Column\.\w+\(/gm)).toHaveLength(23);
  expect(python).toContain('Column.reference("order_id", table="orders", column="order_id", min_children=1, max_children=5)');
  expect(python).toContain('Column.one_of("status", ["delivered", "shipped", "processing", "cancelled"], weights=[');
});

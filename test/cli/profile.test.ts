/**
 * `cdk-synthetic-data profile`: the page of a generated dataset opened in headless Chromium, every column's chart
 * rendered (each bar drawn with a size), nothing loaded from outside the file; foreign-key integrity that finds orphans
 * when a parent row is missing; the conformance verdicts of the manifest; plain files without a manifest.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli-runner';
import { openPage } from '../support/headless-chromium';

const RETAIL_FILE = path.join(__dirname, '..', '..', 'examples', 'retail.dataset.json');
let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-profile-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

interface ChartCheck {
  readonly columns: number;
  readonly charts: ReadonlyArray<{ column: string; kind: string; declaredBars: number; drawnBars: number; width: number; height: number }>;
  readonly external: number;
}

/** What the browser drew: per chart, its box and how many of its bars have a visible size. */
const CHARTS_EXPRESSION = `(() => {
  const charts = [...document.querySelectorAll('svg.chart')].map((svg) => {
    const box = svg.getBoundingClientRect();
    const drawn = [...svg.querySelectorAll('rect.bar')].filter((bar) => { const b = bar.getBBox(); return b.width > 0 && b.height > 0; });
    return { column: svg.closest('[data-column]').dataset.column, kind: svg.dataset.chart, declaredBars: Number(svg.dataset.bars),
      drawnBars: drawn.length, width: box.width, height: box.height };
  });
  const external = [...document.querySelectorAll('[src], [href], script, link')].length;
  return { columns: document.querySelectorAll('.column').length, charts, external };
})()`;

test('the page of a generated dataset: every column charted in Chromium, foreign keys intact, conformance verdicts', async () => {
  // GIVEN the retail dataset made in Parquet by generate
  const out = path.join(dir, 'out');
  expect((await runCli('generate', '--dataset', RETAIL_FILE, '--seed', '3', '--format', 'parquet', '--out', out, '--quiet')).code).toBe(0);
  // WHEN it is profiled
  const page = path.join(dir, 'profile.html');
  const cli = await runCli('profile', out, '--out', page, '--quiet');
  // THEN the summary has every table's rows, the foreign keys without orphans and the manifest's verdicts
  expect(cli.code).toBe(0);
  const summary = JSON.parse(cli.stdout);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'synthetic-data', 'dataset', '_manifest_local.json'), 'utf8'));
  expect(summary.tables.map((table: { name: string; rows: number; bytes: number }) => [table.name, table.rows, table.bytes]))
    .toEqual(manifest.tables.map((table: { name: string; rows: number; bytes: number }) => [table.name, table.rows, table.bytes]));
  expect(summary.foreignKeys.map((key: { checked: boolean; orphans: number }) => [key.checked, key.orphans])).toEqual(Array(4).fill([true, 0]));
  expect(summary.conformance).toEqual({ checks: manifest.conformance.checks, failed: 0 });
  const html = fs.readFileSync(page, 'utf8');
  expect(html).toContain('intact');
  expect(html).toContain(`${manifest.conformance.checks} of ${manifest.conformance.checks} checks pass`);
  // AND in the browser, every column has a chart, every chart and every bar it declares has a size, and nothing comes from outside
  const browser = await openPage(page);
  try {
    const drawn = await browser.evaluate<ChartCheck>(CHARTS_EXPRESSION);
    // Every written column (helpers, omit, are in no file)
    const tables: Array<{ columns: Array<{ omit?: boolean }> }> = manifest.definition.tables;
    const columns = tables.reduce((sum, table) => sum + table.columns.filter((column) => column.omit !== true).length, 0);
    expect(drawn.columns).toBe(columns);
    expect(drawn.charts).toHaveLength(columns);
    for (const chart of drawn.charts) {
      const drawnAll = chart.drawnBars > 0 && chart.drawnBars === chart.declaredBars;
      const sized = chart.width > 0 && chart.height > 0;
      expect({ column: chart.column, drawnAll, sized }).toEqual({ column: chart.column, drawnAll: true, sized: true });
    }
    expect(new Set(drawn.charts.map((chart) => chart.kind))).toEqual(new Set(['histogram', 'top-values']));
    expect(drawn.external).toBe(0);
  } finally {
    await browser.close();
  }
}, 120_000);

test('a parent row missing: the foreign key is broken, its orphans counted, and a warning says so', async () => {
  // GIVEN the retail dataset in CSV, with the row of the customer of the most orders removed from its file
  const out = path.join(dir, 'out');
  await runCli('generate', '--dataset', RETAIL_FILE, '--rows', '300', '--seed', '3', '--out', out, '--quiet');
  const customerOfOrder = fs.readFileSync(path.join(out, 'synthetic-data', 'dataset', 'orders', 'orders_local.csv'), 'utf8')
    .trimEnd().split('\n').slice(1).map((line) => line.split(',')[1]);
  const ordersOf = new Map<string, number>();
  for (const id of customerOfOrder) ordersOf.set(id, (ordersOf.get(id) ?? 0) + 1);
  const [removedId, orphans] = [...ordersOf].sort((a, b) => b[1] - a[1])[0];
  const customersFile = path.join(out, 'synthetic-data', 'dataset', 'customers', 'customers_local.csv');
  const customerLines = fs.readFileSync(customersFile, 'utf8').split('\n');
  fs.writeFileSync(customersFile, customerLines.filter((line) => !line.startsWith(`${removedId},`)).join('\n'));
  expect(fs.readFileSync(customersFile, 'utf8').split('\n')).toHaveLength(customerLines.length - 1);
  // WHEN it is profiled
  const cli = await runCli('profile', out, '--out', path.join(dir, 'p.html'), '--quiet');
  // THEN the orders' key counts exactly the orders of the removed customer as orphans
  expect(cli.code).toBe(0);
  expect(orphans).toBeGreaterThan(0);
  expect(JSON.parse(cli.stdout).foreignKeys[0]).toMatchObject({ table: 'orders', column: 'customer_id', checked: true, orphans });
  expect(cli.stderr).toContain('warning: 1 foreign key has orphans: see the page');
  expect(fs.readFileSync(path.join(dir, 'p.html'), 'utf8')).toContain(`broken</span>: ${orphans} orphans of ${customerOfOrder.length.toLocaleString('en-US')}`);
});

test('plain files without a manifest: a table per file, nulls, bounds and top values as the file holds them', async () => {
  const jsonl = path.join(dir, 'events.jsonl');
  fs.writeFileSync(jsonl, ['{"kind":"a","n":1}', '{"kind":"b","n":null}', '{"kind":"a","n":3}', '{"kind":"a","n":5}'].join('\n'));
  const csv = path.join(dir, 'people.csv');
  fs.writeFileSync(csv, 'name,age\nann,30\nbob,\n');
  const cli = await runCli('profile', jsonl, csv, '--out', path.join(dir, 'p.html'), '--quiet');
  expect(cli.code).toBe(0);
  expect(JSON.parse(cli.stdout).tables).toEqual([
    { name: 'events', rows: 4, bytes: fs.statSync(jsonl).size, columns: 2 },
    { name: 'people', rows: 2, bytes: fs.statSync(csv).size, columns: 2 },
  ]);
  const html = fs.readFileSync(path.join(dir, 'p.html'), 'utf8');
  expect(html).toContain('<dt>null share</dt><dd>25.00% (1)</dd>');
  expect(html).toContain('<dt>bounds</dt><dd>1 … 5</dd>');
  expect(html).toContain('<title>a: 3</title>');
  expect(html).toContain('<dt>null share</dt><dd>50.00% (1)</dd>');
});

test('usage errors: no --out, a path that does not exist, a file that is not data', async () => {
  expect(await runCli('profile', dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('--out FILE.html (the page to write) is required') });
  expect(await runCli('profile', path.join(dir, 'nope'), '--out', 'x.html')).toMatchObject({ code: 2, stderr: expect.stringContaining('does not exist') });
  const notes = path.join(dir, 'notes.txt');
  fs.writeFileSync(notes, 'hello');
  expect(await runCli('profile', notes, '--out', 'x.html')).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a data file') });
});

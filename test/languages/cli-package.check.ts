/**
 * The command line as a user gets it: the npm package packed as a release packs it, published to a local registry
 * (test/languages/local-registry.ts), installed from there into a new folder with nothing else (no aws-cdk-lib: the
 * command line is one bundled file and needs none of the package's dependencies), and run with npx on Node.js 22, the
 * oldest the package supports — the sequence: samples of the retail example (the objects the function writes,
 * made by `generate`, byte for byte the same), `infer` them into a dataset (its fidelity report must pass), `generate`
 * 100,000 rows of it in Parquet, and `profile` the result. Not part of `npm test`: `npx projen test:languages`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLocalRegistry } from './local-registry';
import { packJsii, ROOT, run, scratchDirectory } from './support';
import { fetchNode } from '../../toolchain/node';

const OLDEST_NODE_MAJOR = 22;
const work = scratchDirectory('cli-package');
const folder = path.join(work, 'user');
const steps: Record<string, { output: string; seconds: number }> = {};
let installedDependencies: string[];

beforeAll(async () => {
  const node = await fetchNode(OLDEST_NODE_MAJOR);
  const env = { ...process.env, PATH: `${path.dirname(node.binary)}${path.delimiter}${process.env.PATH}` };
  const [tarball] = fs.readdirSync(await packJsii('js', path.join(work, 'dist')));
  const registry = await startLocalRegistry(path.join(work, 'registry'), 'cdk-synthetic-data', env);
  try {
    const asUser = { ...env, npm_config_userconfig: registry.userconfig };
    await run('npm', ['publish', path.join(work, 'dist', 'js', tarball), '--access', 'public', '--loglevel=error'], { cwd: work, env: asUser });
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'cli-user', version: '0.0.0', private: true }));
    // Peer dependencies (aws-cdk-lib, constructs) are a CDK app's; the command line must run without them.
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--legacy-peer-deps', 'cdk-synthetic-data'], { cwd: folder, env: asUser });
  } finally {
    await registry.stop();
  }
  installedDependencies = fs.readdirSync(path.join(folder, 'node_modules')).filter((name) => !name.startsWith('.'));
  fs.copyFileSync(path.join(ROOT, 'examples', 'retail.dataset.json'), path.join(folder, 'retail.dataset.json'));
  const cli = async (name: string, args: string[]) => {
    const started = Date.now();
    const output = await run('npx', ['--no-install', 'cdk-synthetic-data', ...args], { cwd: folder, env });
    steps[name] = { output, seconds: (Date.now() - started) / 1000 };
  };
  await cli('samples', ['generate', '--dataset', 'retail.dataset.json', '--seed', '2025', '--out', 'samples', '--quiet']);
  fs.rmSync(path.join(folder, 'samples', 'synthetic-data', 'dataset', '_manifest_local.json'));
  await cli('infer', ['infer', 'samples', '--out', 'dataset.json', '--quiet']);
  await cli('generate', ['generate', '--dataset', 'dataset.json', '--rows', '100000', '--format', 'parquet', '--out', 'OUT', '--quiet']);
  await cli('profile', ['profile', 'OUT', '--out', 'profile.html', '--quiet']);
  console.log(Object.entries(steps).map(([name, step]) => `${name}: ${step.seconds.toFixed(1)} s`).join(', '));
}, 900_000);

test('the package installs alone from the registry, and its bin runs on Node.js 22 with nothing else installed', () => {
  // Its bundled dependencies (the expression parser) are inside it; aws-cdk-lib and constructs are not installed at all.
  expect(installedDependencies).toEqual(['cdk-synthetic-data']);
  expect(fs.existsSync(path.join(folder, 'node_modules', '.bin', 'cdk-synthetic-data'))).toBe(true);
});

test('infer on the retail files: a valid dataset with its keys and foreign keys, and a fidelity report that passes', () => {
  expect(steps.infer.output).toMatch(/PASS: all \d+ checks within their tolerances/);
  const dataset = JSON.parse(fs.readFileSync(path.join(folder, 'dataset.json'), 'utf8'));
  const references = dataset.tables.flatMap((table: any) => table.columns.filter((column: any) => column.type === 'reference')
    .map((column: any) => `${table.name}.${column.name} -> ${column.table}.${column.column}`));
  expect(references.sort()).toEqual([
    'order_items.order_id -> orders.order_id', 'order_items.product_id -> products.product_id',
    'orders.customer_id -> customers.customer_id', 'shipments.order_id -> orders.order_id',
  ]);
  // The relations between rows too: the items' list prices looked up, their line totals derived
  const columnsOf = (name: string) => dataset.tables.find((table: any) => table.name === name).columns;
  expect(columnsOf('order_items').find((column: any) => column.name === 'list_price')).toMatchObject({ type: 'lookup', through: ['product_id'] });
  expect(columnsOf('order_items').find((column: any) => column.name === 'line_total')).toMatchObject({ type: 'derived' });
  expect(JSON.parse(fs.readFileSync(path.join(folder, 'dataset.fidelity.json'), 'utf8'))).toMatchObject({ pass: true, failed: 0 });
});

test('generate makes 100,000 rows of every table with rows in Parquet (their children follow), with the manifest; profile pages them with intact keys', () => {
  const result = JSON.parse(steps.generate.output);
  expect(result.tables.map((table: any) => [table.name, table.key.endsWith('.parquet')]).sort()).toEqual([
    ['customers', true], ['order_items', true], ['orders', true], ['products', true], ['shipments', true],
  ]);
  expect(result.tables.find((table: any) => table.name === 'customers').rows).toBe(100_000);
  expect(result.conformance.failed).toBe(0);
  const profile = JSON.parse(steps.profile.output);
  // A foreign key is checked exactly up to 1,000,000 distinct values: 100,000 customers place about a million orders,
  // so the keys to orders may be beyond it (the page then says so); every key checked is intact.
  const rowsOf = (name: string) => result.tables.find((table: any) => table.name === name).rows;
  expect(profile.foreignKeys).toHaveLength(4);
  const html = fs.readFileSync(path.join(folder, 'profile.html'), 'utf8');
  for (const key of profile.foreignKeys) {
    const countable = rowsOf(key.parentTable) <= 1_000_000;
    expect({ key: `${key.table}.${key.column}`, checked: key.checked, orphans: key.orphans }).toEqual({ key: `${key.table}.${key.column}`, checked: countable, orphans: 0 });
  }
  const unchecked = profile.foreignKeys.filter((key: any) => !key.checked).length;
  expect(html.match(/not checked: more than 1,000,000 distinct values/g)?.length ?? 0).toBe(unchecked);
  // A card per written column: 35 (the 2 helper lookups are in no file); a chart on each, but for text counted beyond
  // the exact count (a table's uuid key over a million rows), whose top values are not known
  const cards = html.split('<div class="column"').slice(1);
  expect(cards).toHaveLength(35);
  const withoutChart = cards.filter((card) => !card.includes('<svg class="chart"'));
  expect(withoutChart.every((card) => /<span class="type">text<\/span>/.test(card) && /\(estimate\), unique/.test(card))).toBe(true);
  expect(withoutChart.length).toBeLessThanOrEqual(result.tables.filter((table: any) => table.rows > 1_000_000).length);
});

/**
 * The package's command line as a user meets it: `--help` on every command, the exit codes (0 done, 1 invalid input,
 * 2 usage), errors that say what to do, and `validate` listing every error of a file with its table, column and line.
 * What `generate` makes is proven byte for byte against the function in generate.test.ts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMANDS } from '../../cli/main';
import { runCli } from '../support/cli-runner';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const at = path.join(dir, name);
  fs.writeFileSync(at, text);
  return at;
}

describe('help and usage', () => {
  test('without a command: the list of commands, exit 2; with --help: the same, exit 0', async () => {
    const bare = await runCli();
    const help = await runCli('--help');
    expect(bare.code).toBe(2);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toMatch(new RegExp(`\\n  ${command.name} +${command.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
    expect(help.stdout).toContain('Exit codes: 0 done, 1 invalid input');
  });

  test.each(COMMANDS.map((command) => command.name))('%s --help prints its usage and every option it accepts, exit 0', async (name) => {
    const command = COMMANDS.find((candidate) => candidate.name === name)!;
    const { code, stdout } = await runCli(name, '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: cdk-synthetic-data ${name} `));
    for (const option of Object.keys(command.options)) expect(stdout).toContain(`--${option}`);
  });

  test.each([
    [['frobnicate'], 'unknown command "frobnicate": the commands are generate, validate, infer, profile', 'cdk-synthetic-data --help'],
    [['generate', '--out', 'x'], 'say what to generate: --schema FILE, --dataset FILE or --cdk-out DIR', 'cdk-synthetic-data generate --help'],
    [['generate', '--schema', 'a.json'], '--out DIR (the folder to write into) is required', 'cdk-synthetic-data generate --help'],
    [['generate', '--schema', 'a.json', '--dataset', 'b.json', '--out', 'x'], 'give one of --schema, --dataset and --cdk-out, not --schema and --dataset', 'generate --help'],
    [['generate', '--schema', 'missing.json', '--out', 'x'], '--schema missing.json cannot be read (ENOENT): give the path of an existing file', 'generate --help'],
    [['generate', '--schema', 'a.json', '--rows', 'many', '--out', 'x'], '--rows is "many": expected a whole number from 1 to 100000000', 'generate --help'],
    [['generate', '--colour'], "Unknown option '--colour'", 'generate --help'],
    [['validate'], 'give the schema or dataset file to check: validate FILE', 'validate --help'],
  ])('%j is a usage error (exit 2) that says what to do and where the help is', async (args, message, help) => {
    const { code, stderr } = await runCli(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain(`(see \`${help.startsWith('cdk') ? help : `cdk-synthetic-data ${help}`}\`)`);
  });
});

describe('generate refuses invalid input with exit 1', () => {
  test('a schema the construct would refuse: its message, nothing written', async () => {
    const schema = file('schema.json', JSON.stringify({ columns: [{ name: 'qty', type: 'integer', min: 5, max: 1 }] }));
    const out = path.join(dir, 'out');
    const { code, stderr } = await runCli('generate', '--schema', schema, '--out', out);
    expect(code).toBe(1);
    expect(stderr).toContain(`${schema}.columns[0] (qty): min (5) is greater than max (1); set min <= max`);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a format and compression that do not go together', async () => {
    const schema = file('schema.json', JSON.stringify({ columns: [{ name: 'id', type: 'uuid' }] }));
    const { code, stderr } = await runCli('generate', '--schema', schema, '--format', 'csv', '--compression', 'snappy', '--out', dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--format and --compression.*snappy/);
  });
});

describe('validate', () => {
  const BAD_DATASET = `{
  "tables": [
    {
      "name": "customers",
      "rows": 100,
      "columns": [
        { "name": "id", "type": "uuid" },
        { "name": "age", "type": "integer", "min": 90, "max": 10 },
        { "name": "email", "type": "faker", "method": "internet.emial" }
      ]
    },
    {
      "name": "orders",
      "rows": 10,
      "columns": [
        { "name": "order_id", "type": "sequence" },
        { "name": "customer_id", "type": "reference", "table": "customers", "column": "ID" },
        { "name": "total", "type": "derived", "expression": "quantity * 2" }
      ]
    }
  ]
}
`;

  test('lists every error of a dataset, each with its table, column, line and column in the file, exit 1', async () => {
    const bad = file('bad.json', BAD_DATASET);
    const { code, stderr } = await runCli('validate', bad);
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`${bad}: 4 errors in this dataset`);
    expect(lines.slice(1).map((line) => line.slice(0, line.indexOf(': ', bad.length + 3)))).toEqual([
      `  ${bad}:8:9 (table customers, column age)`,
      `  ${bad}:9:9 (table customers, column email)`,
      `  ${bad}:17:9 (table orders, column customer_id)`,
      `  ${bad}:18:9 (table orders, column total)`,
    ]);
    expect(lines[1]).toContain('min (90) is greater than max (10); set min <= max');
    expect(lines[2]).toContain('"internet.emial": not a faker method');
    expect(lines[3]).toContain('.column is "ID": table "customers" has no such column; its columns are id, age, email');
    expect(lines[4]).toContain('unknown column quantity');
  });

  test('--json gives the same errors as data', async () => {
    const { code, stdout } = await runCli('validate', file('bad.json', BAD_DATASET), '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ kind: 'dataset', valid: false });
    expect(report.errors.map((error: { table: string; column: string; position: object }) => [error.table, error.column, error.position])).toEqual([
      ['customers', 'age', { line: 8, column: 9 }],
      ['customers', 'email', { line: 9, column: 9 }],
      ['orders', 'customer_id', { line: 17, column: 9 }],
      ['orders', 'total', { line: 18, column: 9 }],
    ]);
  });

  test('a valid file: exit 0; the retail example is a valid dataset, the sales example a valid schema', async () => {
    const examples = path.join(__dirname, '..', '..', 'examples');
    await expect(runCli('validate', path.join(examples, 'retail.dataset.json'))).resolves.toMatchObject({ code: 0, stdout: expect.stringContaining('a valid dataset') });
    await expect(runCli('validate', path.join(examples, 'sales.schema.json'))).resolves.toMatchObject({ code: 0, stdout: expect.stringContaining('a valid schema') });
  });

  test('JSON that does not parse: one error at its line and column', async () => {
    const broken = file('broken.json', '{\n  "columns": [\n    {"name": "a", "type": "integer",}\n  ]\n}\n');
    const { code, stderr } = await runCli('validate', broken);
    expect(code).toBe(1);
    expect(stderr).toContain(`${broken}:3:37: not valid JSON`);
  });

  test('two columns of one name: both errors found, the second column set aside under another name', async () => {
    const schema = file('dup.json', JSON.stringify({
      columns: [{ name: 'a', type: 'uuid' }, { name: 'a', type: 'uuid' }, { name: 'b', type: 'integer', min: 3, max: 1 }],
    }, null, 1));
    const { code, stdout } = await runCli('validate', schema, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).errors.map((error: { column: string; message: string }) => [error.column, error.message.split(': ')[0]])).toEqual([
      ['b', 'schema.columns[2] (b)'],
      ['a', 'schema.columns[1].name is "a", already used by columns[0]'],
    ]);
  });
});

describe('the bundle the package ships (assets/cli/main/index.js, built by `npx projen bundle`)', () => {
  const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'cli', 'main', 'index.js');

  test('is an executable with a node shebang that answers --version and exits 2 on a usage error', () => {
    expect(fs.readFileSync(BUNDLE, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(() => fs.accessSync(BUNDLE, fs.constants.X_OK)).not.toThrow();
    const version = spawnSync(BUNDLE, ['--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
    expect(spawnSync(process.execPath, [BUNDLE, 'generate'], { encoding: 'utf8' }).status).toBe(2);
  });

  test('makes the same file on two worker threads as on one (the workers run the bundle itself)', () => {
    const schema = file('schema.json', JSON.stringify({ columns: [{ name: 'id', type: 'uuid' }, { name: 'n', type: 'integer', min: 1, max: 9 }] }));
    const make = (workers: string) => {
      const out = path.join(dir, `out-${workers}`);
      const run = spawnSync(process.execPath, [BUNDLE, 'generate', '--schema', schema, '--rows', '140000', '--seed', '5', '--workers', workers, '--out', out, '--quiet'],
        { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      return fs.readFileSync(path.join(out, 'synthetic-data', 'dataset', 'dataset_local.csv'));
    };
    const one = make('1');
    expect(one.toString('utf8').split('\n')).toHaveLength(140_002);
    expect(make('2').equals(one)).toBe(true);
  });
});

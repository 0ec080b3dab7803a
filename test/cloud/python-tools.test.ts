/**
 * The local cloud's Python tools: the pinned moto and cfn-lint, from the project's own virtual environment, never
 * the machine's; and a message that says what to install when the machine has no usable Python.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE_DIR } from '../../local-cloud/cache-dir';
import { findMoto, startMotoServer } from '../../local-cloud/moto-server';
import {
  PYTHON_TOOLS_LOCK, PYTHON_TOOLS_REQUIREMENTS, pinnedRequirements, pythonTools, isolatedPythonEnv, PythonToolsError,
} from '../../local-cloud/python-tools';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'python-tools-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A directory holding executables that write `<name> <args>` to a record file when run, instead of the real tools. */
function impostors(names: string[], body = 'exit 1'): { dir: string; record: string } {
  const dir = fs.mkdtempSync(path.join(scratch, 'bin-'));
  const record = path.join(dir, 'ran.txt');
  for (const name of names) {
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\necho "${name} $*" >> '${record}'\n${body}\n`, { mode: 0o755 });
  }
  return { dir, record };
}

test('the lock pins the versions requirements.in names, and every package in it with hashes', () => {
  const pins = pinnedRequirements();
  expect(Object.keys(pins).sort()).toEqual(['cfn-lint', 'moto']);
  const lock = fs.readFileSync(PYTHON_TOOLS_LOCK, 'utf8');
  // One entry per package (and environment marker): `name==version [; marker] \` followed by its hash lines.
  const entries = lock.split(/\n(?=[A-Za-z0-9])/).filter((e) => /^[A-Za-z0-9]/.test(e));
  expect(entries.length).toBeGreaterThan(2);
  for (const entry of entries) expect(entry).toMatch(/^[A-Za-z0-9._-]+==\S+[^\n]*\\\n\s+--hash=sha256:[0-9a-f]{64}/);
  for (const [name, version] of Object.entries(pins)) expect(lock).toMatch(new RegExp(`^${name}==${version.replace(/\./g, '\\.')} \\\\$`, 'm'));
});

test('pinnedRequirements refuses a top-level requirement that is not pinned to one version', () => {
  expect(() => pinnedRequirements('moto[server]>=5.1\n')).toThrow(
    `${path.relative(path.join(__dirname, '..', '..'), PYTHON_TOOLS_REQUIREMENTS)}: "moto[server]>=5.1" is not pinned as name==version`,
  );
});

test('moto and cfn-lint run from the project\'s environment at the pinned versions, whatever else is on PATH', async () => {
  // GIVEN a moto_server, cfn-lint and moto module of the machine's, ahead of everything on PATH
  const machine = impostors(['moto_server', 'cfn-lint']);
  fs.mkdirSync(path.join(machine.dir, 'moto'));
  fs.writeFileSync(path.join(machine.dir, 'moto', '__init__.py'), 'raise SystemExit("the machine\'s moto was imported")\n');
  const saved = { PATH: process.env.PATH, PYTHONPATH: process.env.PYTHONPATH };
  process.env.PATH = `${machine.dir}${path.delimiter}${process.env.PATH}`;
  process.env.PYTHONPATH = machine.dir;
  try {
    // WHEN the local cloud starts
    const tools = pythonTools();
    const moto = findMoto();
    const cloud = await startMotoServer();
    await cloud.stop();

    // THEN moto is the pinned one, in .local-cloud/, and nothing of the machine's ran
    expect(path.dirname(path.dirname(tools.python))).toBe(tools.home);
    expect(path.dirname(tools.home)).toBe(CACHE_DIR);
    expect(moto).toEqual({ command: tools.python, args: ['-m', 'moto.server'] });
    const imported = execFileSync(tools.python, ['-c', 'import moto, cfnlint.version as c; print(moto.__version__, c.__version__, moto.__file__)'], {
      encoding: 'utf8', env: isolatedPythonEnv(),
    }).trim().split(' ');
    expect(imported.slice(0, 2)).toEqual([pinnedRequirements().moto, pinnedRequirements()['cfn-lint']]);
    expect(imported[2].startsWith(`${tools.home}${path.sep}`)).toBe(true);
    expect(execFileSync(tools.cfnLint[0], [...tools.cfnLint.slice(1), '--version'], { encoding: 'utf8', env: isolatedPythonEnv() }).trim())
      .toBe(`cfn-lint ${pinnedRequirements()['cfn-lint']}`);
    expect(fs.existsSync(machine.record)).toBe(false);
  } finally {
    process.env.PATH = saved.PATH;
    if (saved.PYTHONPATH === undefined) delete process.env.PYTHONPATH; else process.env.PYTHONPATH = saved.PYTHONPATH;
  }
});

test('without python3 on PATH, the error says what to install', () => {
  const empty = fs.mkdtempSync(path.join(scratch, 'empty-'));
  expect(() => pythonTools({ path: empty })).toThrow(PythonToolsError);
  expect(() => pythonTools({ path: empty })).toThrow(
    `The local cloud needs Python to run moto and cfn-lint, and no \`python3\` was found on PATH (${empty}). `
    + 'Install Python 3.10 or later with its venv module (Debian/Ubuntu: `apt-get install python3 python3-venv`; macOS: `brew install python`; '
    + 'or from python.org) so that `python3` is on PATH, then run the command again.',
  );
});

test('a python3 older than 3.10 is refused with its version and what to install', () => {
  const old = impostors(['python3'], 'echo 3.8.10');
  expect(() => pythonTools({ path: old.dir })).toThrow(
    `${path.join(old.dir, 'python3')} is Python 3.8.10; the pinned moto and cfn-lint need Python 3.10 or later. Install Python 3.10 or later`,
  );
});

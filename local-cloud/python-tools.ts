/**
 * The Python tools of the local cloud and the tests: moto with its server (the local AWS) and cfn-lint. Their
 * versions, and those of everything they need, are pinned with hashes in local-cloud/python/requirements.txt
 * (made from requirements.in by `npx projen lock:python`). On first use they are installed with pip
 * (`--require-hashes`, wheels only) into a virtual environment of their own under `.local-cloud/`, one per
 * lock file and Python version, and always run from there: never whatever moto or cfn-lint a machine happens
 * to have, so every machine runs the same versions. All a machine needs is Python 3.10 or later with its
 * `venv` module, found as `python3` on PATH.
 *
 * The environment is built in a work directory and published with one rename (cache-dir). A virtual
 * environment's console scripts name its old path in their `#!` line, so nothing here runs them directly:
 * moto is `python -m moto.server`, and cfn-lint is its console script handed to the environment's python.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_DIR, PROJECT_ROOT, publish, workDirectory } from './cache-dir';

/** The pins with their hashes (what is installed), and the top-level requirements they were resolved from. */
export const PYTHON_TOOLS_LOCK = path.join(__dirname, 'python', 'requirements.txt');
export const PYTHON_TOOLS_REQUIREMENTS = path.join(__dirname, 'python', 'requirements.in');
/** The oldest Python the pins were resolved for (`--python-version` of the lock). */
export const MIN_PYTHON: readonly [number, number] = [3, 10];

export interface PythonTools {
  /** The virtual environment's directory under `.local-cloud/`. */
  readonly home: string;
  /** Its interpreter. */
  readonly python: string;
  /** The interpreter it was made from, e.g. `3.11.7`. */
  readonly pythonVersion: string;
  /** The command that starts moto's server (add `-H`, `-p`). */
  readonly motoServer: readonly string[];
  /** The command that runs cfn-lint (add its arguments). */
  readonly cfnLint: readonly string[];
  /** Installed version of each top-level requirement, e.g. `{ moto: '5.2.1', 'cfn-lint': '1.58.0' }`. */
  readonly versions: Readonly<Record<string, string>>;
}

export interface PythonToolsOptions {
  /** Where `python3` is looked up. Default: this process's PATH. */
  readonly path?: string;
  /** Progress lines (the one-time install). Default: standard error. */
  readonly log?: (line: string) => void;
}

/** The tools cannot be had: no usable Python, or the install failed. The message says what to do. */
export class PythonToolsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PythonToolsError';
  }
}

/** Name and version of each top-level requirement (`name[extras]==version` lines of requirements.in). */
export function pinnedRequirements(text = fs.readFileSync(PYTHON_TOOLS_REQUIREMENTS, 'utf8')): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean)) {
    const match = /^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;]+)$/.exec(line);
    if (!match) throw new Error(`${path.relative(PROJECT_ROOT, PYTHON_TOOLS_REQUIREMENTS)}: "${line}" is not pinned as name==version`);
    pins[match[1]] = match[2];
  }
  return pins;
}

function onPath(executable: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, executable);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch { /* next */ }
  }
  return undefined;
}

const INSTALL_PYTHON = 'Install Python 3.10 or later with its venv module (Debian/Ubuntu: `apt-get install python3 python3-venv`; '
  + 'macOS: `brew install python`; or from python.org) so that `python3` is on PATH, then run the command again.';

/**
 * The environment to run the tools (and pip) in: this process's, less what would let Python import modules
 * from outside the virtual environment (another moto on PYTHONPATH, say).
 */
export function isolatedPythonEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONNOUSERSITE: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', ...extra };
  for (const name of ['PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'VIRTUAL_ENV']) delete env[name];
  return env;
}

/** Runs a command to its end; its output, and a failure that quotes the last lines of it. */
function runToEnd(command: string, args: readonly string[], what: string, hint: string): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: isolatedPythonEnv() });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    const tail = output.trim().split('\n').slice(-12).join('\n') || String(result.error ?? `signal ${result.signal}`);
    throw new PythonToolsError(`${what} failed (\`${[command, ...args].join(' ')}\` exited ${result.status ?? result.signal}):\n${tail}\n${hint}`);
  }
  return output;
}

/** The machine's `python3`, checked to be recent enough: its path and version. */
function basePython(searchPath: string): { python: string; version: string } {
  const python = onPath('python3', searchPath);
  if (!python) {
    throw new PythonToolsError(`The local cloud needs Python to run moto and cfn-lint, and no \`python3\` was found on PATH (${searchPath || 'empty'}). ${INSTALL_PYTHON}`);
  }
  const version = runToEnd(python, ['-c', 'import platform; print(platform.python_version())'], `Asking ${python} its version`, INSTALL_PYTHON).trim();
  const [major, minor] = version.split('.').map(Number);
  if (major !== MIN_PYTHON[0] || minor < MIN_PYTHON[1]) {
    throw new PythonToolsError(`${python} is Python ${version}; the pinned moto and cfn-lint need Python ${MIN_PYTHON.join('.')} or later. ${INSTALL_PYTHON}`);
  }
  return { python, version };
}

function toolsIn(home: string, pythonVersion: string, versions: Record<string, string>): PythonTools {
  const python = path.join(home, 'bin', 'python');
  return {
    home,
    python,
    pythonVersion,
    versions,
    motoServer: [python, '-m', 'moto.server'],
    cfnLint: [python, path.join(home, 'bin', 'cfn-lint')],
  };
}

const cached = new Map<string, PythonTools>();

/**
 * The pinned tools, installed first if this lock file and Python version have no environment yet. Throws
 * PythonToolsError, saying what to do, when there is no usable Python or the install fails.
 */
export function pythonTools(options: PythonToolsOptions = {}): PythonTools {
  const searchPath = options.path ?? process.env.PATH ?? '';
  const known = cached.get(searchPath);
  if (known) return known;

  const lock = fs.readFileSync(PYTHON_TOOLS_LOCK);
  const versions = pinnedRequirements();
  const base = basePython(searchPath);
  // One environment per lock file, interpreter version and platform: any of them changing makes a new one.
  const key = createHash('sha256').update(lock).update(`\0${base.version}\0${process.platform}-${process.arch}`).digest('hex').slice(0, 12);
  const home = path.join(CACHE_DIR, `python-tools-${key}`);
  const tools = toolsIn(home, base.version, versions);
  if (!fs.existsSync(tools.python)) install(base.python, home, tools, options.log ?? ((line) => process.stderr.write(`${line}\n`)));
  cached.set(searchPath, tools);
  return tools;
}

function install(basePythonPath: string, home: string, tools: PythonTools, log: (line: string) => void): void {
  const pins = Object.entries(tools.versions).map(([name, version]) => `${name} ${version}`).join(', ');
  log(`installing the pinned Python tools (${pins}) with Python ${tools.pythonVersion} into ${path.relative(PROJECT_ROOT, home)}/ (once)`);
  const work = workDirectory('python-tools-build-');
  try {
    const venv = path.join(work, 'venv');
    runToEnd(basePythonPath, ['-m', 'venv', venv], `Making a virtual environment with ${basePythonPath}`,
      'Python\'s venv module is missing or broken (Debian/Ubuntu: `apt-get install python3-venv`).');
    const python = path.join(venv, 'bin', 'python');
    runToEnd(python, [
      '-m', 'pip', 'install', '--no-input', '--require-hashes', '--only-binary', ':all:', '-r', PYTHON_TOOLS_LOCK,
    ], `Installing ${path.relative(PROJECT_ROOT, PYTHON_TOOLS_LOCK)}`,
    'Check that pip reaches PyPI (its index and proxy settings); the next run starts the install again from scratch.');
    // What pip installed is what the lock says; check the top-level tools answer, at their pinned versions.
    const report = runToEnd(python, ['-c', 'import importlib.metadata as m, sys; [print(n, m.version(n)) for n in sys.argv[1:]]; import moto.server, cfnlint',
      ...Object.keys(tools.versions)], 'Checking the installed tools', 'Delete .local-cloud/ and run again.');
    const installed = Object.fromEntries(report.trim().split('\n').map((line) => line.split(' ')));
    for (const [name, version] of Object.entries(tools.versions)) {
      if (installed[name] !== version) throw new PythonToolsError(`${name} ${installed[name]} was installed where ${version} is pinned: the lock file does not match requirements.in; run \`npx projen lock:python\`.`);
    }
    publish(venv, home, tools.python);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  // `npx projen python-tools`: install them now if needed, and say which are used.
  try {
    const tools = pythonTools();
    console.log(`${Object.entries(tools.versions).map(([n, v]) => `${n} ${v}`).join(', ')} (Python ${tools.pythonVersion}) in ${path.relative(PROJECT_ROOT, tools.home)}/`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}

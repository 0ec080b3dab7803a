/**
 * `npx projen lock:python`: resolves each pinned Python requirements file (requirements.in) into its lock,
 * requirements.txt, beside it: every package needed, at one exact version, with the hashes of all its files
 * on PyPI, so pip can install it with `--require-hashes` on any machine. The resolution is universal (for
 * every platform and every Python from 3.10 on, with environment markers where they differ), made by uv, a
 * pinned version of which is installed for the occasion into a temporary virtual environment.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MIN_PYTHON } from '../local-cloud/python-tools';

const ROOT = path.join(__dirname, '..');
const UV_VERSION = '0.13.8';
/** Each requirements.in, relative to the project root; its lock is requirements.txt in the same folder. */
const REQUIREMENTS = ['local-cloud/python/requirements.in', 'examples/python/requirements.in'];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-python-'));
try {
  const venv = path.join(work, 'venv');
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', `uv==${UV_VERSION}`], { stdio: 'inherit' });
  for (const input of REQUIREMENTS) {
    const output = path.join(path.dirname(input), 'requirements.txt');
    execFileSync(path.join(venv, 'bin', 'uv'), [
      'pip', 'compile', '--quiet', '--universal', '--generate-hashes', '--python-version', MIN_PYTHON.join('.'),
      '--custom-compile-command', 'npx projen lock:python', '--output-file', output, input,
    ], { cwd: ROOT, stdio: 'inherit' });
    console.log(`${output}: ${fs.readFileSync(path.join(ROOT, output), 'utf8').split('\n').filter((l) => /^[A-Za-z0-9]/.test(l)).length} pinned packages`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

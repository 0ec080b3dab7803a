/**
 * A Node.js binary of the Lambda runtime's major version, for running the handler as Lambda would.
 *
 * The npm registry carries Node.js builds as packages (`node-<platform>-<arch>@<major>`, the binary at
 * `package/bin/node`). One is fetched on demand with `npm pack` into the git-ignored cache `.local-cloud/`
 * at the project root and reused from there. It is never installed as a dependency: its `bin` would
 * shadow `node` in npm scripts. When it cannot be fetched, the current Node.js is used, and the caller is
 * told why.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CACHE_DIR, PROJECT_ROOT, publish, workDirectory } from './cache-dir';

const run = promisify(execFile);

export interface NodeRuntime {
  /** Absolute path of the node binary. */
  readonly binary: string;
  /** e.g. `v24.11.0` */
  readonly version: string;
  /** `cache` (fetched earlier), `download` (fetched now), or `current` (the Node.js running this code). */
  readonly source: 'cache' | 'download' | 'current';
  /** Why the current Node.js is used instead of the runtime's major, when it is. */
  readonly fallbackReason?: string;
}


async function versionOf(binary: string): Promise<string> {
  const { stdout } = await run(binary, ['--version'], { timeout: 10_000 });
  return stdout.trim();
}

function current(fallbackReason?: string): NodeRuntime {
  return { binary: process.execPath, version: process.version, source: 'current', fallbackReason };
}

const inFlight = new Map<number, Promise<NodeRuntime>>();

/**
 * Node.js of the given major: the current one if it already is that major, else the cached download,
 * else a fresh download; falls back to the current Node.js (with `fallbackReason`) when that fails.
 */
export async function nodeRuntimeFor(major: number, options: { log?: (line: string) => void } = {}): Promise<NodeRuntime> {
  if (Number(process.versions.node.split('.')[0]) === major) return current();
  let pending = inFlight.get(major);
  if (!pending) {
    pending = fetchNode(major, options.log).catch((error: Error & { stderr?: string }) => {
      const said = (error.stderr ?? '').split('\n').find((l) => /error/i.test(l)) ?? error.message.split('\n')[0];
      return current(`Node.js ${major} could not be fetched from the npm registry (${said.trim()}); running on the current Node.js ${process.version}`);
    });
    inFlight.set(major, pending);
  }
  return pending;
}

async function fetchNode(major: number, log?: (line: string) => void): Promise<NodeRuntime> {
  const pkg = `node-${process.platform}-${process.arch}`;
  const home = path.join(CACHE_DIR, `node-${major}-${process.platform}-${process.arch}`);
  const binary = path.join(home, 'bin', 'node');
  if (fs.existsSync(binary)) {
    const version = await versionOf(binary);
    if (version.startsWith(`v${major}.`)) return { binary, version, source: 'cache' };
    fs.rmSync(home, { recursive: true, force: true }); // not this major: fetch it anew
  }

  log?.(`fetching Node.js ${major} (${pkg}@${major}, ~50 MB) from the npm registry into ${path.relative(PROJECT_ROOT, CACHE_DIR)}/ (once)`);
  const work = workDirectory('download-');
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { stdout } = await run(npm, ['pack', `${pkg}@${major}`, '--pack-destination', work, '--json', '--silent'], {
      timeout: 300_000, maxBuffer: 64 * 1024 * 1024, cwd: os.tmpdir(),
    });
    const tarball = path.join(work, (JSON.parse(stdout) as Array<{ filename: string }>)[0].filename);
    await run('tar', ['-xzf', tarball, '-C', work, 'package/bin/node'], { timeout: 120_000 });
    const extracted = path.join(work, 'package', 'bin', 'node');
    const version = await versionOf(extracted);
    if (!version.startsWith(`v${major}.`)) throw new Error(`${pkg}@${major} contains Node.js ${version}`);
    const staged = path.join(work, 'home');
    fs.mkdirSync(path.join(staged, 'bin'), { recursive: true });
    fs.renameSync(extracted, path.join(staged, 'bin', 'node'));
    publish(staged, home, binary);
    return { binary, version: await versionOf(binary), source: 'download' };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

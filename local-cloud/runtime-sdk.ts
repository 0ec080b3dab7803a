/**
 * The modules the Lambda Node.js runtime provides to a function: the AWS SDK v3 only (`@aws-sdk/*` and
 * what they depend on: `@smithy/*`, `@aws-crypto/*`, `tslib`, `fast-xml-parser`, `bowser`, `uuid`, ...).
 * Nothing else of the project's node_modules may be visible to the function, or a bundle that wrongly
 * left a library external (faker, powertools, csv-stringify) would run here and fail on Lambda.
 *
 * Staged once per package-lock.json into `.local-cloud/runtime-sdk-<hash>/node_modules`: every package
 * under `node_modules/@aws-sdk/` and the closure of their `dependencies` and `optionalDependencies`,
 * resolved as Node.js resolves them (npm hoists flat; a package's own nested node_modules comes along
 * with it). Hard links (`cp -al`, same filesystem as the project), or a copy where links fail.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CACHE_DIR, PROJECT_ROOT, publish, workDirectory } from './cache-dir';

const run = promisify(execFile);

/** The project's node_modules, where the SDK's packages are taken from. */
const PROJECT_NODE_MODULES = path.join(PROJECT_ROOT, 'node_modules');
const STAGE_PREFIX = 'runtime-sdk-';

export interface RuntimeSdk {
  /** Host directory to use as the runtime's node_modules (bound at /var/runtime/node_modules in the sandbox). */
  readonly nodeModules: string;
  /** Top-level package names it holds (e.g. `@aws-sdk/client-s3`, `@smithy/types`, `tslib`). */
  readonly packages: readonly string[];
}

function lockHash(): string {
  const hash = createHash('sha256');
  for (const file of ['package-lock.json', path.join('node_modules', '.package-lock.json')]) {
    const full = path.join(PROJECT_ROOT, file);
    if (fs.existsSync(full)) return hash.update(fs.readFileSync(full)).digest('hex').slice(0, 16);
  }
  return 'nolock';
}

function readPackageJson(dir: string): { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> } | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as ReturnType<typeof readPackageJson>;
  } catch {
    return undefined;
  }
}

/** Where Node.js finds package `name` required from the package at `fromDir`, looking no higher than `top`. */
function resolvePackageDir(top: string, fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== 'node_modules') {
      const candidate = path.join(dir, 'node_modules', name);
      if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    }
    if (dir === top || dir === path.dirname(dir)) return undefined;
  }
}

/** The top-level package (`name` or `@scope/name`) a directory under `root` belongs to. */
function topLevelPackage(root: string, dir: string): string {
  const [first, second] = path.relative(root, dir).split(path.sep);
  return first.startsWith('@') ? `${first}/${second}` : first;
}

/**
 * Top-level packages of `root` (a node_modules directory) the runtime provides: every `@aws-sdk/*` and
 * the closure of their dependencies and optional dependencies (those installed).
 */
export function runtimeSdkPackages(root = PROJECT_NODE_MODULES): string[] {
  const sdkDir = path.join(root, '@aws-sdk');
  const start = fs.existsSync(sdkDir) ? fs.readdirSync(sdkDir).filter((n) => !n.startsWith('.')).map((n) => path.join(sdkDir, n)) : [];
  const seen = new Set<string>();
  const pending = [...start];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const pkg = readPackageJson(dir);
    for (const name of Object.keys({ ...pkg?.dependencies, ...pkg?.optionalDependencies })) {
      const found = resolvePackageDir(path.dirname(root), dir, name);
      if (found && !seen.has(found)) pending.push(found);
    }
  }
  return [...new Set([...seen].map((dir) => topLevelPackage(root, dir)))].sort();
}

async function hardLinkOrCopy(sources: string[], targetDir: string): Promise<void> {
  try {
    await run('cp', ['-al', ...sources, targetDir], { timeout: 120_000 });
  } catch {
    for (const source of sources) {
      const target = path.join(targetDir, path.basename(source));
      fs.rmSync(target, { recursive: true, force: true });
      fs.cpSync(source, target, { recursive: true, verbatimSymlinks: true });
    }
  }
}

async function stage(home: string, packages: readonly string[]): Promise<void> {
  const work = workDirectory(`${path.basename(home)}.staging-`);
  // Stages of an earlier package-lock.json (and their work directories) are out of date.
  const current = path.basename(home);
  for (const entry of fs.readdirSync(CACHE_DIR).filter((e) => e.startsWith(STAGE_PREFIX) && !e.startsWith(current))) {
    fs.rmSync(path.join(CACHE_DIR, entry), { recursive: true, force: true });
  }
  try {
    const nodeModules = path.join(work, 'node_modules');
    const byParent = new Map<string, string[]>();
    for (const name of packages) {
      const parent = path.dirname(path.join(nodeModules, name));
      byParent.set(parent, [...byParent.get(parent) ?? [], path.join(PROJECT_NODE_MODULES, name)]);
    }
    for (const [parent, sources] of byParent) {
      fs.mkdirSync(parent, { recursive: true });
      await hardLinkOrCopy(sources, parent);
    }
    publish(work, home, path.join(home, 'node_modules'));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

let inFlight: Promise<RuntimeSdk> | undefined;

/** The staged runtime modules (staged now if this package-lock.json has none yet). */
export async function runtimeSdk(): Promise<RuntimeSdk> {
  inFlight ??= (async () => {
    const home = path.join(CACHE_DIR, `${STAGE_PREFIX}${lockHash()}`);
    const nodeModules = path.join(home, 'node_modules');
    if (!fs.existsSync(nodeModules)) {
      await stage(home, runtimeSdkPackages());
    }
    const packages = fs.readdirSync(nodeModules).flatMap((n) => (n.startsWith('@')
      ? fs.readdirSync(path.join(nodeModules, n)).map((m) => `${n}/${m}`)
      : [n])).sort();
    return { nodeModules, packages };
  })();
  inFlight.catch(() => { inFlight = undefined; });
  return inFlight;
}

'use strict';
/**
 * Node.js of a given major version, from the npm registry. Two users:
 * - the build toolchain: every projen task puts Node.js 24 (the Lambda runtime's major) first on its PATH with
 *   `node toolchain/node.js path 24` (see .projenrc.ts), so jest, jsii, ts-node, the demo and the language
 *   apps' jsii runtime run on it even where the machine's Node.js is older;
 * - the local cloud, which runs the handler on the runtime's exact major (local-cloud/node-runtime.ts).
 *
 * The npm registry carries Node.js builds as packages (`node-<platform>-<arch>@<major>`, the binary at
 * `package/bin/node`; the `node` package installs one of them from a preinstall script, which npm may refuse
 * to run). One is fetched with `npm pack` (no install scripts, the registry's integrity checked) into the
 * git-ignored cache `.local-cloud/` and reused from there: the first build of the major seen, until the cache
 * is deleted. It is never installed as a dependency: its `bin` would shadow `node` for every machine.
 *
 * Plain JavaScript: it runs before the toolchain does, on the machine's Node.js (18 or later).
 */
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const { CACHE_DIR, PROJECT_ROOT, publish, workDirectory } = require('./cache-dir');

const run = promisify(execFile);

async function versionOf(binary) {
  const { stdout } = await run(binary, ['--version'], { timeout: 10_000 });
  return stdout.trim();
}

/**
 * Node.js of exactly `major`: the cached download, else a fresh one (`source` says which). Rejects with the
 * registry's or npm's words when it cannot be fetched.
 */
async function fetchNode(major, log) {
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
    const { stdout } = await run(npm, ['pack', `${pkg}@${major}`, '--pack-destination', work, '--json', '--loglevel=error'], {
      timeout: 300_000, maxBuffer: 64 * 1024 * 1024, cwd: os.tmpdir(),
    });
    const tarball = path.join(work, JSON.parse(stdout)[0].filename);
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

/** What went wrong, in npm's words where it gave them (`npm --json` puts its error on standard output). */
function reasonOf(error) {
  try {
    const summary = JSON.parse(error.stdout).error.summary;
    if (summary) return String(summary).trim();
  } catch { /* not npm's JSON */ }
  const said = String(error.stderr ?? '').split('\n').find((l) => /error/i.test(l)) ?? String(error.message).split('\n')[0];
  return said.trim();
}

/**
 * `PATH` with a Node.js of at least `major` first: unchanged when the running Node.js is one, else with the
 * fetched Node.js of exactly `major` in front.
 */
async function pathWithNode(major, currentPath = process.env.PATH ?? '') {
  if (Number(process.versions.node.split('.')[0]) >= major) return currentPath;
  const { binary } = await fetchNode(major, (line) => process.stderr.write(`${line}\n`));
  const bin = path.dirname(binary);
  return [bin, ...currentPath.split(path.delimiter).filter((dir) => dir && dir !== bin)].join(path.delimiter);
}

module.exports = { fetchNode, pathWithNode, reasonOf };

if (require.main === module) {
  // `node toolchain/node.js path MAJOR`: print PATH with Node.js MAJOR or later first.
  // `node toolchain/node.js binary MAJOR`: print the path of a Node.js of exactly MAJOR (fetched if needed).
  const [command, majorArg] = process.argv.slice(2);
  const major = Number(majorArg);
  if (!['path', 'binary'].includes(command) || !Number.isInteger(major) || major < 1) {
    process.stderr.write(`usage: node toolchain/node.js path|binary MAJOR (got: ${process.argv.slice(2).join(' ') || 'nothing'})\n`);
    process.exit(2);
  }
  const result = command === 'path' ? pathWithNode(major) : fetchNode(major).then((node) => node.binary);
  result.then((line) => process.stdout.write(`${line}\n`), (error) => {
    process.stderr.write(
      `Node.js ${major} is needed (this is Node.js ${process.version}), and it could not be fetched from the npm registry as `
      + `node-${process.platform}-${process.arch}@${major}: ${reasonOf(error)}. Check that npm reaches its registry `
      + `(npm config get registry), or install Node.js ${major} or later and put it first on PATH.\n`,
    );
    process.exit(1);
  });
}

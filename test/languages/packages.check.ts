/**
 * Every package carries the function: from a state with no handler bundle (assets/ removed, as in a fresh clone after
 * `npx projen compile`), each `npx projen package:<language>` task bundles first, and the artifact it makes holds the
 * npm tarball with assets/lambda/handler/index.js inside — the npm tarball itself, the Python wheel, the Java jar and
 * the Go module (jsii-pacmak embeds the npm tarball in each). .NET is left out: this kind of machine has no .NET SDK
 * (the release workflow packs it on GitHub's runners). Not part of `npm test`: `npx projen test:languages`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, run } from './support';

const BUNDLE_ENTRY = 'package/assets/lambda/handler/index.js';
const DIST = path.join(ROOT, 'dist');

/** The files below `dir`, relative to it. */
const filesBelow = (dir: string): string[] =>
  (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());

/** The entries of the npm tarball `tgz` (a file), or of the one inside the zip archive `archive` (a wheel or a jar). */
async function npmTarballEntries(file: string, insideZip = false): Promise<string[]> {
  const script = insideZip
    ? 'import sys, zipfile, tarfile, io\nz = zipfile.ZipFile(sys.argv[1])\nm = [n for n in z.namelist() if n.endswith(".jsii.tgz") or n.endswith(".tgz")]\n'
      + 'assert len(m) == 1, m\nprint("\\n".join(tarfile.open(fileobj=io.BytesIO(z.read(m[0]))).getnames()))'
    : 'import sys, tarfile\nprint("\\n".join(tarfile.open(sys.argv[1]).getnames()))';
  return (await run('python3', ['-c', script, file])).trim().split('\n');
}

beforeAll(() => {
  fs.rmSync(path.join(ROOT, 'assets'), { recursive: true, force: true });
  fs.rmSync(DIST, { recursive: true, force: true });
});

test.each([
  ['js', (files: string[]) => files.filter((f) => f.endsWith('.tgz')), false],
  ['python', (files: string[]) => files.filter((f) => f.endsWith('.whl')), true],
  ['go', (files: string[]) => files.filter((f) => f.endsWith('.tgz')), false],
  ['java', (files: string[]) => files.filter((f) => /cdk-synthetic-data-[^/]*\d\.jar$/.test(f)), true],
] as const)('npx projen package:%s makes a package that carries the handler bundle', async (language, artifactsOf, insideZip) => {
  fs.rmSync(path.join(ROOT, 'assets'), { recursive: true, force: true });
  await run('npx', ['projen', `package:${language}`], { timeoutMs: 900_000 });
  const outdir = path.join(DIST, language);
  const artifacts = artifactsOf(filesBelow(outdir));
  expect(artifacts).toHaveLength(1);
  expect(await npmTarballEntries(path.join(outdir, artifacts[0]), insideZip)).toContain(BUNDLE_ENTRY);
}, 900_000);

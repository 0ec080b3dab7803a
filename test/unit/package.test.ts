/**
 * What a package carries: the handler bundle the construct points at and none of the development sources; and what a user
 * is told when a bundle is missing. (Each language's built package is opened in test/languages/packages.check.ts.)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { handlerBundleDirectory } from '../../src/handler-bundle';

// What `npm install cdk-synthetic-data` gets: the prebuilt handler bundle the construct points at,
// and none of the development sources (handler source, local cloud, tests, examples).
test('the npm tarball ships the handler bundle and no development sources', () => {
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: path.join(__dirname, '..', '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  }));
  const files: string[] = pack.files.map((f: { path: string }) => f.path);
  expect(files).toContain('assets/lambda/handler/index.js');
  expect(files.filter((f) => /^(lambda|local-cloud|test|examples|scripts|toolchain|src|cdk\.out|\.local-cloud|\.ci)\//.test(f))).toEqual([]);
});

describe('a missing handler bundle is explained for what it is', () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  /** A package root laid out as `layout` says, with an empty assets/lambda/handler. */
  const packageRoot = (files: readonly string[]) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-missing-'));
    folders.push(root);
    fs.mkdirSync(path.join(root, 'assets', 'lambda', 'handler'), { recursive: true });
    for (const file of files) fs.writeFileSync(path.join(root, file), '');
    return path.join(root, 'assets', 'lambda', 'handler');
  };

  test('in a checkout that has not bundled yet: run the bundle task', () => {
    const bundleDir = packageRoot(['.projenrc.ts', 'package.json']);
    expect(() => handlerBundleDirectory(bundleDir)).toThrow(
      `The handler bundle is missing at ${bundleDir}: this checkout of cdk-synthetic-data has not bundled the handler yet; `
      + 'run `npx projen bundle` (every build, test and package task does it first)');
  });

  test('in an installed package built without it: a broken package, reinstall or package with a task that bundles', () => {
    const bundleDir = packageRoot(['package.json']);
    expect(() => handlerBundleDirectory(bundleDir)).toThrow(new RegExp(
      `^The handler bundle is missing at ${bundleDir}: this installed package of cdk-synthetic-data \\(.+\\) was built without its function, `
      + 'which a released package always carries; reinstall it from the registry, or, if you packaged it yourself, package it with '
      + '`npx projen package:js` \\(or package:python, package:java, package:dotnet, package:go\\), which bundle the handler first$'));
  });

  test('this checkout\'s bundle is found', () => {
    expect(handlerBundleDirectory()).toBe(path.join(__dirname, '..', '..', 'assets', 'lambda', 'handler'));
  });
});

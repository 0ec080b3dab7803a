/**
 * The function's code as the package ships it: the handler bundle that esbuild builds before compile into
 * assets/lambda/handler (see .projenrc.ts), which every package task bundles first and the npm tarball carries.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the handler bundle is, beside lib/ (an installed package) or src/ (a checkout). */
export const HANDLER_BUNDLE_DIR = path.join(__dirname, '..', 'assets', 'lambda', 'handler');

/** The handler bundle's folder; throws, saying why it is missing and what to do, when it holds no bundle. */
export function handlerBundleDirectory(bundleDir: string = HANDLER_BUNDLE_DIR): string {
  if (!fs.existsSync(path.join(bundleDir, 'index.js'))) throw new Error(missingBundleMessage(bundleDir));
  return bundleDir;
}

/**
 * Why the bundle is missing, told apart: in a checkout of this repository (.projenrc.ts at its root) nothing has bundled
 * yet; in an installed package, the package was built without it, which no release does.
 */
export function missingBundleMessage(bundleDir: string): string {
  const root = path.resolve(bundleDir, '..', '..', '..');
  if (fs.existsSync(path.join(root, '.projenrc.ts'))) {
    return `The handler bundle is missing at ${bundleDir}: this checkout of cdk-synthetic-data has not bundled the handler yet; `
      + 'run `npx projen bundle` (every build, test and package task does it first)';
  }
  return `The handler bundle is missing at ${bundleDir}: this installed package of cdk-synthetic-data (${root}) was built without `
    + 'its function, which a released package always carries; reinstall it from the registry, or, if you packaged it yourself, package it '
    + 'with `npx projen package:js` (or package:python, package:java, package:dotnet, package:go), which bundle the handler first';
}

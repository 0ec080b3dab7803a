/**
 * The Go module works as the README promises: `npx projen package:go` makes it from the compiled assembly as a release
 * does (scripts/go-module.ts makes its go.mod resolvable), and examples/go,
 * which builds the example sales app with the typed schema against aws-cdk-go from the Go module proxy, builds with
 * its go.mod and go.sum as they are and synthesizes the same template as the TypeScript example
 * (examples/sales-app.ts), asset hashes aside. Not part of `npm test`: `npx projen test:languages`, which CI runs
 * beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, run, testLanguageApp } from './support';

const EXAMPLE = path.join(ROOT, 'examples', 'go');
const MODULE = 'github.com/cdk-synthetic-data/cdk-synthetic-data-go/cdksyntheticdata';

testLanguageApp('Go', async (work) => {
  // The module a release publishes: `npx projen package:go` bundles, generates the code and makes go.mod resolvable.
  await run('npx', ['projen', 'package:go']);
  const generated = path.join(ROOT, 'dist', 'go', 'cdksyntheticdata');
  const app = path.join(work, 'app');
  fs.cpSync(EXAMPLE, app, { recursive: true });
  await run('go', ['mod', 'edit', `-replace=${MODULE}=${generated}`], { cwd: app });
  try {
    await run('go', ['build', '-mod=readonly', '-o', 'salesapp', '.'], { cwd: app });
  } catch (error) {
    throw new Error(`${(error as Error).message}\nIf go.mod or go.sum are out of date (new versions), refresh them: in a copy of examples/go, `
      + 'point the replace directive at the generated module, run `go mod tidy`, and copy go.mod and go.sum back (keeping the replace of examples/go).');
  }
  const assembly = path.join(work, 'go.out');
  await run(path.join(app, 'salesapp'), [], { cwd: app, env: { ...process.env, CDK_OUTDIR: assembly } });
  const goMod = fs.readFileSync(path.join(EXAMPLE, 'go.mod'), 'utf8');
  const version = (module: string) => new RegExp(`^\\s*${module.replace(/[./]/g, '\\$&')} v(\\S+)`, 'm').exec(goMod)?.[1];
  return { assembly, cdkVersions: { 'aws-cdk-lib': version('github.com/aws/aws-cdk-go/awscdk/v2'), 'constructs': version('github.com/aws/constructs-go/constructs/v10') } };
});

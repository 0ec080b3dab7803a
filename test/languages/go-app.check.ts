/**
 * The Go module works as the README promises: jsii-pacmak generates it from the compiled assembly, and examples/go,
 * which builds the example sales app with the typed schema against aws-cdk-go from the Go module proxy, builds with
 * its go.mod and go.sum as they are and synthesizes the same template as the TypeScript example
 * (examples/sales-app.ts), asset hashes aside. Not part of `npm test`: `npx projen test:languages`, which CI runs
 * beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packJsii, ROOT, run, testLanguageApp } from './support';

const EXAMPLE = path.join(ROOT, 'examples', 'go');
const MODULE = 'github.com/cdk-synthetic-data/cdk-synthetic-data-go/cdksyntheticdata';

/**
 * The generated go.mod lists as `// indirect` requirements the versions of aws-cdk-lib's bundled npm packages
 * installed here (cloud-assembly-schema 53.28.0), some of which are not published as Go modules; Go then cannot
 * resolve the module at all (jsii-pacmak's own `go mod tidy` fails on it, which is why it only generates code here).
 * They are not needed: Go finds the indirect requirements through aws-cdk-go's go.mod. A release of the Go module
 * needs the same edit.
 */
function dropIndirectRequirements(goMod: string): void {
  fs.writeFileSync(goMod, fs.readFileSync(goMod, 'utf8').split('\n').filter((line) => !line.endsWith('// indirect')).join('\n'));
}

testLanguageApp('Go', async (work) => {
  const generated = path.join(await packJsii('go', path.join(work, 'dist'), ['--code-only']), 'cdksyntheticdata');
  dropIndirectRequirements(path.join(generated, 'go.mod'));
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

/**
 * Makes the Go module that jsii-pacmak generates resolvable, for `npx projen package:go` (and so for a release) and for
 * test/languages/go-app.check.ts, which builds the example Go app against it.
 *
 * The generated go.mod lists as `// indirect` requirements the versions of aws-cdk-lib's bundled npm packages installed
 * here (e.g. cloud-assembly-schema), some of which are not published as Go modules; Go then cannot resolve the module
 * at all (jsii-pacmak's own `go mod tidy` fails on it, which is why package:go generates code only). They are not
 * needed: Go finds the indirect requirements through aws-cdk-go's go.mod.
 *
 * `ts-node scripts/go-module.ts DIST_GO`: fixes every go.mod below DIST_GO (jsii-pacmak's go output folder).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Removes the `// indirect` requirements of one go.mod; returns how many lines it removed. */
export function dropIndirectRequirements(goMod: string): number {
  const lines = fs.readFileSync(goMod, 'utf8').split('\n');
  const kept = lines.filter((line) => !line.trimEnd().endsWith('// indirect'));
  fs.writeFileSync(goMod, kept.join('\n'));
  return lines.length - kept.length;
}

if (require.main === module) {
  const [outdir] = process.argv.slice(2);
  if (!outdir || !fs.existsSync(outdir)) {
    process.stderr.write(`usage: ts-node scripts/go-module.ts DIST_GO (jsii-pacmak's go output folder; got ${outdir ?? 'nothing'}, which does not exist)\n`);
    process.exit(2);
  }
  const modules = (fs.readdirSync(outdir, { recursive: true }) as string[]).filter((file) => path.basename(file) === 'go.mod');
  if (modules.length === 0) {
    process.stderr.write(`no go.mod below ${outdir}: run jsii-pacmak --target go first (npx projen package:go does)\n`);
    process.exit(1);
  }
  for (const module of modules) {
    const removed = dropIndirectRequirements(path.join(outdir, module));
    process.stdout.write(`${path.join(outdir, module)}: ${removed} unresolvable indirect requirement(s) removed\n`);
  }
}

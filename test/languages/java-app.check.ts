/**
 * The Java package works as the README promises: jsii-pacmak builds it (with Maven, from the compiled assembly), and
 * examples/java, which builds the example sales app with the typed schema against aws-cdk-lib and constructs from
 * Maven Central, synthesizes the same template as the TypeScript example (examples/sales-app.ts), asset hashes
 * aside. Not part of `npm test` (Maven takes a minute or two): `npx projen test:languages`, which CI runs beside it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packJsii, ROOT, run, testLanguageApp } from './support';

const EXAMPLE = path.join(ROOT, 'examples', 'java');

testLanguageApp('Java', async (work) => {
  // Maven's own cache for what both builds download from Maven Central (aws-cdk-lib is about 100 MB), instead of
  // jsii-pacmak's default of a temporary one.
  const repository = await packJsii('java', path.join(work, 'dist'), ['--maven-local-repository', path.join(os.homedir(), '.m2', 'repository')]);
  const app = path.join(work, 'app');
  fs.cpSync(EXAMPLE, app, { recursive: true, filter: (source) => path.basename(source) !== 'target' });
  const assembly = path.join(work, 'java.out');
  await run('mvn', ['--batch-mode', '--quiet', `-Djsii.repository=file://${repository}`, 'compile', 'exec:java'], {
    cwd: app, env: { ...process.env, CDK_OUTDIR: assembly },
  });
  // The versions Maven resolves: the pom's own dependencies win over the package's (nearest first).
  const pom = fs.readFileSync(path.join(EXAMPLE, 'pom.xml'), 'utf8');
  const version = (artifactId: string) => new RegExp(`<artifactId>${artifactId}</artifactId>\\s*<version>([^<]+)</version>`).exec(pom)?.[1];
  return { assembly, cdkVersions: { 'aws-cdk-lib': version('aws-cdk-lib'), 'constructs': version('constructs') } };
});

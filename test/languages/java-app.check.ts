/**
 * The Java package works as the README promises: jsii-pacmak builds it (with Maven, from the compiled assembly), and
 * examples/java, which builds the example sales app with the typed schema against aws-cdk-lib and constructs from
 * Maven Central, synthesizes the same template as the TypeScript example (examples/sales-app.ts), asset hashes
 * aside. Not part of `npm test` (Maven takes a minute or two): `npx projen test:languages`, which CI runs beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packJsii, ROOT, run, testLanguageApp } from './support';
import { CACHE_DIR } from '../../local-cloud/cache-dir';

const EXAMPLE = path.join(ROOT, 'examples', 'java');

/**
 * Maven's local repository for both builds: the project's own, in the .local-cloud/ cache, so what they download from
 * Maven Central (aws-cdk-lib is about 100 MB) is kept between runs. Not ~/.m2: Maven copies cdk-synthetic-data 0.0.0
 * from the jsii build into its local repository and, a release version being final, never fetches it again, so a
 * later run would build the app against an older package. Here it is removed before each run.
 */
const MAVEN_REPOSITORY = path.join(CACHE_DIR, 'maven-repository');
const GROUP_ID: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).jsii.targets.java.maven.groupId;

testLanguageApp('Java', async (work) => {
  fs.rmSync(path.join(MAVEN_REPOSITORY, ...GROUP_ID.split('.')), { recursive: true, force: true });
  const repository = await packJsii('java', path.join(work, 'dist'), ['--maven-local-repository', MAVEN_REPOSITORY]);
  const app = path.join(work, 'app');
  fs.cpSync(EXAMPLE, app, { recursive: true, filter: (source) => path.basename(source) !== 'target' });
  const assembly = path.join(work, 'java.out');
  await run('mvn', ['--batch-mode', '--quiet', `-Dmaven.repo.local=${MAVEN_REPOSITORY}`, `-Djsii.repository=file://${repository}`, 'compile', 'exec:java'], {
    cwd: app, env: { ...process.env, CDK_OUTDIR: assembly },
  });
  // The versions Maven resolves: the pom's own dependencies win over the package's (nearest first).
  const pom = fs.readFileSync(path.join(EXAMPLE, 'pom.xml'), 'utf8');
  const version = (artifactId: string) => new RegExp(`<artifactId>${artifactId}</artifactId>\\s*<version>([^<]+)</version>`).exec(pom)?.[1];
  return { assembly, cdkVersions: { 'aws-cdk-lib': version('aws-cdk-lib'), 'constructs': version('constructs') } };
});

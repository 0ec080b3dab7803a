/**
 * A user's view of the npm package: the jsii build packed as `npm pack` makes it (jsii-pacmak's js target), published
 * to a local registry (test/languages/local-registry.ts) as a release publishes to npm, installed from there into a
 * scratch CDK app beside the newest aws-cdk-lib, the aws-cdk CLI and cdk-nag 2 and 3, type-checked by the newest
 * TypeScript, and synthesized by `cdk synth` with JSII_DEPRECATED=fail (as strict pipelines set it), on Node.js 22, the
 * oldest the package supports (`engines`). The construct's default runtime must be the newest Node.js runtime the
 * newest aws-cdk-lib knows: when Lambda adds one, this check fails and says what to change.
 * cdk-nag 2 (Aspects, reading the `cdk_nag` CloudFormation metadata the construct writes) and cdk-nag 3
 * (`validateScope`, reading its construct metadata) must leave no finding on the construct's resources open.
 * The app is examples/consumer/app.ts. Not part of `npm test`: `npx projen test:languages`, which CI runs beside it.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLocalRegistry } from './local-registry';
import { packJsii, ROOT, run, SALES_STACK_NAME, scratchDirectory } from './support';
import { fetchNode } from '../../toolchain/node';

const OLDEST_NODE_MAJOR = 22;
const EXAMPLE = path.join(ROOT, 'examples', 'consumer');
const CONSTRUCT_PATH = `${SALES_STACK_NAME}/SalesData/`;
/** What the app installs: the newest of each, cdk-nag's two majors side by side under aliases. */
const PACKAGES = [
  'aws-cdk-lib@latest', 'constructs@^10', 'aws-cdk@latest', 'cdk-nag-2@npm:cdk-nag@^2', 'cdk-nag-3@npm:cdk-nag@^3',
  'typescript@latest', `@types/node@${OLDEST_NODE_MAJOR}`,
];

interface Nag2ReportLine {
  readonly ruleId: string;
  readonly resourceId: string;
  /** `Compliant`, `Non-Compliant`, `Suppressed`, or `UNKNOWN` (the rule failed). */
  readonly compliance: string;
}

const work = scratchDirectory('consumer-app');
const app = path.join(work, 'app');
const assembly = path.join(app, 'cdk.out');
let nodeVersion: string;
let installed: Record<string, string>;
let published: { integrity: string; stored: boolean };
let installedIntegrity: string;

beforeAll(async () => {
  const node = await fetchNode(OLDEST_NODE_MAJOR);
  const env = { ...process.env, PATH: `${path.dirname(node.binary)}${path.delimiter}${process.env.PATH}`, JSII_DEPRECATED: 'fail' };
  const [tarball] = fs.readdirSync(await packJsii('js', path.join(work, 'dist')));
  const registry = await startLocalRegistry(path.join(work, 'registry'), 'cdk-synthetic-data', env);
  try {
    const asUser = { ...env, npm_config_userconfig: registry.userconfig };
    await run('npm', ['publish', path.join(work, 'dist', 'js', tarball), '--access', 'public', '--loglevel=error'], { cwd: work, env: asUser });
    fs.cpSync(EXAMPLE, app, { recursive: true });
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '0.0.0', private: true }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'cdk-synthetic-data', ...PACKAGES], { cwd: app, env: asUser });
    const packed = fs.readFileSync(path.join(work, 'dist', 'js', tarball));
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    published = {
      integrity: `sha512-${crypto.createHash('sha512').update(packed).digest('base64')}`,
      stored: fs.existsSync(path.join(registry.storage, 'cdk-synthetic-data', `cdk-synthetic-data-${version}.tgz`)),
    };
  } finally {
    await registry.stop();
  }
  installedIntegrity = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', '.package-lock.json'), 'utf8'))
    .packages['node_modules/cdk-synthetic-data'].integrity;
  nodeVersion = (await run('node', ['--version'], { cwd: app, env })).trim();
  installed = Object.fromEntries(['cdk-synthetic-data', 'aws-cdk-lib', 'aws-cdk', 'cdk-nag-2', 'cdk-nag-3', 'typescript'].map((name) =>
    [name, JSON.parse(fs.readFileSync(path.join(app, 'node_modules', name, 'package.json'), 'utf8')).version]));
  await run('npx', ['tsc', '-p', '.'], { cwd: app, env });
  await run('npx', ['cdk', 'synth', '--quiet', '--no-notices'], { cwd: app, env });
}, 900_000);

test('the package published to the local registry is the one installed from it (which serves it alone, never from upstream)', () => {
  expect(published.stored).toBe(true);
  expect(installedIntegrity).toBe(published.integrity);
});

test('the packed library installs beside the newest aws-cdk-lib and synthesizes with `cdk synth` on Node.js 22', () => {
  expect(nodeVersion).toMatch(new RegExp(`^v${OLDEST_NODE_MAJOR}\\.`));
  expect(installed['cdk-synthetic-data']).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  const template = JSON.parse(fs.readFileSync(path.join(assembly, `${SALES_STACK_NAME}.template.json`), 'utf8'));
  expect(Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::Lambda::Function')).toHaveLength(1);
});

test('cdk-nag 2 leaves nothing open on the construct\'s resources, and honours every acknowledgement the construct wrote', () => {
  const lines = ['AwsSolutions', 'Serverless'].flatMap((pack) => {
    const report = path.join(assembly, `${pack}--${SALES_STACK_NAME}-NagReport.json`);
    return (JSON.parse(fs.readFileSync(report, 'utf8')).lines as Nag2ReportLine[]).map((line) => ({ pack, ...line }));
  });
  const ours = lines.filter((line) => line.resourceId.startsWith(CONSTRUCT_PATH));
  expect(ours.filter((line) => line.compliance === 'Compliant').length).toBeGreaterThan(0);
  expect(ours.filter((line) => line.compliance !== 'Compliant' && line.compliance !== 'Suppressed')).toEqual([]);
  // The acknowledgements cdk-nag 2 applied are those the committed list has for the default configuration
  // (test/unit/nag.test.ts, cdk-nag 3): the same rules on the same resources.
  const committed = (JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'support', 'nag-acknowledgements.json'), 'utf8')) as any[])
    .filter((a) => a.variant === 'default')
    .map((a) => `${a.pack} ${a.ruleId} ${a.resource.replace(/^TestStack\/Generator\//, '')}`);
  const suppressed = ours.filter((line) => line.compliance === 'Suppressed')
    .map((line) => `${line.pack} ${line.ruleId} ${line.resourceId.slice(CONSTRUCT_PATH.length)}`);
  expect(suppressed.sort()).toEqual(committed.sort());
});

test('cdk-nag 3 leaves nothing open on the construct\'s resources', () => {
  const { violations, canaryViolations } = JSON.parse(fs.readFileSync(path.join(assembly, 'cdk-nag-3.json'), 'utf8'));
  expect(canaryViolations).toBeGreaterThan(0); // the packs do find something where something is open
  expect(violations).toEqual([]); // the app holds nothing but the construct
});

test('the default runtime is the newest Node.js runtime the newest aws-cdk-lib knows (src/contract/runtime.ts)', () => {
  const template = JSON.parse(fs.readFileSync(path.join(assembly, `${SALES_STACK_NAME}.template.json`), 'utf8'));
  const [fn] = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::Lambda::Function') as any[];
  const known: string[] = JSON.parse(fs.readFileSync(path.join(assembly, 'node-runtimes.json'), 'utf8'));
  const newest = known.reduce((a, b) => (Number(/\d+/.exec(b)![0]) > Number(/\d+/.exec(a)![0]) ? b : a));
  if (fn.Properties.Runtime !== newest) {
    throw new Error(`aws-cdk-lib ${installed['aws-cdk-lib']} knows ${newest}, and the construct's default is ${fn.Properties.Runtime}: `
      + 'cdk-nag flags every function that is not on the newest runtime. Raise DEFAULT_NODE_MAJOR in src/contract/runtime.ts, fetch that '
      + 'Node.js for the local cloud (it does so by itself), and run npm test (docs/security.md, "Default runtime").');
  }
  expect(fn.Properties.Runtime).toBe(newest);
});

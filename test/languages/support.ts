/**
 * What the language apps' tests share: building a package with jsii-pacmak from the compiled assembly, running a
 * build tool with its output kept for the failure message, and the TypeScript example's template to compare with.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { SALES_STACK_NAME, synthesizeSalesApp } from '../../examples/sales-app';
import { comparableStack, templateDifferences } from '../support/template-comparison';

export const ROOT = path.join(__dirname, '..', '..');
export { SALES_STACK_NAME };

const execFileAsync = promisify(execFile);

/** The aws-cdk-lib and constructs versions the TypeScript example is built with: the language apps pin the same. */
const TYPESCRIPT_CDK_VERSIONS: { 'aws-cdk-lib': string; 'constructs': string } = (() => {
  const devDependencies = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies;
  return { 'aws-cdk-lib': devDependencies['aws-cdk-lib'], 'constructs': devDependencies.constructs };
})();

/** A scratch directory for one test file, removed afterwards. */
export function scratchDirectory(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface RunOptions {
  /** Default: the project root. */
  readonly cwd?: string;
  /** Default: this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: 10 minutes. */
  readonly timeoutMs?: number;
}

/**
 * Runs a command to its end and returns its standard output; when it fails, the error names the command and
 * quotes the end of what it printed.
 */
export async function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, [...args], {
      cwd: options.cwd ?? ROOT, env: options.env ?? process.env, timeout: options.timeoutMs ?? 600_000, maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: unknown; signal?: unknown; message: string };
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`\`${[command, ...args].join(' ')}\` (in ${options.cwd ?? ROOT}) failed (${e.code ?? e.signal ?? e.message}):\n${output}`);
  }
}

/**
 * Builds the package for one jsii target (`python`, `java`, `go`, `js`) into `outdir`, with jsii-pacmak as
 * `npx projen package:<target>` does, from the compiled assembly (`.jsii`), which must be newer than src/.
 */
export async function packJsii(target: string, outdir: string, extraArgs: readonly string[] = []): Promise<string> {
  const assembly = path.join(ROOT, '.jsii');
  const compiled = fs.existsSync(assembly) ? fs.statSync(assembly).mtimeMs : 0;
  const sources = fs.readdirSync(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
  const stale = sources.filter((file) => fs.statSync(file).mtimeMs > compiled);
  if (stale.length > 0) {
    throw new Error(`the jsii assembly ${assembly} is ${compiled ? 'older than' : 'missing, and older than'} ${path.relative(ROOT, stale[0])}: `
      + 'run `npx projen compile` first (`npm test` compiles before jest)');
  }
  await run(path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'), ['--target', target, '--outdir', outdir, ...extraArgs]);
  return path.join(outdir, target);
}

/** What a language app's build made: its cloud assembly, and the aws-cdk-lib and constructs versions it uses. */
export interface LanguageApp {
  readonly assembly: string;
  readonly cdkVersions: Record<string, string | undefined>;
}

/**
 * The tests every language app has: `build` (given a scratch directory) builds the package and the app and runs it;
 * its stack must have the TypeScript example's template (examples/sales-app.ts), asset hashes aside (see
 * support/template-comparison.ts), and it must use the aws-cdk-lib and constructs the TypeScript example uses.
 */
export function testLanguageApp(language: string, build: (work: string) => Promise<LanguageApp>): void {
  const work = scratchDirectory(`${language.toLowerCase()}-app`);
  let app: LanguageApp;
  let typescriptAssembly: string;
  beforeAll(async () => {
    app = await build(work);
    typescriptAssembly = synthesizeSalesApp({ outdir: path.join(work, 'typescript.out') }).assemblyDir;
  }, 900_000);

  test(`the ${language} app synthesizes the TypeScript example's template`, () => {
    const expected = comparableStack(typescriptAssembly, SALES_STACK_NAME);
    const actual = comparableStack(app.assembly, SALES_STACK_NAME);
    expect(Object.keys(expected.template.Resources ?? {}).length).toBeGreaterThan(0);
    const differences = templateDifferences(expected.template, actual.template, { expected: 'TypeScript', actual: language });
    if (expected.fileAssets !== actual.fileAssets) differences.push(`file assets: TypeScript ${expected.fileAssets}, ${language} ${actual.fileAssets}`);
    expect(differences).toEqual([]);
  });

  test(`the ${language} app uses the aws-cdk-lib and constructs the TypeScript example uses`, () => {
    expect(app.cdkVersions).toEqual(TYPESCRIPT_CDK_VERSIONS);
  });
}

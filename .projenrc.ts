import { awscdk, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';
import { OLDEST_NODE_MAJOR } from './src/contract/runtime';

// The Node.js every build task runs on (jest, jsii, ts-node, the demo): the active LTS line. The function's runtimes are
// another matter (src/contract/runtime.ts): the bundle targets the oldest the construct accepts, and the local cloud runs
// the handler on the deployed function's own runtime.
const BUILD_NODE_MAJOR = 24;

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-synthetic-data',
  packageName: 'cdk-synthetic-data',
  description: 'An AWS CDK construct that deploys a serverless generator of realistic synthetic tabular data (CSV, JSON Lines or Parquet, '
    + 'one table or a dataset of related tables) into your S3 bucket, with a Glue catalog table, a least-privilege role and structured logs.',
  keywords: ['cdk', 'awscdk', 'synthetic-data', 'test-data', 'faker', 'csv', 'jsonl', 'parquet', 'glue', 's3', 'lambda'],
  author: 'cdk-synthetic-data developers',
  authorAddress: 'dev@cdk-synthetic-data.invalid',
  repositoryUrl: 'https://github.com/cdk-synthetic-data/cdk-synthetic-data.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // The newest aws-cdk-lib whose cloud assembly (schema 53) the newest integ-runner can still read.
  cdkVersion: '2.257.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  // What users' CDK apps may run on: Node.js 22 and later (Node.js 20 reached end of life in April 2026). The
  // consumer check (test/languages/consumer-app.check.ts) synthesizes on 22; everything else here runs on 24.
  minNodeVersion: '22.0.0',
  // One development tsconfig at the top level for src/, lambda/, local-cloud/, examples/, scripts/ and test/.
  tsconfigDevFile: 'tsconfig.dev.json',

  // The expression language of derived columns (src/contract/expressions.ts) is parsed at synth by the construct and
  // again at run time by the handler (where esbuild bundles it): a dependency shipped inside this package, so users
  // install nothing more. jsep has no dependencies and never evaluates text; the template plugin reads `${a}-${b}`.
  bundledDeps: ['jsep@^1.4.0', '@jsep-plugin/template@^1.0.5'],

  // The handler's libraries are bundled into the asset by esbuild before compile, so users of the
  // construct install none of them: they are build-time (dev) dependencies of this package.
  devDeps: [
    // handler: faker's data, structured logs, metrics in Embedded Metric Format, S3, and a single object's events on
    // EventBridge (the @aws-sdk/* packages are provided by the Lambda runtime)
    '@faker-js/faker@^9.9.0',
    '@aws-lambda-powertools/logger@^2.28.0',
    '@aws-lambda-powertools/metrics@^2.28.0',
    '@aws-sdk/client-s3@^3.900.0',
    '@aws-sdk/client-eventbridge@^3.900.0',
    '@types/aws-lambda@^8.10.150',
    // local cloud (moto) used by `npm run demo` and the handler tests
    '@aws-sdk/client-cloudformation@^3.900.0',
    '@aws-sdk/client-cloudwatch-logs@^3.900.0',
    '@aws-sdk/client-glue@^3.900.0',
    '@aws-sdk/client-iam@^3.900.0',
    '@aws-sdk/client-lambda@^3.900.0',
    '@aws-sdk/client-scheduler@^3.900.0',
    '@aws-sdk/client-sfn@^3.900.0',
    '@aws-sdk/client-sqs@^3.900.0',
    '@aws-sdk/client-ssm@^3.900.0',
    '@aws-sdk/client-sts@^3.900.0',
    'fflate@^0.8.2',
    // runs the synthesized state machine of a sharded run locally (`npm run demo -- --shards K`)
    'aws-local-stepfunctions@^3.0.0',
    // `npm run bench`: the naive baseline (../shared/bench/naive-baseline.mjs) loads faker and this from the project
    'csv-stringify@^6.6.0',
    // tests: a Snappy decoder nobody here wrote, reading what the encoder's own compressor (lambda/formats/parquet/snappy.ts) makes
    'snappyjs@^0.7.0',
    '@types/snappyjs@^0.7.1',
    // tests
    'csv-parse@^5.6.0',
    'fast-check@^4.3.0',
    'cdk-nag@^3.0.2',
    'aws-sdk-client-mock@^4.1.0',
    '@aws-cdk/integ-runner@^2.197.0',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // Objects are read back by engines nobody here wrote: DuckDB (CSV, JSON Lines and Parquet, as the catalog
    // declares; also the demo's checks) and hyparquet (Parquet); hyparquet-writer is what the Parquet encoder is
    // compared with (scripts/parquet-bench.ts)
    '@duckdb/node-api@^1.5.6-r.1',
    'hyparquet@^1.33.0',
    'hyparquet-writer@^0.17.0',
  ],

  jestOptions: {
    // A snapshot test that rewrites its snapshot cannot fail: `npm test` compares, `npm run test:update` rewrites.
    updateSnapshot: UpdateSnapshot.NEVER,
    // A test run that finds no tests has proven nothing: fail it.
    passWithNoTests: false,
    jestConfig: {
      // Coverage slows every run: only `npm run test:coverage` collects it.
      collectCoverage: false,
      // The cloud suites start a moto server and deploy into it; the statistical ones make 10^5 rows and more.
      testTimeout: 120_000,
      maxWorkers: 2,
      // hyparquet and hyparquet-writer (the independent Parquet reader of the tests, and the writer the encoder is
      // compared with) are published as ES modules only, which jest's CommonJS runtime cannot load: jest compiles
      // them to CommonJS with esbuild, as it compiles our TypeScript with ts-jest.
      transform: { '^.+/node_modules/hyparquet(-writer)?/.+\\.js$': new javascript.Transform('<rootDir>/test/support/esm-to-commonjs.js') },
      transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
    },
  },

  gitignore: [
    'cdk.out/',
    // what building the language examples by hand leaves (see each example's header)
    '/examples/python/.venv/',
    '/examples/java/target/',
    '/examples/go/salesapp',
    '/examples/consumer/node_modules/',
    '/examples/consumer/*.js',
    '/assets/',
    '/.local-cloud/',
    // integ-runner snapshots are committed, the asset bodies they reference are not
    'test/integ/*.snapshot/**/asset.*',
    'test/integ/*.snapshot/**/cdk.out',
    'test/integ/*.snapshot/**/manifest.json.lock',
  ],

  eslintOptions: { dirs: ['src'], tsconfigPath: './tsconfig.dev.json' },

  // jsii targets: the same construct for Python, Java, .NET and Go users.
  publishToPypi: { distName: 'cdk-synthetic-data', module: 'cdk_synthetic_data' },
  publishToMaven: {
    javaPackage: 'io.github.cdksyntheticdata',
    mavenGroupId: 'io.github.cdk-synthetic-data',
    mavenArtifactId: 'cdk-synthetic-data',
  },
  publishToNuget: { dotNetNamespace: 'CdkSyntheticData', packageId: 'CdkSyntheticData' },
  publishToGo: { moduleName: 'github.com/cdk-synthetic-data/cdk-synthetic-data-go' },

  // Releases: every push to main that carries a releasable conventional commit (feat, fix, a breaking change) bumps the
  // version from the commits, writes the changelog, tags, and publishes to npm, PyPI, Maven Central, NuGet and the Go
  // module repository (publib, with the registries' secrets: see docs/development.md). Each package task bundles the
  // handler first, and package:go makes the Go module resolvable (scripts/go-module.ts), so the release jobs ship them.
  githubOptions: { mergify: false },
  release: true,
  releaseToNpm: true,
  buildWorkflow: true,
  pullRequestTemplate: false,
  depsUpgrade: false,
});

// The handler lives in its own top-level folder (not under src/, which jsii compiles) and is bundled
// before compile into assets/lambda/handler/index.js, which ships in the npm tarball.
project.bundler.addBundle('lambda/handler.ts', {
  platform: 'node',
  target: `node${OLDEST_NODE_MAJOR}`,
  externals: ['@aws-sdk/*'],
  minify: true,
  sourcemap: false,
});

// The package's command line (cli/): `npx cdk-synthetic-data generate|validate|...` on the user's machine, with the
// function's own engine, contract and writers, bundled like the handler into one file that ships in the tarball, so it
// adds no runtime dependency to a CDK app. It runs on the Node.js users' apps run on (minNodeVersion).
project.bundler.addBundle('cli/main.ts', {
  platform: 'node',
  target: 'node22',
  minify: true,
  sourcemap: false,
  banner: '#!/usr/bin/env node',
  executable: true,
});
project.addBins({ 'cdk-synthetic-data': 'assets/cli/main/index.js' });

// The build runs on Node.js BUILD_NODE_MAJOR: every task puts it (or later) first on its PATH,
// fetched once from the npm registry into .local-cloud/ when the machine's Node.js is older (toolchain/node.js). This
// replaces projen's default PATH, `$(npx -c "node --print process.env.PATH")` (npm's PATH, with node_modules/.bin), and
// keeps what it did. projen evaluates `$(...)` for each task; should it fail, projen prints the reason and the task runs
// on the machine's Node.js, which test/toolchain.test.ts then reports.
project.tasks.addEnvironment('PATH', `$(npx -c "node toolchain/node.js path ${BUILD_NODE_MAJOR}")`);

// Development sources stay out of the npm tarball; the built bundle under assets/ ships.
for (const ignored of ['/lambda/', '/cli/', '/local-cloud/', '/examples/', '/scripts/', '/toolchain/', '/cdk.out/', '/.local-cloud/', '/.ci/']) {
  project.addPackageIgnore(ignored);
}

for (const dir of ['lambda', 'cli', 'local-cloud', 'examples', 'scripts']) {
  project.eslint?.addLintPattern(dir);
}
// projen's ESLint config finds each file's nearest tsconfig.json, which for jsii is the src-only one; lint
// every folder against the development tsconfig instead.
// The folders by name (not every .ts below the root, which would take in lib/*.d.ts and cdk.out/): `npm test` type-checks
// all of them with it.
project.tsconfigDev.removeInclude('**/*.ts');
for (const dir of ['src', 'lambda', 'cli', 'local-cloud', 'scripts', 'examples', 'test', 'toolchain']) {
  project.tsconfigDev.addInclude(`${dir}/**/*.ts`);
}
project.tsconfigDev.addInclude('.projenrc.ts');
const eslintrc = project.tryFindObjectFile('.eslintrc.json');
eslintrc?.addDeletionOverride('parserOptions.projectService');
eslintrc?.addOverride('parserOptions.project', './tsconfig.dev.json');
project.eslint?.allowDevDeps('lambda/**');
project.eslint?.allowDevDeps('cli/**');
// The generation engine and its formats hash and pack bits on their hot paths (32-bit integer hashing, byte writes,
// bit-packed Parquet levels): bitwise operators are what they are made of there, not a slip.
project.eslint?.addOverride({ files: ['lambda/engine/**', 'lambda/formats/**'], rules: { 'no-bitwise': 'off' } });
project.eslint?.allowDevDeps('local-cloud/**');
project.eslint?.allowDevDeps('examples/**');
// A user's app, built in a scratch folder with its own packages (test/languages/consumer-app.check.ts type-checks it there).
project.eslint?.addIgnorePattern('examples/consumer/');
// Its imports resolve only there, so the development type-check leaves it out too.
project.tsconfigDev.addExclude('examples/consumer');
project.eslint?.allowDevDeps('scripts/**');
// No import circles anywhere: a module that needs what imports it is a floor or a kernel waiting to be named.
project.eslint?.addRules({ 'import/no-cycle': 'error' });
// The contract is compiled by jsii into the library and bundled into the handler: it imports only its own modules,
// the expression parser and Node.js's built-in modules.
project.eslint?.addOverride({
  files: ['src/contract/**'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{
        regex: '^(?!\\./|jsep$|@jsep-plugin/|node:)',
        message: 'src/contract imports only its own modules (./...), the expression parser (jsep, @jsep-plugin/*) and node: built-ins',
      }],
    }],
  },
});

// One line per trust family (faults injected and survived, hostile inputs rejected) after every test run.
project.jest?.addReporter(new javascript.JestReporter('<rootDir>/test/support/trust-summary-reporter.js'));

// Tests in layers, by what they cost (docs/development.md, "Tests"): one jest project per folder of test/, so that
// `jest --selectProjects unit` runs one layer. What a project's config holds (how files are found and compiled) moves
// from the top level into each project; the run's options (reporters, workers, coverage) stay at the top.
const TEST_LAYERS = ['unit', 'property', 'statistical', 'cloud', 'cli'];
const jestConfig = project.jest!.config;
const PROJECT_OPTIONS = ['transform', 'transformIgnorePatterns', 'testPathIgnorePatterns', 'clearMocks', 'testTimeout'];
const sharedProjectOptions = Object.fromEntries(PROJECT_OPTIONS.map((option) => [option, jestConfig[option]]));
// The cloud layer shares one moto server and one synth of the sales app per run (test/support/shared-cloud.ts).
const LAYER_OPTIONS: Record<string, Record<string, string>> = {
  cloud: { globalSetup: '<rootDir>/test/support/cloud-global-setup.ts', globalTeardown: '<rootDir>/test/support/cloud-global-teardown.ts' },
};
jestConfig.projects = TEST_LAYERS.map((layer) => ({
  displayName: layer,
  testMatch: [`<rootDir>/test/${layer}/**/*.test.ts`],
  ...sharedProjectOptions,
  ...LAYER_OPTIONS[layer],
}));
for (const option of [...PROJECT_OPTIONS.filter((name) => name !== 'testTimeout'), 'testMatch']) {
  jestConfig[option] = undefined;
}
// The language checks are no layer of `npm test`: a config of their own, which `npx projen test:languages` names (a
// --testMatch on the command line would apply to each of the projects above, and run every check once per project).
const LANGUAGES_JEST_CONFIG = 'test/languages/jest.config.json';
new JsonFile(project, LANGUAGES_JEST_CONFIG, {
  marker: false, // jest reads every key of its config as an option
  obj: { rootDir: '../..', displayName: 'languages', testMatch: ['<rootDir>/test/languages/*.check.ts'], ...sharedProjectOptions },
});

// Every test run uses the handler as it ships: bundle first.
project.testTask.prependSpawn(project.bundler.bundleTask);

// Every package carries the function: each package task bundles the handler before jsii-pacmak packs assets/ (the
// Python, Java, .NET and Go packages embed the npm tarball), so `npx projen compile && npx projen package:js` is safe.
for (const language of ['js', 'python', 'java', 'dotnet', 'go']) {
  project.tasks.tryFind(`package:${language}`)?.prependSpawn(project.bundler.bundleTask);
}
// The Go module as jsii-pacmak generates it does not resolve (scripts/go-module.ts says why): generate the code only, and
// drop the unresolvable requirements, so the module that is released is the one test/languages/go-app.check.ts builds.
const packageGo = project.tasks.tryFind('package:go');
packageGo?.reset();
packageGo?.spawn(project.bundler.bundleTask);
packageGo?.exec('jsii-pacmak -v --target go --code-only');
packageGo?.exec('ts-node --project tsconfig.dev.json scripts/go-module.ts dist/go');

// Deprecated aws-cdk-lib API fails every task (jest, integ-runner, the demo, the language apps): strict CI pipelines set
// JSII_DEPRECATED=fail, and a construct that calls deprecated API breaks their synth.
project.tasks.addEnvironment('JSII_DEPRECATED', 'fail');

// The local cloud's Python tools (moto, cfn-lint) at the versions pinned with hashes in local-cloud/python/, installed on
// first use into .local-cloud/ and always run from there. The test task installs them before jest starts, so parallel
// workers do not each install them.
const pythonToolsTask = project.addTask('python-tools', {
  description: 'Install the pinned Python tools of the local cloud (moto, cfn-lint) into .local-cloud/ if needed, and say which are used',
  exec: 'ts-node --project tsconfig.dev.json local-cloud/python-tools.ts',
});
project.testTask.prependSpawn(pythonToolsTask);
project.addTask('lock:python', {
  description: 'Re-resolve each pinned Python requirements.in into its requirements.txt (exact versions and hashes) with uv',
  exec: 'ts-node --project tsconfig.dev.json scripts/lock-python.ts',
});

// Every folder type-checks before a test runs: ts-jest (isolatedModules) only transpiles, esbuild never type-checks and
// jsii compiles src/ alone.
const jestStep = project.testTask.steps.findIndex((step) => step.execArgs?.[0] === 'jest' || step.exec?.startsWith('jest'));
project.testTask.insertStep(jestStep, { exec: 'tsc --noEmit -p tsconfig.dev.json' });
// No import circle anywhere in the hand-written code, as madge sees the tree (eslint's import/no-cycle keeps them out while
// editing). Run through npx, not a devDependency: madge 8 asks for TypeScript 5 as a peer, and the build is on 6.
project.testTask.insertStep(jestStep, { exec: 'npx --yes madge@8.0.0 --circular --extensions ts src lambda cli local-cloud scripts' });

// jsii must accept the public API (Python, Java, .NET and Go users depend on it), and API.md must be what
// jsii-docgen makes of it: compile, regenerate into test-reports/ and compare.
project.testTask.spawn(project.compileTask);
project.testTask.exec('bash scripts/check-api-docs.sh');

// integ-runner compares the committed snapshots of test/integ/integ.*.ts with a fresh synth; it deploys nothing. The apps
// run through ts-node without type-checking (tsc --noEmit above has checked them): its default, a type-checking ts-node
// per app, took four times as long.
const INTEG_RUNNER = 'integ-runner --directory test/integ --parallel-regions us-east-1 --language typescript '
  + '--app "node -r ts-node/register/transpile-only {filePath}"';
project.testTask.exec(INTEG_RUNNER);
project.addTask('integ:update', {
  description: 'Re-synthesize the integ-runner snapshots of test/integ/integ.*.ts (no deployment)',
  exec: `${INTEG_RUNNER} --update-on-failed --dry-run`,
});

// The inner loop: the suites that need no moto, no worker threads, no network and no Python tools (test/unit/), in under
// 3 minutes on a quiet 2-core machine (78 s; more than 4 when other builds share the cores). The fast-check properties (test/property/) would add as much again: they run in
// `npm test`, or alone with `npx jest --selectProjects property`.
const unitTask = project.addTask('test:unit', {
  description: 'The inner loop: the unit suites (no moto, no worker threads, no network)',
});
unitTask.spawn(project.bundler.bundleTask);
unitTask.exec('jest --ci --selectProjects unit', { receiveArgs: true });

// Coverage where it is read: every layer, with coverage collected (coverage/), as CI would report it.
const coverageTask = project.addTask('test:coverage', {
  description: 'Run the jest suites of every layer and collect coverage into coverage/',
});
coverageTask.spawn(pythonToolsTask);
coverageTask.spawn(project.bundler.bundleTask);
coverageTask.exec('jest --ci --coverage', { receiveArgs: true });

// The main job, locally: synth the example app, deploy it into moto, invoke the bundled handler as
// the function's role in a Lambda-like sandbox, and prove the result. `npm run demo -- --rows N --seed S`.
const demo = project.addTask('demo', {
  description: 'Synthesize the example app, deploy it to a local AWS (moto) and invoke the generator',
});
demo.spawn(project.bundler.bundleTask);
demo.exec('ts-node --project tsconfig.dev.json local-cloud/demo.ts', { receiveArgs: true });

// The Java and Go apps (examples/java, examples/go) and a user's view of the npm package (examples/consumer: the packed
// library with the newest aws-cdk-lib, the aws-cdk CLI, cdk-nag 2 and 3, on Node.js 22): test/languages/*.check.ts. They
// take minutes and the registries' downloads, so they are not in `npm test`; .ci/run runs them beside it. The Python
// app (test/languages/python-app.check.ts) is one of them: it builds a wheel and installs from PyPI. One suite at a time,
// reports to the console only (npm test may be writing test-reports/ meanwhile).
const languagesTask = project.addTask('test:languages', {
  description: 'The Python, Java and Go apps, every package task\'s artifact, and the npm package from a local registry in a scratch app (cdk synth, cdk-nag 2 and 3), and its command line alone (infer, generate, profile)',
});
languagesTask.spawn(project.bundler.bundleTask);
languagesTask.spawn(project.compileTask);
languagesTask.exec(`jest --ci --coverage=false --runInBand --reporters=default --config ${LANGUAGES_JEST_CONFIG}`, { receiveArgs: true });

// `npm run bench -- --rows N`: the Parquet encoder beside hyparquet-writer; the engine against the naive baseline and in
// every format in the same run; then the whole handler's peak memory at 1M and 10M rows in the local cloud. Prints JSON
// lines; a benchmark, never a test.
const bench = project.addTask('bench', {
  description: 'Benchmark the generation engine against ../shared/bench/naive-baseline.mjs and measure the handler',
});
bench.spawn(project.bundler.bundleTask);
// First our Parquet encoder beside hyparquet-writer (the library it was chosen over), then the engine in every format
// and the handler, whose summary is the last line.
bench.exec('ts-node --project tsconfig.dev.json scripts/parquet-bench.ts', { receiveArgs: true });
bench.exec('ts-node --project tsconfig.dev.json scripts/bench.ts', { receiveArgs: true });

// `npm run fuzz -- --schemas N [--seed S]`: the adversarial property over more schemas than CI's 10,000, with a fresh seed.
project.addTask('fuzz', {
  description: 'Adversarial property over N schemas: npm run fuzz -- --schemas N [--seed S]',
  exec: 'ts-node --project tsconfig.dev.json scripts/fuzz.ts',
  receiveArgs: true,
});

project.addTask('gen:faker-methods', {
  description: 'Regenerate src/contract/faker-methods.ts from the installed @faker-js/faker',
  exec: 'ts-node --project tsconfig.dev.json scripts/generate-faker-methods.ts',
});

project.synth();

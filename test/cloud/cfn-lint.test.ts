/**
 * The synthesized templates pass the local cloud's pinned cfn-lint (the AWS CloudFormation linter, run as a Python
 * child process): the example app in each output format, with sharded runs, a schedule, completion events and alarms,
 * and with a given bucket and role. A finding that the resource specification or the States Language schema would
 * reject at deploy fails here at synth.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { addSalesStack, SALES_SCHEDULE } from '../../examples/sales-app';
import { pythonTools, isolatedPythonEnv } from '../../local-cloud/python-tools';
import { Column, Schema, SyntheticDataGenerator } from '../../src';

/**
 * Runs the local cloud's pinned cfn-lint (local-cloud/python-tools.ts: installed into .local-cloud/ on first use,
 * never the machine's) and returns its findings.
 * W3005 alone is ignored: aws-cdk-lib's lambda.Function always adds a DependsOn on its role, which
 * cfn-lint calls redundant next to the GetAtt of the role's ARN; it is harmless and not ours to remove.
 */
function cfnLint(templateFile: string): { status: number; output: string } {
  const [command, ...args] = pythonTools().cfnLint;
  const result = spawnSync(command, [...args, '--format', 'parseable', '--ignore-checks', 'W3005', '--', templateFile], {
    encoding: 'utf8', env: isolatedPythonEnv(),
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

function synthesizeTemplates(build: (app: App) => void): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
  const app = new App({ outdir });
  build(app);
  const assembly = app.synth();
  return assembly.stacks.map((stack) => path.join(assembly.directory, stack.templateFile));
}

test.each([
  ['the example app (created bucket and role)', (app: App) => { addSalesStack(app); }],
  // cfn-lint also checks the state machine's definition against the Amazon States Language schema
  ['the example app with sharded runs (state machine)', (app: App) => { addSalesStack(app, { rows: 8_000_000, shards: 8, seed: 7 }); }],
  // and each format's Glue table
  ['the example app in Parquet', (app: App) => { addSalesStack(app, undefined, { format: 'parquet', compression: 'zstd' }); }],
  ['the example app in JSON Lines, gzip', (app: App) => { addSalesStack(app, undefined, { format: 'jsonl', compression: 'gzip' }); }],
  // the schedule, the event steps of the state machine, the publishing conditions
  ['the example app with sharded runs, a schedule and completion events', (app: App) => {
    addSalesStack(app, { rows: 8_000_000, shards: 8 }, undefined, { schedule: true, completionEvents: true });
  }],
  ['a single-object generator with a schedule, a run on deploy, events and alarms', (app: App) => {
    const stack = new Stack(app, 'Operated');
    new SyntheticDataGenerator(stack, 'Generator', {
      schema: Schema.fromColumns([Column.sequence('id')]),
      schedule: SALES_SCHEDULE,
      runOnDeploy: true,
      completionEvents: true,
      alarmAction: new actions.SnsAction(new sns.Topic(stack, 'Alerts', { enforceSSL: true })),
    });
  }],
  ['a given bucket and role, custom prefix and seed', (app: App) => {
    const stack = new Stack(app, 'GivenBucketAndRole');
    new SyntheticDataGenerator(stack, 'Generator', {
      schema: Schema.fromColumns([Column.sequence('id'), Column.faker('city', 'location.city')]),
      bucket: s3.Bucket.fromBucketName(stack, 'Landing', 'my-landing-bucket'),
      role: new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }),
      keyPrefix: 'landing/',
      seed: 1,
    });
  }],
])('cfn-lint finds nothing in %s', (_name, build) => {
  const templates = synthesizeTemplates(build);
  expect(templates.length).toBeGreaterThan(0);
  for (const template of templates) {
    expect(cfnLint(template)).toEqual({ status: 0, output: '' });
  }
});

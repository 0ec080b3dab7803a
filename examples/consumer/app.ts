/**
 * A CDK app as a user of the npm package writes it: cdk-synthetic-data installed from its tarball beside the newest
 * aws-cdk-lib, synthesized by the aws-cdk CLI (`cdk synth`), and scanned with cdk-nag 2 and cdk-nag 3 as the README's
 * "Security scan" says. test/languages/consumer-app.check.ts installs it into a scratch folder and runs it; the two
 * cdk-nag majors are installed side by side under the aliases `cdk-nag-2` and `cdk-nag-3`.
 *
 * The stack is the example sales app's (examples/sales-app.ts): keep it in step.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as nag2 from 'cdk-nag-2';
import * as nag3 from 'cdk-nag-3';
import { Column, Schema, SyntheticDataGenerator } from 'cdk-synthetic-data';

const app = new App();
const stack = new Stack(app, 'SyntheticSalesData', { env: { account: '123456789012', region: 'us-east-1' } });
new SyntheticDataGenerator(stack, 'SalesData', {
  schema: Schema.fromColumns([
    Column.uuid('order_id'),
    Column.faker('customer', 'person.fullName'),
    Column.faker('email', 'internet.email'),
    Column.faker('product', 'commerce.productName'),
    Column.integer('quantity', { min: 1, max: 20 }),
    Column.decimal('unit_price', { min: 1, max: 500, fractionDigits: 2 }),
    Column.timestamp('order_date', { from: '2024-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z' }),
    Column.faker('region', 'location.state'),
  ]),
  datasetName: 'sales',
  rows: 10_000,
});

// cdk-nag 2: its packs are Aspects, run during `cdk synth`; they read the acknowledgements the construct writes into
// each resource's `cdk_nag` CloudFormation metadata. Every finding, acknowledged or not, goes to a JSON report per pack
// in the cloud assembly (`<pack>-SyntheticSalesData-NagReport.json`); an unacknowledged error also fails the synth.
for (const pack of [new nag2.AwsSolutionsChecks({ reportFormats: [nag2.NagReportFormat.JSON] }),
  new nag2.ServerlessChecks({ reportFormats: [nag2.NagReportFormat.JSON] })]) {
  Aspects.of(app).add(pack);
}

// cdk-nag 3: validation plugins, called directly on the built app (see the README); they read the construct metadata
// `aws:cdk:acknowledged-rules`. The findings left open go to cdk-nag-3.json in the cloud assembly.
function nag3Violations(scanned: App) {
  return [new nag3.AwsSolutionsChecks(scanned), new nag3.ServerlessChecks(scanned)].flatMap((pack) => {
    const report = pack.validateScope(scanned);
    return report.success ? [] : report.violations;
  });
}
const violations = nag3Violations(app);

// So that no violations means nothing open rather than nothing checked: the same packs on a bare queue (no
// dead-letter queue, no TLS-only policy) must find something.
const canary = new App();
new sqs.Queue(new Stack(canary, 'Canary'), 'Queue');
const canaryViolations = nag3Violations(canary).length;

fs.mkdirSync(app.outdir, { recursive: true });
fs.writeFileSync(path.join(app.outdir, 'cdk-nag-3.json'), JSON.stringify({ violations, canaryViolations }, undefined, 2));

// The Node.js runtimes this aws-cdk-lib knows, for the check that the construct defaults to the newest of them.
const nodeRuntimes = Object.values(lambda.Runtime)
  .filter((value): value is lambda.Runtime => value instanceof lambda.Runtime && value.family === lambda.RuntimeFamily.NODEJS)
  .map((runtime) => runtime.name)
  .filter((name) => /^nodejs\d+\.x$/.test(name));
fs.writeFileSync(path.join(app.outdir, 'node-runtimes.json'), JSON.stringify(nodeRuntimes));

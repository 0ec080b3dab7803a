/**
 * One moto server and one synth of the sales app per test run, shared by the cloud suites: the cloud layer's jest
 * global setup (cloud-global-setup.ts) starts the server and synthesizes the app in each format the suites deploy, and
 * hands them to every worker through one environment variable. Each suite deploys stacks of its own names into the
 * shared server, so suites never see each other's resources. The suites of the local cloud itself (local-cloud.test.ts,
 * python-tools.test.ts) start their own: they read the server's log, which only the process that started it holds.
 *
 * This module must not load aws-cdk-lib: a suite that only deploys the shared assemblies then never pays for it.
 */
import type { AwsCredentials, LocalClientConfig, LocalCloud } from '../../local-cloud';
import { describeOutputFormat, type OutputFormatDocument } from '../../src/contract/output-format';

/** The environment variable that carries the shared server and assemblies from the global setup to the workers. */
export const SHARED_CLOUD_ENV = 'SYNTHETIC_DATA_TEST_CLOUD';

/** The sales app's formats synthesized once per run: the default (CSV) and the two the fault suites also deploy. */
export const SHARED_SALES_OUTPUTS: readonly OutputFormatDocument[] = [
  { format: 'csv', compression: 'none' },
  { format: 'jsonl', compression: 'gzip' },
  { format: 'parquet', compression: 'zstd' },
];

export interface SharedCloudRecord {
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  readonly adminCredentials: AwsCredentials;
  /** The sales app's stack name in its assemblies. */
  readonly salesStackName: string;
  /** The sales app's assembly directory by describeOutputFormat() of its output. */
  readonly salesAssemblies: Readonly<Record<string, string>>;
}

function record(): SharedCloudRecord {
  const text = process.env[SHARED_CLOUD_ENV];
  if (text === undefined) {
    throw new Error(`${SHARED_CLOUD_ENV} is not set: the cloud suites run in the jest project "cloud", whose global setup `
      + '(test/support/cloud-global-setup.ts) starts the shared moto server; run them with `npx jest --selectProjects cloud` or `npm test`');
  }
  return JSON.parse(text) as SharedCloudRecord;
}

/** The run's moto server. Its stop() does nothing: the global teardown stops the server when every suite is done. */
export function sharedCloud(): LocalCloud {
  const shared = record();
  const clientConfig = (credentials: AwsCredentials = shared.adminCredentials): LocalClientConfig => (
    { endpoint: shared.endpoint, region: shared.region, credentials, forcePathStyle: true });
  return {
    endpoint: shared.endpoint,
    port: shared.port,
    region: shared.region,
    accountId: shared.accountId,
    adminCredentials: shared.adminCredentials,
    clientConfig,
    logTail: () => '(the shared moto server\'s output is printed by the jest global setup when it fails)',
    stop: async () => undefined,
  };
}

/** The sales app as synthesized once for this run, writing `output` (default CSV): its assembly and stack name. */
export function sharedSalesApp(output: OutputFormatDocument = SHARED_SALES_OUTPUTS[0]): { assemblyDir: string; stack: string } {
  const shared = record();
  const assemblyDir = shared.salesAssemblies[describeOutputFormat(output)];
  if (assemblyDir === undefined) {
    throw new Error(`the sales app is not synthesized for ${describeOutputFormat(output)} in this run: add it to SHARED_SALES_OUTPUTS`);
  }
  return { assemblyDir, stack: shared.salesStackName };
}

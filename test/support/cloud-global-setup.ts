/**
 * The cloud layer's global setup: one moto server and the sales app synthesized once, for every cloud suite of the
 * run (shared-cloud.ts). Runs in jest's own process, before any worker starts; the teardown stops the server.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SHARED_CLOUD_ENV, SHARED_SALES_OUTPUTS, type SharedCloudRecord } from './shared-cloud';
import { synthesizeSalesApp } from '../../examples/sales-app';
import { startMotoServer, type LocalCloud } from '../../local-cloud';
import { describeOutputFormat } from '../../src/contract/output-format';

interface SharedCloudState {
  readonly cloud: LocalCloud;
  readonly scratch: string;
}

const STATE = Symbol.for('cdk-synthetic-data.shared-cloud');

export default async function startSharedCloud(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-cloud-'));
  const apps = SHARED_SALES_OUTPUTS.map((output) => ({
    output, ...synthesizeSalesApp({ outdir: path.join(scratch, describeOutputFormat(output).replace(/\W+/g, '-')), output }),
  }));
  const cloud = await startMotoServer();
  (globalThis as Record<symbol, SharedCloudState>)[STATE] = { cloud, scratch };
  const shared: SharedCloudRecord = {
    endpoint: cloud.endpoint,
    port: cloud.port,
    region: cloud.region,
    accountId: cloud.accountId,
    adminCredentials: cloud.adminCredentials,
    salesStackName: apps[0].stackName,
    salesAssemblies: Object.fromEntries(apps.map((app) => [describeOutputFormat(app.output), app.assemblyDir])),
  };
  // Workers start after the global setup and inherit this process's environment.
  process.env[SHARED_CLOUD_ENV] = JSON.stringify(shared);
}

export async function stopSharedCloud(): Promise<void> {
  const state = (globalThis as Record<symbol, SharedCloudState | undefined>)[STATE];
  if (state === undefined) return;
  await state.cloud.stop();
  fs.rmSync(state.scratch, { recursive: true, force: true });
}

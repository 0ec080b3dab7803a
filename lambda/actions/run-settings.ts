/**
 * The fingerprint of the settings a sharded run was planned with: every later step checks it against its own, so parts
 * made under two deployments never form one dataset.
 */
import { InvalidInputError } from '../../src/contract/errors';
import type { GeneratorConfig } from '../config';
import { runSettingsSha256 } from '../run-manifest';

export function settingsOf(config: GeneratorConfig): string {
  return runSettingsSha256({ ...config, parts: config.plan?.length ?? 1 });
}

export function requireSettingsOfPlan(config: GeneratorConfig, planned: string): void {
  if (planned !== settingsOf(config)) {
    throw new InvalidInputError('the function\'s settings (schema, output format, rows, shards, seed, key prefix, dataset or generator version) changed since '
      + 'this run was planned, probably by a deployment during the run: parts made under both would not form one dataset. '
      + 'Start the run again, under a new run id if any part was already written');
  }
}

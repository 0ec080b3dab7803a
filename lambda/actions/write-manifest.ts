/** The last step of a sharded run: the run's manifest (every part with its SHA-256), then _SUCCESS. */
import { manifestKey, runFolder, successKey, type PartRecord } from '../../src/contract/runs';
import { logger, since, type Invocation } from '../invocation';
import { writeSmallObject } from '../pipeline';
import type { ManifestResult } from '../results';
import { buildRunManifest } from '../run-manifest';
import { seedOfRun } from '../seed-choice';

export async function writeManifest(invocation: Invocation, runId: string, parts: readonly PartRecord[]): Promise<ManifestResult> {
  const { config } = invocation;
  const { bucket, keyPrefix, datasetName, schema, outputFormat } = config;
  const seed = seedOfRun(config, runId).seed;
  const manifest = buildRunManifest({ runId, bucket, keyPrefix, datasetName, seed, schema, dataset: config.dataset, output: outputFormat, parts });
  const keys = { manifestKey: manifestKey(keyPrefix, datasetName, runId), successKey: successKey(keyPrefix, datasetName, runId) };
  logger.info('start', { step: 'start', action: 'writeManifest', runId, bucket, ...keys, parts: parts.length, rows: manifest.rows });
  // The manifest first, _SUCCESS last: a reader that sees _SUCCESS finds the manifest and every part.
  const manifestWrite = await writeSmallObject(invocation, keys.manifestKey, `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');
  await writeSmallObject(invocation, keys.successKey, '', 'text/plain');
  const result: ManifestResult = {
    status: 'Success',
    bucket,
    runId,
    ...keys,
    prefix: runFolder(keyPrefix, datasetName, runId),
    parts: parts.length,
    rows: manifest.rows,
    bytes: manifest.bytes,
    seed,
    ...(manifestWrite.alreadyExisted ? { alreadyExisted: true as const } : {}),
  };
  logger.info('done', { step: 'done', action: 'writeManifest', durationMs: since(invocation.startedAt), ...result });
  return result;
}

/** A dataset of related tables in one invocation: every table into an object of its own folder, then the dataset's manifest. */
import { InvalidInputError } from '../../src/contract/errors';
import { fileExtension } from '../../src/contract/output-format';
import { datasetManifestKey, tableObjectKey, type InvocationOverrides } from '../../src/contract/settings';
import { announceReady, singleObjectOf } from '../announcements';
import { buildDatasetManifest, datasetManifestText } from '../dataset-manifest';
import type { ConformanceCheck } from '../engine/conformance';
import { logger, since, type Invocation } from '../invocation';
import { writeDataObject, writeSmallObject } from '../pipeline';
import { datasetResultOf, type DatasetResult } from '../results';
import { nameSingleObject } from '../scheduled';
import { seedOfInvocation } from '../seed-choice';

/** Makes every table of the dataset, in the order declared, each into an object of its own folder. */
export async function writeDataset(invocation: Invocation, event: unknown, overrides: InvocationOverrides): Promise<DatasetResult> {
  const { config, context } = invocation;
  const dataset = config.dataset!;
  if (config.plan) {
    throw new InvalidInputError(`this function makes its dataset of ${dataset.tables.length} tables as a sharded run of ${config.plan.length} parts: `
      + 'start its state machine');
  }
  const name = nameSingleObject(event, context.awsRequestId);
  const object = singleObjectOf(config, name.runId, context.awsRequestId);
  invocation.progress.singleObject = object;
  if (overrides.rows !== undefined) {
    throw new InvalidInputError(`event.rows is ${overrides.rows}, but this function makes a dataset of tables, each with its own rows `
      + `(${dataset.tables.map((table) => `${table.name} ${table.rows}`).join(', ')}): set them in the construct's prop tables; an event may give a seed`);
  }
  const { seed, seedSource } = seedOfInvocation(overrides, config, name);
  const tables: Array<DatasetResult['tables'][number]> = [];
  let checks = { checks: 0, failed: 0 };
  const reports: ConformanceCheck[] = [];
  for (const table of dataset.tables) {
    // The tables before are garbage now (their compiled columns, their writer's part buffers): collected before this one
    // allocates its own, the allocator reuses their memory rather than growing, and the peak stays that of one table
    // (Lambda's Node.js runtime starts node with --expose-gc; without it, this does nothing).
    (globalThis as { gc?: () => void }).gc?.();
    // Named after the invocation (its request id, or a schedule's slot): a retry or a second firing finds its objects.
    const key = tableObjectKey(config.keyPrefix, config.datasetName, table.name, name.runId, fileExtension(config.outputFormat));
    const written = await writeDataObject(invocation, {
      key,
      run: { schema: table, output: config.outputFormat, seed, rowCount: table.rows, dataset: { document: dataset, table: table.name } },
      seedSource,
      logFields: { table: table.name },
      onConformance: (report) => reports.push(...report),
    });
    tables.push({
      name: table.name,
      key,
      rows: written.rows,
      bytes: written.bytes,
      sha256: written.sha256,
      ...(written.alreadyExisted ? { alreadyExisted: true as const } : {}),
    });
    checks = { checks: checks.checks + written.conformance.checks, failed: checks.failed + written.conformance.failed };
  }
  const datasetManifest = datasetManifestKey(config.keyPrefix, config.datasetName, name.runId);
  const result = datasetResultOf({ bucket: config.bucket, seed, tables, conformance: checks, manifestKey: datasetManifest }, dataset);
  const manifest = buildDatasetManifest({
    requestId: context.awsRequestId,
    bucket: config.bucket,
    datasetName: config.datasetName,
    seed,
    output: config.outputFormat,
    dataset,
    tables,
    conformance: reports,
  });
  await writeSmallObject(invocation, datasetManifest, datasetManifestText(manifest), 'application/json');
  logger.info('dataset written', { step: 'datasetDone', durationMs: since(invocation.startedAt), ...result });
  await announceReady(object, {
    keys: result.tables.map((table) => table.key), rows: result.rows, bytes: result.bytes, seed: result.seed, manifestKey: result.manifestKey,
  });
  return result;
}

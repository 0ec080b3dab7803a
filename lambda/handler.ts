/**
 * The SyntheticDataGenerator function: one invocation makes one object of synthetic rows in the bucket (CSV, JSON
 * Lines or Parquet), or one step of a sharded run (plan, one part, the manifest) for the construct's state machine.
 *
 * event → the engine's chunks in the output format (on worker threads when the function has the vCPUs) → object writer
 * (a bounded spool under the temp dir, uploaded part by part) → S3, once per request id. Generation and
 * every S3 request stop at the invocation's deadline, leaving time to clean up and explain. Nothing is kept between
 * invocations except the parsed configuration and the SDK clients.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { loadConfig, type GeneratorConfig } from './config';
import { buildDatasetManifest } from './dataset-manifest';
import { startDeadline, type Deadline } from './deadline';
import { estimateObjectBytes, generateObject, workersForMemory, type ObjectRun } from './engine';
import { summarize, type ConformanceCheck, type ConformanceSummary } from './engine/conformance';
import { announceObjectFailed, announceObjectReady, type SingleObject } from './events';
import {
  DeadlineError, diskSpace, explainAccessDenied, explainDeadline, ExplainedError, explainFullTempDir, explainS3Unavailable,
  explainTempDirTooSmall, explainUnwritableTempDir, FULL_CODES, lookUpCallerIdentity, UNWRITABLE_CODES,
} from './explain-errors';
import { publishMetrics, recordFailure, recordObject, startMetrics } from './metrics';
import {
  ObjectWriteError, openObjectWriter, partsInFlightForMemory, type ObjectWriter, type ObjectWriterOptions, type WriteOutcome,
} from './object-writer';
import { buildRunManifest, runSettingsSha256 } from './run-manifest';
import { S3_MAX_ATTEMPTS, createS3Client } from './s3-client';
import { attemptsOf, errorName, httpStatusOf, isAccessDenied, isS3Unavailable } from './s3-errors';
import { nameSingleObject, type ObjectName } from './scheduled';
import { seedFromRunId } from './seed';
import { removeLeftoverSpoolFiles, SpoolSpaceError } from './spool';
import { foreignKeysOf, type ForeignKey } from '../src/contract/dataset-document';
import { ENV, LOG_SERVICE_NAME } from '../src/contract/environment';
import { contentTypeOf, describeOutputFormat, fileExtension } from '../src/contract/output-format';
import {
  manifestKey, partKey, runFolder, successKey, validateRunEvent, type PartRecord, type RunEvent, type ShardDescriptor,
} from '../src/contract/runs';
import { InvalidInputError } from '../src/contract/schema-document';
import { datasetManifestKey, DEFAULTS, objectKey, tableObjectKey, validateInvocationEvent, type InvocationOverrides } from '../src/contract/settings';

// Built once per execution environment and reused by warm invocations.
const logger = new Logger({ serviceName: LOG_SERVICE_NAME });
const s3 = createS3Client();
// Only used to name the identity in an AccessDenied explanation: one quick attempt, never a retry storm.
const sts = new STSClient({ maxAttempts: 1 });

/** What a test event may contain (anything else in it is ignored), or a step of a sharded run (see src/contract/runs.ts). */
export type GeneratorEvent = InvocationOverrides | RunEvent;

export interface GeneratorResult {
  readonly status: 'Success';
  readonly bucket: string;
  readonly key: string;
  readonly rows: number;
  /** Size of the object this invocation made. */
  readonly bytes: number;
  /** SHA-256 of the object's bytes, in lowercase hex. */
  readonly sha256: string;
  /** The seed used: invoke again with {"rows": rows, "seed": seed} for the same file. */
  readonly seed: number;
  /** Present when an earlier attempt of this request had already written the object (left unchanged). */
  readonly alreadyExisted?: true;
  /** The spec-conformance checks of the object (each in the `written` log record): how many, and how many failed. */
  readonly conformance: ConformanceSummary;
}

/** The answer of a function that makes a dataset of tables: one object per table, in the table's folder. */
export interface DatasetResult {
  readonly status: 'Success';
  readonly bucket: string;
  /** Rows and bytes of every table's object, added up. */
  readonly rows: number;
  readonly bytes: number;
  readonly seed: number;
  readonly tables: ReadonlyArray<{
    readonly name: string;
    readonly key: string;
    readonly rows: number;
    readonly bytes: number;
    readonly sha256: string;
    readonly alreadyExisted?: true;
  }>;
  /** Every foreign key (child table and column → parent table and column), to check integrity from the files alone. */
  readonly foreignKeys: readonly ForeignKey[];
  /** The spec-conformance checks of every table. */
  readonly conformance: ConformanceSummary;
  /** The dataset's manifest: every table's object with its SHA-256, the foreign keys and every conformance check. */
  readonly manifestKey: string;
}

/** The answer to `planRun`: what the state machine maps over. */
export interface RunPlanResult {
  readonly runId: string;
  /** Fingerprint of the settings planned with: every later step checks it against its own. */
  readonly settings: string;
  readonly seed: number;
  readonly rows: number;
  readonly parts: readonly ShardDescriptor[];
}

/** The answer to `writePart`: the part's record, as the manifest will list it. */
export interface PartResult extends GeneratorResult, Omit<PartRecord, 'conformance'> {
  readonly runId: string;
}

/** The answer to `writeManifest`. */
export interface ManifestResult {
  readonly status: 'Success';
  readonly bucket: string;
  readonly runId: string;
  readonly manifestKey: string;
  readonly successKey: string;
  /** The run's folder, `<keyPrefix><datasetName>/<runId>/`. */
  readonly prefix: string;
  readonly parts: number;
  readonly rows: number;
  readonly bytes: number;
  readonly seed: number;
  /** Present when the manifest was already there (the run was started again): it was left unchanged. */
  readonly alreadyExisted?: true;
}

type Step = 'configure' | 'start' | 'write' | 'upload';

/** What a failure is explained with. */
interface Target {
  readonly bucket: string;
  readonly key: string;
  readonly keyPrefix: string;
  readonly tmpDir: string;
  readonly rows: number;
  readonly deadline: Deadline;
  /** Set for a step of a sharded run, whose fixes differ (more shards, start the run again). */
  readonly inRun?: true;
}

/** One invocation's surroundings, for the steps it runs. */
interface Invocation {
  readonly config: GeneratorConfig;
  readonly context: Context;
  readonly deadline: Deadline;
  readonly startedAt: number;
  /** A step of a sharded run (an event of the state machine), not a single object. */
  readonly inRun: boolean;
  /** The step a failure belongs to, and what it is explained with, as far as the invocation got. */
  progress: { step: Step; target?: Target };
}

// The answer's type follows the event's: a step of the state machine, or else one object.
export async function handler(event: { action: 'planRun'; [field: string]: unknown }, context: Context): Promise<RunPlanResult>;
export async function handler(event: { action: 'writePart'; [field: string]: unknown }, context: Context): Promise<PartResult>;
export async function handler(event: { action: 'writeManifest'; [field: string]: unknown }, context: Context): Promise<ManifestResult>;
export async function handler(event: unknown, context: Context): Promise<GeneratorResult | DatasetResult>;
export async function handler(
  event: unknown, context: Context,
): Promise<GeneratorResult | DatasetResult | RunPlanResult | PartResult | ManifestResult> {
  logger.addContext(context);
  const startedAt = performance.now();
  const deadline = startDeadline(context.getRemainingTimeInMillis());
  const progress: Invocation['progress'] = { step: 'configure' };
  startMetrics(process.env[ENV.DATASET_NAME] ?? '', context.awsRequestId);
  // A single object, once named: what its failure event is about.
  let single: SingleObject | undefined;
  try {
    // Everything that can be wrong with the configuration or the event is found before anything is written.
    const config = loadConfig();
    const inRun = isRunEvent(event);
    const invocation: Invocation = { config, context, deadline, startedAt, inRun, progress };
    if (inRun) {
      // Settings changed since the plan: say so, rather than how the event no longer fits the new plan.
      if (typeof event.settings === 'string') requireSettingsOfPlan(config, event.settings);
      const step = validateRunEvent(event, config.plan);
      switch (step.action) {
        case 'planRun': return planRun(invocation, step.runId);
        case 'writePart': return await writePart(invocation, step.runId, step.part);
        case 'writeManifest': return await writeManifest(invocation, step.runId, step.parts);
      }
    }
    const overrides = validateInvocationEvent(event, config.maxRows);
    if (config.dataset) {
      if (config.plan) {
        throw new InvalidInputError(`this function makes its dataset of ${config.dataset.tables.length} tables as a sharded run of ${config.plan.length} parts: `
          + 'start its state machine');
      }
      const name = nameSingleObject(event, context.awsRequestId);
      single = { ...config, output: config.outputFormat, runId: name.runId, requestId: context.awsRequestId };
      const made = await writeDataset(invocation, overrides, name);
      const ready = {
        keys: made.tables.map((table) => table.key), rows: made.rows, bytes: made.bytes, seed: made.seed, manifestKey: made.manifestKey,
      };
      if (await announceObjectReady(single, ready)) logger.info('published', { step: 'published', event: 'datasetReady', runId: name.runId });
      return made;
    }
    if (overrides.rows === undefined && config.plan && config.rows > config.maxRows) {
      throw new InvalidInputError(`this function makes its ${config.rows} rows as a sharded run of ${config.plan.length} parts: start its state machine, `
        + `or invoke it with {"rows": n} for one object of at most ${config.maxRows} rows`);
    }
    const rows = overrides.rows ?? config.rows;
    const name = nameSingleObject(event, context.awsRequestId);
    const seedSource = overrides.seed !== undefined ? 'event' : config.seed !== undefined ? 'environment' : name.seedSource;
    const seed = overrides.seed ?? config.seed ?? name.seed;
    const key = objectKey(config.keyPrefix, config.datasetName, name.runId, fileExtension(config.outputFormat));
    single = { ...config, output: config.outputFormat, runId: name.runId, requestId: context.awsRequestId };
    const run = { schema: config.schema, output: config.outputFormat, seed, rowCount: rows };
    const written = await writeDataObject(invocation, { key, run, seedSource });
    if (await announceObjectReady(single, { ...written, keys: [written.key] })) logger.info('published', { step: 'published', event: 'datasetReady', runId: name.runId });
    return written;
  } catch (e) {
    const explained = progress.target ? await explainFailure(e, progress.target) : e;
    logFailure(failedStepOf(progress.step, e), explained);
    recordFailure();
    if (single) await announceObjectFailed(single, explained).catch((error: unknown) => logger.warn('could not publish the failure event', { step: 'published', error: error as Error }));
    throw explained;
  } finally {
    deadline.dispose();
    publishMetrics();
  }
}

/** Makes every table of the dataset, in the order declared, each into an object of its own folder. */
async function writeDataset(invocation: Invocation, overrides: InvocationOverrides, name: ObjectName): Promise<DatasetResult> {
  const { config, context } = invocation;
  const dataset = config.dataset!;
  if (overrides.rows !== undefined) {
    throw new InvalidInputError(`event.rows is ${overrides.rows}, but this function makes a dataset of tables, each with its own rows `
      + `(${dataset.tables.map((table) => `${table.name} ${table.rows}`).join(', ')}): set them in the construct's prop tables; an event may give a seed`);
  }
  const seedSource = overrides.seed !== undefined ? 'event' : config.seed !== undefined ? 'environment' : name.seedSource;
  const seed = overrides.seed ?? config.seed ?? name.seed;
  const tables: Array<DatasetResult['tables'][number]> = [];
  let checks = { checks: 0, failed: 0 };
  const reports: ConformanceCheck[] = [];
  for (const table of dataset.tables) {
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
  const result: DatasetResult = {
    status: 'Success',
    bucket: config.bucket,
    rows: tables.reduce((sum, table) => sum + table.rows, 0),
    bytes: tables.reduce((sum, table) => sum + table.bytes, 0),
    seed,
    tables,
    foreignKeys: foreignKeysOf(dataset),
    conformance: checks,
    manifestKey: datasetManifest,
  };
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
  await writeSmallObject(invocation, datasetManifest, `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');
  logger.info('dataset written', { step: 'datasetDone', durationMs: since(invocation.startedAt), ...result });
  return result;
}

/** An event of the state machine names its step; a test event does not. */
function isRunEvent(event: unknown): event is Record<string, unknown> {
  return typeof event === 'object' && event !== null && !Array.isArray(event) && 'action' in event;
}

/** The seed of a run: the construct's, or else the run id's own, the same for every part and every start. */
function seedOfRun(config: GeneratorConfig, runId: string): { seed: number; seedSource: 'environment' | 'runId' } {
  return config.seed !== undefined ? { seed: config.seed, seedSource: 'environment' } : { seed: seedFromRunId(runId), seedSource: 'runId' };
}

function settingsOf(config: GeneratorConfig): string {
  return runSettingsSha256({ ...config, parts: config.plan?.length ?? 1 });
}

/** What a part of a run makes: rows of the single table, or of one table of the dataset. */
function partRun(config: GeneratorConfig, part: ShardDescriptor, seed: number): ObjectRun {
  const { dataset } = config;
  const table = dataset && part.table !== undefined ? dataset.tables.find((candidate) => candidate.name === part.table) : undefined;
  if (dataset && !table) throw new InvalidInputError(`part ${part.index} names table ${String(part.table)}, which the dataset does not have`);
  return {
    schema: table ?? config.schema,
    output: config.outputFormat,
    seed,
    firstRow: part.firstRow,
    rowCount: part.rows,
    // A part of a single table: the run's rows are the table's (a dataset's table knows its own).
    ...(table ? { dataset: { document: dataset!, table: table.name } } : { tableRows: config.rows }),
  };
}

function requireSettingsOfPlan(config: GeneratorConfig, planned: string): void {
  if (planned !== settingsOf(config)) {
    throw new InvalidInputError('the function\'s settings (schema, output format, rows, shards, seed, key prefix, dataset or generator version) changed since '
      + 'this run was planned, probably by a deployment during the run: parts made under both would not form one dataset. '
      + 'Start the run again, under a new run id if any part was already written');
  }
}

function planRun(invocation: Invocation, runId: string): RunPlanResult {
  const { config } = invocation;
  const plan = config.plan!;
  const { seed, seedSource } = seedOfRun(config, runId);
  const result = { runId, settings: settingsOf(config), seed, rows: config.rows, parts: plan };
  logger.info('planned', {
    step: 'planned',
    runId,
    seed,
    seedSource,
    rows: config.rows,
    parts: plan.length,
    rowsPerPart: plan[0].rows,
    folder: runFolder(config.keyPrefix, config.datasetName, runId),
  });
  return result;
}

async function writePart(invocation: Invocation, runId: string, part: ShardDescriptor): Promise<PartResult> {
  const { config } = invocation;
  const { seed, seedSource } = seedOfRun(config, runId);
  const key = partKey(config.keyPrefix, config.datasetName, runId, part.index, fileExtension(config.outputFormat), part.table);
  const written = await writeDataObject(invocation, {
    key,
    run: partRun(config, part, seed),
    seedSource,
    logFields: { runId, part: part.index, ...(part.table === undefined ? {} : { table: part.table }), firstRow: part.firstRow },
  });
  return { ...written, runId, index: part.index, ...(part.table === undefined ? {} : { table: part.table }), firstRow: part.firstRow };
}

async function writeManifest(invocation: Invocation, runId: string, parts: readonly PartRecord[]): Promise<ManifestResult> {
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

/** A writer of `key` in the function's bucket, spooling under the temp dir, stopped by the invocation's deadline. */
function openWriter(
  invocation: Invocation, key: string, options: Pick<ObjectWriterOptions, 'expectedBytes' | 'maxPartsInFlight' | 'contentType'>,
): ObjectWriter {
  const { config, context, deadline } = invocation;
  return openObjectWriter({
    s3,
    bucket: config.bucket,
    key,
    spoolDir: os.tmpdir(),
    requestId: context.awsRequestId,
    signal: deadline.signal,
    abortTimeoutMs: deadline.cleanupTimeoutMs,
    ...options,
    onCleanupProblem: ({ what, uploadId, file, error }) => {
      // The bucket's lifecycle rule removes an incomplete upload after a day; the next invocation, a spool file.
      logger.warn(`cleanup after a failure did not complete: ${what}`, { step: 'cleanup', uploadId, file, error: error as Error });
    },
  });
}

/** Writes a few bytes once (If-None-Match), with the same retries, deadline and explanations as the data objects. */
async function writeSmallObject(invocation: Invocation, key: string, text: string, contentType: string): Promise<WriteOutcome> {
  const { config, deadline, progress } = invocation;
  const body = Buffer.from(text);
  const tmpDir = os.tmpdir();
  progress.step = 'upload';
  progress.target = {
    bucket: config.bucket, key, keyPrefix: config.keyPrefix, tmpDir, rows: 0, deadline, ...(invocation.inRun ? { inRun: true as const } : {}),
  };
  const writer = openWriter(invocation, key, { expectedBytes: body.length, contentType });
  try {
    if (body.length > 0) await writer.write(body);
    const outcome = await writer.finish();
    logger.info(outcome.alreadyExisted ? 'already written by an earlier start of this run: the object was left unchanged' : 'uploaded', {
      step: outcome.alreadyExisted ? 'alreadyExisted' : 'uploaded', bucket: config.bucket, key, bytes: body.length,
    });
    return outcome;
  } catch (e) {
    await writer.abort(e);
    throw e;
  }
}

/** Makes one data object: the engine's chunks → the object writer, hashed on the way. */
async function writeDataObject(
  invocation: Invocation,
  object: {
    key: string;
    run: ObjectRun;
    seedSource: string;
    logFields?: Record<string, unknown>;
    /** Told the object's conformance checks once it is made. */
    onConformance?: (checks: readonly ConformanceCheck[]) => void;
  },
): Promise<GeneratorResult> {
  const { config, deadline, startedAt, progress } = invocation;
  const { key, run, seedSource } = object;
  const rows = run.rowCount;
  const columns = run.schema.columns.map((column) => column.name);
  // Lambda sets the function's memory size; without it (a test), assume the construct's default.
  const memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? DEFAULTS.memorySizeMb);
  const workers = workersForMemory(memoryMb, os.availableParallelism());

  progress.step = 'start';
  const tmpDir = os.tmpdir();
  progress.target = {
    bucket: config.bucket, key, keyPrefix: config.keyPrefix, tmpDir, rows, deadline, ...(invocation.inRun ? { inRun: true as const } : {}),
  };
  const leftovers = removeLeftoverSpoolFiles(tmpDir);
  if (leftovers.failed.length > 0) {
    logger.warn('could not remove some leftover files of earlier invocations', { step: 'start', tmpDir, failed: leftovers.failed });
  }
  logger.info('start', {
    step: 'start',
    ...object.logFields,
    rows,
    seed: run.seed,
    seedSource,
    bucket: config.bucket,
    key,
    format: describeOutputFormat(config.outputFormat),
    columns,
    tmpDir,
    leftoverFilesRemoved: leftovers.removed.length,
    timeBudgetMs: deadline.budgetMs,
    workers,
    // A seed nobody chose is the one thing a user cannot know: say how to make the same file again.
    ...(seedSource === 'requestId' ? { reproduceWith: { rows, seed: run.seed } } : {}),
  });

  progress.step = 'write';
  const writeStartedAt = performance.now();
  const writer = openWriter(invocation, key, {
    maxPartsInFlight: partsInFlightForMemory(memoryMb),
    // A small file needs only its own size in /tmp, not a whole part's.
    expectedBytes: await estimateObjectBytes(run),
    contentType: contentTypeOf(config.outputFormat),
  });
  try {
    let firstByteMs: number | undefined;
    // The manifest lists each part's SHA-256: computed from the bytes as they go, never read back.
    const hash = createHash('sha256');
    const sink = {
      // The writer has appended a chunk to its spool file by the time write() resolves.
      copiesChunks: true,
      write: (chunk: Uint8Array) => {
        firstByteMs ??= since(startedAt);
        hash.update(chunk);
        return writer.write(chunk);
      },
    };
    // Worker threads run this same bundled file (a function's code is one file); under a test runner
    // the source is TypeScript, which a worker cannot load, so rows stay on this thread there.
    const workerScript = __filename.endsWith('.js') ? __filename : undefined;
    const report = await generateObject(run, sink, { workers, workerScript, signal: deadline.signal });
    const sha256 = hash.digest('hex');
    logger.info('written', {
      step: 'written',
      ...object.logFields,
      rows: report.rows,
      bytes: report.bytes,
      ...(report.uncompressedBytes !== report.bytes ? { uncompressedBytes: report.uncompressedBytes } : {}),
      sha256,
      durationMs: since(writeStartedAt),
      spoolDir: tmpDir,
      workers: report.workers,
      firstByteMs,
      compileMs: report.compileMs,
      generatingMs: report.generateMs,
      writingMs: report.sinkWaitMs,
      columns: report.columns,
      conformance: { ...summarize(report.conformance), checks: report.conformance },
    });

    progress.step = 'upload';
    const uploadStartedAt = performance.now();
    const outcome = await writer.finish();
    const conformance = summarize(report.conformance);
    object.onConformance?.(report.conformance);
    if (conformance.failed > 0) {
      logger.warn(`${conformance.failed} of ${conformance.checks} conformance checks failed: the data does not keep its spec`, {
        step: 'conformance', key, failed: report.conformance.filter((check: ConformanceCheck) => !check.pass),
      });
    }
    const base = { status: 'Success', bucket: config.bucket, key, rows: report.rows, bytes: report.bytes, sha256, seed: run.seed, conformance } as const;
    let result: GeneratorResult;
    if (outcome.alreadyExisted) {
      logger.info('already written by an earlier attempt: the object was left unchanged', {
        step: 'alreadyExisted', bucket: config.bucket, key, durationMs: since(uploadStartedAt),
      });
      result = { ...base, alreadyExisted: true };
    } else {
      logger.info('uploaded', {
        step: 'uploaded',
        bucket: config.bucket,
        key,
        bytes: outcome.bytes,
        parts: outcome.parts,
        durationMs: since(uploadStartedAt),
        waitedForUploadsMs: outcome.waitedForUploadsMs,
        ...(outcome.completedByLostAttempt ? { completedByLostAttempt: true } : {}),
      });
      result = base;
    }
    recordObject({ rows: result.rows, bytes: result.bytes, durationMs: since(writeStartedAt), alreadyExisted: result.alreadyExisted === true });
    logger.info('done', { step: 'done', ...object.logFields, durationMs: since(startedAt), ...result });
    return result;
  } catch (e) {
    // The engine stops at the deadline too (between chunks, or waiting on a worker thread): report it as
    // the writer reports its own cancellation, with how far the object got.
    const failure = !(e instanceof ObjectWriteError) && deadline.signal.aborted && e === deadline.signal.reason
      ? new ObjectWriteError('cancelled', writer.progress(), undefined, e) : e;
    await writer.abort(failure);
    throw failure;
  }
}

function since(start: number): number {
  return Math.round(performance.now() - start);
}

/** The step a failure belongs to: a failed S3 request is the upload's, whenever it happened. */
function failedStepOf(step: Step, error: unknown): Step {
  if (!(error instanceof ObjectWriteError)) return step;
  return error.stage === 'spool' ? 'write' : error.stage === 'cancelled' ? step : 'upload';
}

/** The S3 request an error is about, as a user would look for it in the logs (`UploadPart 2`). */
function requestOf(error: ObjectWriteError): string | undefined {
  switch (error.stage) {
    case 'spool':
    case 'cancelled':
      return undefined;
    case 'uploadPart':
      return `UploadPart ${error.partNumber}`;
    default:
      return error.stage.charAt(0).toUpperCase() + error.stage.slice(1);
  }
}

/** Turns a failure the user can act on into an explanation; passes anything else through. */
async function explainFailure(error: unknown, target: Target): Promise<unknown> {
  const { bucket, key, tmpDir, deadline } = target;
  if (error instanceof SpoolSpaceError) {
    return new ExplainedError(explainTempDirTooSmall({
      tmpDir, freeBytes: error.freeBytes, totalBytes: error.totalBytes, neededBytes: error.neededBytes,
    }), { cause: error });
  }
  if (!(error instanceof ObjectWriteError)) return error;
  // The deadline first: once it fired, every request in flight failed because of it.
  if (deadline.signal.aborted) {
    return new DeadlineError(explainDeadline({
      bucket,
      key,
      rowsRequested: target.rows,
      remainingAtStartMs: deadline.remainingAtStartMs,
      reserveMs: deadline.reserveMs,
      budgetMs: deadline.budgetMs,
      progress: error.progress,
      waitingOn: requestOf(error),
      inRun: target.inRun,
    }), { cause: error });
  }
  const cause = error.cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (error.stage === 'spool' && code !== undefined) {
    if (FULL_CODES.has(code)) {
      return new ExplainedError(explainFullTempDir({
        filePath: error.spoolFile ?? tmpDir, tmpDir, bytesWritten: error.progress.bytesWritten, rowsRequested: target.rows, space: diskSpace(tmpDir),
      }), { cause: error });
    }
    if (UNWRITABLE_CODES.has(code) && error.progress.bytesWritten === 0) {
      return new ExplainedError(explainUnwritableTempDir({
        filePath: error.spoolFile ?? tmpDir, tmpDir, code, errorMessage: (cause as Error).message,
      }), { cause: error });
    }
    return error;
  }
  const request = requestOf(error);
  if (request === undefined) return error;
  if (isAccessDenied(cause)) {
    return new ExplainedError(explainAccessDenied({
      bucket,
      key,
      keyPrefix: target.keyPrefix,
      multipart: error.progress.multipart,
      identity: await lookUpCallerIdentity(sts),
      errorMessage: (cause as Error).message,
    }), { cause: error });
  }
  if (isS3Unavailable(cause)) {
    return new ExplainedError(explainS3Unavailable({
      bucket,
      key,
      request,
      attempts: attemptsOf(cause),
      maxAttempts: S3_MAX_ATTEMPTS,
      errorName: errorName(cause),
      httpStatus: httpStatusOf(cause),
      errorMessage: (cause as Error).message,
      inRun: target.inRun,
    }), { cause: error });
  }
  return error;
}

function logFailure(step: Step, error: unknown): void {
  if (error instanceof ExplainedError) {
    const { problem, input, fix } = error.explanation;
    logger.error(problem, { step: 'failed', failedStep: step, problem, input, fix });
  } else if (error instanceof InvalidInputError) {
    logger.error(error.message, { step: 'failed', failedStep: step, problem: error.message });
  } else {
    logger.error(`${step} failed`, { step: 'failed', failedStep: step, error: error as Error });
  }
}

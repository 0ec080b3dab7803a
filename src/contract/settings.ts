/**
 * The generator's settings (row counts, seed, key layout) and their validation, shared by the construct
 * (props, at synth time) and the handler (environment and test event, at run time).
 * It imports only contract modules (a lint rule holds src/contract to that).
 */
import { describeValue, fail } from './errors';
import { MAX_ROWS_CEILING } from './limits';

export { MAX_ROWS_CEILING };

export const DEFAULTS = {
  rows: 1000,
  maxRows: 1_000_000,
  keyPrefix: 'synthetic-data/',
  datasetName: 'dataset',
  /** The function's memory: it also decides the engine's worker threads and the upload's parts in flight. */
  memorySizeMb: 1024,
} as const;

/** Seeds are unsigned 32-bit integers, the state faker's Mersenne Twister is seeded with. */
export const MAX_SEED = 4_294_967_295;

const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
// S3's safe characters, less the IAM wildcards * and ?: the prefix becomes the resource of the put permission.
const KEY_PREFIX_CHARS = /^[A-Za-z0-9!_.'()/=-]+$/;
const BUCKET_NAME = /^[A-Za-z0-9._-]{3,255}$/;
const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

export function validateMaxRows(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_ROWS_CEILING) {
    fail(where, value, `expected a whole number from 1 to ${MAX_ROWS_CEILING}`);
  }
  return value;
}

export function validateRowCount(where: string, value: unknown, maxRows: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    fail(where, value, `expected a positive whole number of rows, at most ${maxRows}`);
  }
  if (value > maxRows) fail(where, value, `above the maximum of ${maxRows} rows; ask for fewer rows or raise maxRows on the construct`);
  return value;
}

export function validateSeed(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_SEED) {
    fail(where, value, `expected a whole number from 0 to ${MAX_SEED}`);
  }
  return value;
}

/**
 * The key prefix is also the scope of the function's write permission (`<bucket>/<keyPrefix>*`), so it
 * must name one folder exactly: not empty (the whole bucket), ending in "/" ("data" would also cover
 * "database/"), and free of IAM wildcards.
 */
export function validateKeyPrefix(where: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') fail(where, value, 'expected a folder such as "synthetic-data/"');
  if (value.startsWith('/')) fail(where, value, 'a key prefix is relative to the bucket: remove the leading "/"');
  if (!value.endsWith('/')) {
    fail(where, value, `a key prefix is a folder and ends with "/" (as ${describeValue(`${value}/`)}): `
      + `without it the write permission would also cover keys such as ${describeValue(`${value}-other/`)}`);
  }
  if (value.split('/').some((segment) => segment === '..' || segment === '.')) {
    fail(where, value, 'a key prefix may not contain "." or ".." path segments');
  }
  if (value.includes('//')) fail(where, value, 'a key prefix may not contain empty path segments ("//")');
  if (value.length > 512 || !KEY_PREFIX_CHARS.test(value)) {
    fail(where, value, 'use at most 512 of these characters: letters, digits and ! - _ . \' ( ) / = (no * or ?, which IAM reads as wildcards)');
  }
  return value;
}

/**
 * The bucket's name, checked loosely: what any S3 bucket may be called, legacy us-east-1 names included
 * (capitals, "_", up to 255 characters), so that a name edited into the environment fails here, clearly,
 * rather than as an SDK error at upload.
 */
export function validateBucketName(where: string, value: unknown): string {
  if (typeof value !== 'string' || !BUCKET_NAME.test(value)) {
    fail(where, value, 'expected an S3 bucket name: 3 to 63 lowercase letters, digits, "." and "-" '
      + '(a bucket made in us-east-1 before 2018 may also hold capitals and "_", up to 255 characters)');
  }
  return value;
}

export function isDatasetName(value: unknown): value is string {
  return typeof value === 'string' && DATASET_NAME.test(value);
}

export function validateDatasetName(where: string, value: unknown): string {
  if (!isDatasetName(value)) {
    fail(where, value, 'expected 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  return value;
}

/**
 * The folder of every object of a dataset, `<keyPrefix><datasetName>/`: what its catalog table reads. Runs have a
 * folder of their own inside it (runs.ts).
 */
export function datasetFolder(keyPrefix: string, datasetName: string): string {
  return `${keyPrefix}${datasetName}/`;
}

/**
 * The object an invocation writes: one per request id, so a retried invocation finds its own object; in the
 * dataset's folder, and named with the extension of its format (`.csv`, `.jsonl.gz`, `.parquet`, ...).
 */
export function objectKey(keyPrefix: string, datasetName: string, requestId: string, extension: string): string {
  if (!REQUEST_ID.test(requestId)) fail('the request id', requestId, 'expected letters, digits and "-" (a Lambda request id)');
  return `${datasetFolder(keyPrefix, datasetName)}${datasetName}_${requestId}${extension}`;
}

/** The folder of one table of a dataset of tables: `<keyPrefix><datasetName>/<table>/`, what its catalog table reads. */
export function tableFolder(keyPrefix: string, datasetName: string, table: string): string {
  return `${datasetFolder(keyPrefix, datasetName)}${table}/`;
}

/** The object of one table that an invocation writes for a dataset of tables, in the table's folder. */
export function tableObjectKey(keyPrefix: string, datasetName: string, table: string, requestId: string, extension: string): string {
  if (!REQUEST_ID.test(requestId)) fail('the request id', requestId, 'expected letters, digits and "-" (a Lambda request id)');
  return `${tableFolder(keyPrefix, datasetName, table)}${table}_${requestId}${extension}`;
}

/**
 * The manifest of one invocation's dataset of tables, in the dataset's folder but outside every table's folder (and
 * hidden from Athena by its leading underscore).
 */
export function datasetManifestKey(keyPrefix: string, datasetName: string, requestId: string): string {
  if (!REQUEST_ID.test(requestId)) fail('the request id', requestId, 'expected letters, digits and "-" (a Lambda request id)');
  return `${datasetFolder(keyPrefix, datasetName)}_manifest_${requestId}.json`;
}

/** What a test event may change. Any other field of the event is ignored. */
export interface InvocationOverrides {
  readonly rows?: number;
  readonly seed?: number;
}

/** Reads `rows` and `seed` from a test event; rejects an event that is not an object, or bad values. */
export function validateInvocationEvent(event: unknown, maxRows: number): InvocationOverrides {
  if (event === undefined || event === null) return {};
  if (typeof event !== 'object' || Array.isArray(event)) {
    fail('the event', event, 'expected a JSON object such as {"rows": 1000, "seed": 42}, or {} for the defaults');
  }
  const record = event as Record<string, unknown>;
  const overrides: { rows?: number; seed?: number } = {};
  if (record.rows !== undefined) overrides.rows = validateRowCount('event.rows', record.rows, maxRows);
  if (record.seed !== undefined) overrides.seed = validateSeed('event.seed', record.seed);
  return overrides;
}

/** The Node.js major of a Lambda runtime name (`nodejs24.x` → 24); undefined for a runtime that is not Node.js. */
export function nodeMajorOfRuntime(runtime: string | undefined): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtime ?? '');
  return match ? Number(match[1]) : undefined;
}

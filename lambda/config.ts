/**
 * The function's configuration, read from the environment the SyntheticDataGenerator construct sets.
 *
 * Validated with the same code the construct runs at synth time (src/contract), because the environment
 * can also be edited in the console after deployment.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasZstd, zstdUnavailable } from './formats/zstd';
import type { SchemaDocument } from '../src/contract/column-documents';
import { parseDatasetDocument, type DatasetDocument } from '../src/contract/dataset-document';
import { datasetFileNamed, decodeDatasetEnvironment } from '../src/contract/dataset-environment';
import { ENV } from '../src/contract/environment';
import { InvalidInputError } from '../src/contract/errors';
import { parseOutputFormat, type OutputFormatDocument } from '../src/contract/output-format';
import { planShards, validateDatasetRun, validateRunRows, validateShards, type ShardDescriptor } from '../src/contract/runs';
import { parseSchemaDocument } from '../src/contract/schema-document';
import {
  validateBucketName, validateDatasetName, validateKeyPrefix, validateMaxRows, validateRowCount, validateSeed,
} from '../src/contract/settings';

export interface GeneratorConfig {
  /** The table's columns; for a dataset of tables (`dataset`), none: each table has its own. */
  readonly schema: SchemaDocument;
  /** A dataset of related tables (prop tables), each made into its own folder. */
  readonly dataset?: DatasetDocument;
  /** The file format of every object, and its compression. */
  readonly outputFormat: OutputFormatDocument;
  /** Rows made when the event does not say; in a sharded run, the rows of the whole run. */
  readonly rows: number;
  /** The most rows an event may ask for. */
  readonly maxRows: number;
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly datasetName: string;
  /** Fixed seed; undefined means a fresh seed per invocation (or per run id). */
  readonly seed?: number;
  /** The parts of a sharded run, when the construct added its state machine. */
  readonly plan?: readonly ShardDescriptor[];
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads a variable the construct always sets. Its absence means the function was not deployed by the
 * construct (or its environment was edited), so fail at once and say which variable.
 * An empty value counts as set: an empty key prefix is meaningful.
 */
export function requireEnv(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined) {
    throw new InvalidInputError(
      `environment variable ${name} is not set: this function should be deployed with the SyntheticDataGenerator construct, which sets it`,
    );
  }
  return value;
}

/** Parses a whole number from an environment variable, leaving the range check to the contract's validators. */
function numberFrom(text: string): unknown {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : text;
}

/** Reads and validates the whole configuration. Throws InvalidInputError naming the variable at fault. */
export function readConfig(env: Environment): GeneratorConfig {
  const where = (name: string) => `environment variable ${name}`;
  const tablesText = env[ENV.TABLES];
  if (tablesText !== undefined && tablesText.trim() !== '') return readDatasetConfig(env, tablesText);
  const schema = parseSchemaDocument(requireEnv(env, ENV.SCHEMA), where(ENV.SCHEMA));
  const { outputFormat, bucket, maxRows, keyPrefix, datasetName, seed } = readCommonSettings(env);
  const shardsText = env[ENV.SHARDS];
  const shards = shardsText === undefined || shardsText.trim() === ''
    ? undefined
    : validateShards(where(ENV.SHARDS), numberFrom(shardsText));
  const rows = shards === undefined
    ? validateRowCount(where(ENV.ROWS), numberFrom(requireEnv(env, ENV.ROWS)), maxRows)
    : validateRunRows(where(ENV.ROWS), numberFrom(requireEnv(env, ENV.ROWS)), shards, maxRows, schema);
  const plan = shards === undefined ? {} : { plan: planShards(rows, shards) };
  return { schema, outputFormat, rows, maxRows, bucket, keyPrefix, datasetName, seed, ...plan };
}

/** The settings every function has, of one table or of a dataset of tables. */
function readCommonSettings(env: Environment) {
  const where = (name: string) => `environment variable ${name}`;
  const outputFormat = parseOutputFormat(requireEnv(env, ENV.OUTPUT_FORMAT), where(ENV.OUTPUT_FORMAT));
  // Found before anything is written, and never retried: this runtime would fail the same way every time.
  if (outputFormat.compression === 'zstd' && !hasZstd()) {
    throw new InvalidInputError(`${where(ENV.OUTPUT_FORMAT)} asks for zstd: ${zstdUnavailable().message}`);
  }
  const bucket = validateBucketName(where(ENV.BUCKET_NAME), requireEnv(env, ENV.BUCKET_NAME));
  const maxRows = validateMaxRows(where(ENV.MAX_ROWS), numberFrom(requireEnv(env, ENV.MAX_ROWS)));
  const keyPrefix = validateKeyPrefix(where(ENV.KEY_PREFIX), requireEnv(env, ENV.KEY_PREFIX));
  const datasetName = validateDatasetName(where(ENV.DATASET_NAME), requireEnv(env, ENV.DATASET_NAME));
  const seedText = env[ENV.SEED];
  const seed = seedText === undefined || seedText.trim() === ''
    ? undefined
    : validateSeed(where(ENV.SEED), numberFrom(seedText));
  return { outputFormat, bucket, maxRows, keyPrefix, datasetName, seed };
}

/** The dataset's JSON: in the variable, or in the function's code in the file the variable names (checked against its hash). */
function datasetJson(env: Environment, value: string, where: string): string {
  const file = datasetFileNamed(value, where);
  if (file === undefined) return decodeDatasetEnvironment(value, where);
  // The code's directory: Lambda's task root, or the bundle's own (the same directory in Lambda).
  const filePath = path.join(env.LAMBDA_TASK_ROOT ?? __dirname, file.fileName);
  let json: string;
  try {
    json = fs.readFileSync(filePath, 'utf8');
  } catch (e) {
    throw new InvalidInputError(`${where} names ${file.fileName}, which the function's code does not hold (${(e as Error).message}): `
      + 'the environment and the code come from different deployments; deploy the construct again');
  }
  if (createHash('sha256').update(json).digest('hex') !== file.sha256) {
    throw new InvalidInputError(`${filePath} does not have the SHA-256 its name gives: the function's code was changed after deployment; `
      + 'deploy the construct again');
  }
  return json;
}

/**
 * A dataset of tables: every table is made by each invocation (each at most maxRows rows), or with SHARDS by a run
 * whose parts are shared among the tables.
 */
function readDatasetConfig(env: Environment, tablesText: string): GeneratorConfig {
  const where = `environment variable ${ENV.TABLES}`;
  const common = readCommonSettings(env);
  const shardsText = env[ENV.SHARDS];
  const shards = shardsText === undefined || shardsText.trim() === '' ? undefined : validateShards(`environment variable ${ENV.SHARDS}`, numberFrom(shardsText));
  // A run's tables may be larger than one invocation makes: its parts are checked instead.
  const rowLimit = shards === undefined ? common.maxRows : Number.MAX_SAFE_INTEGER;
  const dataset = parseDatasetDocument(datasetJson(env, tablesText, where), where, (at, rows) => validateRowCount(at, rows, rowLimit));
  const rows = dataset.tables.reduce((sum, table) => sum + table.rows, 0);
  const plan = shards === undefined ? {} : { plan: validateDatasetRun(where, dataset, shards, common.maxRows) };
  return { ...common, schema: { columns: [] }, dataset, rows, ...plan };
}

const CONFIG_VARIABLES = Object.values(ENV);
let cached: { source: string; config: GeneratorConfig } | undefined;

/**
 * The configuration, parsed on first use and reused by warm invocations. The cache is keyed by the raw
 * values, so a changed environment (as in tests) is read afresh instead of served stale.
 */
export function loadConfig(env: Environment = process.env): GeneratorConfig {
  const source = JSON.stringify(CONFIG_VARIABLES.map((name) => env[name] ?? null));
  if (cached?.source !== source) cached = { source, config: readConfig(env) };
  return cached.config;
}

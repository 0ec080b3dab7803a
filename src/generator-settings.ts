/**
 * From props to settings: every default chosen and every prop checked, before any resource is made. Pure (it makes no
 * construct), so each resolution and each refusal can be tested without a synth. Values that are CDK tokens are
 * accepted as they are, unless the setting must be known at synth time; the error then says so.
 */
import { Duration, Size, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { catalogName, isCatalogName } from './contract/catalog';
import { validateDatasetDocument, withKeyTypes, type DatasetDocument } from './contract/dataset-document';
import { describeOutputFormat, ZSTD_MIN_NODE, type OutputFormatDocument } from './contract/output-format';
import { validateDatasetRun, validateRunRows, validateShards } from './contract/runs';
import { OLDEST_NODE_MAJOR } from './contract/runtime';
import { validateScheduleExpression } from './contract/schedule-expression';
import { parseSchemaDocument } from './contract/schema-document';
import {
  datasetFolder, DEFAULTS, nodeMajorOfRuntime, tableFolder, validateDatasetName, validateKeyPrefix, validateMaxRows, validateRowCount, validateSeed,
} from './contract/settings';
import { DEFAULT_RUNTIME, handlerEnvironment, type FunctionSettings } from './function-code';
import { OutputFormat } from './output-format';
import type { CatalogTablesProps, CatalogTableSpec } from './parts/catalog-tables';
import { PropErrors } from './prop-errors';
import type { SyntheticDataGeneratorProps } from './synthetic-data-generator-props';

/**
 * Below this memory a Parquet object of a million rows or more can pass the function's memory: at 128 MB the whole
 * function peaked at 120 to 129 MB writing 1 and 10 million rows of the 8-column sales table, by codec (npm run bench).
 */
const PARQUET_MIN_MEMORY_MB = 256;

/** Parts of a sharded run written at the same time, unless prop shardConcurrency says otherwise. */
const DEFAULT_SHARD_CONCURRENCY = 100;
/** Step Functions' bound on a Distributed Map's concurrency. */
const MAX_SHARD_CONCURRENCY = 10_000;

/** Lambda's bounds on the asynchronous invocation settings. */
const MAX_RETRY_ATTEMPTS = 2;
const MIN_EVENT_AGE_SECONDS = 60;
const MAX_EVENT_AGE_SECONDS = 6 * 60 * 60;

/** Where the generator is in its app: what its errors and its default names are made of. */
export interface GeneratorSite {
  /** The generator's construct path, named by every error. */
  readonly path: string;
  /** The name of the Glue database the construct creates unless prop catalogDatabaseName is given. */
  readonly defaultDatabaseName: string;
}

/** A sharded run (prop shards): its parts, and how many are written at the same time. */
export interface ShardedRunSettings {
  readonly shards: number;
  readonly concurrency: number;
}

/** The Glue database and tables of the dataset (unless prop catalogTable is false), all but the bucket they read. */
export type CatalogSettings = Omit<CatalogTablesProps, 'bucket'>;

/** A warning for the app's author: a setting that works but is likely to fail at run time. */
export interface SettingsWarning {
  readonly id: string;
  readonly message: string;
}

/** Everything the construct is made of, resolved from its props. */
export interface GeneratorSettings extends FunctionSettings {
  readonly keyPrefix: string;
  readonly datasetName: string;
  /** `outputFormat` in the contract's form. */
  readonly output: OutputFormatDocument;
  /** The dataset of related tables (prop tables), validated as one; none for prop schema. */
  readonly dataset?: DatasetDocument;
  /** Of the function's log group and, with a sharded run, of the state machine's. */
  readonly logRetention: logs.RetentionDays;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  readonly shardedRun?: ShardedRunSettings;
  readonly catalog?: CatalogSettings;
  readonly warnings: readonly SettingsWarning[];
}

/** The generator's settings, or the error of the first prop that is wrong. */
export function resolveSettings(props: SyntheticDataGeneratorProps, site: GeneratorSite): GeneratorSettings {
  const errors = new PropErrors(site.path);
  const maxRows = props.maxRows ?? DEFAULTS.maxRows;
  const maxRowsKnown = !Token.isUnresolved(maxRows);
  if (maxRowsKnown) errors.check(() => validateMaxRows('prop maxRows', maxRows));
  const shardedRun = resolveShardedRun(props, errors);
  const shards = shardedRun?.shards;
  const dataset = resolveDataset(props, errors, maxRowsKnown ? maxRows : undefined, shards);
  const rows = props.rows ?? DEFAULTS.rows;
  if (Token.isUnresolved(rows)) {
    if (shards !== undefined) throw errors.refuse('prop rows is a CDK token: with shards, rows must be known at synth time');
  } else if (shards === undefined) {
    errors.check(() => validateRowCount('prop rows', rows, maxRowsKnown ? maxRows : Number.MAX_SAFE_INTEGER));
  } else if (dataset === undefined) {
    if (!maxRowsKnown) throw errors.refuse('prop maxRows is a CDK token: with shards, maxRows must be known at synth time');
    errors.check(() => validateRunRows('prop rows', rows, shards, maxRows, parseSchemaDocument(props.schema!.toJson(), 'prop schema')));
  }
  if (props.seed !== undefined && !Token.isUnresolved(props.seed)) errors.check(() => validateSeed('prop seed', props.seed));
  const runtime = props.runtime ?? DEFAULT_RUNTIME;
  const nodeMajor = nodeMajorOfRuntime(runtime.name);
  if (runtime.family !== lambda.RuntimeFamily.NODEJS || nodeMajor === undefined || nodeMajor < OLDEST_NODE_MAJOR) {
    throw errors.refuse(`prop runtime is ${runtime.name}: the handler is JavaScript built for `
      + `Node.js; use a Node.js runtime from nodejs${OLDEST_NODE_MAJOR}.x on (default ${DEFAULT_RUNTIME.name})`);
  }
  const schedule = props.schedule;
  if (schedule && !Token.isUnresolved(schedule.expressionString)) {
    errors.check(() => validateScheduleExpression('prop schedule', schedule.expressionString, schedule.timeZone?.timezoneName));
  }
  const keyPrefix = props.keyPrefix ?? DEFAULTS.keyPrefix;
  if (!Token.isUnresolved(keyPrefix)) errors.check(() => validateKeyPrefix('prop keyPrefix', keyPrefix));
  const datasetName = props.datasetName ?? DEFAULTS.datasetName;
  if (!Token.isUnresolved(datasetName)) errors.check(() => validateDatasetName('prop datasetName', datasetName));
  const { retryAttempts, maxEventAge } = resolveAsyncInvoke(props, errors);
  if (props.bucket && props.accessLogsBucket) {
    throw errors.refuse(`prop accessLogsBucket is ${props.accessLogsBucket.node.path} while prop bucket `
      + `is given (${props.bucket.node.path}): the construct sets up server access logs only for a bucket it creates; `
      + 'leave out accessLogsBucket and configure access logging on your own bucket');
  }

  const outputFormat = props.outputFormat ?? OutputFormat.csv();
  const output = outputFormat._toDocument();
  if (output.compression === 'zstd' && nodeMajor < ZSTD_MIN_NODE.major) {
    throw errors.refuse(`prop outputFormat is ${describeOutputFormat(output)} and prop runtime is `
      + `${runtime.name}: Zstandard comes with Node.js's zlib from Node.js ${ZSTD_MIN_NODE.major}.${ZSTD_MIN_NODE.minor}; use a runtime from `
      + `nodejs${ZSTD_MIN_NODE.major}.x on (default ${DEFAULT_RUNTIME.name}), or gzip`);
  }
  const catalog = props.catalogTable === false ? undefined : resolveCatalog(props, errors, site, { datasetName, keyPrefix, output, dataset });
  const memorySize = props.memorySize ?? DEFAULTS.memorySizeMb;
  const warnings: SettingsWarning[] = [];
  if (output.format === 'parquet' && !Token.isUnresolved(memorySize) && memorySize < PARQUET_MIN_MEMORY_MB) {
    warnings.push({
      id: 'cdk-synthetic-data:parquetMemory',
      message: `prop memorySize is ${memorySize} MB with Parquet output: `
        + 'the function can pass its memory writing objects of a million rows or more (at 128 MB it peaked at 120 to 129 MB); '
        + `use ${PARQUET_MIN_MEMORY_MB} MB or more, or write fewer rows per object`,
    });
  }

  const { environment, datasetFile } = handlerEnvironment({
    tableEnvironment: dataset === undefined ? { schemaJson: props.schema!.toJson(), rows } : { datasetJson: JSON.stringify(dataset) },
    outputJson: JSON.stringify(output),
    maxRows,
    keyPrefix,
    datasetName,
    seed: props.seed,
    shards,
  });
  if (props.bucket && !Token.isUnresolved(props.bucket.bucketName)) checkBucketName(props.bucket.bucketName, errors);
  if (props.completionEvents === false && props.eventBus) {
    throw errors.refuse('prop eventBus is given while prop completionEvents is false: '
      + 'the bus is where the completion events go; leave out eventBus, or set completionEvents to true');
  }
  return {
    keyPrefix,
    datasetName,
    outputFormat,
    output,
    dataset,
    runtime,
    architecture: props.architecture ?? lambda.Architecture.ARM_64,
    memorySize,
    timeout: props.timeout ?? Duration.minutes(5),
    ephemeralStorageSize: props.ephemeralStorageSize ?? Size.mebibytes(512),
    tracing: props.tracing ?? true,
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    retryAttempts,
    maxEventAge,
    shardedRun,
    catalog,
    environment,
    datasetFile,
    warnings,
  };
}

/** A literal bucket name S3 would refuse fails at synth, not at the first invocation. */
function checkBucketName(name: string, errors: PropErrors): void {
  try {
    s3.Bucket.validateBucketName(name);
  } catch (e) {
    throw errors.refuse(`prop bucket is named ${JSON.stringify(name)}, which S3 does not allow as a bucket `
      + `name (${(e as Error).message.replace(/\s+/g, ' ')}); pass the name of an existing bucket`);
  }
}

/**
 * Exactly one of props schema and tables; the tables validated as one dataset (references, rows).
 * @param shards the run's parts, already resolved (resolveShardedRun), when there is a run
 */
function resolveDataset(
  props: SyntheticDataGeneratorProps, errors: PropErrors, maxRows: number | undefined, shards: number | undefined,
): DatasetDocument | undefined {
  if (props.tables === undefined) {
    if (props.schema === undefined) throw errors.refuse('give prop schema (one table) or prop tables (a dataset of related tables)');
    const json = props.schema.toJson();
    if (!Token.isUnresolved(json)) errors.check(() => parseSchemaDocument(json, 'prop schema'));
    return undefined;
  }
  const conflicts = (['schema', 'rows', 'catalogTableName'] as const).filter((prop) => props[prop] !== undefined);
  if (conflicts.length > 0) {
    throw errors.refuse(`prop tables is set with ${conflicts.map((prop) => `prop ${prop}`).join(', ')}: each table has its own columns, rows `
      + 'and catalog table; remove them');
  }
  const tables = props.tables;
  return errors.check(() => {
    // In a sharded run a table may be larger than one invocation makes: its parts are checked instead.
    const rowLimit = shards === undefined && maxRows !== undefined ? maxRows : Number.MAX_SAFE_INTEGER;
    const dataset = validateDatasetDocument({ tables: tables.map((table) => table._toDocument()) }, 'prop tables',
      (at, rows) => validateRowCount(at, rows, rowLimit), 'prop tables');
    if (shards !== undefined) {
      if (maxRows === undefined) throw errors.refuse('prop maxRows is a CDK token: with shards, maxRows must be known at synth time');
      validateDatasetRun('prop tables with prop shards', dataset, shards, maxRows);
    }
    return dataset;
  });
}

/**
 * The catalog's settings, checked: names Athena accepts, and columns known at synth time. One table for prop schema,
 * over the dataset's folder; one per table for prop tables, each over its table's folder and named after it.
 */
function resolveCatalog(
  props: SyntheticDataGeneratorProps, errors: PropErrors, site: GeneratorSite,
  given: { datasetName: string; keyPrefix: string; output: OutputFormatDocument; dataset?: DatasetDocument },
): CatalogSettings {
  const { datasetName, keyPrefix, dataset } = given;
  const name = (prop: string, value: string | undefined, fallback: () => string): string => {
    if (value === undefined) return fallback();
    if (!Token.isUnresolved(value) && !isCatalogName(value)) {
      throw errors.refuse(`prop ${prop} is ${JSON.stringify(value)}: Glue and Athena names are 1 to 255 lower-case letters, `
        + `digits and "_" (such as ${JSON.stringify(catalogName(value) || 'synthetic_data')})`);
    }
    return value;
  };
  const database = {
    outputFormat: given.output,
    existingDatabaseName: props.catalogDatabaseName === undefined ? undefined : name('catalogDatabaseName', props.catalogDatabaseName, () => ''),
    databaseName: name('catalogDatabaseName', props.catalogDatabaseName, () => site.defaultDatabaseName),
  };
  if (dataset !== undefined) {
    if (Token.isUnresolved(keyPrefix) || Token.isUnresolved(datasetName)) {
      throw errors.refuse('props keyPrefix and datasetName must be known at synth time for the tables\' catalog, or set catalogTable: false');
    }
    const tables: CatalogTableSpec[] = dataset.tables.map((table) => ({
      id: `Table${table.name.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('')}`,
      tableName: table.name,
      folder: tableFolder(keyPrefix, datasetName, table.name),
      schema: withKeyTypes(dataset, table),
      description: `Table ${table.name} of synthetic dataset ${datasetName} (cdk-synthetic-data)`,
    }));
    return { ...database, tables };
  }
  const schemaJson = props.schema!.toJson();
  if (Token.isUnresolved(schemaJson)) {
    throw errors.refuse('prop schema is a CDK token, but the catalog table needs its columns at synth time: pass the schema itself, '
      + 'or set catalogTable: false');
  }
  if (props.catalogTableName === undefined && Token.isUnresolved(datasetName)) {
    throw errors.refuse('prop datasetName is a CDK token, so the catalog table cannot be named after it: set catalogTableName, '
      + 'or catalogTable: false');
  }
  const catalogTable: CatalogTableSpec = {
    id: 'Table',
    tableName: name('catalogTableName', props.catalogTableName, () => catalogName(datasetName)),
    folder: datasetFolder(keyPrefix, datasetName),
    schema: parseSchemaDocument(schemaJson, 'prop schema'),
    description: `Synthetic dataset ${datasetName} (cdk-synthetic-data)`,
  };
  return { ...database, tables: [catalogTable] };
}

/** The sharded run of prop shards (none without it), with its concurrency. */
function resolveShardedRun(props: SyntheticDataGeneratorProps, errors: PropErrors): ShardedRunSettings | undefined {
  if (props.shards === undefined) {
    if (props.shardConcurrency !== undefined) throw errors.refuse('prop shardConcurrency is set without prop shards: it bounds the parts of a sharded run; set shards too');
    return undefined;
  }
  if (Token.isUnresolved(props.shards) || Token.isUnresolved(props.shardConcurrency)) {
    throw errors.refuse('props shards and shardConcurrency must be known at synth time (the run\'s plan is fixed at deployment), not CDK tokens');
  }
  const shards = errors.check(() => validateShards('prop shards', props.shards));
  const concurrency = props.shardConcurrency ?? Math.min(shards, DEFAULT_SHARD_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_SHARD_CONCURRENCY) {
    throw errors.refuse(`prop shardConcurrency is ${concurrency}: expected a whole number from 1 to ${MAX_SHARD_CONCURRENCY} `
      + '(Step Functions\' bound on a Distributed Map)');
  }
  return { shards, concurrency };
}

/**
 * Lambda's asynchronous invocation settings. aws-cdk-lib's EventInvokeConfig checks them as numbers and rejects
 * tokens, so a token is refused here with the prop's name rather than there with an internal one.
 */
function resolveAsyncInvoke(props: SyntheticDataGeneratorProps, errors: PropErrors): { retryAttempts: number; maxEventAge: Duration } {
  const retryAttempts = props.retryAttempts ?? 2;
  const maxEventAge = props.maxEventAge ?? Duration.hours(1);
  for (const [prop, unresolved] of [['retryAttempts', Token.isUnresolved(retryAttempts)], ['maxEventAge', maxEventAge.isUnresolved()]] as const) {
    if (unresolved) throw errors.refuse(`prop ${prop} is a CDK token: Lambda's asynchronous invocation settings must be known at synth time`);
  }
  if (!(Number.isInteger(retryAttempts) && retryAttempts >= 0 && retryAttempts <= MAX_RETRY_ATTEMPTS)) {
    throw errors.refuse(`prop retryAttempts is ${retryAttempts}: expected 0, 1 or 2 (Lambda retries an asynchronous invocation at most twice)`);
  }
  const seconds = maxEventAge.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < MIN_EVENT_AGE_SECONDS || seconds > MAX_EVENT_AGE_SECONDS) {
    throw errors.refuse(`prop maxEventAge is ${seconds} seconds: expected whole seconds from ${MIN_EVENT_AGE_SECONDS} (1 minute) `
      + `to ${MAX_EVENT_AGE_SECONDS} (6 hours), Lambda's bounds for an asynchronous event`);
  }
  return { retryAttempts, maxEventAge };
}

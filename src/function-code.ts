/**
 * The generator function: its code (the handler bundle, with a large dataset's document beside it), its runtime, and
 * its environment (the settings the handler reads, src/contract/environment.ts), kept within Lambda's limit.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Token, type Duration, type Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { datasetFileOf, encodeDatasetEnvironment } from './contract/dataset-environment';
import { ENV, LAMBDA_ENVIRONMENT_LIMIT_BYTES } from './contract/environment';
import { DEFAULT_NODE_MAJOR, nodeRuntimeName } from './contract/runtime';
import { handlerBundleDirectory } from './handler-bundle';
import type { OutputFormat } from './output-format';
import type { PropErrors } from './prop-errors';

/**
 * Lambda's newest Node.js runtime (src/contract/runtime.ts), made by name: aws-cdk-lib 2.257.0, the oldest this library
 * supports, has no `Runtime.NODEJS_26_X`, and a runtime of the same name is the same to CloudFormation and to cdk-nag.
 */
export const DEFAULT_RUNTIME = new lambda.Runtime(nodeRuntimeName(DEFAULT_NODE_MAJOR), lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });

/** Which prop each environment variable comes from, to name the prop in errors. */
const ENV_PROP: Record<string, string> = {
  [ENV.SCHEMA]: 'prop schema (as JSON)',
  [ENV.TABLES]: 'prop tables (as JSON, compressed when large)',
  [ENV.KEY_PREFIX]: 'prop keyPrefix',
  [ENV.DATASET_NAME]: 'prop datasetName',
  [ENV.BUCKET_NAME]: 'the bucket name',
  [ENV.OUTPUT_FORMAT]: 'prop outputFormat',
};

/** What a bucket's name can take at most, for a name not known until deployment. */
const BUCKET_NAME_PLACEHOLDER = 'b'.repeat(63);

/**
 * The bytes an environment takes, as Lambda counts them (names and values). A token's value is unknown until
 * deployment: it counts as the longest it can be where that is known (a bucket name has at most 63 characters).
 */
function environmentBytes(environment: Record<string, string>): number {
  return Object.entries(environment).reduce((total, [name, value]) => {
    const valueBytes = !Token.isUnresolved(value) ? Buffer.byteLength(value) : name === ENV.BUCKET_NAME ? 63 : 0;
    return total + Buffer.byteLength(name) + valueBytes;
  }, 0);
}

/** A number for an environment variable: written out, or kept as a token that resolves at deployment. */
function numberAsString(value: number): string {
  return Token.isUnresolved(value) ? Token.asString(value) : String(value);
}

/** A dataset's document that goes into the function's code, as the file the environment names. */
export interface DatasetFile {
  readonly fileName: string;
  readonly json: string;
}

/** The function's environment, but the bucket's name (known once the bucket is), and the dataset's file if it needs one. */
export interface HandlerEnvironment {
  readonly environment: Record<string, string>;
  readonly datasetFile?: DatasetFile;
}

/** What the handler reads at run time: the table (or the dataset of tables), the format, the limits, the names. */
export function handlerEnvironment(given: {
  readonly tableEnvironment: { readonly schemaJson: string; readonly rows: number } | { readonly datasetJson: string };
  readonly outputJson: string;
  readonly maxRows: number;
  readonly keyPrefix: string;
  readonly datasetName: string;
  readonly seed?: number;
  readonly shards?: number;
}): HandlerEnvironment {
  const table = given.tableEnvironment;
  const environment: Record<string, string> = {
    ...'datasetJson' in table
      ? { [ENV.TABLES]: encodeDatasetEnvironment(table.datasetJson) }
      : { [ENV.SCHEMA]: table.schemaJson, [ENV.ROWS]: numberAsString(table.rows) },
    [ENV.OUTPUT_FORMAT]: given.outputJson,
    [ENV.MAX_ROWS]: numberAsString(given.maxRows),
    [ENV.KEY_PREFIX]: given.keyPrefix,
    [ENV.DATASET_NAME]: given.datasetName,
  };
  if (given.seed !== undefined) environment[ENV.SEED] = numberAsString(given.seed);
  if (given.shards !== undefined) environment[ENV.SHARDS] = String(given.shards);
  // A dataset too large for the environment even compressed goes into the function's code, named there by its hash.
  if ('datasetJson' in table && environmentBytes({ ...environment, [ENV.BUCKET_NAME]: BUCKET_NAME_PLACEHOLDER }) > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
    const file = datasetFileOf(table.datasetJson);
    environment[ENV.TABLES] = file.environmentValue;
    return { environment, datasetFile: { fileName: file.fileName, json: table.datasetJson } };
  }
  return { environment };
}

/** The environment as it is, once checked against Lambda's limit: above it, the error names the largest variables' props. */
function checkEnvironmentSize(errors: PropErrors, environment: Record<string, string>): Record<string, string> {
  const bytes = environmentBytes(environment);
  if (bytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
    const largest = Object.entries(environment)
      .filter(([, value]) => !Token.isUnresolved(value))
      .map(([name, value]) => ({ name, size: Buffer.byteLength(value) }))
      .sort((a, b) => b.size - a.size)
      .slice(0, 3)
      .map(({ name, size }) => `${ENV_PROP[name] ?? name} ${size} bytes`);
    throw errors.refuse(`the function's environment would be ${bytes} bytes, above Lambda's limit `
      + `of ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} (largest: ${largest.join(', ')}): use fewer columns or shorter oneOf value lists, `
      + 'or a shorter keyPrefix or datasetName');
  }
  return environment;
}

/**
 * The handler bundle with a dataset's document beside it, as the function's code: a folder made at synth time that
 * CDK stages as an asset of its own (its hash follows the document).
 */
function codeWithDataset(handlerBundle: string, file: DatasetFile): lambda.Code {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-synthetic-data-code-'));
  for (const name of fs.readdirSync(handlerBundle)) fs.copyFileSync(path.join(handlerBundle, name), path.join(dir, name));
  fs.writeFileSync(path.join(dir, file.fileName), file.json);
  return lambda.Code.fromAsset(dir);
}

/** The function's settings, resolved from the props (generator-settings.ts). */
export interface FunctionSettings extends HandlerEnvironment {
  readonly outputFormat: OutputFormat;
  readonly runtime: lambda.Runtime;
  readonly architecture: lambda.Architecture;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly ephemeralStorageSize: Size;
  readonly tracing: boolean;
}

/** The generator function, `Function` in `scope`, writing to the bucket named `bucketName`. */
export function createGeneratorFunction(scope: Construct, given: {
  readonly settings: FunctionSettings;
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly bucketName: string;
  readonly errors: PropErrors;
}): lambda.Function {
  const handlerBundle = handlerBundleDirectory();
  const { settings } = given;
  return new lambda.Function(scope, 'Function', {
    description: `Generates synthetic data into S3 as ${settings.outputFormat} (cdk-synthetic-data)`,
    runtime: settings.runtime,
    architecture: settings.architecture,
    handler: 'index.handler',
    code: settings.datasetFile ? codeWithDataset(handlerBundle, settings.datasetFile) : lambda.Code.fromAsset(handlerBundle),
    role: given.role,
    memorySize: settings.memorySize,
    timeout: settings.timeout,
    ephemeralStorageSize: settings.ephemeralStorageSize,
    logGroup: given.logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    tracing: settings.tracing ? lambda.Tracing.ACTIVE : undefined,
    environment: checkEnvironmentSize(given.errors, { ...settings.environment, [ENV.BUCKET_NAME]: given.bucketName }),
  });
}

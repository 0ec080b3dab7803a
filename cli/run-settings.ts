/**
 * What `generate` makes, from the command line: a schema or dataset file with the flags, or the settings a
 * SyntheticDataGenerator put into a synthesized app (read by the handler's own configuration reader, so they are
 * validated as the deployed function validates them). The result is the function's own configuration type.
 */
import * as fs from 'node:fs';
import { pickGenerator } from './cdk-out';
import { stringOption, UsageError, wholeNumberOption, type Values } from './command';
import { readConfig, type GeneratorConfig } from '../lambda/config';
import { hasZstd } from '../lambda/formats/zstd';
import { childrenReference, validateDatasetDocument, type DatasetDocument } from '../src/contract/dataset-document';
import { ENV } from '../src/contract/environment';
import { InvalidInputError } from '../src/contract/errors';
import { MAX_ROWS_CEILING } from '../src/contract/limits';
import { validateOutputFormat, type OutputFormatDocument } from '../src/contract/output-format';
import { parseSchemaDocument } from '../src/contract/schema-document';
import { DEFAULTS, MAX_SEED, validateDatasetName, validateKeyPrefix } from '../src/contract/settings';

const COMMAND = 'generate';
/** The bucket a manifest names when the command line does not give one (the files are local). */
export const LOCAL_BUCKET = 'local';

/** Reads a file the user named, or says which option named it and that it could not be read. */
export function readUserFile(file: string, option: string, command: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${option} ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): give the path of an existing file`, command);
  }
}

/** The dataset with `rows` for every table that declares its own; tables whose rows follow a parent's keep following it. */
export function withRows(dataset: DatasetDocument, rows: number, where: string): DatasetDocument {
  const tables = dataset.tables.map((table) => (childrenReference(table) === undefined
    ? { name: table.name, rows, columns: table.columns }
    : { name: table.name, columns: table.columns }));
  return validateDatasetDocument({ tables }, where);
}

function outputFormatOf(values: Values, fallback: OutputFormatDocument): OutputFormatDocument {
  const format = stringOption(values, 'format');
  const compression = stringOption(values, 'compression');
  if (format === undefined && compression === undefined) return fallback;
  const output = validateOutputFormat('--format and --compression', {
    format: format ?? fallback.format,
    ...(compression !== undefined ? { compression } : format === undefined ? { compression: fallback.compression } : {}),
  });
  if (output.compression === 'zstd' && !hasZstd()) {
    throw new InvalidInputError(`--compression zstd needs Node.js 22.15 or later (its zlib has Zstandard), and this is Node.js ${process.versions.node}: `
      + 'run the command line on a newer Node.js, or choose gzip (for Parquet also snappy or none)');
  }
  return output;
}

/** The configuration a `generate` command line asks for. */
export function generatorConfigOf(values: Values): GeneratorConfig {
  const sources = ['schema', 'dataset', 'cdk-out'].filter((name) => stringOption(values, name) !== undefined);
  if (sources.length !== 1) {
    throw new UsageError(sources.length === 0
      ? 'say what to generate: --schema FILE, --dataset FILE or --cdk-out DIR'
      : `give one of --schema, --dataset and --cdk-out, not ${sources.map((name) => `--${name}`).join(' and ')}`, COMMAND);
  }
  const rows = wholeNumberOption(values, 'rows', { min: 1, max: MAX_ROWS_CEILING }, COMMAND);
  const seed = wholeNumberOption(values, 'seed', { min: 0, max: MAX_SEED }, COMMAND);
  const base = sources[0] === 'cdk-out' ? configOfApp(values) : configOfFile(values, sources[0] as 'schema' | 'dataset');
  const outputFormat = outputFormatOf(values, base.outputFormat);
  const keyPrefix = stringOption(values, 'key-prefix');
  const datasetName = stringOption(values, 'dataset-name');
  const config: GeneratorConfig = {
    ...base,
    outputFormat,
    ...(seed !== undefined ? { seed } : {}),
    ...(keyPrefix !== undefined ? { keyPrefix: validateKeyPrefix('--key-prefix', keyPrefix) } : {}),
    ...(datasetName !== undefined ? { datasetName: validateDatasetName('--dataset-name', datasetName) } : {}),
    // On this machine there is no invocation to fit in: one object of every table, whatever the function's limit.
    maxRows: MAX_ROWS_CEILING,
    plan: undefined,
  };
  if (rows === undefined) return config;
  if (config.dataset === undefined) return { ...config, rows };
  const dataset = withRows(config.dataset, rows, `the dataset with --rows ${rows}`);
  return { ...config, dataset, rows: dataset.tables.reduce((sum, table) => sum + table.rows, 0) };
}

function configOfFile(values: Values, source: 'schema' | 'dataset'): GeneratorConfig {
  const file = stringOption(values, source)!;
  const text = readUserFile(file, `--${source}`, COMMAND);
  const common = {
    outputFormat: { format: 'csv', compression: 'none' } as OutputFormatDocument,
    maxRows: MAX_ROWS_CEILING,
    bucket: stringOption(values, 'bucket') ?? LOCAL_BUCKET,
    keyPrefix: DEFAULTS.keyPrefix,
    datasetName: DEFAULTS.datasetName,
  };
  if (source === 'schema') return { ...common, schema: parseSchemaDocument(text, file), rows: DEFAULTS.rows };
  const dataset = parseDatasetDocumentText(text, file);
  return { ...common, schema: { columns: [] }, dataset, rows: dataset.tables.reduce((sum, table) => sum + table.rows, 0) };
}

function parseDatasetDocumentText(text: string, where: string): DatasetDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError(`${where} is not valid JSON (${(e as Error).message.slice(0, 200)}): expected {"tables": [...]}`);
  }
  return validateDatasetDocument(raw, where);
}

function configOfApp(values: Values): GeneratorConfig {
  const generator = pickGenerator(stringOption(values, 'cdk-out')!, stringOption(values, 'construct'));
  const environment: Record<string, string | undefined> = {
    ...generator.environment,
    // The bucket's name is known only once deployed; the files are local anyway.
    [ENV.BUCKET_NAME]: stringOption(values, 'bucket') ?? LOCAL_BUCKET,
    LAMBDA_TASK_ROOT: generator.codeDir,
  };
  return readConfig(environment);
}

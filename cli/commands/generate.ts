/**
 * `generate`: every table of a schema, a dataset or a synthesized app's generator into a local folder, in the layout,
 * format, compression and bytes the function writes to its bucket for the same seed, rows and settings (one invocation:
 * an object per table, and a dataset's manifest with its conformance report).
 */
import * as os from 'node:os';
import { buildDatasetManifest, datasetManifestText } from '../../lambda/dataset-manifest';
import { overlapForCpus, type ObjectRun } from '../../lambda/driver';
import { summarize, type ConformanceCheck } from '../../lambda/engine/conformance';
import { datasetResultOf, type GeneratorResult } from '../../lambda/results';
import { nameSingleObject } from '../../lambda/scheduled';
import { seedOfInvocation } from '../../lambda/seed-choice';
import { fileExtension } from '../../src/contract/output-format';
import { datasetManifestKey, objectKey, tableObjectKey } from '../../src/contract/settings';
import { EXIT, PROGRAM, requireOption, stringOption, UsageError, wholeNumberOption, type Command, type Values } from '../command';
import { writeLocalDataObject, writeLocalTextObject, type LocalObject } from '../local-objects';
import { generatorConfigOf } from '../run-settings';

const NAME = 'generate';
/** The request id the objects are named after unless --run-id says (a Lambda request id in the function). */
export const LOCAL_RUN_ID = 'local';

export const generateCommand: Command = {
  name: NAME,
  summary: 'make every table of a schema, a dataset or your synthesized app into a local folder, as the function writes them to S3',
  help: `Usage: ${PROGRAM} generate (--schema FILE | --dataset FILE | --cdk-out DIR [--construct PATH]) --out DIR [options]

Makes the objects the deployed function would write to its bucket, into the folder --out, at the same keys and
with the same bytes for the same seed, rows and settings: one object per table, and for a dataset its manifest
(_manifest_<run id>.json: every table's rows, bytes and SHA-256, the foreign keys and the conformance report).
The result is printed on standard output as JSON, as the function returns it; a progress line goes to standard
error for long runs.

What to make (one of):
  --schema FILE        a schema in its JSON form (Schema.fromFile's)
  --dataset FILE       a dataset of related tables in its JSON form ({"tables": [...]})
  --cdk-out DIR        the cdk.out folder of your synthesized app (run \`cdk synth\` first): the settings of its
                       SyntheticDataGenerator (schema or tables, format, compression, rows, seed, key prefix, name)
  --construct PATH     with --cdk-out, which generator when the app has several (a part of its construct path)

Options:
  --out DIR            the folder to write into (required); objects go to DIR/<key prefix><dataset name>/...
  --rows N             rows of the table; of a dataset, of every table that declares its rows (tables whose rows
                       follow their parent's keep following it). Default: the file's or the app's (a schema: 1000)
  --seed S             0 to 4294967295. Default: the app's seed, else the one the function derives from the run id
  --format F           csv, jsonl or parquet (default: the app's, else csv)
  --compression C      none, gzip, zstd, or for parquet snappy (default: the app's, else none)
  --run-id ID          what the objects are named after, as the function names them after its request id
                       (default "${LOCAL_RUN_ID}"); give the request id of an invocation to remake its objects
  --key-prefix P       default: the app's, else "synthetic-data/"
  --dataset-name N     default: the app's, else "dataset"
  --bucket NAME        the bucket a dataset's manifest names (default: "local")
  --workers W          worker threads (default 1)
  --quiet              no progress line
  -h, --help           this help

Exit codes: 0 written, 1 the schema, dataset or app settings are invalid (the message says where), 2 usage.`,
  options: {
    'schema': { type: 'string' },
    'dataset': { type: 'string' },
    'cdk-out': { type: 'string' },
    'construct': { type: 'string' },
    'out': { type: 'string' },
    'rows': { type: 'string' },
    'seed': { type: 'string' },
    'format': { type: 'string' },
    'compression': { type: 'string' },
    'run-id': { type: 'string' },
    'key-prefix': { type: 'string' },
    'dataset-name': { type: 'string' },
    'bucket': { type: 'string' },
    'workers': { type: 'string' },
    'quiet': { type: 'boolean' },
  },
  positionals: 0,
  run: runGenerate,
};

async function runGenerate(values: Values): Promise<number> {
  const outDir = requireOption(values, 'out', 'DIR (the folder to write into)', NAME);
  if (stringOption(values, 'construct') !== undefined && stringOption(values, 'cdk-out') === undefined) {
    throw new UsageError('--construct names a generator of --cdk-out DIR: give --cdk-out too', NAME);
  }
  const workers = wholeNumberOption(values, 'workers', { min: 1, max: Math.max(1, os.availableParallelism() * 4) }, NAME) ?? 1;
  const config = generatorConfigOf(values);
  const runId = stringOption(values, 'run-id') ?? LOCAL_RUN_ID;
  const name = nameSingleObject({}, runId);
  const { seed } = seedOfInvocation({}, config, name);
  const extension = fileExtension(config.outputFormat);
  const write = {
    workers,
    // Worker threads run this same file when it is the bundle (a .js); from TypeScript sources (tests) rows stay on this thread.
    workerScript: __filename.endsWith('.js') ? __filename : undefined,
    // A second CPU compresses Parquet pages while this thread makes rows (with --workers 1).
    overlapCompression: overlapForCpus(os.availableParallelism()),
    progress: values.quiet !== true,
  };
  const warnOnFailures = (key: string, checks: readonly ConformanceCheck[]) => {
    const failed = checks.filter((check) => !check.pass);
    if (failed.length > 0) {
      process.stderr.write(`warning: ${failed.length} of ${checks.length} conformance checks of ${key} failed: the data does not keep its spec `
        + `(${failed.map((check) => `${check.column} ${check.check}`).join(', ')})\n`);
    }
  };

  if (config.dataset === undefined) {
    const key = objectKey(config.keyPrefix, config.datasetName, runId, extension);
    const run: ObjectRun = { schema: config.schema, output: config.outputFormat, seed, rowCount: config.rows };
    const made = await writeLocalDataObject(outDir, key, run, { ...write, label: key });
    warnOnFailures(key, made.report.conformance);
    const result: GeneratorResult & { readonly outDir: string } = {
      status: 'Success',
      bucket: config.bucket,
      key,
      rows: made.rows,
      bytes: made.bytes,
      sha256: made.sha256,
      seed,
      conformance: summarize(made.report.conformance),
      outDir,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.ok;
  }

  const dataset = config.dataset;
  const made: LocalObject[] = [];
  const checks: ConformanceCheck[] = [];
  for (const table of dataset.tables) {
    const key = tableObjectKey(config.keyPrefix, config.datasetName, table.name, runId, extension);
    const run: ObjectRun = {
      schema: table, output: config.outputFormat, seed, rowCount: table.rows, dataset: { document: dataset, table: table.name },
    };
    const object = await writeLocalDataObject(outDir, key, run, { ...write, label: table.name });
    warnOnFailures(key, object.report.conformance);
    made.push(object);
    checks.push(...object.report.conformance);
  }
  const tables = made.map((object, t) => ({
    name: dataset.tables[t].name, key: object.key, rows: object.rows, bytes: object.bytes, sha256: object.sha256,
  }));
  const manifestKey = datasetManifestKey(config.keyPrefix, config.datasetName, runId);
  const manifest = buildDatasetManifest({
    requestId: runId, bucket: config.bucket, datasetName: config.datasetName, seed, output: config.outputFormat, dataset, tables, conformance: checks,
  });
  writeLocalTextObject(outDir, manifestKey, datasetManifestText(manifest));
  const result = {
    ...datasetResultOf({ bucket: config.bucket, seed, tables, conformance: summarize(checks), manifestKey }, dataset),
    outDir,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return EXIT.ok;
}

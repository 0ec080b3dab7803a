/**
 * The manifest of a sharded run (`_manifest.json`): what was made, how to make it again, and how to check it.
 * Deterministic: the same run id and settings give the same bytes, so a rerun finds it unchanged.
 */
import { createHash } from 'node:crypto';
import { version as fakerVersion } from '@faker-js/faker/package.json';
import { OUTPUT_FORMAT } from './engine';
import { version as packageVersion } from '../package.json';
import { fileExtension, type OutputFormatDocument } from '../src/contract/output-format';
import { partKey, type PartRecord } from '../src/contract/runs';
import type { SchemaDocument } from '../src/contract/schema-document';

/** Names this document's layout; a reader can refuse a layout it does not know. */
export const MANIFEST_FORMAT = 'cdk-synthetic-data/run-manifest@2';

export interface RunManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly runId: string;
  readonly bucket: string;
  readonly dataset: string;
  /** Rows of the whole run: the parts' rows added up. */
  readonly rows: number;
  readonly bytes: number;
  readonly seed: number;
  /** The parts' file format and compression (CSV parts are .csv, .csv.gz or .csv.zst; Parquet parts .parquet, ...). */
  readonly output: OutputFormatDocument;
  /**
   * CSV: every part starts with the header line, and the rows that follow it, concatenated in part order, are the
   * dataset. Other formats have no header: their parts' rows, in part order, are the dataset.
   */
  readonly headerInEveryPart: boolean;
  /** SHA-256 of `schema` as JSON: equal hashes, equal schemas. */
  readonly schemaSha256: string;
  readonly schema: SchemaDocument;
  readonly generator: {
    readonly name: 'cdk-synthetic-data';
    readonly version: string;
    /** Changes only when the bytes a seed makes change: equal formats, seeds and schemas make equal parts. */
    readonly outputFormat: number;
    readonly fakerVersion: string;
  };
  readonly parts: ReadonlyArray<PartRecord & { readonly key: string }>;
}

export function schemaSha256(schema: SchemaDocument): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/**
 * Fingerprint of everything that decides a run's bytes and objects. planRun hands it to every later step, which
 * refuses to go on under other settings (a deployment during the run): its parts would not form one dataset.
 */
export function runSettingsSha256(settings: {
  schema: SchemaDocument; outputFormat: OutputFormatDocument; rows: number; parts: number; seed?: number; keyPrefix: string; datasetName: string;
}): string {
  const decisive = {
    schema: settings.schema,
    output: settings.outputFormat,
    rows: settings.rows,
    parts: settings.parts,
    seed: settings.seed ?? null,
    keyPrefix: settings.keyPrefix,
    datasetName: settings.datasetName,
    outputFormat: OUTPUT_FORMAT,
    fakerVersion,
  };
  return createHash('sha256').update(JSON.stringify(decisive)).digest('hex');
}

export function buildRunManifest(run: {
  runId: string;
  bucket: string;
  keyPrefix: string;
  datasetName: string;
  seed: number;
  schema: SchemaDocument;
  output: OutputFormatDocument;
  parts: readonly PartRecord[];
}): RunManifest {
  return {
    format: MANIFEST_FORMAT,
    runId: run.runId,
    bucket: run.bucket,
    dataset: run.datasetName,
    rows: run.parts.reduce((sum, part) => sum + part.rows, 0),
    bytes: run.parts.reduce((sum, part) => sum + part.bytes, 0),
    seed: run.seed,
    output: run.output,
    headerInEveryPart: run.output.format === 'csv',
    schemaSha256: schemaSha256(run.schema),
    schema: run.schema,
    generator: { name: 'cdk-synthetic-data', version: packageVersion, outputFormat: OUTPUT_FORMAT, fakerVersion },
    parts: run.parts.map((part) => ({
      index: part.index,
      key: partKey(run.keyPrefix, run.datasetName, run.runId, part.index, fileExtension(run.output)),
      firstRow: part.firstRow,
      rows: part.rows,
      bytes: part.bytes,
      sha256: part.sha256,
    })),
  };
}

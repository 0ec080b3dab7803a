/**
 * The manifest of a sharded run (`_manifest.json`): what was made, how to make it again, and how to check it.
 * Deterministic: the same run id and settings give the same bytes, so a rerun finds it unchanged.
 */
import { createHash } from 'node:crypto';
import { version as fakerVersion } from '@faker-js/faker/package.json';
import { OUTPUT_BYTES_VERSION } from './driver';
import { version as packageVersion } from '../package.json';
import type { SchemaDocument } from '../src/contract/column-documents';
import { foreignKeysOf, type DatasetDocument, type ForeignKey } from '../src/contract/dataset-document';
import { fileExtension, type OutputFormatDocument } from '../src/contract/output-format';
import { partKey, type PartRecord } from '../src/contract/runs';
import { tableFolder } from '../src/contract/settings';

/**
 * Names this document's layout; a reader can refuse a layout it does not know. @3 added each part's conformance
 * summary and, for a dataset of tables, the tables, their foreign keys and each part's table.
 */
export const MANIFEST_FORMAT = 'cdk-synthetic-data/run-manifest@3';

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
  /** SHA-256 of `schema` (of a dataset of tables: `definition`) as JSON: equal hashes, equal schemas. */
  readonly schemaSha256: string;
  /** The single table's columns (none for a dataset of tables: see `definition`). */
  readonly schema: SchemaDocument;
  /** A dataset of tables: every table's rows, folder and parts, in order. */
  readonly tables?: ReadonlyArray<{ readonly name: string; readonly rows: number; readonly folder: string; readonly parts: number }>;
  /** A dataset of tables: every foreign key (child table and column → parent table and column), to check from the files alone. */
  readonly foreignKeys?: readonly ForeignKey[];
  /** A dataset of tables as it was made: every table's columns and rows. */
  readonly definition?: DatasetDocument;
  /** The conformance checks of every part, added up; each part's own are in its record and its written log record. */
  readonly conformance: { readonly checks: number; readonly failed: number; readonly partsFailing: readonly number[] };
  readonly generator: GeneratorStamp;
  readonly parts: ReadonlyArray<PartRecord & { readonly key: string }>;
}

/** What made a manifest's objects: every manifest (of a run, or of a dataset made by one invocation) carries it. */
export interface GeneratorStamp {
  readonly name: 'cdk-synthetic-data';
  readonly version: string;
  /**
   * The output-bytes version (OUTPUT_BYTES_VERSION): changes only when the bytes a seed makes change, so equal formats,
   * seeds and schemas make equal parts. The field keeps its first name so manifests and run fingerprints written by
   * earlier versions stay comparable.
   */
  readonly outputFormat: number;
  readonly fakerVersion: string;
}

export const GENERATOR_STAMP: GeneratorStamp = { name: 'cdk-synthetic-data', version: packageVersion, outputFormat: OUTPUT_BYTES_VERSION, fakerVersion };

/** SHA-256 of a schema (or of a dataset of tables) as JSON: equal hashes, equal documents. */
export function schemaSha256(schema: SchemaDocument | DatasetDocument): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/**
 * Fingerprint of everything that decides a run's bytes and objects. planRun hands it to every later step, which
 * refuses to go on under other settings (a deployment during the run): its parts would not form one dataset.
 */
export function runSettingsSha256(settings: {
  schema: SchemaDocument;
  dataset?: DatasetDocument;
  outputFormat: OutputFormatDocument;
  rows: number;
  parts: number;
  seed?: number;
  keyPrefix: string;
  datasetName: string;
}): string {
  const decisive = {
    schema: settings.schema,
    // Absent for a single table, so its fingerprint is what it was before datasets of tables.
    dataset: settings.dataset,
    output: settings.outputFormat,
    rows: settings.rows,
    parts: settings.parts,
    seed: settings.seed ?? null,
    keyPrefix: settings.keyPrefix,
    datasetName: settings.datasetName,
    outputFormat: OUTPUT_BYTES_VERSION,
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
  dataset?: DatasetDocument;
  output: OutputFormatDocument;
  parts: readonly PartRecord[];
}): RunManifest {
  const { dataset } = run;
  const tables = dataset === undefined ? {} : {
    tables: dataset.tables.map((table) => ({
      name: table.name,
      rows: table.rows,
      folder: tableFolder(run.keyPrefix, run.datasetName, table.name),
      parts: run.parts.filter((part) => part.table === table.name).length,
    })),
    foreignKeys: foreignKeysOf(dataset),
    definition: dataset,
  };
  const checks = run.parts.reduce((sum, part) => sum + (part.conformance?.checks ?? 0), 0);
  const failing = run.parts.filter((part) => (part.conformance?.failed ?? 0) > 0);
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
    schemaSha256: schemaSha256(dataset ?? run.schema),
    schema: run.schema,
    ...tables,
    conformance: {
      checks,
      failed: failing.reduce((sum, part) => sum + part.conformance!.failed, 0),
      partsFailing: failing.map((part) => part.index),
    },
    generator: GENERATOR_STAMP,
    parts: run.parts.map((part) => ({
      index: part.index,
      ...(part.table === undefined ? {} : { table: part.table }),
      key: partKey(run.keyPrefix, run.datasetName, run.runId, part.index, fileExtension(run.output), part.table),
      firstRow: part.firstRow,
      rows: part.rows,
      bytes: part.bytes,
      sha256: part.sha256,
      ...(part.conformance === undefined ? {} : { conformance: part.conformance }),
    })),
  };
}

/**
 * The manifest of a dataset of tables made by one invocation (`_manifest_<request id>.json` in the dataset's folder):
 * every table's object with its rows, bytes and SHA-256, every foreign key (child table and column → parent table
 * and column), and the conformance report, so that anyone can check the dataset from the files alone.
 */
import { CONFORMANCE_TOLERANCE, summarize, type ConformanceCheck } from './engine/conformance';
import { GENERATOR_STAMP, type GeneratorStamp } from './run-manifest';
import { foreignKeysOf, type DatasetDocument, type ForeignKey } from '../src/contract/dataset-document';
import type { OutputFormatDocument } from '../src/contract/output-format';

/** Names this document's layout; a reader can refuse a layout it does not know. */
export const DATASET_MANIFEST_FORMAT = 'cdk-synthetic-data/dataset-manifest@1';

export interface DatasetManifest {
  readonly format: typeof DATASET_MANIFEST_FORMAT;
  readonly requestId: string;
  readonly bucket: string;
  readonly dataset: string;
  readonly seed: number;
  readonly output: OutputFormatDocument;
  readonly generator: GeneratorStamp;
  readonly tables: ReadonlyArray<{
    readonly name: string; readonly key: string; readonly rows: number; readonly bytes: number; readonly sha256: string;
  }>;
  readonly foreignKeys: readonly ForeignKey[];
  readonly conformance: {
    readonly checks: number; readonly failed: number; readonly tolerance: string; readonly results: readonly ConformanceCheck[];
  };
  /** The dataset as it was made: every table's columns and rows. */
  readonly definition: DatasetDocument;
}

export function buildDatasetManifest(made: {
  requestId: string;
  bucket: string;
  datasetName: string;
  seed: number;
  output: OutputFormatDocument;
  dataset: DatasetDocument;
  tables: ReadonlyArray<{ name: string; key: string; rows: number; bytes: number; sha256: string }>;
  conformance: readonly ConformanceCheck[];
}): DatasetManifest {
  return {
    format: DATASET_MANIFEST_FORMAT,
    requestId: made.requestId,
    bucket: made.bucket,
    dataset: made.datasetName,
    seed: made.seed,
    output: made.output,
    generator: GENERATOR_STAMP,
    tables: made.tables.map(({ name, key, rows, bytes, sha256 }) => ({ name, key, rows, bytes, sha256 })),
    foreignKeys: foreignKeysOf(made.dataset),
    conformance: { ...summarize(made.conformance), tolerance: CONFORMANCE_TOLERANCE, results: made.conformance },
    definition: made.dataset,
  };
}

/** The manifest's text as written (the function to its bucket, the command line to a folder): indented JSON and a newline. */
export function datasetManifestText(manifest: DatasetManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

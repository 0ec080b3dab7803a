/**
 * What the function answers: the event it takes, and the result of each use case (a single object, a dataset of tables,
 * and the three steps of a sharded run). Tests, the local cloud and the state machine read these shapes.
 */
import type { ConformanceSummary } from './engine/conformance';
import { foreignKeysOf, type DatasetDocument, type ForeignKey } from '../src/contract/dataset-document';
import type { PartRecord, RunEvent, ShardDescriptor } from '../src/contract/runs';
import type { InvocationOverrides } from '../src/contract/settings';

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

/**
 * A dataset's result from its tables' objects: what the function answers and the command line prints, so the two stay
 * the same (rows and bytes added up, the dataset's foreign keys).
 */
export function datasetResultOf(
  made: Pick<DatasetResult, 'bucket' | 'seed' | 'tables' | 'conformance' | 'manifestKey'>, dataset: DatasetDocument,
): DatasetResult {
  return {
    status: 'Success',
    bucket: made.bucket,
    rows: made.tables.reduce((sum, table) => sum + table.rows, 0),
    bytes: made.tables.reduce((sum, table) => sum + table.bytes, 0),
    seed: made.seed,
    tables: made.tables,
    foreignKeys: foreignKeysOf(dataset),
    conformance: made.conformance,
    manifestKey: made.manifestKey,
  };
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

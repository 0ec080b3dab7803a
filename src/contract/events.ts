/**
 * The EventBridge events a generator publishes (prop `completionEvents`): one when a dataset is complete, one when a run
 * fails. Shared by the construct (the state machine's event steps, the publishing permission and its conditions, the
 * rules of `onDatasetReady` / `onRunFailed`), the handler (single objects) and the local cloud (the demo's rule).
 *
 * This is a contract with consumers: a field is never removed or changes meaning without a new `version`; fields may be
 * added within a version. The README documents it field by field. It imports only contract modules.
 */

/** The `source` of every event. */
export const EVENT_SOURCE = 'cdk-synthetic-data';

/** The `detail-type` of each event. */
export const DETAIL_TYPES = {
  /** A dataset is complete: a single object is stored, or a sharded run wrote its manifest and `_SUCCESS`. */
  datasetReady: 'Synthetic Dataset Ready',
  /** A run failed: a sharded run's execution (after the steps' retries), or a single object's invocation. */
  runFailed: 'Synthetic Data Run Failed',
} as const;

/** The `detail.version` of the events this generator publishes. */
export const EVENT_VERSION = '1';

/** Fields of every event's detail. */
export interface EventDetailBase {
  /** The contract's version: "1". */
  readonly version: string;
  /** The generator function's name: what `onDatasetReady` / `onRunFailed` match on. */
  readonly generator: string;
  /** The dataset's name (prop datasetName). */
  readonly dataset: string;
  /** The run id: a sharded run's, a scheduled single object's (`scheduled-…`), else the invocation's request id. */
  readonly runId: string;
  readonly bucket: string;
  /** The folder of the run's objects: `<keyPrefix><datasetName>/<runId>/` for a sharded run, the dataset's folder for a single object. */
  readonly prefix: string;
  /** `csv`, `jsonl` or `parquet`. */
  readonly format: string;
  /** `none`, `gzip`, `zstd` or `snappy`. */
  readonly compression: string;
  /**
   * The catalog, if the generator has one: its database, and its table (`table`), or for a dataset of related tables
   * every table's, in order (`tables`).
   */
  readonly catalog?: { readonly database: string; readonly table?: string; readonly tables?: readonly string[] };
  /** The state machine's execution ARN (sharded runs). */
  readonly execution?: string;
  /** The invocation's request id (single objects). */
  readonly requestId?: string;
}

/** `detail` of a "Synthetic Dataset Ready" event. */
export interface DatasetReadyDetail extends EventDetailBase {
  /** Rows and bytes of the whole dataset (all parts). */
  readonly rows: number;
  readonly bytes: number;
  readonly parts: number;
  readonly seed: number;
  /** The data objects of a single object; a sharded run lists its parts in the manifest. */
  readonly keys?: readonly string[];
  /** A sharded run's manifest and `_SUCCESS` keys; a dataset of tables made by one invocation: its manifest. */
  readonly manifestKey?: string;
  readonly successKey?: string;
}

/** `detail` of a "Synthetic Data Run Failed" event. */
export interface RunFailedDetail extends EventDetailBase {
  /** The error's name, e.g. `InvalidInputError`, `DeadlineError`, `States.TaskFailed`. */
  readonly error: string;
  /** What failed and why, as the handler or Step Functions said it. */
  readonly cause: string;
}

/**
 * Names the construct, the handler and the readers of its logs share: the Lambda environment variables
 * through which the construct hands its props to the handler, and the handler's log service name.
 * Imported by every side (src/, lambda/, local-cloud/), so a rename cannot leave one side behind.
 */
export const ENV = {
  /** The schema's JSON document (see schema-document.ts). */
  SCHEMA: 'SYNTHETIC_DATA_SCHEMA',
  /** Rows made by an invocation whose event does not say; with SHARDS, the rows of a whole run. */
  ROWS: 'SYNTHETIC_DATA_ROWS',
  /** The most rows an event may ask for. */
  MAX_ROWS: 'SYNTHETIC_DATA_MAX_ROWS',
  /** Bucket the CSV is uploaded to. */
  BUCKET_NAME: 'SYNTHETIC_DATA_BUCKET',
  /** Key prefix of every object written, e.g. `synthetic-data/`. */
  KEY_PREFIX: 'SYNTHETIC_DATA_KEY_PREFIX',
  /** First part of the object's file name. */
  DATASET_NAME: 'SYNTHETIC_DATA_DATASET',
  /** Seed of the value generator; absent means a fresh seed per invocation (logged), or per run id in a sharded run. */
  SEED: 'SYNTHETIC_DATA_SEED',
  /** Parts of a sharded run (prop shards); absent when the construct adds no state machine. */
  SHARDS: 'SYNTHETIC_DATA_SHARDS',
  /**
   * A dataset of related tables (prop tables): its JSON document (dataset-document.ts), compressed when large
   * (dataset-environment.ts). Set instead of SCHEMA and ROWS.
   */
  TABLES: 'SYNTHETIC_DATA_TABLES',
  /** The output format's JSON document (see output-format.ts), e.g. {"format":"parquet","compression":"zstd"}. */
  OUTPUT_FORMAT: 'SYNTHETIC_DATA_FORMAT',
  /** With prop completionEvents: the ARN of the bus a single object's events go to (see events.ts). */
  EVENT_BUS: 'SYNTHETIC_DATA_EVENT_BUS',
  /** With prop completionEvents and a catalog table: {"database": …, "table": …}, for the events' detail. */
  CATALOG: 'SYNTHETIC_DATA_CATALOG',
} as const;

/**
 * The `service` field of every structured log line the handler writes: what readers of the function's
 * log group (the demo's proof check, dashboards, metric filters) select its records by.
 */
export const LOG_SERVICE_NAME = 'synthetic-data-generator';

/** Lambda caps the total size of a function's environment variables (names and values) at 4 KB. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

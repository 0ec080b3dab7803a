/**
 * The CloudWatch metrics the handler publishes in Embedded Metric Format (through Powertools Metrics) and the construct's
 * `metric*()` methods read: one namespace, two low-cardinality dimensions (the service and the dataset), these names.
 * It imports only contract modules.
 */
import { LOG_SERVICE_NAME } from './environment';

export const METRICS_NAMESPACE = 'CdkSyntheticData';

/** The dimensions of every metric: `service` is always LOG_SERVICE_NAME, `dataset` the prop datasetName. */
export const METRIC_DIMENSIONS = { service: 'service', dataset: 'dataset' } as const;
export const METRICS_SERVICE = LOG_SERVICE_NAME;

/** The metric names, and their units as CloudWatch stores them. */
export const METRICS = {
  /** Rows of the objects an invocation stored (a part of a run, or a single object); 0 when the object was already there. */
  rowsWritten: { name: 'RowsWritten', unit: 'Count' },
  /** Bytes of those objects. */
  bytesWritten: { name: 'BytesWritten', unit: 'Bytes' },
  /** Time from the start of generation to the object's upload being complete. */
  duration: { name: 'GenerationDuration', unit: 'Milliseconds' },
  /** Rows generated per second of that time. */
  rowsPerSecond: { name: 'RowsPerSecond', unit: 'Count/Second' },
  /** 1 for the first invocation of an execution environment. */
  coldStart: { name: 'ColdStart', unit: 'Count' },
  /** 1 for every invocation (any step) that failed. */
  failures: { name: 'Failures', unit: 'Count' },
} as const;

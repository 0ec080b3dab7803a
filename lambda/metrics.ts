/**
 * The handler's CloudWatch metrics, in Embedded Metric Format through Powertools Metrics: one EMF record on standard
 * output per invocation (CloudWatch Logs turns it into metrics), namespace and names from src/contract/metrics.ts, and only
 * two dimensions, the service and the dataset, so the number of metrics does not grow with runs, parts or requests.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_DIMENSIONS, METRICS, METRICS_NAMESPACE, METRICS_SERVICE } from '../src/contract/metrics';
import { isDatasetName } from '../src/contract/settings';

const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
let coldStart = true;
/** The dataset dimension set: set once (Powertools warns when a dimension is set again), and again only if it changes. */
let datasetDimension: string | undefined;

/** What one stored object adds up to. */
export interface ObjectFigures {
  readonly rows: number;
  readonly bytes: number;
  /** Generation and upload, in milliseconds. */
  readonly durationMs: number;
  /** The object was already there (an earlier attempt): nothing was stored this time. */
  readonly alreadyExisted: boolean;
}

/**
 * Called first in every invocation: the dataset dimension, the request id (a property of the record, not a dimension, so
 * it finds the invocation's log lines without adding a metric per request), and the cold start of the first one.
 */
export function startMetrics(dataset: string, requestId: string): void {
  if (dataset !== datasetDimension) {
    // Clearing takes the service dimension too. A name the construct could not have set (a function whose environment was
    // edited; the configuration then fails naming it) is left out: a blank one would make Powertools print a plain-text
    // warning into the JSON log stream.
    metrics.clearDefaultDimensions();
    const dimension: Record<string, string> = isDatasetName(dataset) ? { [METRIC_DIMENSIONS.dataset]: dataset } : {};
    metrics.setDefaultDimensions({ [METRIC_DIMENSIONS.service]: METRICS_SERVICE, ...dimension });
    datasetDimension = dataset;
  }
  metrics.addMetadata('function_request_id', requestId);
  if (coldStart) metrics.addMetric(METRICS.coldStart.name, MetricUnit.Count, 1);
  coldStart = false;
}

export function recordObject(figures: ObjectFigures): void {
  const stored = figures.alreadyExisted ? { rows: 0, bytes: 0 } : figures;
  metrics.addMetric(METRICS.rowsWritten.name, MetricUnit.Count, stored.rows);
  metrics.addMetric(METRICS.bytesWritten.name, MetricUnit.Bytes, stored.bytes);
  metrics.addMetric(METRICS.duration.name, MetricUnit.Milliseconds, figures.durationMs);
  const rowsPerSecond = figures.durationMs > 0 ? Math.round(figures.rows / (figures.durationMs / 1000)) : 0;
  metrics.addMetric(METRICS.rowsPerSecond.name, MetricUnit.CountPerSecond, rowsPerSecond);
}

export function recordFailure(): void {
  metrics.addMetric(METRICS.failures.name, MetricUnit.Count, 1);
}

/** Writes the invocation's EMF record, if it recorded anything (a configuration that failed to load records only the failure). */
export function publishMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

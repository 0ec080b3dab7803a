/**
 * What the construct says in CloudWatch terms: its handler's metrics (src/contract/metrics.ts) as `cloudwatch.Metric`s,
 * and, with prop `alarmAction`, the alarms of a generator that failed.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC_DIMENSIONS, METRICS, METRICS_NAMESPACE, METRICS_SERVICE } from '../contract/metrics';

type MetricKey = keyof typeof METRICS;

/** One of the handler's metrics of `dataset`: Sum over 5 minutes unless `props` say otherwise (aws-cdk-lib's defaults). */
export function generatorMetric(key: MetricKey, dataset: string, statistic: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: METRICS[key].name,
    dimensionsMap: { [METRIC_DIMENSIONS.service]: METRICS_SERVICE, [METRIC_DIMENSIONS.dataset]: dataset },
    statistic,
    period: Duration.minutes(5),
    ...props,
  });
}

export interface GeneratorAlarmsProps {
  readonly action: cloudwatch.IAlarmAction;
  /** The handler's Failures metric. */
  readonly failures: cloudwatch.IMetric;
  readonly stateMachine?: sfn.IStateMachine;
  readonly failureQueue?: sqs.IQueue;
  readonly scheduleDeadLetterQueue?: sqs.IQueue;
}

/** Alarm when anything is at or above 1 in one 5-minute period; no data (nothing ran) is fine. */
const ALARM_DEFAULTS = {
  threshold: 1,
  evaluationPeriods: 1,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
};

/** The alarms of a generator: failed invocations, failed runs, records in the failure queue, undelivered firings. */
export class GeneratorAlarms extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: GeneratorAlarmsProps) {
    super(scope, id);
    const add = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, { ...ALARM_DEFAULTS, metric, alarmDescription: description });
      alarm.addAlarmAction(props.action);
      this.alarms.push(alarm);
    };
    add('FailuresAlarm', props.failures, 'An invocation of the cdk-synthetic-data generator failed (its Failures metric): see the function\'s log group');
    if (props.stateMachine) {
      add('RunsFailedAlarm', props.stateMachine.metricFailed({ statistic: 'Sum', period: Duration.minutes(5) }),
        'A sharded run of the cdk-synthetic-data generator failed: see the state machine\'s execution history');
    }
    const queueHasMessages = (queue: sqs.IQueue) => queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) });
    if (props.failureQueue) {
      add('FailureQueueAlarm', queueHasMessages(props.failureQueue),
        'The failure queue of the cdk-synthetic-data generator holds the record of a failed asynchronous invocation');
    }
    if (props.scheduleDeadLetterQueue) {
      add('ScheduleDeadLetterAlarm', queueHasMessages(props.scheduleDeadLetterQueue),
        'The schedule of the cdk-synthetic-data generator could not deliver a firing: see its dead-letter queue');
    }
  }
}

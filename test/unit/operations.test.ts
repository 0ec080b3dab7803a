/**
 * Runs that operate themselves, on the synthesized template: the schedule (its target, input, retry policy, dead-letter
 * queue, and its role compared exactly), the run on deploy, the completion events (the event steps of the state machine,
 * the publishing permission with its conditions, the rules of onDatasetReady / onRunFailed), the metrics and the alarms.
 * The scheduled run id and the IAM decision on publishing are checked here too; the local cloud runs them in
 * test/cloud/schedule.test.ts.
 */
import { App, CfnElement, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { nameSingleObject } from '../../lambda/scheduled';
import { decide, type PolicyStatement } from '../../local-cloud/iam-policy';
import { renderTargetInput } from '../../local-cloud/scheduler';
import { Column, Schema, SyntheticDataGenerator, SyntheticDataGeneratorProps } from '../../src';
import { ENV } from '../../src/contract/environment';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../src/contract/events';
import { METRICS_NAMESPACE } from '../../src/contract/metrics';
import { runIdOfExecution } from '../../src/contract/runs';
import { runIdOfScheduledTime } from '../../src/contract/schedule';
import { exactRolePermissions } from '../support/template';

const schema = () => Schema.fromColumns([Column.uuid('id'), Column.integer('quantity', { min: 1, max: 20 })]);
const NIGHTLY = ScheduleExpression.cron({ minute: '0', hour: '2', timeZone: TimeZone.EUROPE_PARIS });
const SHARDED = { rows: 8_000_000, shards: 8 };

function synth(props: Partial<SyntheticDataGeneratorProps> = {}) {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: schema(), ...props });
  return { stack, generator, template: Template.fromStack(stack) };
}

const logicalId = (stack: Stack, c: IConstruct) => stack.getLogicalId((c.node.defaultChild ?? c) as CfnElement);
const definitionOf = (template: Template) => {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  // every token sits inside a JSON string of the definition: a placeholder keeps it JSON
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
};
const DEFAULT_BUS_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:123456789012:event-bus/default']] };
const PUBLISH = {
  actions: ['events:PutEvents'],
  resources: [DEFAULT_BUS_ARN],
  conditions: { StringEquals: { 'events:source': EVENT_SOURCE, 'events:detail-type': [DETAIL_TYPES.datasetReady, DETAIL_TYPES.runFailed] } },
};

describe('the run id of a scheduled firing', () => {
  test('is the scheduled time in ISO 8601 basic form, the same for every delivery of the slot', () => {
    expect(runIdOfScheduledTime('t', '2026-01-01T02:00:00Z')).toBe('scheduled-20260101T020000Z');
    expect(runIdOfScheduledTime('t', '2026-01-01T02:00:00.000Z')).toBe('scheduled-20260101T020000Z');
    expect(runIdOfExecution({ scheduledTime: '2026-01-01T02:00:00Z' }, 'any-execution-name')).toBe('scheduled-20260101T020000Z');
    // a single object is named after it too, with a seed of its own that does not depend on the request
    const first = nameSingleObject({ scheduledTime: '2026-01-01T02:00:00Z' }, 'req-1');
    expect(first).toEqual({ ...nameSingleObject({ scheduledTime: '2026-01-01T02:00:00Z' }, 'req-2'), runId: 'scheduled-20260101T020000Z' });
    expect(first.seedSource).toBe('scheduledTime');
    expect(nameSingleObject({ rows: 5 }, 'req-1')).toMatchObject({ runId: 'req-1', seedSource: 'requestId' });
  });

  test('a time that is not Scheduler\'s, or an input with both a run id and a time, is refused, saying what is expected', () => {
    expect(() => runIdOfScheduledTime('event.scheduledTime', '2026-01-01 02:00')).toThrow(/event.scheduledTime is "2026-01-01 02:00": expected the scheduled time/);
    expect(() => runIdOfScheduledTime('x', '2026-13-01T02:00:00Z')).toThrow(/expected the scheduled time of an EventBridge Scheduler firing/);
    expect(() => runIdOfExecution({ runId: 'a', scheduledTime: '2026-01-01T02:00:00Z' }, 'x')).toThrow(/expected "runId" or "scheduledTime", not both/);
  });

  test('the local scheduler renders the target input as Scheduler does', () => {
    const input = renderTargetInput('{"scheduledTime":"<aws.scheduler.scheduled-time>","n":"<aws.scheduler.attempt-number>"}', {
      scheduledTime: new Date('2026-01-01T02:00:00.000Z'), executionId: 'e', attemptNumber: 1, scheduleArn: 'arn',
    });
    expect(JSON.parse(input)).toEqual({ scheduledTime: '2026-01-01T02:00:00Z', n: '1' });
  });
});

describe('schedule', () => {
  test('starts the state machine of a sharded run with the scheduled time, retries, and sends what it cannot deliver to its queue', () => {
    const { stack, generator, template } = synth({ ...SHARDED, schedule: NIGHTLY });
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { Ref: logicalId(stack, generator.stateMachine!) },
        RoleArn: { 'Fn::GetAtt': [logicalId(stack, generator.scheduleRole!), 'Arn'] },
        Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(stack, generator.scheduleDeadLetterQueue!), 'Arn'] } },
      },
    });
  });

  test('the schedule\'s role is trusted by Scheduler for this account\'s default group, and may only start the run and dead-letter', () => {
    const { stack, generator, template } = synth({ ...SHARDED, schedule: NIGHTLY });
    expect(exactRolePermissions(stack, generator.scheduleRole!)).toEqual([
      { actions: ['states:StartExecution'], resources: [{ Ref: logicalId(stack, generator.stateMachine!) }] },
      { actions: ['sqs:SendMessage'], resources: [{ 'Fn::GetAtt': [logicalId(stack, generator.scheduleDeadLetterQueue!), 'Arn'] }] },
    ]);
    expect(template.findResources('AWS::IAM::Role')[logicalId(stack, generator.scheduleRole!)].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: {
        StringEquals: {
          'aws:SourceAccount': '123456789012',
          'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:us-east-1:123456789012:schedule-group/default']] },
        },
      },
    }]);
  });

  test('without shards it invokes the function, and its role may only invoke that function', () => {
    const { stack, generator, template } = synth({ schedule: ScheduleExpression.rate(Duration.hours(6)) });
    const fnArn = { 'Fn::GetAtt': [logicalId(stack, generator.function), 'Arn'] };
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(6 hours)', Target: Match.objectLike({ Arn: fnArn }) });
    expect(exactRolePermissions(stack, generator.scheduleRole!)).toEqual([
      { actions: ['lambda:InvokeFunction'], resources: [fnArn, { 'Fn::Join': ['', [fnArn, ':*']] }] },
      { actions: ['sqs:SendMessage'], resources: [{ 'Fn::GetAtt': [logicalId(stack, generator.scheduleDeadLetterQueue!), 'Arn'] }] },
    ]);
  });

  test('the dead-letter queue is encrypted and TLS-only', () => {
    const { stack, generator, template } = synth({ schedule: NIGHTLY });
    const queue = logicalId(stack, generator.scheduleDeadLetterQueue!);
    expect(template.findResources('AWS::SQS::Queue')[queue].Properties).toEqual({ MessageRetentionPeriod: 1_209_600, SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
  });

  test('no schedule, no Scheduler resources', () => {
    const { generator, template } = synth(SHARDED);
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(generator.scheduleRole).toBeUndefined();
  });
});

describe('run on deploy', () => {
  test('a rule on CloudFormation\'s event of this stack reaching CREATE_COMPLETE starts one run named after that event', () => {
    const { stack, generator, template } = synth({ ...SHARDED, runOnDeploy: true });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.cloudformation'],
        'detail-type': ['CloudFormation Stack Status Change'],
        'detail': { 'stack-id': [{ Ref: 'AWS::StackId' }], 'status-details': { status: ['CREATE_COMPLETE'] } },
      },
      Targets: [Match.objectLike({
        Arn: { Ref: logicalId(stack, generator.stateMachine!) },
        InputTransformer: { InputPathsMap: { id: '$.id' }, InputTemplate: '{"runId":"deploy-<id>"}' },
      })],
    });
    // the rule's role may only start this state machine
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0];
    const roleId = rule.Properties.Targets[0].RoleArn['Fn::GetAtt'][0];
    const role = stack.node.findAll().find((c) => c instanceof iam.Role && logicalId(stack, c) === roleId) as iam.Role;
    expect(exactRolePermissions(stack, role)).toEqual([{ actions: ['states:StartExecution'], resources: [{ Ref: logicalId(stack, generator.stateMachine!) }] }]);
  });

  test('without shards it invokes the function with an empty event, allowed for that rule only', () => {
    const { stack, generator, template } = synth({ runOnDeploy: true });
    const fnArn = { 'Fn::GetAtt': [logicalId(stack, generator.function), 'Arn'] };
    template.hasResourceProperties('AWS::Events::Rule', { Targets: [{ Arn: fnArn, Id: 'Target0', Input: '{}' }] });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction', FunctionName: fnArn, Principal: 'events.amazonaws.com', SourceArn: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }),
    });
  });
});

describe('completion events', () => {
  test('the state machine publishes the dataset\'s event after WriteManifest, and a failure event from every step before failing', () => {
    const { template } = synth({ ...SHARDED, completionEvents: true });
    const states = definitionOf(template).States;
    expect(states.WriteManifest.Next).toBe('PublishDatasetReady');
    expect(states.PublishDatasetReady).toMatchObject({
      Type: 'Task',
      End: true,
      ResultPath: null,
      Parameters: { Entries: [{ Source: EVENT_SOURCE, DetailType: DETAIL_TYPES.datasetReady }] },
    });
    expect(Object.keys(states.PublishDatasetReady.Parameters.Entries[0].Detail).sort()).toEqual([
      'bucket', 'bytes.$', 'catalog', 'compression', 'dataset', 'execution.$', 'format', 'generator', 'manifestKey.$', 'parts.$', 'prefix.$', 'rows.$',
      'runId.$', 'seed.$', 'successKey.$', 'version',
    ]);
    expect(states.PlanRun.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NameFailedRun' }]);
    for (const step of ['WriteParts', 'WriteManifest']) {
      expect(states[step].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'PublishRunFailed' }]);
    }
    expect(states.NameFailedRun).toMatchObject({ Type: 'Pass', Parameters: { 'runId.$': '$$.Execution.Name', 'error.$': '$.error' }, Next: 'PublishRunFailed' });
    expect(states.PublishRunFailed).toMatchObject({ Next: 'RunFailed', Parameters: { Entries: [{ DetailType: DETAIL_TYPES.runFailed }] } });
    expect(states.RunFailed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  test('publishing is allowed only on the bus, with this source and these detail types: to the state machine\'s and the function\'s roles', () => {
    const { stack, generator } = synth({ ...SHARDED, completionEvents: true });
    const machineRole = generator.stateMachine!.node.findChild('Role') as iam.IRole;
    expect(exactRolePermissions(stack, machineRole).filter((p) => p.actions.some((a) => a.startsWith('events:')))).toEqual([PUBLISH]);
    expect(exactRolePermissions(stack, generator.role).filter((p) => p.actions.some((a) => a.startsWith('events:')))).toEqual([PUBLISH]);
  });

  test('the conditions let only the two events through: IAM\'s decision on the synthesized statement', () => {
    const statement = { Effect: 'Allow', Action: 'events:PutEvents', Resource: 'arn:aws:events:us-east-1:123456789012:event-bus/default', Condition: PUBLISH.conditions } as PolicyStatement;
    const request = (source: string, detailType: string, bus = 'default') => ({
      action: 'events:PutEvents',
      resource: `arn:aws:events:us-east-1:123456789012:event-bus/${bus}`,
      context: { 'events:source': source, 'events:detail-type': detailType },
    });
    expect(decide([statement], request(EVENT_SOURCE, DETAIL_TYPES.datasetReady))).toBe('allowed');
    expect(decide([statement], request(EVENT_SOURCE, DETAIL_TYPES.runFailed))).toBe('allowed');
    expect(decide([statement], request('aws.s3', DETAIL_TYPES.datasetReady))).toBe('implicitly denied');
    expect(decide([statement], request(EVENT_SOURCE, 'Object Created'))).toBe('implicitly denied');
    expect(decide([statement], request(EVENT_SOURCE, DETAIL_TYPES.datasetReady, 'other'))).toBe('implicitly denied');
  });

  test('a bus you give gets them, and the function learns where to publish a single object\'s events', () => {
    const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const bus = new events.EventBus(stack, 'Bus');
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: schema(), eventBus: bus });
    const busArn = { 'Fn::GetAtt': [logicalId(stack, bus), 'Arn'] };
    expect(exactRolePermissions(stack, generator.role).filter((p) => p.actions.includes('events:PutEvents'))).toEqual([{ ...PUBLISH, resources: [busArn] }]);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.EVENT_BUS]: busArn, [ENV.CATALOG]: Match.stringLikeRegexp('"table":"dataset"') }) },
    });
  });

  test('onDatasetReady and onRunFailed return rules that match this generator\'s events, with the target given', () => {
    const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: schema(), ...SHARDED, completionEvents: true });
    const queue = new sqs.Queue(stack, 'Downstream', { enforceSSL: true });
    const ready = generator.onDatasetReady('Ready', { target: { bind: () => ({ id: 'downstream', arn: queue.queueArn }) } });
    generator.onRunFailed('Failed');
    expect(ready).toBeInstanceOf(events.Rule);
    const rules = Template.fromStack(stack).findResources('AWS::Events::Rule');
    const fn = { Ref: logicalId(stack, generator.function) };
    expect(rules[logicalId(stack, ready)].Properties).toMatchObject({
      EventBusName: 'default',
      EventPattern: { 'source': [EVENT_SOURCE], 'detail-type': [DETAIL_TYPES.datasetReady], 'detail': { generator: [fn] } },
      Targets: [{ Id: 'downstream' }],
    });
    expect(Object.values(rules).map((r) => r.Properties.EventPattern['detail-type'])).toEqual([[DETAIL_TYPES.datasetReady], [DETAIL_TYPES.runFailed]]);
  });

  test('without them, nothing publishes, and asking for their rules says which prop to set', () => {
    const { stack, generator } = synth(SHARDED);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('events:PutEvents');
    expect(() => generator.onDatasetReady('Ready')).toThrow('SyntheticDataGenerator TestStack/Generator: onDatasetReady needs the generator\'s events: set prop completionEvents to true');
    const stack2 = new Stack(new App(), 'TestStack');
    expect(() => new SyntheticDataGenerator(stack2, 'Generator', { schema: schema(), completionEvents: false, eventBus: events.EventBus.fromEventBusName(stack2, 'B', 'b') }))
      .toThrow(/prop eventBus is given while prop completionEvents is false/);
  });
});

describe('metrics and alarms', () => {
  test('metric*() name the handler\'s metrics in the project\'s namespace, by service and dataset, as aws-cdk-lib\'s metrics do', () => {
    const { stack, generator } = synth({ ...SHARDED, datasetName: 'sales' });
    const dims = { dataset: 'sales', service: 'synthetic-data-generator' };
    const expected: Array<[cloudwatch.Metric, string, string]> = [
      [generator.metricRowsWritten(), 'RowsWritten', 'Sum'],
      [generator.metricBytesWritten(), 'BytesWritten', 'Sum'],
      [generator.metricGenerationDuration(), 'GenerationDuration', 'Average'],
      [generator.metricRowsPerSecond(), 'RowsPerSecond', 'Average'],
      [generator.metricColdStarts(), 'ColdStart', 'Sum'],
      [generator.metricFailures(), 'Failures', 'Sum'],
    ];
    for (const [metric, name, statistic] of expected) {
      const { namespace, metricName, statistic: stat } = metric;
      expect({ namespace, name: metricName, statistic: stat, dims: stack.resolve(metric.dimensions), period: metric.period.toSeconds() })
        .toEqual({ namespace: METRICS_NAMESPACE, name, statistic, dims, period: 300 });
    }
    expect(generator.metricRowsWritten({ period: Duration.hours(1) }).period.toSeconds()).toBe(3600);
    expect(generator.metricRunsFailed().metricName).toBe('ExecutionsFailed');
    expect(() => synth().generator.metricRunsFailed()).toThrow(/metricRunsFailed needs the state machine of sharded runs: set prop shards/);
  });

  test('alarmAction adds the four alarms, at 1 in one 5-minute period, with the action', () => {
    const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const topic = new sns.Topic(stack, 'Alerts');
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: schema(), ...SHARDED, schedule: NIGHTLY, alarmAction: new actions.SnsAction(topic) });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(generator.alarms).toHaveLength(4);
    expect(alarms.map((a) => [a.Namespace, a.MetricName, a.Statistic])).toEqual([
      [METRICS_NAMESPACE, 'Failures', 'Sum'],
      ['AWS/States', 'ExecutionsFailed', 'Sum'],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum'],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum'],
    ]);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        Threshold: 1,
        EvaluationPeriods: 1,
        Period: 300,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: logicalId(stack, topic) }],
      });
    }
    expect(alarms[2].Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, generator.failureQueue!), 'QueueName'] } }]);
    expect(alarms[3].Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, generator.scheduleDeadLetterQueue!), 'QueueName'] } }]);
  });

  test('no alarmAction, no alarms; a single-object generator without schedule gets the failure and queue alarms only', () => {
    expect(synth().generator.alarms).toEqual([]);
    const stack = new Stack(new App(), 'TestStack');
    const generator = new SyntheticDataGenerator(stack, 'Generator', { schema: schema(), alarmAction: new actions.SnsAction(new sns.Topic(stack, 'T')) });
    expect(generator.alarms).toHaveLength(2);
  });
});

describe('a literal bucket name', () => {
  test('S3 would refuse is refused at synth, naming the prop and the name', () => {
    const stack = new Stack(new App(), 'TestStack');
    expect(() => new SyntheticDataGenerator(stack, 'Generator', { schema: schema(), bucket: s3.Bucket.fromBucketName(stack, 'B', 'My_Bucket') }))
      .toThrow(/SyntheticDataGenerator TestStack\/Generator: prop bucket is named "My_Bucket", which S3 does not allow as a bucket name \(.*\); pass the name of an existing bucket/);
    expect(() => new SyntheticDataGenerator(stack, 'Ok', { schema: schema(), bucket: s3.Bucket.fromBucketName(stack, 'C', 'my-landing-bucket') })).not.toThrow();
  });
});

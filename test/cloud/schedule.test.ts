/**
 * Runs that operate themselves, end to end in the local cloud: the example with a schedule and completion events,
 * deployed into moto; its schedule created in moto's Scheduler by the local adapter (moto's CloudFormation skips it) and
 * fired for a given time as its own role; the state machine's event steps reaching moto's EventBridge as the state
 * machine's role, and a rule to an SQS queue catching what arrives. Also the run that fails, and a role that may not
 * publish.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { salesSchema, synthesizeSalesApp, SALES_STACK_NAME } from '../../examples/sales-app';
import { deployStack, listKeysUnderPrefix, type DeployedStack, type LocalCloud } from '../../local-cloud';
import { catchEvents, putEventsOfTask, type EventCatcher } from '../../local-cloud/events';
import { emfRecordOf } from '../../local-cloud/handler-records';
import { checkStoredRun, readStoredRun } from '../../local-cloud/run-objects';
import { createSchedulesOfStack, fireSchedule, type LocalSchedule } from '../../local-cloud/scheduler';
import { describeDeployedStateMachine, runStateMachine, type LocalExecution } from '../../local-cloud/state-machine';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../src/contract/events';
import { DEFAULT_OUTPUT_FORMAT } from '../../src/contract/output-format';
import { runFolder } from '../../src/contract/runs';
import { DEFAULTS } from '../../src/contract/settings';
import { bucketOf } from '../support/local-stack';
import { sharedCloud } from '../support/shared-cloud';

const ROWS = 4_000;
const SHARDS = 4;
const SLOT = new Date('2026-01-01T02:00:00Z');
const RUN_ID = 'scheduled-20260101T020000Z';

let cloud: LocalCloud;
let stack: DeployedStack;
let schedules: LocalSchedule[];
let catcher: EventCatcher;
let firings: LocalExecution[];

beforeAll(async () => {
  cloud = sharedCloud();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduled-'));
  const operations = { schedule: true, completionEvents: true };
  const { assemblyDir } = synthesizeSalesApp({ outdir, sharded: { rows: ROWS, shards: SHARDS }, operations });
  stack = await deployStack(cloud, { assemblyDir, stack: SALES_STACK_NAME, stackName: 'ScheduledShardedSales' });
  schedules = await createSchedulesOfStack(cloud, stack);
  catcher = await catchEvents(cloud, { eventPattern: { source: [EVENT_SOURCE] } });
  firings = [];
  for (let i = 0; i < 2; i++) {
    firings.push((await fireSchedule(cloud, { stack, schedule: schedules[0], scheduledTime: SLOT })).execution!);
  }
});

afterAll(async () => {
  await catcher?.dispose();
  await cloud?.stop();
});

test('the schedule moto\'s CloudFormation skipped is created in moto\'s Scheduler as synthesized: nightly at 02:00 UTC, its role, its queue', async () => {
  expect(stack.skippedResources.map((r) => r.type)).toContain('AWS::Scheduler::Schedule');
  expect(schedules).toHaveLength(1);
  const scheduler = new SchedulerClient(cloud.clientConfig());
  try {
    const stored = await scheduler.send(new GetScheduleCommand({ Name: schedules[0].name }));
    expect(stored).toMatchObject({
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: {
        Arn: (await describeDeployedStateMachine(cloud, stack)).arn,
        Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
      },
    });
    expect(stored.Target?.RoleArn).toMatch(/^arn:aws:iam::123456789012:role\//);
    expect(stored.Target?.DeadLetterConfig?.Arn).toMatch(/^arn:aws:sqs:us-east-1:123456789012:/);
  } finally {
    scheduler.destroy();
  }
});

test('two firings of one slot start two executions of the same run id, which make one dataset, written once', async () => {
  expect(firings.map((f) => f.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  expect(firings.map((f) => (f.output as { runId?: string }).runId)).toEqual([RUN_ID, RUN_ID]);
  // the second execution found every part already there
  const parts = (execution: LocalExecution) => execution.calls.filter((c) => c.state === 'WritePart').map((c) => (c.invocation.result as { alreadyExisted?: boolean }).alreadyExisted ?? false);
  expect(parts(firings[0])).toEqual([false, false, false, false]);
  expect(parts(firings[1])).toEqual([true, true, true, true]);
  const bucket = bucketOf(stack);
  const datasetFolder = `${DEFAULTS.keyPrefix}sales/`;
  const runs = new Set((await listKeysUnderPrefix(cloud, bucket, datasetFolder)).map((key) => key.slice(datasetFolder.length).split('/')[0]));
  expect([...runs]).toEqual([RUN_ID]);
  const run = await readStoredRun(cloud, bucket, runFolder(DEFAULTS.keyPrefix, 'sales', RUN_ID), { output: DEFAULT_OUTPUT_FORMAT });
  expect(checkStoredRun(run, { rows: ROWS, parts: SHARDS, columns: salesSchema().columnNames })).toEqual([]);
});

test('each execution publishes "Synthetic Dataset Ready" after _SUCCESS, and a rule to an SQS queue receives it, with the dataset\'s detail', async () => {
  const events = await catcher.received(5);
  expect(events.map((e) => [e.source, e['detail-type'], e.detail.runId])).toEqual([
    [EVENT_SOURCE, DETAIL_TYPES.datasetReady, RUN_ID], [EVENT_SOURCE, DETAIL_TYPES.datasetReady, RUN_ID],
  ]);
  const bucket = bucketOf(stack);
  const folder = runFolder(DEFAULTS.keyPrefix, 'sales', RUN_ID);
  expect(events[0].detail).toEqual({
    version: '1',
    generator: Object.values(stack.functions)[0],
    dataset: 'sales',
    runId: RUN_ID,
    bucket,
    prefix: folder,
    format: 'csv',
    compression: 'none',
    catalog: { database: expect.stringMatching(/^syntheticsalesdata_/), table: 'sales' },
    execution: expect.stringContaining(`:execution:${firings[0].stateMachineArn.split(':').pop()}:${firings[0].executionName}`),
    rows: ROWS,
    bytes: firings[0].calls.filter((c) => c.state === 'WritePart').reduce((sum, c) => sum + (c.invocation.result as { bytes: number }).bytes, 0),
    parts: SHARDS,
    seed: (firings[0].output as { seed: number }).seed,
    manifestKey: `${folder}_manifest.json`,
    successKey: `${folder}_SUCCESS`,
  });
});

test('a run that fails publishes "Synthetic Data Run Failed" with the step\'s error, then fails with it', async () => {
  const execution = await runStateMachine(cloud, { stack, input: { runId: '../escape' }, executionName: 'bad-input' });
  expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidInputError' });
  expect(execution.published.map((p) => p.state)).toEqual(['PublishRunFailed']);
  const failed = (await catcher.received(5)).filter((e) => e['detail-type'] === DETAIL_TYPES.runFailed);
  expect(failed).toHaveLength(1);
  expect(failed[0].detail).toMatchObject({
    version: '1', runId: 'bad-input', dataset: 'sales', error: 'InvalidInputError', prefix: `${DEFAULTS.keyPrefix}sales/bad-input/`,
  });
  expect(JSON.parse(String(failed[0].detail.cause)).errorMessage).toMatch(/the execution input's runId is "..\/escape"/);
});

test('the state machine\'s role may publish only its own source and detail types: anything else is refused before EventBridge', async () => {
  const { roleArn } = await describeDeployedStateMachine(cloud, stack);
  const entry = (source: string, detailType: string) => ({ Entries: [{ EventBusName: 'default', Source: source, DetailType: detailType, Detail: {} }] });
  await expect(putEventsOfTask(cloud, roleArn, entry('aws.s3', DETAIL_TYPES.datasetReady)))
    .rejects.toThrow(/is not authorized to perform: events:PutEvents on resource: arn:aws:events:us-east-1:123456789012:event-bus\/default .*"aws.s3"/);
  await expect(putEventsOfTask(cloud, roleArn, entry(EVENT_SOURCE, 'Object Created'))).rejects.toThrow(/not authorized/);
  await expect(putEventsOfTask(cloud, roleArn, { Entries: [{ ...entry(EVENT_SOURCE, DETAIL_TYPES.runFailed).Entries[0], EventBusName: 'other' }] }))
    .rejects.toThrow(/not authorized to perform: events:PutEvents on resource: .*:event-bus\/other /);
});

test('every part\'s invocation logs one Embedded Metric Format record, by service and dataset: the rows it stored', () => {
  const emf = (execution: LocalExecution) => execution.calls.filter((c) => c.state === 'WritePart').map((c) => {
    const records = c.invocation.logEvents.map((e) => emfRecordOf(e.message)).filter((r) => r !== undefined);
    expect(records).toHaveLength(1);
    expect(records[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'CdkSyntheticData', Dimensions: [['service', 'dataset']] });
    expect(records[0]).toMatchObject({ service: 'synthetic-data-generator', dataset: 'sales', function_request_id: c.invocation.requestId });
    return records[0].RowsWritten;
  });
  expect(emf(firings[0])).toEqual([ROWS / SHARDS, ROWS / SHARDS, ROWS / SHARDS, ROWS / SHARDS]);
  expect(emf(firings[1])).toEqual([0, 0, 0, 0]); // already there: nothing stored the second time
});

describe('a single-object generator with a schedule and events', () => {
  let single: DeployedStack;
  let fired: Array<Awaited<ReturnType<typeof fireSchedule>>>;
  let singleCatcher: EventCatcher;

  beforeAll(async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduled-single-'));
    const { assemblyDir } = synthesizeSalesApp({ outdir, operations: { schedule: true, completionEvents: true } });
    single = await deployStack(cloud, { assemblyDir, stack: SALES_STACK_NAME, stackName: 'SingleScheduled' });
    const [schedule] = await createSchedulesOfStack(cloud, single);
    singleCatcher = await catchEvents(cloud, { eventPattern: { source: [EVENT_SOURCE], detail: { generator: Object.values(single.functions) } } });
    fired = [];
    for (let i = 0; i < 2; i++) fired.push(await fireSchedule(cloud, { stack: single, schedule, scheduledTime: SLOT }));
  });

  afterAll(async () => {
    await singleCatcher?.dispose();
  });

  test('the schedule invokes the function with the slot; two firings make one object, named after the slot', async () => {
    const results = fired.map((f) => f.invocation!.result as { key: string; alreadyExisted?: boolean });
    expect(fired.map((f) => f.invocation!.status)).toEqual(['Success', 'Success']);
    expect(results.map((r) => r.key)).toEqual([`${DEFAULTS.keyPrefix}sales/sales_${RUN_ID}.csv`, `${DEFAULTS.keyPrefix}sales/sales_${RUN_ID}.csv`]);
    expect(results.map((r) => r.alreadyExisted ?? false)).toEqual([false, true]);
    expect(await listKeysUnderPrefix(cloud, bucketOf(single), DEFAULTS.keyPrefix)).toEqual([results[0].key]);
  });

  test('the function publishes "Synthetic Dataset Ready" as its own role, through the local gate that decides as IAM would', async () => {
    const events = await singleCatcher.received(5);
    expect(events.map((e) => [e['detail-type'], e.detail.runId, e.detail.keys])).toEqual([
      [DETAIL_TYPES.datasetReady, RUN_ID, [`${DEFAULTS.keyPrefix}sales/sales_${RUN_ID}.csv`]],
      [DETAIL_TYPES.datasetReady, RUN_ID, [`${DEFAULTS.keyPrefix}sales/sales_${RUN_ID}.csv`]],
    ]);
    expect(events[0].detail).toMatchObject({ version: '1', rows: 10_000, parts: 1, requestId: fired[0].invocation!.requestId, prefix: `${DEFAULTS.keyPrefix}sales/` });
  });
});

/**
 * Steps 4 to 6 of `npm run demo -- --shards K --schedule-fire TIME`: the example with a nightly schedule and completion
 * events. Creates the schedule moto's CloudFormation skipped, subscribes a rule (target: an SQS queue) to the generator's
 * events, fires the schedule twice for the same slot (as Scheduler may when it retries a delivery), proves the run as
 * `--shards` does, and then that the two firings made one dataset and that the completion event arrived through the rule.
 */
import type { Check } from './checks';
import type { DeployedStack } from './deploy';
import { catchEvents, type DeliveredEvent } from './events';
import type { LocalCloud } from './moto-server';
import { listKeysUnderPrefix } from './s3-objects';
import { createSchedulesOfStack, fireSchedule, schedulerTimeOf } from './scheduler';
import { describeCall, proveShardedRun, type ShardedDemo } from './sharded-demo';
import type { LocalExecution } from './state-machine';
import { ENV } from '../src/contract/environment';
import { DETAIL_TYPES, EVENT_SOURCE } from '../src/contract/events';
import { runIdOfScheduledTime } from '../src/contract/schedule';
import { datasetFolder, DEFAULTS } from '../src/contract/settings';

/** How many times the slot is fired: a delivery and its retry. */
export const SCHEDULE_FIRINGS = 2;

export async function runScheduledDemoSteps(
  cloud: LocalCloud, stack: DeployedStack, demo: Omit<ShardedDemo, 'runId'> & { scheduledTime: Date }, say: (line: string) => void,
): Promise<{ checks: Check[]; summary: Record<string, unknown>; events: DeliveredEvent[] }> {
  const schedules = await createSchedulesOfStack(cloud, stack);
  if (schedules.length !== 1) throw new Error(`expected one schedule in ${stack.stackName}, found ${schedules.length}`);
  const schedule = schedules[0];
  const template = stack.template.Resources?.[schedule.logicalId]?.Properties as { ScheduleExpression?: string; ScheduleExpressionTimezone?: string };
  const generator = Object.values(stack.functions)[0];
  // A consumer, as onDatasetReady / onRunFailed subscribe one: a rule on the default bus whose target is a queue.
  const catcher = await catchEvents(cloud, {
    name: 'demo-dataset-events',
    eventPattern: { 'source': [EVENT_SOURCE], 'detail-type': [DETAIL_TYPES.datasetReady, DETAIL_TYPES.runFailed], 'detail': { generator: [generator] } },
  });
  const time = schedulerTimeOf(demo.scheduledTime);
  const runId = runIdOfScheduledTime('--schedule-fire', time);
  say(`[4/6] schedule ${schedule.name} (${template.ScheduleExpression} ${template.ScheduleExpressionTimezone ?? 'UTC'}) created in the local Scheduler; `
    + `firing it ${SCHEDULE_FIRINGS} times for the slot ${time}, as Scheduler may when it retries a delivery; rule ${catcher.ruleName} → queue catches the events`);
  const executions: LocalExecution[] = [];
  try {
    for (let firing = 1; firing <= SCHEDULE_FIRINGS; firing++) {
      const fired = await fireSchedule(cloud, {
        stack, schedule, scheduledTime: demo.scheduledTime, log: (line) => say(`      ${line}`), onTaskEnd: (call) => say(`      ${describeCall(call)}`),
      });
      const execution = fired.execution!;
      executions.push(execution);
      say(`      firing ${firing}: input ${JSON.stringify(fired.input)} → execution ${execution.executionName}: ${execution.status} in `
        + `${execution.seconds.toFixed(1)} s; published ${execution.published.map((p) => p.state).join(', ') || 'nothing'}`);
    }
    const proved = await proveShardedRun(cloud, stack, { ...demo, runId }, executions, say);

    const bucket = executions[0].calls[0]?.invocation.function.environment[ENV.BUCKET_NAME] ?? '';
    const folder = datasetFolder(DEFAULTS.keyPrefix, demo.datasetName);
    const runs = [...new Set((await listKeysUnderPrefix(cloud, bucket, folder)).map((key) => key.slice(folder.length).split('/')[0]))];
    const events = await catcher.received(5);
    const problems = [
      ...runs.length === 1 && runs[0] === runId ? [] : [`the dataset's folder holds ${runs.length} runs (${runs.join(', ')}), expected only ${runId}`],
      ...events.length === 0 ? ['no event arrived through the rule'] : [],
      ...events.filter((e) => e['detail-type'] !== DETAIL_TYPES.datasetReady).map((e) => `a "${e['detail-type']}" event arrived: ${JSON.stringify(e.detail)}`),
      ...events.filter((e) => e.detail.runId !== runId || e.detail.rows !== demo.rows || e.detail.parts !== demo.shards)
        .map((e) => `an event of run ${String(e.detail.runId)} with ${String(e.detail.rows)} rows in ${String(e.detail.parts)} parts`),
    ];
    const check: Check = {
      name: 'schedule',
      ok: problems.length === 0,
      detail: `${SCHEDULE_FIRINGS} firings of ${time} made ${runs.length} dataset (${runs.map((r) => `${folder}${r}/`).join(', ')}); `
        + `${events.length} "${DETAIL_TYPES.datasetReady}" event${events.length === 1 ? '' : 's'} arrived through rule ${catcher.ruleName}, one per execution, `
        + `all of run ${runId}` + (problems.length ? `; ${problems.join('; ')}` : ''),
    };
    say(`  (5) schedule and events: ${check.ok ? 'OK' : 'FAILED'} ${check.detail}`);
    if (events[0]) say(`      the event that arrived:\n${JSON.stringify(events[0], null, 2).split('\n').map((l) => `        ${l}`).join('\n')}`);
    return {
      checks: [...proved.checks, check],
      events,
      summary: { ...proved.summary, status: proved.summary.status === 'Success' && check.ok ? 'Success' : 'Failed', firings: SCHEDULE_FIRINGS, datasets: runs.length, event: events[0]?.['detail-type'] ?? null },
    };
  } finally {
    await catcher.dispose();
  }
}

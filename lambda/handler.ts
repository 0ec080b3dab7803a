/**
 * The SyntheticDataGenerator function: one invocation makes one object of synthetic rows in the bucket (CSV, JSON
 * Lines or Parquet), a dataset of related tables, or one step of a sharded run (plan, one part, the manifest) for the
 * construct's state machine.
 *
 * This file only routes an event to its use case (lambda/actions/) and is the one place a failure is explained, logged,
 * counted and announced (lambda/failures.ts). Every object takes the same road (lambda/pipeline.ts): the engine's chunks
 * → the object writer → S3, once per request id, stopped at the invocation's deadline. Nothing is kept between
 * invocations except the parsed configuration and the SDK clients.
 */
import { performance } from 'node:perf_hooks';
import type { Context } from 'aws-lambda';
import { writeDataset } from './actions/dataset';
import { planRun } from './actions/plan-run';
import { requireSettingsOfPlan } from './actions/run-settings';
import { writeSingleObject } from './actions/single-object';
import { writeManifest } from './actions/write-manifest';
import { writePart } from './actions/write-part';
import { announceFailed } from './announcements';
import { loadConfig } from './config';
import { startDeadline } from './deadline';
import { explainFailure, failedStepOf, logFailure } from './failures';
import { logger, type Invocation, type Progress } from './invocation';
import { publishMetrics, recordFailure, startMetrics } from './metrics';
import type { DatasetResult, GeneratorResult, ManifestResult, PartResult, RunPlanResult } from './results';
import { ENV } from '../src/contract/environment';
import { validateRunEvent } from '../src/contract/runs';
import { validateInvocationEvent } from '../src/contract/settings';

export type { DatasetResult, GeneratorEvent, GeneratorResult, ManifestResult, PartResult, RunPlanResult } from './results';

// The answer's type follows the event's: a step of the state machine, or else one object (or a dataset).
export async function handler(event: { action: 'planRun'; [field: string]: unknown }, context: Context): Promise<RunPlanResult>;
export async function handler(event: { action: 'writePart'; [field: string]: unknown }, context: Context): Promise<PartResult>;
export async function handler(event: { action: 'writeManifest'; [field: string]: unknown }, context: Context): Promise<ManifestResult>;
export async function handler(event: unknown, context: Context): Promise<GeneratorResult | DatasetResult>;
export async function handler(
  event: unknown, context: Context,
): Promise<GeneratorResult | DatasetResult | RunPlanResult | PartResult | ManifestResult> {
  logger.addContext(context);
  const startedAt = performance.now();
  const deadline = startDeadline(context.getRemainingTimeInMillis());
  const progress: Progress = { step: 'configure' };
  startMetrics(process.env[ENV.DATASET_NAME] ?? '', context.awsRequestId);
  try {
    // Everything that can be wrong with the configuration or the event is found before anything is written.
    const config = loadConfig();
    const inRun = isRunEvent(event);
    const invocation: Invocation = { config, context, deadline, startedAt, inRun, progress };
    if (inRun) {
      // Settings changed since the plan: say so, rather than how the event no longer fits the new plan.
      if (typeof event.settings === 'string') requireSettingsOfPlan(config, event.settings);
      const step = validateRunEvent(event, config.plan);
      switch (step.action) {
        case 'planRun': return planRun(invocation, step.runId);
        case 'writePart': return await writePart(invocation, step.runId, step.part);
        case 'writeManifest': return await writeManifest(invocation, step.runId, step.parts);
      }
    }
    const overrides = validateInvocationEvent(event, config.maxRows);
    if (config.dataset) return await writeDataset(invocation, event, overrides);
    return await writeSingleObject(invocation, event, overrides);
  } catch (e) {
    const explained = progress.target ? await explainFailure(e, progress.target) : e;
    logFailure(failedStepOf(progress.step, e), explained);
    recordFailure();
    if (progress.singleObject) await announceFailed(progress.singleObject, explained);
    throw explained;
  } finally {
    deadline.dispose();
    publishMetrics();
  }
}

/** An event of the state machine names its step; a test event does not. */
function isRunEvent(event: unknown): event is Record<string, unknown> {
  return typeof event === 'object' && event !== null && !Array.isArray(event) && 'action' in event;
}

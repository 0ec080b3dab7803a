/**
 * A single object's (or a dataset's) events, with their log lines: the handler's side of lambda/events.ts. A sharded
 * run's events are published by its state machine, not here.
 */
import type { GeneratorConfig } from './config';
import { announceObjectFailed, announceObjectReady, type SingleObject } from './events';
import { logger } from './invocation';

/** What the events of the object(s) one invocation makes are about. */
export function singleObjectOf(config: GeneratorConfig, runId: string, requestId: string): SingleObject {
  const { bucket, keyPrefix, datasetName, outputFormat } = config;
  return { bucket, keyPrefix, datasetName, output: outputFormat, runId, requestId };
}

/** "Synthetic Dataset Ready", and its `published` line when the generator publishes events. */
export async function announceReady(object: SingleObject, ready: Parameters<typeof announceObjectReady>[1]): Promise<void> {
  if (await announceObjectReady(object, ready)) logger.info('published', { step: 'published', event: 'datasetReady', runId: object.runId });
}

/** "Synthetic Data Run Failed"; a failure to publish it is only a warning, so the invocation's own error is what it throws. */
export async function announceFailed(object: SingleObject, error: unknown): Promise<void> {
  await announceObjectFailed(object, error).catch((problem: unknown) => logger.warn('could not publish the failure event', { step: 'published', error: problem as Error }));
}

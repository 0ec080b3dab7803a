/**
 * The name and seed of a single object: a scheduled firing's (the event carries `scheduledTime`, see
 * src/contract/schedule.ts) names the object after its slot, so a firing delivered twice finds its object already
 * there; any other invocation's is its request id, as before.
 */
import { seedFromRequestId, seedFromRunId } from './seed';
import { runIdOfScheduledTime, SCHEDULED_TIME_FIELD } from '../src/contract/schedule';

export interface ObjectName {
  /** What the object's key and events are named after: `scheduled-…` or the request id. */
  readonly runId: string;
  /** The seed when neither the event nor the construct gives one. */
  readonly seed: number;
  readonly seedSource: 'scheduledTime' | 'requestId';
}

export function nameSingleObject(event: unknown, requestId: string): ObjectName {
  const scheduledTime = typeof event === 'object' && event !== null ? (event as Record<string, unknown>)[SCHEDULED_TIME_FIELD] : undefined;
  if (scheduledTime === undefined) return { runId: requestId, seed: seedFromRequestId(requestId), seedSource: 'requestId' };
  const runId = runIdOfScheduledTime(`event.${SCHEDULED_TIME_FIELD}`, scheduledTime);
  return { runId, seed: seedFromRunId(runId), seedSource: 'scheduledTime' };
}

/**
 * Scheduled runs: the run id of a firing of the construct's EventBridge Scheduler schedule, shared by the construct (the
 * target's input, at synth time) and the handler (which names the dataset after it).
 *
 * A schedule's target input carries the firing's scheduled time, `<aws.scheduler.scheduled-time>`, which Scheduler
 * renders as `2026-01-01T02:00:00Z` and keeps for every retry of that firing. The run id is made from it alone, so a
 * slot that fires twice (Scheduler retries a delivery it is not sure of) names the same dataset twice, and the
 * dataset's objects, written once each (`If-None-Match: *`), are made once. It imports only contract modules.
 */
import { fail } from './errors';

/** The field of a scheduled event (the execution input of a sharded run, the event of a single object). */
export const SCHEDULED_TIME_FIELD = 'scheduledTime';

/** What Scheduler puts in the target input in place of the scheduled time (aws-scheduler's ContextAttribute.scheduledTime). */
export const SCHEDULED_TIME_PLACEHOLDER = '<aws.scheduler.scheduled-time>';

/** The prefix of every scheduled run id: `scheduled-20260101T020000Z`. */
export const SCHEDULED_RUN_PREFIX = 'scheduled-';

/** A UTC time to the second, as Scheduler renders its scheduled time (fractions of a second are accepted and dropped). */
const SCHEDULED_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;

/**
 * The run id of a firing: `scheduled-` and the scheduled time in ISO 8601 basic form (`scheduled-20260101T020000Z`),
 * which a run id (and an S3 folder name) can hold, where the extended form's `:` cannot.
 */
export function runIdOfScheduledTime(where: string, value: unknown): string {
  const match = typeof value === 'string' ? SCHEDULED_TIME.exec(value) : null;
  if (!match || Number.isNaN(Date.parse(value as string))) {
    fail(where, value, 'expected the scheduled time of an EventBridge Scheduler firing, a UTC time such as "2026-01-01T02:00:00Z" '
      + `(the target input's ${SCHEDULED_TIME_PLACEHOLDER})`);
  }
  const [, year, month, day, hour, minute, second] = match!;
  return `${SCHEDULED_RUN_PREFIX}${year}${month}${day}T${hour}${minute}${second}Z`;
}

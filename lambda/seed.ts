/**
 * The seed of an invocation that was given none: derived from its request id.
 *
 * Each invocation still gets a seed of its own, but a retry of the same request (same request id)
 * makes the very file the first attempt made, so what a retry reports is true of the stored object.
 */
import { createHash } from 'node:crypto';

export function seedFromRequestId(requestId: string): number {
  return createHash('sha256').update(requestId).digest().readUInt32BE(0);
}

/**
 * The seed of a sharded run that was given none: derived from its run id, so that every part of the run, and
 * every start of the same run id, makes the same rows.
 */
export function seedFromRunId(runId: string): number {
  return createHash('sha256').update(`run:${runId}`).digest().readUInt32BE(0);
}

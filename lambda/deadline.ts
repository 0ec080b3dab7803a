/**
 * The invocation's deadline as an AbortSignal, so that every S3 request stops in time for the handler to
 * clean up and say what happened, rather than being frozen mid-request when Lambda's timeout strikes.
 *
 * The signal fires at the time left at the start minus a reserve: the smaller of 10 s and 10% of the time
 * left. The reserve pays for what follows the deadline (aborting the multipart upload, removing spool
 * files, the failure's log line): 10 s is ample for those few requests, and 10% keeps most of a short
 * timeout for the work itself (a 15 s timeout keeps 1.5 s).
 */
import { performance } from 'node:perf_hooks';

export const MAX_RESERVE_MS = 10_000;
export const RESERVE_FRACTION = 0.1;

export interface Deadline {
  readonly signal: AbortSignal;
  /** `context.getRemainingTimeInMillis()` when the deadline was set. */
  readonly remainingAtStartMs: number;
  /** Time kept back for cleanup and logging. */
  readonly reserveMs: number;
  /** Time from the start until the signal fires. */
  readonly budgetMs: number;
  /** Time allowed for each cleanup request after the signal fired (half the reserve, at least 1 s). */
  readonly cleanupTimeoutMs: number;
  /** Milliseconds since the deadline was set. */
  elapsedMs(): number;
  /** Stops the timer (the invocation is over). */
  dispose(): void;
}

/** Fired into the signal; `budgetMs` says how long the work had. */
export class DeadlineReachedError extends Error {
  constructor(readonly budgetMs: number) {
    super(`the invocation's deadline passed after ${budgetMs} ms`);
    this.name = 'DeadlineReachedError';
  }
}

export function startDeadline(remainingMs: number): Deadline {
  const remainingAtStartMs = Math.max(0, Math.floor(remainingMs));
  const reserveMs = Math.min(MAX_RESERVE_MS, Math.floor(remainingAtStartMs * RESERVE_FRACTION));
  const budgetMs = remainingAtStartMs - reserveMs;
  const startedAt = performance.now();
  const controller = new AbortController();
  // No time at all: fired now, so the first check fails rather than the first check after a timer turn.
  if (budgetMs <= 0) controller.abort(new DeadlineReachedError(budgetMs));
  const timer = setTimeout(() => controller.abort(new DeadlineReachedError(budgetMs)), budgetMs);
  // Never what keeps the process alive.
  timer.unref();
  return {
    signal: controller.signal,
    remainingAtStartMs,
    reserveMs,
    budgetMs,
    cleanupTimeoutMs: Math.max(1_000, Math.floor(reserveMs / 2)),
    elapsedMs: () => Math.round(performance.now() - startedAt),
    dispose: () => clearTimeout(timer),
  };
}

/**
 * One invocation's surroundings, shared by the router and every use case: the structured logger, the deadline, and how
 * far the invocation got (the step a failure belongs to, and what it is explained with).
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { GeneratorConfig } from './config';
import type { Deadline } from './deadline';
import type { SingleObject } from './events';
import { LOG_SERVICE_NAME } from '../src/contract/environment';

// Built once per execution environment and reused by warm invocations; every module of the handler logs through it.
export const logger = new Logger({ serviceName: LOG_SERVICE_NAME });

export type Step = 'configure' | 'start' | 'write' | 'upload';

/** What a failure is explained with. */
export interface Target {
  readonly bucket: string;
  readonly key: string;
  readonly keyPrefix: string;
  readonly tmpDir: string;
  readonly rows: number;
  readonly deadline: Deadline;
  /** Set for a step of a sharded run, whose fixes differ (more shards, start the run again). */
  readonly inRun?: true;
}

/** How far an invocation got: what its failure is logged, explained and announced with. */
export interface Progress {
  step: Step;
  target?: Target;
  /** A single object, once named: what its failure event is about. */
  singleObject?: SingleObject;
}

/** One invocation's surroundings, for the steps it runs. */
export interface Invocation {
  readonly config: GeneratorConfig;
  readonly context: Context;
  readonly deadline: Deadline;
  readonly startedAt: number;
  /** A step of a sharded run (an event of the state machine), not a single object. */
  readonly inRun: boolean;
  readonly progress: Progress;
}

/**
 * Enters `step` on the object at `key` and returns the temp dir it spools under: from here on, a failure is explained
 * with this object (its bucket, key, rows and the deadline).
 */
export function enterStep(invocation: Invocation, step: Step, key: string, rows: number): string {
  const { config, deadline, progress } = invocation;
  const tmpDir = os.tmpdir();
  progress.step = step;
  progress.target = {
    bucket: config.bucket, key, keyPrefix: config.keyPrefix, tmpDir, rows, deadline, ...(invocation.inRun ? { inRun: true as const } : {}),
  };
  return tmpDir;
}

/** Milliseconds since `start` (a `performance.now()`), rounded. */
export function since(start: number): number {
  return Math.round(performance.now() - start);
}

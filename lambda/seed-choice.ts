/**
 * Which seed an invocation uses, and where it came from (the `seedSource` of the `start` line): the one rule for a single
 * object and a dataset, and the one for every step of a sharded run.
 */
import type { GeneratorConfig } from './config';
import type { ObjectName } from './scheduled';
import { seedFromRunId } from './seed';
import type { InvocationOverrides } from '../src/contract/settings';

export interface SeedChoice {
  readonly seed: number;
  readonly seedSource: 'event' | 'environment' | ObjectName['seedSource'];
}

/** The seed of a single object or a dataset: the event's, else the construct's, else the one its name gives. */
export function seedOfInvocation(overrides: InvocationOverrides, config: GeneratorConfig, name: ObjectName): SeedChoice {
  if (overrides.seed !== undefined) return { seed: overrides.seed, seedSource: 'event' };
  if (config.seed !== undefined) return { seed: config.seed, seedSource: 'environment' };
  return { seed: name.seed, seedSource: name.seedSource };
}

/** The seed of a run: the construct's, or else the run id's own, the same for every part and every start. */
export function seedOfRun(config: GeneratorConfig, runId: string): { seed: number; seedSource: 'environment' | 'runId' } {
  return config.seed !== undefined ? { seed: config.seed, seedSource: 'environment' } : { seed: seedFromRunId(runId), seedSource: 'runId' };
}

/** The first step of a sharded run: the parts the state machine maps over, with the seed and the settings' fingerprint. */
import { logger, type Invocation } from '../invocation';
import type { RunPlanResult } from '../results';
import { seedOfRun } from '../seed-choice';
import { settingsOf } from './run-settings';
import { runFolder } from '../../src/contract/runs';

export function planRun(invocation: Invocation, runId: string): RunPlanResult {
  const { config } = invocation;
  const plan = config.plan!;
  const { seed, seedSource } = seedOfRun(config, runId);
  const result = { runId, settings: settingsOf(config), seed, rows: config.rows, parts: plan };
  logger.info('planned', {
    step: 'planned',
    runId,
    seed,
    seedSource,
    rows: config.rows,
    parts: plan.length,
    rowsPerPart: plan[0].rows,
    folder: runFolder(config.keyPrefix, config.datasetName, runId),
  });
  return result;
}

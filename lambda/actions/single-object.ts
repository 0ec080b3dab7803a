/** The plain use case: one object of the function's schema, named after the request (or a schedule's slot). */
import { InvalidInputError } from '../../src/contract/errors';
import { fileExtension } from '../../src/contract/output-format';
import { objectKey, type InvocationOverrides } from '../../src/contract/settings';
import { announceReady, singleObjectOf } from '../announcements';
import type { Invocation } from '../invocation';
import { writeDataObject } from '../pipeline';
import type { GeneratorResult } from '../results';
import { nameSingleObject } from '../scheduled';
import { seedOfInvocation } from '../seed-choice';

export async function writeSingleObject(invocation: Invocation, event: unknown, overrides: InvocationOverrides): Promise<GeneratorResult> {
  const { config, context } = invocation;
  if (overrides.rows === undefined && config.plan && config.rows > config.maxRows) {
    throw new InvalidInputError(`this function makes its ${config.rows} rows as a sharded run of ${config.plan.length} parts: start its state machine, `
      + `or invoke it with {"rows": n} for one object of at most ${config.maxRows} rows`);
  }
  const rows = overrides.rows ?? config.rows;
  const name = nameSingleObject(event, context.awsRequestId);
  const { seed, seedSource } = seedOfInvocation(overrides, config, name);
  const key = objectKey(config.keyPrefix, config.datasetName, name.runId, fileExtension(config.outputFormat));
  const object = singleObjectOf(config, name.runId, context.awsRequestId);
  invocation.progress.singleObject = object;
  const run = { schema: config.schema, output: config.outputFormat, seed, rowCount: rows };
  const written = await writeDataObject(invocation, { key, run, seedSource });
  await announceReady(object, { ...written, keys: [written.key] });
  return written;
}

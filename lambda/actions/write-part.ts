/** A step of a sharded run: one part, rows `firstRow` onwards of the single table or of one table of the dataset. */
import { InvalidInputError } from '../../src/contract/errors';
import { fileExtension } from '../../src/contract/output-format';
import { partKey, type ShardDescriptor } from '../../src/contract/runs';
import type { GeneratorConfig } from '../config';
import type { ObjectRun } from '../driver';
import type { Invocation } from '../invocation';
import { writeDataObject } from '../pipeline';
import type { PartResult } from '../results';
import { seedOfRun } from '../seed-choice';

export async function writePart(invocation: Invocation, runId: string, part: ShardDescriptor): Promise<PartResult> {
  const { config } = invocation;
  const { seed, seedSource } = seedOfRun(config, runId);
  const key = partKey(config.keyPrefix, config.datasetName, runId, part.index, fileExtension(config.outputFormat), part.table);
  const written = await writeDataObject(invocation, {
    key,
    run: partRun(config, part, seed),
    seedSource,
    logFields: { runId, part: part.index, ...(part.table === undefined ? {} : { table: part.table }), firstRow: part.firstRow },
  });
  return { ...written, runId, index: part.index, ...(part.table === undefined ? {} : { table: part.table }), firstRow: part.firstRow };
}

/** What a part of a run makes: rows of the single table, or of one table of the dataset. */
function partRun(config: GeneratorConfig, part: ShardDescriptor, seed: number): ObjectRun {
  const { dataset } = config;
  const table = dataset && part.table !== undefined ? dataset.tables.find((candidate) => candidate.name === part.table) : undefined;
  if (dataset && !table) throw new InvalidInputError(`part ${part.index} names table ${String(part.table)}, which the dataset does not have`);
  return {
    schema: table ?? config.schema,
    output: config.outputFormat,
    seed,
    firstRow: part.firstRow,
    rowCount: part.rows,
    // A part of a single table: the run's rows are the table's (a dataset's table knows its own).
    ...(table ? { dataset: { document: dataset!, table: table.name } } : { tableRows: config.rows }),
  };
}

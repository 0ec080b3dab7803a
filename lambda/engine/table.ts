/**
 * A schema compiled for one seed: what the engine needs to make any row range of the run, in any format.
 */
import type { DistinctKind } from './distinct';
import { compileGenerator, type ColumnGenerator } from './generators';
import { runKeys, type RunKeys } from './random';
import { tableSeed } from './references';
import type { DatasetDocument } from '../../src/contract/dataset-document';
import type { SchemaDocument } from '../../src/contract/schema-document';

/** A table of a dataset: the dataset's tables, and which one this is. */
export interface DatasetTableRef {
  readonly document: DatasetDocument;
  readonly table: string;
}

export interface CompiledTable {
  readonly names: readonly string[];
  /** Per column, what its cells are (generators.ts). */
  readonly generators: readonly ColumnGenerator[];
  /** Per column: a cell is null when its null draw (uint32) is below this; 0 for columns without nulls. */
  readonly nullBelow: Float64Array;
  readonly keys: RunKeys;
  /** How each column's distinct values are counted. */
  readonly distinctKinds: readonly DistinctKind[];
}

/** Which draw of a cell decides whether it is null; generators use draws below this. */
export const NULL_DRAW = 15;

/**
 * Compiles a validated schema for `seed`. Equal (schema, seed) compile to generators that make equal values. A table of
 * a dataset is made with a seed of its own (the run's seed and its name), and its references find their parents there.
 */
export function compileTable(schema: SchemaDocument, runSeed: number, dataset?: DatasetTableRef): CompiledTable {
  const seed = dataset === undefined ? runSeed : tableSeed(runSeed, dataset.table);
  const context = dataset === undefined ? undefined : { dataset: dataset.document, seed: runSeed };
  const generators = schema.columns.map((column, index) => compileGenerator(column, seed, index, context));
  return {
    names: schema.columns.map((column) => column.name),
    generators,
    nullBelow: new Float64Array(schema.columns.map((column) => ((column.nullPercent ?? 0) / 100) * 4294967296)),
    keys: runKeys(seed, generators.length),
    distinctKinds: generators.map((generator) => generator.distinct),
  };
}

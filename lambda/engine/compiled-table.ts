/**
 * A schema compiled for one seed: what the engine needs to make any row range of the run, in any format.
 */
import { compileDerivedColumns } from './derived';
import type { DistinctKind } from './distinct-counters';
import { compileGenerator } from './generators';
import { nullBelowOf, type ColumnGenerator } from './kernel';
import { runKeys, type RunKeys } from './random';
import { tableSeed } from './references';
import type { SchemaDocument } from '../../src/contract/column-documents';
import type { DatasetDocument } from '../../src/contract/dataset-document';

/** A table of a dataset: the dataset's tables, and which one this is. */
export interface DatasetTableRef {
  readonly document: DatasetDocument;
  readonly table: string;
}

export interface CompiledTable {
  readonly names: readonly string[];
  /** Per column, what its cells are (generators.ts). */
  readonly generators: readonly ColumnGenerator[];
  /**
   * Per column: a cell is null when its null draw (uint32) is below this; 0 for columns without nulls; -1 when
   * `nullWhen` decides (a derived column, null where its operands are).
   */
  readonly nullBelow: Float64Array;
  /** Per column whose nullBelow is -1: whether the cell is null. */
  readonly nullWhen: ReadonlyArray<((cell: number, row: number) => boolean) | undefined>;
  readonly keys: RunKeys;
  /** How each column's distinct values are counted. */
  readonly distinctKinds: readonly DistinctKind[];
}

/** Which rows of which table a compiled table makes. */
export interface TableScope {
  /** The table's rows in the whole run (all parts together): what a column spread over the run's rows needs. */
  readonly tableRows: number;
  /** The dataset the table belongs to, when it is one table of several. */
  readonly dataset?: DatasetTableRef;
}

/**
 * Compiles a validated schema for `seed`. Equal (schema, seed, scope) compile to generators that make equal values. A
 * table of a dataset is made with a seed of its own (the run's seed and its name), and its references find their parents
 * there.
 */
export function compileTable(schema: SchemaDocument, runSeed: number, scope: TableScope): CompiledTable {
  const { dataset, tableRows } = scope;
  const seed = dataset === undefined ? runSeed : tableSeed(runSeed, dataset.table);
  const keys = runKeys(seed, schema.columns.length);
  const datasetContext = dataset === undefined ? undefined : { dataset: dataset.document, seed: runSeed };
  const tableContext = { seed, keys, columns: schema.columns, tableRows, dataset: datasetContext };
  const derived = schema.columns.map((column) => column.type === 'derived');
  const generators = new Array<ColumnGenerator>(schema.columns.length);
  // Derived columns read the others: those come first, and are handed to the derived columns (derived.ts).
  const operands = new Map<number, ColumnGenerator>();
  schema.columns.forEach((column, index) => {
    if (!derived[index]) operands.set(index, compileGenerator(column, { ...tableContext, index }));
  });
  const derivedColumns = derived.includes(true) ? compileDerivedColumns(tableContext, operands) : undefined;
  (derivedColumns?.operands ?? operands).forEach((generator, index) => { generators[index] = generator; });
  schema.columns.forEach((column, index) => {
    if (derived[index]) generators[index] = compileGenerator(column, { ...tableContext, index, derivedColumns });
  });
  const nullWhen = generators.map((generator) => generator.isNull);
  return {
    names: schema.columns.map((column) => column.name),
    generators,
    nullBelow: new Float64Array(schema.columns.map((column, c) => (nullWhen[c] === undefined ? nullBelowOf(column.nullPercent) : -1))),
    nullWhen,
    keys,
    distinctKinds: generators.map((generator) => generator.distinct),
  };
}

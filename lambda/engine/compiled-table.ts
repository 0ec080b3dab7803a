/**
 * A schema compiled for one seed: what the engine needs to make any row range of the run, in any format.
 */
import { compileDerivedColumns } from './derived';
import type { DistinctKind } from './distinct-counters';
import { compileGenerator } from './generators';
import { nullBelowOf, tableShared, type ColumnGenerator, type DatasetContext, type TableColumns } from './kernel';
import { runKeys, type RunKeys } from './random';
import { tableSeed } from './references';
import type { ColumnDocument, SchemaDocument } from '../../src/contract/column-documents';
import type { DatasetDocument } from '../../src/contract/dataset-document';

/** A table of a dataset: the dataset's tables, and which one this is. */
export interface DatasetTableRef {
  readonly document: DatasetDocument;
  readonly table: string;
}

/**
 * The written columns of a table (helper columns with `omit` are made but not written): what the formats, the
 * counters and the report see, position for position.
 */
export interface CompiledTable {
  readonly names: readonly string[];
  /** Per column, what its cells are (generators.ts). */
  readonly generators: readonly ColumnGenerator[];
  /**
   * Per column: a cell is null when its null draw (uint32) is below this; 0 for columns without nulls; -1 when
   * `nullWhen` decides (a derived column, null where its operands are; a lookup, where its parent's cell is).
   */
  readonly nullBelow: Float64Array;
  /** Per column whose nullBelow is -1: whether the cell is null. */
  readonly nullWhen: ReadonlyArray<((cell: number, row: number) => boolean) | undefined>;
  /** The table's keys, with the written columns' keys in `columnKeys` (their cells are the same as in `all`). */
  readonly keys: RunKeys;
  /** How each column's distinct values are counted. */
  readonly distinctKinds: readonly DistinctKind[];
  /** The schema's columns that are written, in order: `written[c]` is the schema position of column c. */
  readonly written: readonly number[];
  /** Every column of the table, helpers included, by schema position: what expressions and lookups read. */
  readonly all: TableColumns;
  /** Of a table of a dataset: the dataset's tables, compiled as its lookups read them (for the report's recheck). */
  readonly tableOf?: (name: string) => TableColumns;
}

/** Which rows of which table a compiled table makes. */
export interface TableScope {
  /** The table's rows in the whole run (all parts together): what a column spread over the run's rows needs. */
  readonly tableRows: number;
  /** The dataset the table belongs to, when it is one table of several. */
  readonly dataset?: DatasetTableRef;
}

/** The schema positions of the columns a table writes. */
export function writtenColumns(columns: readonly ColumnDocument[]): number[] {
  return columns.flatMap((column, c) => (column.omit === true ? [] : [c]));
}

/**
 * Compiles a validated schema for `seed`. Equal (schema, seed, scope) compile to generators that make equal values. A
 * table of a dataset is made with a seed of its own (the run's seed and its name), and its references and lookups find
 * their parents there.
 */
export function compileTable(schema: SchemaDocument, runSeed: number, scope: TableScope): CompiledTable {
  return compileWith(schema, runSeed, scope, new Map());
}

/** compileTable, sharing `compiled` (the dataset's other tables, by name) among the lookups of one compilation. */
function compileWith(schema: SchemaDocument, runSeed: number, scope: TableScope, compiled: Map<string, TableColumns>): CompiledTable {
  const { dataset, tableRows } = scope;
  const seed = dataset === undefined ? runSeed : tableSeed(runSeed, dataset.table);
  const keys = runKeys(seed, schema.columns.length);
  const datasetContext = dataset === undefined ? undefined : datasetContextOf(dataset, runSeed, compiled);
  const derived = schema.columns.map((column) => column.type === 'derived');
  // Each column that is not derived, compiled once, on demand: a timestampAfter shares the one it follows.
  const siblings = new Map<number, ColumnGenerator>();
  const siblingOf = (index: number): ColumnGenerator => {
    let generator = siblings.get(index);
    if (generator === undefined) {
      generator = compileGenerator(schema.columns[index], { ...tableContext, index });
      siblings.set(index, generator);
    }
    return generator;
  };
  // One per compilation of the table: its columns share a followed reference, a lookup's path, the row's hash.
  const shared = tableShared();
  const tableContext = { seed, keys, columns: schema.columns, tableRows, dataset: datasetContext, siblingOf, shared };
  const generators = new Array<ColumnGenerator>(schema.columns.length);
  // Derived columns read the others: those come first, and are handed to the derived columns (derived.ts).
  const operands = new Map<number, ColumnGenerator>();
  schema.columns.forEach((_column, index) => {
    if (!derived[index]) operands.set(index, siblingOf(index));
  });
  const derivedColumns = derived.includes(true) ? compileDerivedColumns(tableContext, operands) : undefined;
  (derivedColumns?.operands ?? operands).forEach((generator, index) => { generators[index] = generator; });
  schema.columns.forEach((column, index) => {
    if (derived[index]) generators[index] = compileGenerator(column, { ...tableContext, index, derivedColumns });
  });
  const nullWhen = generators.map((generator) => generator.isNull);
  const nullBelow = new Float64Array(schema.columns.map((column, c) => (nullWhen[c] === undefined ? nullBelowOf(column.nullPercent) : -1)));
  const all: TableColumns = { generators, nullBelow, nullWhen, keys, columns: schema.columns };
  const written = writtenColumns(schema.columns);
  const writtenGenerators = written.map((c) => generators[c]);
  return {
    names: written.map((c) => schema.columns[c].name),
    generators: writtenGenerators,
    nullBelow: Float64Array.from(written, (c) => nullBelow[c]),
    nullWhen: written.map((c) => nullWhen[c]),
    keys: written.length === schema.columns.length ? keys : { ...keys, columnKeys: Uint32Array.from(written, (c) => keys.columnKeys[c]) },
    distinctKinds: writtenGenerators.map((generator) => generator.distinct),
    written,
    all,
    ...(datasetContext === undefined ? {} : { tableOf: datasetContext.tableOf }),
  };
}

/** A dataset's context for one of its tables: the other tables compiled on demand, once per compilation. */
function datasetContextOf(dataset: DatasetTableRef, runSeed: number, compiled: Map<string, TableColumns>): DatasetContext {
  const tableOf = (name: string): TableColumns => {
    let table = compiled.get(name);
    if (table === undefined) {
      const document = dataset.document.tables.find((other) => other.name === name);
      if (document === undefined) throw new Error(`table ${name} is not in the dataset: a bug`);
      table = compileWith({ columns: document.columns }, runSeed, { tableRows: document.rows, dataset: { ...dataset, table: name } }, compiled).all;
      compiled.set(name, table);
    }
    return table;
  };
  return { dataset: dataset.document, seed: runSeed, table: dataset.table, tableOf };
}

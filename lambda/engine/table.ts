/**
 * A schema compiled for one seed: what the engine needs to write any row range of the run.
 */
import type { WriteCell } from './cell-writer';
import { compileColumn } from './columns';
import { csvHeaderBytes } from './csv-text';
import type { DistinctKind } from './distinct';
import { runKeys, type RunKeys } from './random';
import type { SchemaDocument } from '../../src/contract/schema-document';

export interface CompiledTable {
  readonly header: Uint8Array;
  /** Per column, its writer's write function. */
  readonly writeCell: readonly WriteCell[];
  /** Per column: a cell is null when its null draw (uint32) is below this; 0 for columns without nulls. */
  readonly nullBelow: Float64Array;
  readonly keys: RunKeys;
  /** The most bytes one row can take, separators and line end included. */
  readonly maxRowBytes: number;
  /** How each column's distinct values are counted. */
  readonly distinctKinds: readonly DistinctKind[];
}

/** Compiles a validated schema for `seed`. Equal (schema, seed) compile to writers that make equal bytes. */
export function compileTable(schema: SchemaDocument, seed: number): CompiledTable {
  const writers = schema.columns.map((column, index) => compileColumn(column, seed, index));
  const nullBelow = new Float64Array(schema.columns.map((column) => ((column.nullPercent ?? 0) / 100) * 4294967296));
  return {
    header: csvHeaderBytes(schema.columns.map((column) => column.name)),
    writeCell: writers.map((writer) => writer.write),
    distinctKinds: writers.map((writer) => writer.distinct),
    nullBelow,
    keys: runKeys(seed, writers.length),
    maxRowBytes: writers.reduce((sum, writer) => sum + writer.maxBytes + 1, 0),
  };
}

/**
 * What the expression checker makes and the engine compiles: the types of expression nodes, the typed tree, the error
 * of an expression, and the type of a column that an expression names.
 */
import type { ColumnDocument, LookupColumnDocument, ReferenceColumnDocument } from './column-documents';
import { decimalPrecision, decimalSteps } from './decimal';
import { FAKER_METHOD_TYPES } from './faker-methods';
import { MAX_EXACT, MAX_ROWS_CEILING, TIMESTAMP_RANGE } from './limits';
import { ownValue } from './own-keys';

/** The type of an expression node, with what interval arithmetic knows of its values. */
export type ExpressionType =
  /** A whole number (`integer`) or a decimal: unscaled values (value × 10^scale) from min to max. */
  | { readonly kind: 'exact'; readonly scale: number; readonly integer: boolean; readonly min: number; readonly max: number }
  | { readonly kind: 'double'; readonly min: number; readonly max: number }
  /** Epoch milliseconds, UTC. */
  | { readonly kind: 'timestamp'; readonly min: number; readonly max: number }
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  /** The literal `null`, before it takes the type of what it stands beside. */
  | { readonly kind: 'null' };

export type ExpressionOp =
  | 'column' | 'literal' | 'neg' | 'add' | 'sub' | 'mul' | 'div' | 'rescale' | 'toDouble' | 'roundExact' | 'roundDouble'
  | 'compare' | 'and' | 'or' | 'not' | 'if' | 'case' | 'coalesce' | 'isNull'
  | 'concat' | 'lower' | 'upper' | 'substring' | 'length' | 'string'
  | 'addTime' | 'diffDays' | 'datePart';

/** A node of a type-checked expression. */
export interface TypedExpression {
  readonly op: ExpressionOp;
  readonly type: ExpressionType;
  /** Whether the node can be null (a nullable operand, a null literal, a division by zero). */
  readonly nullable: boolean;
  /** The 0-based character of the node's token in the expression. */
  readonly at: number;
  readonly args: readonly TypedExpression[];
  /** `column`: the source column's position in the table. */
  readonly column?: number;
  /** `literal`: the value (an exact number unscaled); null for `null`. */
  readonly value?: number | string | boolean | null;
  /** `rescale`, `toDouble`, `roundExact`, `roundDouble`: the power of ten; `addTime`: milliseconds per unit. */
  readonly factor?: number;
  /** `compare`: the operator; `datePart`: the part; `column`: the column's name. */
  readonly name?: string;
}

/** An error in an expression, at a character of it; the caller says which table and column. */
export class ExpressionError extends Error {
  constructor(readonly at: number, readonly detail: string) {
    super(`at character ${at}: ${detail}`);
    this.name = 'ExpressionError';
  }
}

export const STRING: ExpressionType = { kind: 'string' };
export const BOOLEAN: ExpressionType = { kind: 'boolean' };
const UNBOUNDED_DOUBLE: ExpressionType = { kind: 'double', min: -Infinity, max: Infinity };

/** The name of a type in messages: `bigint`, `decimal(5,2)`, `double`, ... */
export function typeName(type: ExpressionType): string {
  if (type.kind !== 'exact') return type.kind;
  return type.integer ? 'bigint' : `decimal(${decimalPrecision(type.scale, type.min, type.max)},${type.scale})`;
}

/** What a column is to an expression that names it: its type and bounds, and whether it has nulls. */
export interface ExpressionSource {
  readonly type: ExpressionType;
  readonly nullable: boolean;
}

export function exact(scale: number, integer: boolean, min: number, max: number): ExpressionType {
  return { kind: 'exact', scale, integer, min, max };
}

/** The type of a column that is not derived (a reference: of the key it takes). */
export function sourceOf(
  column: ColumnDocument, keyOf?: (related: ReferenceColumnDocument | LookupColumnDocument) => ColumnDocument,
): ExpressionSource {
  if (column.type === 'lookup') {
    // A looked-up value is the parent column's, nulls included (contract/lookups.ts).
    if (keyOf === undefined) throw new Error(`column ${column.name} is a lookup: type it with its dataset: a bug`);
    return sourceOf(keyOf(column));
  }
  // A timestampAfter is null where the timestamp it follows is, which only its table knows: nullable, to be safe.
  const nullable = (column.nullPercent ?? 0) > 0 || column.type === 'timestampAfter' || (column.type === 'seriesTime' && column.start !== undefined);
  const type = ((): ExpressionType => {
    switch (column.type) {
      case 'integer':
        return exact(0, true, column.min, column.max);
      case 'decimal': {
        const { low, high } = decimalSteps(column.min, column.max, column.fractionDigits);
        return exact(column.fractionDigits, false, low, high);
      }
      case 'sequence': {
        const last = column.start + column.step * (MAX_ROWS_CEILING - 1);
        return exact(0, true, Math.min(column.start, last), Math.max(column.start, last));
      }
      case 'timestamp':
        return { kind: 'timestamp', min: Date.parse(column.from), max: Date.parse(column.to) };
      case 'timestampAfter':
        return { kind: 'timestamp', ...TIMESTAMP_RANGE };
      case 'seriesTime':
        return { kind: 'timestamp', min: Date.parse(column.from), max: Date.parse(column.to) };
      case 'seriesValue':
        return UNBOUNDED_DOUBLE;
      case 'uuid':
      case 'oneOf':
        return STRING;
      case 'faker':
        switch (ownValue(FAKER_METHOD_TYPES, column.method) ?? 'string') {
          case 'bigint':
            return exact(0, true, -MAX_EXACT, MAX_EXACT);
          case 'double':
            return UNBOUNDED_DOUBLE;
          case 'timestamp':
            return { kind: 'timestamp', ...TIMESTAMP_RANGE };
          case 'boolean':
            return BOOLEAN;
          default:
            return STRING;
        }
      case 'reference':
        if (keyOf === undefined) throw new Error(`column ${column.name} is a reference: type it with its dataset: a bug`);
        return sourceOf(keyOf(column)).type;
      case 'derived':
        throw new Error(`column ${column.name} is derived: its type is its expression's: a bug`);
    }
  })();
  return { type, nullable };
}

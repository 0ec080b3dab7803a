/**
 * The one logical type of each column, used by every output format (how a cell is written) and by the Glue
 * Data Catalog table (what a reader declares): a column kind changes type in this one place.
 * It depends on the contract's own modules and, through the typing of derived columns, on the expression parser.
 */
import type { ColumnDocument } from './column-documents';
import { decimalPrecision, decimalSteps } from './decimal';
import { typeDerivedColumns, type TableTyping } from './derived-typing';
import type { ExpressionType } from './expression-types';
import { FAKER_METHOD_TYPES, type FakerValueType } from './faker-methods';
import { ownValue } from './own-keys';

export type LogicalType =
  | { readonly kind: 'string' }
  /** A signed 64-bit integer; the engine's values are safe integers (at most 2^53 - 1 in absolute value). */
  | { readonly kind: 'bigint' }
  | { readonly kind: 'double' }
  | { readonly kind: 'boolean' }
  /** An instant, UTC, at millisecond resolution (years 0000 to 9999). */
  | { readonly kind: 'timestamp' }
  /** A fixed-point number: `precision` digits in all, `scale` of them after the point. */
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number };

const STRING: LogicalType = { kind: 'string' };
const BIGINT: LogicalType = { kind: 'bigint' };

const OF_FAKER_VALUE: Record<FakerValueType, LogicalType> = {
  string: STRING,
  bigint: BIGINT,
  double: { kind: 'double' },
  boolean: { kind: 'boolean' },
  timestamp: { kind: 'timestamp' },
};

/**
 * The logical type of a validated column. A decimal's precision is the fewest digits that hold every value its
 * bounds allow (at least its scale, and at least 1), so a reader's DECIMAL(p, s) never overflows.
 */
export function logicalTypeOf(column: ColumnDocument): LogicalType {
  switch (column.type) {
    case 'uuid':
    case 'oneOf':
      return STRING;
    case 'integer':
    case 'sequence':
      return BIGINT;
    case 'timestamp':
    case 'timestampAfter':
    case 'seriesTime':
      return { kind: 'timestamp' };
    case 'seriesValue':
      return { kind: 'double' };
    case 'decimal': {
      const scale = column.fractionDigits;
      const { low, high } = decimalSteps(column.min, column.max, scale);
      return { kind: 'decimal', precision: decimalPrecision(scale, low, high), scale };
    }
    case 'faker':
      return OF_FAKER_VALUE[ownValue(FAKER_METHOD_TYPES, column.method) ?? 'string'];
    case 'reference':
      // A reference has its key's type, which only the dataset knows (dataset-document.ts, withKeyTypes).
      throw new Error(`column ${column.name} refers to ${column.table}.${column.column}: type it with its dataset (withKeyTypes) first`);
    case 'lookup':
      // A lookup has its parent column's type, which only the dataset knows (contract/lookups.ts, withKeyTypes).
      throw new Error(`column ${column.name} looks up ${column.through.join('.')}.${column.column}: type it with its dataset (withKeyTypes) first`);
    case 'derived':
      // A derived column has its expression's type, which only its table knows (logicalTypesOf).
      throw new Error(`column ${column.name} is derived: type it with its table (logicalTypesOf)`);
  }
}

/** The logical type of an expression's result, as every format and the catalog declare it. */
export function logicalTypeOfExpression(type: ExpressionType): LogicalType {
  switch (type.kind) {
    case 'exact':
      return type.integer ? { kind: 'bigint' } : { kind: 'decimal', precision: decimalPrecision(type.scale, type.min, type.max), scale: type.scale };
    case 'null':
      return { kind: 'string' };
    default:
      return { kind: type.kind };
  }
}

/**
 * The logical types of a table's columns (validated; references replaced by their keys, as withKeyTypes does, or
 * resolved by `typing.keyOf`): each column's own, a derived column its expression's. What the catalog, the formats'
 * tests and the engine all use, so a derived column has one type everywhere.
 */
export function logicalTypesOf(columns: readonly ColumnDocument[], typing?: Partial<TableTyping>): LogicalType[] {
  return columnTypesOf(columns, typing).map((column) => column.type);
}

/** Each column's logical type, and whether it can hold nulls (its nullPercent, or a derived column's null operands). */
export function columnTypesOf(columns: readonly ColumnDocument[], typing?: Partial<TableTyping>): Array<{ type: LogicalType; nullable: boolean }> {
  const expressions = typeDerivedColumns(columns, { whereOf: (i) => `column ${columns[i].name}`, ...typing });
  return columns.map((column, i) => {
    const expression = expressions[i];
    const nullable = (column.nullPercent ?? 0) > 0 || expression?.nullable === true;
    return { type: expression === undefined ? logicalTypeOf(column) : logicalTypeOfExpression(expression.type), nullable };
  });
}

/** The type's name in the Glue Data Catalog and Athena DDL (`bigint`, `decimal(5,2)`, ...). */
export function catalogTypeName(type: LogicalType): string {
  return type.kind === 'decimal' ? `decimal(${type.precision},${type.scale})` : type.kind;
}

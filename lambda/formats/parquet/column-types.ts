/**
 * How each logical type is stored in Parquet: the physical and logical types that Athena engine 3 (Trino), Spark,
 * pandas/pyarrow and DuckDB all read as that type, with the converted type for readers older than LogicalType.
 *
 * - string → BYTE_ARRAY, STRING (UTF8)
 * - bigint → INT64 (a plain INT64 is signed 64-bit to every reader; no annotation needed)
 * - double → DOUBLE
 * - boolean → BOOLEAN
 * - timestamp → INT64 TIMESTAMP(MICROS, isAdjustedToUTC = true) (TIMESTAMP_MICROS): not INT96, which is deprecated
 *   and whose meaning depends on the reader's settings; micros rather than millis because Spark and Athena's
 *   Hive-era readers know TIMESTAMP_MICROS best and the value is then exact in every engine's own resolution.
 * - decimal(p, s) → DECIMAL(p, s) on INT32 for p ≤ 9 and on INT64 for p ≤ 18 (LogicalTypes.md: INT64 with p < 10
 *   "will produce a warning"), with scale and precision also on the schema element for older readers.
 */
import { ConvertedType, Field, PhysicalType, Repetition } from './parquet-thrift';
import type { ThriftWriter } from './thrift-compact';
import type { LogicalType } from '../../../src/contract/logical-types';

/** One column of a Parquet file, in schema order. */
export interface ParquetColumn {
  readonly name: string;
  readonly type: LogicalType;
  /** OPTIONAL (cells may be null, with definition levels) when true; REQUIRED otherwise. */
  readonly optional: boolean;
}

/** How a column's numbers are stored, value by value. */
export type NumberStore =
  /** A whole number as a 32-bit signed integer (decimals of precision ≤ 9: the unscaled value). */
  | 'int32'
  /** A safe integer as a 64-bit signed integer (bigint; decimals of precision 10 to 18). */
  | 'int64'
  /** Epoch milliseconds as 64-bit signed epoch microseconds, computed exactly (ms × 1000 passes 2^53). */
  | 'micros'
  | 'double';

/** A column as the encoder writes it. */
export interface ColumnPlan {
  readonly name: string;
  readonly optional: boolean;
  readonly type: LogicalType;
  readonly physicalType: PhysicalType;
  /** The form of Values (lambda/engine/row-block.ts) the column's blocks must carry. */
  readonly valueKind: 'numbers' | 'booleans' | 'text';
  /** For number columns, how each value is stored. */
  readonly numberStore?: NumberStore;
}

/** Decimals of at most this precision are stored on INT32. */
const MAX_INT32_DECIMAL_PRECISION = 9;
/** What INT64 holds (LogicalTypes.md); the contract's decimals stay below. */
const MAX_INT64_DECIMAL_PRECISION = 18;

export function planColumns(columns: readonly ParquetColumn[]): ColumnPlan[] {
  if (columns.length === 0) throw new Error('a Parquet file needs at least one column: the encoder was given none');
  const seen = new Set<string>();
  return columns.map((column, index) => {
    if (typeof column.name !== 'string' || column.name.length === 0) {
      throw new Error(`Parquet column ${index} has no name (${JSON.stringify(column.name)}): every column needs a non-empty name`);
    }
    if (seen.has(column.name)) throw new Error(`Parquet column name ${JSON.stringify(column.name)} appears twice: readers find columns by name, so names must be unique`);
    seen.add(column.name);
    return planColumn(column);
  });
}

function planColumn(column: ParquetColumn): ColumnPlan {
  const base = { name: column.name, optional: column.optional, type: column.type };
  const type = column.type;
  switch (type.kind) {
    case 'string':
      return { ...base, physicalType: PhysicalType.BYTE_ARRAY, valueKind: 'text' };
    case 'bigint':
      return { ...base, physicalType: PhysicalType.INT64, valueKind: 'numbers', numberStore: 'int64' };
    case 'double':
      return { ...base, physicalType: PhysicalType.DOUBLE, valueKind: 'numbers', numberStore: 'double' };
    case 'boolean':
      return { ...base, physicalType: PhysicalType.BOOLEAN, valueKind: 'booleans' };
    case 'timestamp':
      return { ...base, physicalType: PhysicalType.INT64, valueKind: 'numbers', numberStore: 'micros' };
    case 'decimal': {
      const { precision, scale } = type;
      const valid = Number.isInteger(precision) && precision >= 1 && precision <= MAX_INT64_DECIMAL_PRECISION
        && Number.isInteger(scale) && scale >= 0 && scale <= precision;
      if (!valid) {
        throw new Error(`Parquet column ${JSON.stringify(column.name)} is decimal(${precision},${scale}): the encoder writes precision 1 to ${MAX_INT64_DECIMAL_PRECISION} with scale 0 to precision`);
      }
      const int32 = precision <= MAX_INT32_DECIMAL_PRECISION;
      return { ...base, physicalType: int32 ? PhysicalType.INT32 : PhysicalType.INT64, valueKind: 'numbers', numberStore: int32 ? 'int32' : 'int64' };
    }
    default:
      throw new Error(`Parquet column ${JSON.stringify(column.name)} has logical type ${JSON.stringify(type)}, which the encoder does not know: add it to lambda/formats/parquet/column-types.ts`);
  }
}

/** The leaf SchemaElement of a column. */
export function writeSchemaElement(thrift: ThriftWriter, plan: ColumnPlan): void {
  const F = Field.SchemaElement;
  thrift.beginStruct();
  thrift.i32Field(F.type, plan.physicalType);
  thrift.i32Field(F.repetition_type, plan.optional ? Repetition.OPTIONAL : Repetition.REQUIRED);
  thrift.stringField(F.name, plan.name);
  const type = plan.type;
  if (type.kind === 'string') {
    thrift.i32Field(F.converted_type, ConvertedType.UTF8);
    thrift.structField(F.logicalType);
    thrift.structField(Field.LogicalType.STRING);
    thrift.endStruct();
    thrift.endStruct();
  } else if (type.kind === 'timestamp') {
    thrift.i32Field(F.converted_type, ConvertedType.TIMESTAMP_MICROS);
    thrift.structField(F.logicalType);
    thrift.structField(Field.LogicalType.TIMESTAMP);
    thrift.boolField(Field.TimestampType.isAdjustedToUTC, true);
    thrift.structField(Field.TimestampType.unit);
    thrift.structField(Field.TimeUnit.MICROS);
    thrift.endStruct();
    thrift.endStruct();
    thrift.endStruct();
    thrift.endStruct();
  } else if (type.kind === 'decimal') {
    thrift.i32Field(F.converted_type, ConvertedType.DECIMAL);
    thrift.i32Field(F.scale, type.scale);
    thrift.i32Field(F.precision, type.precision);
    thrift.structField(F.logicalType);
    thrift.structField(Field.LogicalType.DECIMAL);
    thrift.i32Field(Field.DecimalType.scale, type.scale);
    thrift.i32Field(Field.DecimalType.precision, type.precision);
    thrift.endStruct();
    thrift.endStruct();
  }
  thrift.endStruct();
}

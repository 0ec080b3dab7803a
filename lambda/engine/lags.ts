/**
 * Time after another (src/contract/lags.ts): a `timestampAfter` cell is the timestamp it follows, made by that column's
 * own generator on the same row, plus a lag drawn from the cell's own hash by the number kinds' truncated laws, in
 * whole milliseconds from minLag to maxLag. Never before it, and a function of the row alone.
 *
 * The generator leaves the lag (not the instant) in VALUE_NUMBER, so the column's range and moments counters observe
 * the lags, which the conformance report checks against the declared bounds and law.
 */
import { VALUE_NUMBER } from './distinct-counters';
import { drawsNull, nullBelowOf, numberKey, rowHashesOf, VALUE_KEY, type ColumnContext, type NumberGenerator } from './kernel';
import { integerGenerator } from './primitives';
import { mix32 } from './random';
import type { TimestampAfterColumnDocument } from '../../src/contract/column-documents';
import { lagColumnOf } from '../../src/contract/lags';
import { TIMESTAMP_RANGE } from '../../src/contract/limits';

/** A timestamp column of the same row, as a column that follows it reads it: its instant and whether it is null. */
export interface RowTimestamp {
  readonly instantOf: (row: number) => number;
  /** Absent when the column has no nulls. */
  readonly isNull?: (row: number) => boolean;
}

/** Reads timestamp column `name` of the row (compiled once with its table: context.siblingOf). */
export function rowTimestampOf(context: ColumnContext, name: string, reader: string): RowTimestamp {
  const { columns, keys, siblingOf } = context;
  const rowHashes = rowHashesOf(context);
  const index = columns.findIndex((other) => other.name === name);
  if (index < 0 || siblingOf === undefined) throw new Error(`column ${reader} reads ${name}, not compiled with its table: a bug`);
  const base = siblingOf(index);
  if (base.shape === 'text') throw new Error(`column ${reader} reads ${name}, which is text: a bug`);
  const key = keys.columnKeys[index];
  const cellOf = (row: number) => mix32(rowHashes.of(row) ^ key);
  let valueOf: (cell: number, row: number) => number;
  if (base.shape === 'number') {
    valueOf = base.value;
  } else {
    const { entries, pick } = base;
    if (entries.kind !== 'numbers') throw new Error(`column ${reader} reads ${name}, which is not a timestamp: a bug`);
    valueOf = (cell, row) => entries.values[pick(cell, row)];
  }
  const nullBelow = nullBelowOf(columns[index].nullPercent);
  const baseIsNull = base.isNull;
  const isNull = baseIsNull !== undefined ? (row: number) => baseIsNull(cellOf(row), row)
    : nullBelow !== 0 ? (row: number) => drawsNull(cellOf(row), nullBelow) : undefined;
  return { instantOf: (row) => valueOf(cellOf(row), row), ...(isNull === undefined ? {} : { isNull }) };
}

export function laggedTimestampGenerator(column: TimestampAfterColumnDocument, context: ColumnContext): NumberGenerator {
  const base = rowTimestampOf(context, column.after, column.name);
  const instantOf = base.instantOf;
  const baseIsNull = base.isNull;
  const lag = integerGenerator(lagColumnOf(column)).value;
  const ownNullBelow = nullBelowOf(column.nullPercent);
  const isNull = baseIsNull !== undefined
    ? (cell: number, row: number) => (ownNullBelow !== 0 && drawsNull(cell, ownNullBelow)) || baseIsNull(row)
    : undefined;
  const max = TIMESTAMP_RANGE.max;
  const lagDistinct = integerGenerator(lagColumnOf(column)).distinct;
  return {
    shape: 'number',
    type: { kind: 'timestamp' },
    // The instants are counted by a sketch; the range and moments counters see the lags (VALUE_NUMBER).
    distinct: { kind: 'sketch', range: true, ...(lagDistinct.moments === undefined ? {} : { moments: lagDistinct.moments }) },
    ...(isNull === undefined ? {} : { isNull }),
    value(cell, row) {
      const drawn = lag(cell, row);
      // Past the last instant a timestamp can hold (9999-12-31), the lag is cut short.
      const value = Math.min(instantOf(row) + drawn, max);
      VALUE_KEY[0] = numberKey(value);
      VALUE_NUMBER[0] = drawn;
      return value;
    },
  };
}

/**
 * Time after another (src/contract/lags.ts): a `timestampAfter` cell is the timestamp it follows, made by that column's
 * own generator on the same row, plus a lag drawn from the cell's own hash by the number kinds' truncated laws, in
 * whole milliseconds from minLag to maxLag. Never before it, and a function of the row alone.
 *
 * The generator leaves the lag (not the instant) in VALUE_NUMBER, so the column's range and moments counters observe
 * the lags, which the conformance report checks against the declared bounds and law.
 */
import { VALUE_NUMBER } from './distinct-counters';
import { drawsNull, nullBelowOf, numberKey, VALUE_KEY, type ColumnContext, type NumberGenerator } from './kernel';
import { integerGenerator } from './primitives';
import { mix32, rowHash } from './random';
import type { TimestampAfterColumnDocument } from '../../src/contract/column-documents';
import { lagColumnOf } from '../../src/contract/lags';
import { TIMESTAMP_RANGE } from '../../src/contract/limits';

export function laggedTimestampGenerator(column: TimestampAfterColumnDocument, context: ColumnContext): NumberGenerator {
  const { columns, keys, siblingOf } = context;
  const baseIndex = columns.findIndex((other) => other.name === column.after);
  if (baseIndex < 0 || siblingOf === undefined) throw new Error(`column ${column.name} follows ${column.after}, not compiled with its table: a bug`);
  const base = siblingOf(baseIndex);
  if (base.shape === 'text') throw new Error(`column ${column.name} follows ${column.after}, which is text: a bug`);
  const baseKey = keys.columnKeys[baseIndex];
  const baseNullBelow = nullBelowOf(columns[baseIndex].nullPercent);
  const baseIsNull = base.isNull;
  const baseCellOf = (row: number) => mix32(rowHash(keys, row) ^ baseKey);
  const instantOf = base.shape === 'number' ? base.value
    : (() => {
      const { entries, pick } = base;
      if (entries.kind !== 'numbers') throw new Error(`column ${column.name} follows ${column.after}, which is not a timestamp: a bug`);
      return (cell: number, row: number) => entries.values[pick(cell, row)];
    })();
  const lag = integerGenerator(lagColumnOf(column)).value;
  const ownNullBelow = nullBelowOf(column.nullPercent);
  const baseNullable = baseIsNull !== undefined || baseNullBelow !== 0;
  const isNull = baseNullable
    ? (cell: number, row: number) => {
      if (ownNullBelow !== 0 && drawsNull(cell, ownNullBelow)) return true;
      const baseCell = baseCellOf(row);
      return baseIsNull !== undefined ? baseIsNull(baseCell, row) : drawsNull(baseCell, baseNullBelow);
    }
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
      const value = Math.min(instantOf(baseCellOf(row), row) + drawn, max);
      VALUE_KEY[0] = numberKey(value);
      VALUE_NUMBER[0] = drawn;
      return value;
    },
  };
}

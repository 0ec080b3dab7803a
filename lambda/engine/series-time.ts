/**
 * Series per entity (src/contract/series.ts): the i-th of a parent's n children takes an instant in the i-th of n
 * equal slots of the parent's span, [start, to] (start: the row's `start` timestamp clamped to [from, to], or `from`),
 * with jitter from its own cell inside the slot. The child's place among its parent's children comes from the
 * reference's own layout (the followed reference, shared with the key column), so any row is made alone and the series
 * is ascending within each parent. The last row's instant is kept: a series value reads it on the same row.
 */
import { VALUE_NUMBER } from './distinct-counters';
import { numberKey, VALUE_KEY, type ColumnContext, type NumberGenerator } from './kernel';
import { rowTimestampOf } from './lags';
import { draw, unit53 } from './random';
import { followedReference } from './references';
import type { SeriesTimeColumnDocument } from '../../src/contract/column-documents';

export function seriesTimeGenerator(column: SeriesTimeColumnDocument, context: ColumnContext): NumberGenerator {
  const followed = followedReference(column.reference, column.name, context);
  const from = Date.parse(column.from);
  const to = Date.parse(column.to);
  const start = column.start === undefined ? undefined : rowTimestampOf(context, column.start, column.name);
  const startOf = start === undefined ? () => from : (row: number) => Math.min(to, Math.max(from, start.instantOf(row)));
  const startIsNull = start?.isNull;
  // A start looked up through the series' own reference is its parent's (a device's installation): read once per parent.
  const startColumn = column.start === undefined ? undefined : context.columns.find((other) => other.name === column.start);
  const startPerParent = startColumn?.type === 'lookup' && startColumn.through[0] === column.reference;
  let startParent = -1;
  const parentStart = new Float64Array(1);
  // The last row's cell and instant, in a typed array: a double kept in a closure's variable is a new heap number each row.
  let lastRow = -1;
  const last = new Float64Array(2);
  return {
    shape: 'number',
    type: { kind: 'timestamp' },
    distinct: { kind: 'sketch', range: true },
    bounds: { min: from, max: to },
    ...(startIsNull === undefined ? {} : { isNull: (_cell: number, row: number) => startIsNull(row) }),
    value(cell, row) {
      if (row !== lastRow || cell !== last[0]) {
        const parent = followed.parentOfRow(row);
        const index = row - followed.firstChild;
        const count = followed.childCount;
        if (!startPerParent || parent !== startParent) {
          parentStart[0] = startOf(row);
          startParent = parent;
        }
        const begin = parentStart[0];
        const u = unit53(cell, draw(cell, 1));
        // Slot i of n over [begin, to + 1 ms): ascending in i, never past `to`.
        last[1] = Math.min(to, Math.floor(begin + ((index + u) / count) * (to + 1 - begin)));
        lastRow = row;
        last[0] = cell;
      }
      const value = last[1];
      VALUE_KEY[0] = numberKey(value);
      VALUE_NUMBER[0] = value;
      return value;
    },
  };
}

/**
 * A child row's parent when the counts follow a law (src/contract/child-counts.ts): found from the prefix sums at block
 * edges by a binary search and a walk inside one block (at most BLOCK_PARENTS counts), then followed from row to row.
 * One cursor per followed reference (references.ts: the key column, the lookups through it and the series that follow
 * it share it), so rows asked in order (as every part makes them) cost one count per parent passed, and a row asked out
 * of order costs one search.
 */
import { BLOCK_PARENTS, childCountKey, childLayoutOf } from '../../src/contract/child-counts';
import type { ChildrenDocument } from '../../src/contract/column-documents';

/**
 * Where the last child row asked lies among its parent's children: [parent, the parent's first child row, its count].
 * Every children layout leaves it (this one and the paired one, references.ts); the followed reference keeps it with
 * the row's parent, for a series (series-time.ts).
 */
export const CHILD_POSITION = new Float64Array(3);

/** Rows past the cursor's parent beyond which a search is cheaper than stepping through the parents between. */
const STEP_LIMIT = 4096;

/** The parent row of each child row of `table`, whose reference `column` lays its rows out by a law of counts. */
export function lawChildrenLayout(
  parentRows: number, children: ChildrenDocument, table: string, column: string,
): (cell: number, row: number) => number {
  const { countOf, blockStarts } = childLayoutOf(parentRows, children, childCountKey(table, column));
  const blocks = blockStarts.length - 1;
  // The cursor: rows [start, end) are the children of `parent`.
  let parent = -1;
  let start = 0;
  let end = 0;
  const seek = (row: number): void => {
    let low = 0;
    let high = blocks - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (blockStarts[mid] <= row) low = mid;
      else high = mid - 1;
    }
    parent = low * BLOCK_PARENTS;
    start = blockStarts[low];
    end = start + countOf(parent);
  };
  return (_cell, row) => {
    if (row < start || row >= end) {
      if (parent < 0 || row < start || row - end > STEP_LIMIT) seek(row);
      // Parents without children have start === end and are stepped over.
      while (row >= end && parent < parentRows - 1) {
        parent++;
        start = end;
        end = start + countOf(parent);
      }
    }
    CHILD_POSITION[0] = parent;
    CHILD_POSITION[1] = start;
    CHILD_POSITION[2] = end - start;
    return parent;
  };
}

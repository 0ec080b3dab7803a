/**
 * A foreign key observed in the files: how many child values have no parent (orphans), and how many children each
 * parent has. Exact, from the value counts of both columns (column-profile.ts); a column with more distinct values than
 * are counted exactly cannot be checked, and says so.
 */
import { EXACT_VALUES, type ColumnProfile } from './column-profile';

export interface KeyIntegrity {
  /** False when a column had too many distinct values to be counted exactly. */
  readonly checked: boolean;
  readonly reason?: string;
  /** Non-null child cells. */
  readonly childValues: number;
  /** Child cells whose value no parent row has. */
  readonly orphans: number;
  /** Children per parent row, least and greatest (parents without children count 0). */
  readonly childrenPerParent?: { readonly min: number; readonly max: number; readonly mean: number };
  /** Parent values that are not unique (a key is unique). */
  readonly parentUnique: boolean;
}

export function keyIntegrity(child: ColumnProfile, parent: ColumnProfile): KeyIntegrity {
  if (child.counts === undefined || parent.counts === undefined) {
    return {
      checked: false,
      reason: `more than ${EXACT_VALUES.toLocaleString('en-US')} distinct values in ${child.counts === undefined ? child.name : parent.name}: not counted exactly`,
      childValues: child.nonNull,
      orphans: 0,
      parentUnique: parent.unique,
    };
  }
  let orphans = 0;
  for (const [value, count] of child.counts) if (!parent.counts.has(value)) orphans += count;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const value of parent.counts.keys()) {
    const children = child.counts.get(value) ?? 0;
    if (children < min) min = children;
    if (children > max) max = children;
  }
  return {
    checked: true,
    childValues: child.nonNull,
    orphans,
    childrenPerParent: parent.counts.size === 0 ? undefined : { min, max, mean: (child.nonNull - orphans) / parent.counts.size },
    parentUnique: parent.unique,
  };
}

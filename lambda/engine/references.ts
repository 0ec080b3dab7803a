/**
 * Foreign keys, computed rather than joined: a reference cell is the parent's key cell recomputed from a parent row
 * index (the parent key's generator, drawn with the parent table's keys), so no parent row is held anywhere and any
 * row of a child table can be made alone, by any part of a run.
 *
 * The parent row index is chosen:
 * - uniformly, from the cell's hash;
 * - skewed (`skew` s): by a Zipf-like law, rank k (from 0) drawn with density ∝ (k + 1)^-s over the parent's rows (the
 *   continuous power law, rounded down), then spread over the parent's rows by a permutation (rank × a + b mod rows),
 *   so the popular parents are not simply the first rows;
 * - as children (`children` {min, max}): the rows of this table are the parents' children in parent order, those of one
 *   parent contiguous. Parents go in pairs (2k, 2k + 1) whose counts add up to min + max, the first drawn uniformly from
 *   min to max: a child row finds its parent from its own index in constant time, and each parent's count is uniform
 *   from min to max. An unpaired last parent has (min + max) / 2, rounded down (childRowCount in the contract).
 */
import { CHILD_POSITION, lawChildrenLayout } from './child-layout';
import { VALUE_NUMBER } from './distinct-counters';
import {
  drawsNull, nullBelowOf, rowHashesOf, uniformBelow, VALUE_KEY,
  type ColumnContext, type ColumnGenerator, type NumberGenerator, type RowHashes, type TableShared, type TextGenerator,
} from './kernel';
import { draw, mix32, runKeys, rowHash, unit53, type RunKeys } from './random';
import { countLawOf } from '../../src/contract/child-counts';
import type { ChildrenDocument, ColumnDocument, ReferenceColumnDocument } from '../../src/contract/column-documents';
import { resolveReference, type DatasetDocument } from '../../src/contract/dataset-document';

const TWO_POW_32 = 4294967296;

/** FNV-1a of a table's name: tables of one dataset get different seeds, the same in every run with that seed. */
function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** The seed a table of a dataset is made with, from the run's seed and the table's name. */
export function tableSeed(seed: number, tableName: string): number {
  return mix32((seed >>> 0) ^ mix32(nameHash(tableName) + 0x3c6ef372));
}

/** The parent row index of a child row, from the cell's hash and the row. */
export type ParentOf = (cell: number, row: number) => number;

/**
 * A reference of a table followed row by row: the parent row of the last row asked, whether the reference is null there,
 * and the row's place among its parent's children (of a layout with children). One per table and reference in a
 * compiled table (context.shared), so the reference's own column, the lookups through it and the series that follow it
 * choose a row's parent once: a Zipf choice is a power, a law's layout a cursor.
 */
export class FollowedReference {
  private row = -1;
  /** The parent row of the last row asked (also where the reference is null: a lookup asks `isNull`). */
  parent = -1;
  isNull = false;
  /** The first child row of the parent, and its children: of a reference with children only. */
  firstChild = 0;
  childCount = 0;

  constructor(
    private readonly parentOf: ParentOf,
    private readonly rowHashes: RowHashes,
    private readonly columnKey: number,
    private readonly nullBelow: number,
  ) {}

  /** The parent row of `row`, whose reference cell is `cell`. */
  parentOfCell(cell: number, row: number): number {
    if (row !== this.row) this.follow(cell, row);
    return this.parent;
  }

  /** The parent row of `row`, its reference cell recomputed. */
  parentOfRow(row: number): number {
    if (row !== this.row) this.follow(mix32(this.rowHashes.of(row) ^ this.columnKey), row);
    return this.parent;
  }

  private follow(cell: number, row: number): void {
    this.row = row;
    this.isNull = this.nullBelow !== 0 && drawsNull(cell, this.nullBelow);
    this.parent = this.parentOf(cell, row);
    // Left by the layouts with children; stale (and unread) for the others.
    this.firstChild = CHILD_POSITION[1];
    this.childCount = CHILD_POSITION[2];
  }
}

/** Reference column `index` of dataset table `table` (its columns, made with `seed`), followed row by row: shared in `shared`. */
export function followedReferenceOf(
  dataset: DatasetDocument, table: { readonly name: string; readonly columns: readonly ColumnDocument[] }, index: number, seed: number,
  rowHashes: RowHashes, shared: TableShared | undefined,
): FollowedReference {
  const make = () => {
    const reference = table.columns[index];
    if (reference?.type !== 'reference') throw new Error(`column ${index} of ${table.name} is not a reference: a bug`);
    const parentRows = resolveReference(dataset, reference).parentTable.rows;
    const parentOf = parentIndexOf(reference, seed, index, parentRows, table.name);
    return new FollowedReference(parentOf, rowHashes, rowHashes.keys.columnKeys[index], nullBelowOf(reference.nullPercent));
  };
  return shared === undefined ? make() : shared.of(`reference:${table.name}:${index}`, make);
}

/**
 * The reference `referenceName` of the table of `context` followed row by row (a series column follows it, and reads
 * the row's place among its parent's children from it).
 */
export function followedReference(referenceName: string, followerName: string, context: ColumnContext): FollowedReference {
  const { columns, seed, dataset } = context;
  const referenceIndex = columns.findIndex((other) => other.name === referenceName);
  if (columns[referenceIndex]?.type !== 'reference' || dataset === undefined) throw new Error(`series ${followerName} has no reference with children in a dataset: a bug`);
  return followedReferenceOf(dataset.dataset, { name: dataset.table, columns }, referenceIndex, seed, rowHashesOf(context), context.shared);
}

/**
 * How reference `column`, at `index` of a table made with `seed`, chooses its parent row among `parentRows`: what its key
 * cell is recomputed from, and what a lookup through it (lookups.ts) follows.
 */
export function parentIndexOf(column: ReferenceColumnDocument, seed: number, index: number, parentRows: number, table: string): ParentOf {
  const layoutKey = mix32(seed ^ mix32(index + 0x7f4a7c15));
  if (column.children !== undefined && countLawOf(column.children) !== undefined) {
    return lawChildrenLayout(parentRows, column.children, table, column.name);
  }
  return column.children
    ? childrenLayout(parentRows, column.children, layoutKey)
    : column.skew !== undefined ? zipfChoice(parentRows, column.skew, layoutKey) : (cell: number) => uniformBelow(cell, parentRows);
}

/**
 * A reference column's generator. `compileKey` compiles the parent's key column (the dispatcher, handed in: a kind never
 * imports it).
 */
export function referenceGenerator(
  column: ReferenceColumnDocument, context: ColumnContext, compileKey: (key: ColumnDocument, context: ColumnContext) => ColumnGenerator,
): ColumnGenerator {
  const { index } = context;
  const dataset = context.dataset!;
  const { parentTable, parentColumnIndex, key } = resolveReference(dataset.dataset, column);
  const parentSeed = tableSeed(dataset.seed, parentTable.name);
  const parentKeys = runKeys(parentSeed, parentTable.columns.length);
  const parentColumnKey = parentKeys.columnKeys[parentColumnIndex];
  const parentRows = parentTable.rows;
  const own = { name: dataset.table, columns: context.columns };
  const followed = followedReferenceOf(dataset.dataset, own, index, context.seed, rowHashesOf(context), context.shared);
  const distinct = column.children ? { kind: 'children' as const, range: true as const } : { kind: 'sketch' as const, range: true as const };
  const parentKey = compileKey(key, {
    seed: parentSeed,
    index: parentColumnIndex,
    keys: parentKeys,
    columns: parentTable.columns,
    tableRows: parentRows,
    dataset: { ...dataset, table: parentTable.name },
  });
  const parentCell = (parent: number) => mix32(rowHash(parentKeys, parent) ^ parentColumnKey);
  const note = (parent: number) => {
    VALUE_KEY[0] = parent < TWO_POW_32 ? parent : (parent ^ Math.floor(parent / TWO_POW_32)) >>> 0;
    VALUE_NUMBER[0] = parent;
  };
  // The key of the last parent, kept: consecutive children share it (a parent's children are contiguous).
  let lastParent = -1;
  if (parentKey.shape === 'text') {
    const write = parentKey.write;
    const lastBytes = new Uint8Array(parentKey.maxBytes);
    let lastKey = lastBytes.subarray(0, 0);
    const generator: TextGenerator = {
      shape: 'text',
      type: parentKey.type,
      maxBytes: parentKey.maxBytes,
      distinct,
      write(buf, pos, cell, row) {
        const parent = followed.parentOfCell(cell, row);
        let end: number;
        if (parent === lastParent) {
          buf.set(lastKey, pos);
          end = pos + lastKey.length;
        } else {
          end = write(buf, pos, parentCell(parent), parent);
          const length = end - pos;
          for (let i = 0; i < length; i++) lastBytes[i] = buf[pos + i];
          // A key's length seldom changes (a uuid's never): its view is made again only when it does.
          if (length !== lastKey.length) lastKey = lastBytes.subarray(0, length);
          lastParent = parent;
        }
        note(parent);
        return end;
      },
    };
    return generator;
  }
  if (parentKey.shape !== 'number') throw new Error(`the key ${parentTable.name}.${key.name} is neither text nor a number: a bug`);
  const value = parentKey.value;
  const first = value(parentCell(0), 0);
  const last = value(parentCell(parentRows - 1), parentRows - 1);
  // In a typed array: a double kept in a closure's variable is a new heap number each time it changes.
  const lastValue = new Float64Array(1);
  const generator: NumberGenerator = {
    shape: 'number',
    type: parentKey.type,
    distinct,
    bounds: { min: Math.min(first, last), max: Math.max(first, last) },
    value(cell, row) {
      const parent = followed.parentOfCell(cell, row);
      if (parent !== lastParent) {
        lastValue[0] = value(parentCell(parent), parent);
        lastParent = parent;
      }
      note(parent);
      return lastValue[0];
    },
  };
  return generator;
}

/**
 * Rank k of `rows` drawn with density ∝ (k + 1)^-s, by inverting the continuous power law on [1, rows + 1), then
 * spread over the rows by rank × a + b (mod rows), a permutation since a is prime to rows.
 */
function zipfChoice(rows: number, skew: number, key: number): ParentOf {
  const top = rows + 1;
  const oneMinus = 1 - skew;
  const scale = Math.abs(oneMinus) < 1e-9 ? 0 : top ** oneMinus - 1;
  // A multiplier below 2^16 keeps rank × a exact in doubles for every row count a run allows (below 2^37).
  let a = 32_768 + (key & 0x7fff);
  while (gcd(a, rows) !== 1) a++;
  const b = Math.floor((mix32(key ^ 0x5bd1e995) / TWO_POW_32) * rows);
  return (cell) => {
    const u = unit53(cell, draw(cell, 1));
    const x = scale === 0 ? top ** u : (scale * u + 1) ** (1 / oneMinus);
    const rank = Math.min(rows - 1, Math.max(0, Math.floor(x) - 1));
    return (rank * a + b) % rows;
  };
}

function gcd(x: number, y: number): number {
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** The parent of each child row when parents have from min to max children each, in pairs of min + max. */
function childrenLayout(parentRows: number, children: ChildrenDocument, key: number): ParentOf {
  const pair = children.min + children.max;
  const span = children.max - children.min + 1;
  const pairs = Math.floor(parentRows / 2);
  const pairKeys: RunKeys = runKeys(key, 0);
  return (_cell, row) => {
    const k = Math.floor(row / pair);
    if (k >= pairs) {
      // The unpaired last parent.
      CHILD_POSITION[0] = parentRows - 1;
      CHILD_POSITION[1] = pairs * pair;
      CHILD_POSITION[2] = Math.floor(pair / 2);
      return parentRows - 1;
    }
    const evenChildren = children.min + uniformBelow(rowHash(pairKeys, k), span);
    const even = row - k * pair < evenChildren;
    CHILD_POSITION[0] = even ? 2 * k : 2 * k + 1;
    CHILD_POSITION[1] = even ? k * pair : k * pair + evenChildren;
    CHILD_POSITION[2] = even ? evenChildren : pair - evenChildren;
    return even ? 2 * k : 2 * k + 1;
  };
}

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
  uniformBelow, VALUE_KEY, type ColumnContext, type ColumnGenerator, type DatasetContext, type NumberGenerator, type TextGenerator,
} from './kernel';
import { draw, mix32, runKeys, rowHash, unit53, type RunKeys } from './random';
import { countLawOf } from '../../src/contract/child-counts';
import type { ChildrenDocument, ColumnDocument, ReferenceColumnDocument } from '../../src/contract/column-documents';
import { resolveReference } from '../../src/contract/dataset-document';

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
 * How reference `column`, at `index` of a table made with `seed`, chooses its parent row among `parentRows`: what its key
 * cell is recomputed from, and what a lookup through it (lookups.ts) follows.
 */
/**
 * The parent row that `referenceName`'s own generator picks for each row of the table of `context` (a series column
 * follows it): the reference's cell recomputed from the row index, laid out by its children. Also leaves the child's
 * position in CHILD_POSITION, as the reference's generator does.
 */
export function followedParentOf(referenceName: string, followerName: string, context: ColumnContext): (row: number) => number {
  const { columns, keys, seed, dataset } = context;
  const referenceIndex = columns.findIndex((other) => other.name === referenceName);
  const reference = columns[referenceIndex];
  if (reference?.type !== 'reference' || dataset === undefined) throw new Error(`series ${followerName} has no reference with children in a dataset: a bug`);
  const parentRows = resolveReference(dataset.dataset, reference).parentTable.rows;
  const parentOf = parentIndexOf(reference, seed, referenceIndex, parentRows, dataset.table);
  const referenceKey = keys.columnKeys[referenceIndex];
  return (row) => parentOf(mix32(rowHash(keys, row) ^ referenceKey), row);
}

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
  column: ReferenceColumnDocument, seed: number, index: number, context: DatasetContext,
  compileKey: (key: ColumnDocument, context: ColumnContext) => ColumnGenerator,
): ColumnGenerator {
  const { parentTable, parentColumnIndex, key } = resolveReference(context.dataset, column);
  const parentSeed = tableSeed(context.seed, parentTable.name);
  const parentKeys = runKeys(parentSeed, parentTable.columns.length);
  const parentColumnKey = parentKeys.columnKeys[parentColumnIndex];
  const parentRows = parentTable.rows;
  const parentOf = parentIndexOf(column, seed, index, parentRows, context.table);
  const distinct = column.children ? { kind: 'children' as const, range: true as const } : { kind: 'sketch' as const, range: true as const };
  const parentKey = compileKey(key, {
    seed: parentSeed,
    index: parentColumnIndex,
    keys: parentKeys,
    columns: parentTable.columns,
    tableRows: parentRows,
    dataset: { ...context, table: parentTable.name },
  });
  const parentCell = (parent: number) => mix32(rowHash(parentKeys, parent) ^ parentColumnKey);
  const note = (parent: number) => {
    VALUE_KEY[0] = parent < TWO_POW_32 ? parent : (parent ^ Math.floor(parent / TWO_POW_32)) >>> 0;
    VALUE_NUMBER[0] = parent;
  };
  if (parentKey.shape === 'text') {
    const write = parentKey.write;
    const generator: TextGenerator = {
      shape: 'text',
      type: parentKey.type,
      maxBytes: parentKey.maxBytes,
      distinct,
      write(buf, pos, cell, row) {
        const parent = parentOf(cell, row);
        const end = write(buf, pos, parentCell(parent), parent);
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
  const generator: NumberGenerator = {
    shape: 'number',
    type: parentKey.type,
    distinct,
    bounds: { min: Math.min(first, last), max: Math.max(first, last) },
    value(cell, row) {
      const parent = parentOf(cell, row);
      const made = value(parentCell(parent), parent);
      note(parent);
      return made;
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

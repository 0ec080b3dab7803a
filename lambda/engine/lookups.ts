/**
 * Lookups, computed rather than joined: a looked-up cell is the parent column's cell recomputed at the parent row the
 * reference points at. Each reference on the path (contract/lookups.ts) chooses its parent row from its own cell hash
 * exactly as its key cell does (references.ts, parentIndexOf), so the lookup and the written key always name the same
 * parent; the last parent's cell is made by that table's own generator, with that table's seed. No parent row is held
 * or read: any row range of any part makes the same values.
 *
 * A row walks its path once, whatever the row loop asks first (whether the cell is null, then its value), and the
 * lookups of one table share the walk (LookupPath): the references followed (FollowedReference, shared with the key
 * column itself) and the parent row's hash are computed once per row, however many columns are looked up through them.
 */
import { VALUE_NUMBER } from './distinct-counters';
import {
  drawsNull, rowHashesOf, RowHashes, VALUE_KEY,
  type ColumnContext, type ColumnGenerator, type DatasetContext, type ListGenerator, type NumberGenerator, type TextGenerator,
} from './kernel';
import { mix32, runKeys } from './random';
import { followedReferenceOf, tableSeed, type FollowedReference } from './references';
import type { LookupColumnDocument } from '../../src/contract/column-documents';
import { resolveLookup } from '../../src/contract/lookups';

const TWO_POW_32 = 4294967296;

/**
 * A lookup path followed row by row: the parent row at its end for the last row asked (-1 where a reference on the way
 * is null), and that row's hash in the parent table. Shared by the lookups of a table through the same references.
 */
class LookupPath {
  private row = -1;
  private parentRow = -1;
  private hashedRow = -1;
  private hash = 0;

  constructor(private readonly steps: readonly FollowedReference[], private readonly parentRows: RowHashes) {}

  /** The parent row of `row` at the end of the path, or -1. */
  parentOf(row: number): number {
    if (row !== this.row) {
      this.row = row;
      let at = row;
      for (const step of this.steps) {
        at = step.parentOfRow(at);
        if (step.isNull) {
          at = -1;
          break;
        }
      }
      this.parentRow = at;
    }
    return this.parentRow;
  }

  /** The hash of parent row `parent` (the one parentOf returned) in the parent table. */
  parentHash(parent: number): number {
    if (parent !== this.hashedRow) {
      this.hash = this.parentRows.of(parent);
      this.hashedRow = parent;
    }
    return this.hash;
  }
}

/** Slots of a ParentValues table at most: 4,096 (112 KiB a lookup column). */
const PARENT_SLOTS = 4096;

/**
 * The values a parent column made, kept by parent row in a direct-mapped table (a row's slot is its low bits): children
 * share parents (a device's thousand readings, a popular product's orders), and a kept value is not made again. A value
 * is a function of its parent row alone, so the kept one is the one it would make; VALUE_KEY and VALUE_NUMBER, which
 * the counters read after it, are kept and restored with it.
 */
class ParentValues {
  private readonly rows: Float64Array;
  private readonly values: Float64Array;
  private readonly keys: Uint32Array;
  private readonly numbers: Float64Array;
  private readonly mask: number;

  constructor(parentRows: number, private readonly make: (parentRow: number) => number) {
    let slots = 1;
    while (slots < Math.min(parentRows, PARENT_SLOTS)) slots *= 2;
    this.mask = slots - 1;
    this.rows = new Float64Array(slots).fill(NaN);
    this.values = new Float64Array(slots);
    this.keys = new Uint32Array(slots);
    this.numbers = new Float64Array(slots);
  }

  /** The value made at `parentRow` (a number, or a list's index). */
  of(parentRow: number): number {
    const slot = (parentRow >>> 0) & this.mask;
    if (this.rows[slot] === parentRow) {
      VALUE_KEY[0] = this.keys[slot];
      VALUE_NUMBER[0] = this.numbers[slot];
      return this.values[slot];
    }
    const value = this.make(parentRow);
    this.rows[slot] = parentRow;
    this.values[slot] = value;
    this.keys[slot] = VALUE_KEY[0];
    this.numbers[slot] = VALUE_NUMBER[0];
    return value;
  }
}

/** A lookup column's generator: the parent column's shape and type, its value taken at the parent row of each row. */
export function lookupGenerator(column: LookupColumnDocument, context: ColumnContext): ColumnGenerator {
  const dataset = context.dataset;
  if (dataset === undefined) throw new Error(`column ${column.name} is a lookup, but no dataset was given: a bug`);
  const table = dataset.dataset.tables.find((other) => other.name === dataset.table);
  if (table === undefined) throw new Error(`table ${dataset.table} is not in its dataset: a bug`);
  const { steps, target, targetIndex } = resolveLookup(dataset.dataset.tables, table, column);
  const { shared } = context;
  const makePath = () => {
    const followed = steps.map((step, i) => {
      const seed = i === 0 ? context.seed : tableSeed(dataset.seed, step.table.name);
      const rowHashes = i === 0 ? rowHashesOf(context) : new RowHashes(runKeys(seed, step.table.columns.length));
      return followedReferenceOf(dataset.dataset, step.table, step.referenceIndex, seed, rowHashes, shared);
    });
    return new LookupPath(followed, new RowHashes(dataset.tableOf(target.name).keys));
  };
  const path = shared === undefined ? makePath() : shared.of(`lookup:${column.through.join('\u0000')}`, makePath);
  const nullable = steps.some((step) => (step.reference.nullPercent ?? 0) > 0);
  const parent = parentColumn(dataset, target.name, targetIndex);
  // The parent row of the last row asked; -1 where a reference on the way is null.
  let lastRow = -1;
  let lastParent = -1;
  const walk = (row: number): void => {
    if (row === lastRow) return;
    lastRow = row;
    lastParent = path.parentOf(row);
  };
  const cellOf = (parentRow: number) => mix32(path.parentHash(parentRow) ^ parent.columnKey);
  const anyNull = parent.nullable || nullable;
  const isNull = anyNull
    ? (_cell: number, row: number) => {
      walk(row);
      return lastParent < 0 || (parent.nullable && parent.isNull(cellOf(lastParent), lastParent));
    }
    : undefined;
  const { generator } = parent;
  // A unique parent column (a key) is not unique here, where many children share a parent: counted by the parent row.
  const byParentRow = generator.distinct.kind === 'unique' || generator.distinct.kind === 'children';
  const distinct = byParentRow ? { kind: 'sketch' as const, ...(generator.distinct.range ? { range: true as const } : {}) } : generator.distinct;
  const noteParent = byParentRow
    ? () => { VALUE_KEY[0] = lastParent < TWO_POW_32 ? lastParent : (lastParent ^ Math.floor(lastParent / TWO_POW_32)) >>> 0; }
    : () => undefined;
  const common = { type: generator.type, distinct, ...(isNull === undefined ? {} : { isNull }) };
  switch (generator.shape) {
    case 'number': {
      const value = generator.value;
      const made = new ParentValues(target.rows, (parentRow) => value(cellOf(parentRow), parentRow));
      const generated: NumberGenerator = {
        shape: 'number',
        ...common,
        ...(generator.bounds === undefined ? {} : { bounds: generator.bounds }),
        value(_cell, row) {
          walk(row);
          const result = made.of(lastParent);
          noteParent();
          return result;
        },
      };
      return generated;
    }
    case 'list': {
      const pick = generator.pick;
      const made = new ParentValues(target.rows, (parentRow) => pick(cellOf(parentRow), parentRow));
      const generated: ListGenerator = {
        shape: 'list',
        ...common,
        entries: generator.entries,
        pick(_cell, row) {
          walk(row);
          const result = made.of(lastParent);
          noteParent();
          return result;
        },
      };
      return generated;
    }
    case 'text': {
      const { write, text } = generator;
      const made: TextGenerator = {
        shape: 'text',
        ...common,
        maxBytes: generator.maxBytes,
        write(buf, pos, _cell, row) {
          walk(row);
          const end = write(buf, pos, cellOf(lastParent), lastParent);
          noteParent();
          return end;
        },
        ...(text === undefined ? {} : {
          text: (_cell: number, row: number) => {
            walk(row);
            return text(cellOf(lastParent), lastParent);
          },
        }),
      };
      return made;
    }
  }
}

/** The parent column a lookup takes its value from, compiled with its own table. */
function parentColumn(dataset: DatasetContext, tableName: string, index: number) {
  const parentTable = dataset.tableOf(tableName);
  const generator = parentTable.generators[index];
  const nullBelow = parentTable.nullBelow[index];
  const nullWhen = parentTable.nullWhen[index];
  const columnKey = parentTable.keys.columnKeys[index];
  return {
    generator,
    columnKey,
    nullable: nullBelow !== 0,
    isNull: nullBelow < 0 ? (cell: number, row: number) => nullWhen!(cell, row) : (cell: number) => drawsNull(cell, nullBelow),
  };
}

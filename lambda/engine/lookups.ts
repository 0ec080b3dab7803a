/**
 * Lookups, computed rather than joined: a looked-up cell is the parent column's cell recomputed at the parent row the
 * reference points at. Each reference on the path (contract/lookups.ts) chooses its parent row from its own cell hash
 * exactly as its key cell does (references.ts, parentIndexOf), so the lookup and the written key always name the same
 * parent; the last parent's cell is made by that table's own generator, with that table's seed. No parent row is held
 * or read: any row range of any part makes the same values.
 *
 * A row walks its path once, whatever the row loop asks first (whether the cell is null, then its value).
 */
import {
  drawsNull, nullBelowOf, VALUE_KEY,
  type ColumnContext, type ColumnGenerator, type DatasetContext, type ListGenerator, type NumberGenerator, type TextGenerator,
} from './kernel';
import { mix32, rowHash, runKeys, type RunKeys } from './random';
import { parentIndexOf, tableSeed, type ParentOf } from './references';
import type { LookupColumnDocument } from '../../src/contract/column-documents';
import { resolveReference } from '../../src/contract/dataset-document';
import { resolveLookup } from '../../src/contract/lookups';

const TWO_POW_32 = 4294967296;

/** One reference followed: the table's keys and where its cell is, whether it is null, and how it picks its parent. */
interface CompiledStep {
  readonly keys: RunKeys;
  readonly columnKey: number;
  readonly nullBelow: number;
  readonly parentOf: ParentOf;
}

/** A lookup column's generator: the parent column's shape and type, its value taken at the parent row of each row. */
export function lookupGenerator(column: LookupColumnDocument, context: ColumnContext): ColumnGenerator {
  const dataset = context.dataset;
  if (dataset === undefined) throw new Error(`column ${column.name} is a lookup, but no dataset was given: a bug`);
  const table = dataset.dataset.tables.find((other) => other.name === dataset.table);
  if (table === undefined) throw new Error(`table ${dataset.table} is not in its dataset: a bug`);
  const { steps, target, targetIndex } = resolveLookup(dataset.dataset.tables, table, column);
  const compiled = steps.map((step, i): CompiledStep => {
    const seed = i === 0 ? context.seed : tableSeed(dataset.seed, step.table.name);
    const keys = i === 0 ? context.keys : runKeys(seed, step.table.columns.length);
    const parentRows = resolveReference(dataset.dataset, step.reference).parentTable.rows;
    return {
      keys,
      columnKey: keys.columnKeys[step.referenceIndex],
      nullBelow: nullBelowOf(step.reference.nullPercent),
      parentOf: parentIndexOf(step.reference, seed, step.referenceIndex, parentRows, step.table.name),
    };
  });
  const parent = parentColumn(dataset, target.name, targetIndex);
  // The parent row of the last row asked, and its cell hash; -1 where a reference on the way is null.
  let lastRow = -1;
  let lastParent = -1;
  let lastCell = 0;
  const walk = (row: number): void => {
    if (row === lastRow) return;
    lastRow = row;
    let at = row;
    for (const step of compiled) {
      const cell = mix32(rowHash(step.keys, at) ^ step.columnKey);
      if (step.nullBelow !== 0 && drawsNull(cell, step.nullBelow)) {
        lastParent = -1;
        return;
      }
      at = step.parentOf(cell, at);
    }
    lastParent = at;
    lastCell = parent.cellOf(at);
  };
  const nullable = parent.nullable || compiled.some((step) => step.nullBelow !== 0);
  const isNull = nullable
    ? (_cell: number, row: number) => {
      walk(row);
      return lastParent < 0 || parent.isNull(lastCell, lastParent);
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
      const made: NumberGenerator = {
        shape: 'number',
        ...common,
        ...(generator.bounds === undefined ? {} : { bounds: generator.bounds }),
        value(_cell, row) {
          walk(row);
          const result = value(lastCell, lastParent);
          noteParent();
          return result;
        },
      };
      return made;
    }
    case 'list': {
      const pick = generator.pick;
      const made: ListGenerator = {
        shape: 'list',
        ...common,
        entries: generator.entries,
        pick(_cell, row) {
          walk(row);
          const result = pick(lastCell, lastParent);
          noteParent();
          return result;
        },
      };
      return made;
    }
    case 'text': {
      const { write, text } = generator;
      const made: TextGenerator = {
        shape: 'text',
        ...common,
        maxBytes: generator.maxBytes,
        write(buf, pos, _cell, row) {
          walk(row);
          const end = write(buf, pos, lastCell, lastParent);
          noteParent();
          return end;
        },
        ...(text === undefined ? {} : {
          text: (_cell: number, row: number) => {
            walk(row);
            return text(lastCell, lastParent);
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
  const { keys } = parentTable;
  const columnKey = keys.columnKeys[index];
  return {
    generator,
    cellOf: (row: number) => mix32(rowHash(keys, row) ^ columnKey),
    nullable: nullBelow !== 0,
    isNull: nullBelow < 0 ? (cell: number, row: number) => nullWhen!(cell, row) : (cell: number) => drawsNull(cell, nullBelow),
  };
}

/**
 * The report's check of lookups: on a sample of an object's rows, each lookup's value is compared with the parent
 * column's value at the parent row its table's written reference names. The walk here goes through the reference
 * columns' own generators (which leave the parent row index they chose in VALUE_NUMBER), table by table, not through the
 * lookup's compiled path: a lookup that took another parent than its key names would show as a mismatch. (Within the
 * lookup's own table the key column and the lookup share one followed reference, references.ts, so there the first
 * parent is the key's by construction; the steps beyond, and the parent's value, are rechecked apart.)
 */
import type { CompiledTable } from './compiled-table';
import { madeValueAt, RECHECKED_ROWS } from './derived-recheck';
import { VALUE_NUMBER } from './distinct-counters';
import type { TableColumns } from './kernel';
import type { ColumnDocument, LookupColumnDocument } from '../../src/contract/column-documents';

/** A lookup column's recheck: how many sampled rows disagreed with the parent row named by the written key. */
export interface LookupRecheck {
  readonly rows: number;
  readonly every: number;
  readonly mismatches: number;
  /** The parent column the value was compared with, as `table.column`. */
  readonly parent: string;
}

/** Per written column of `table`, its lookup recheck on up to RECHECKED_ROWS rows of [firstRow, firstRow + rows). */
export function recheckLookups(
  table: CompiledTable, columns: readonly ColumnDocument[], firstRow: number, rows: number,
): Array<LookupRecheck | undefined> {
  const { tableOf } = table;
  if (tableOf === undefined || !columns.some((column) => column.type === 'lookup')) return [];
  const decoder = new TextDecoder();
  const every = Math.max(1, Math.ceil(rows / RECHECKED_ROWS));
  return table.written.map((c) => {
    const column = columns[c];
    if (column.type !== 'lookup') return undefined;
    const path = pathOf(column, columns, tableOf);
    let checked = 0;
    let mismatches = 0;
    for (let row = firstRow; row < firstRow + rows; row += every) {
      checked++;
      const made = madeValueAt(table.all, c, row, decoder);
      if (made !== expectedValue(path, table.all, row, decoder)) mismatches++;
    }
    return { rows: checked, every, mismatches, parent: `${path.target.name}.${path.target.column}` };
  });
}

interface RecheckPath {
  /** Per step, the table holding the reference and the reference's position there. */
  readonly steps: ReadonlyArray<{ readonly table: TableColumns | undefined; readonly index: number }>;
  readonly target: { readonly name: string; readonly column: string; readonly table: TableColumns; readonly index: number };
}

function pathOf(lookup: LookupColumnDocument, columns: readonly ColumnDocument[], tableOf: (name: string) => TableColumns): RecheckPath {
  // Each step's reference names its parent table; that table's columns come from its compiled form's owner (the dataset).
  const steps: Array<{ table: TableColumns | undefined; index: number }> = [];
  let current: readonly ColumnDocument[] = columns;
  let currentTable: TableColumns | undefined;
  let parentName = '';
  for (const name of lookup.through) {
    const index = current.findIndex((other) => other.name === name);
    const reference = current[index];
    if (reference?.type !== 'reference') throw new Error(`lookup ${lookup.name} goes through ${name}, not a reference: a bug`);
    steps.push({ table: currentTable, index });
    parentName = reference.table;
    currentTable = tableOf(parentName);
    current = columnsOf(tableOf, parentName);
  }
  const index = current.findIndex((other) => other.name === lookup.column);
  return { steps, target: { name: parentName, column: lookup.column, table: currentTable!, index } };
}

/** The columns of a dataset's table, as its compiled form was made from (kept beside it by compiled-table.ts). */
function columnsOf(tableOf: (name: string) => TableColumns, name: string): readonly ColumnDocument[] {
  const columns = tableOf(name).columns;
  if (columns === undefined) throw new Error(`table ${name} was compiled without its columns: a bug`);
  return columns;
}

/** The value the parent named by the written keys holds, or null where a key on the way or the parent's cell is null. */
function expectedValue(path: RecheckPath, own: TableColumns, row: number, decoder: { decode(bytes: Uint8Array): string }): unknown {
  let at = row;
  for (const step of path.steps) {
    const table = step.table ?? own;
    // The reference's generator leaves the parent row it chose in VALUE_NUMBER.
    if (madeValueAt(table, step.index, at, decoder) === null) return null;
    at = VALUE_NUMBER[0];
  }
  const { table, index } = path.target;
  return madeValueAt(table, index, at, decoder);
}

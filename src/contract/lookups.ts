/**
 * Lookups: a column that takes the value of a column of the row its reference points at, through one or more
 * references (order item -> order -> customer.region). This module finds a lookup's path in a dataset and says what the
 * looked-up value is to the formats, the catalog and the expressions: the parent column's document under the lookup's
 * name. The engine recomputes the value from the parent's row index (lambda/engine/lookups.ts), never by a join.
 *
 * A lookup can only walk references, which form a hierarchy (dataset-document.ts refuses cycles of references), so a
 * chain of lookups always ends: a cycle of lookups would need a cycle of references.
 */
import type { ColumnDocument, LookupColumnDocument, ReferenceColumnDocument } from './column-documents';
import { fail, InvalidInputError } from './errors';

/** A table as a lookup sees it: its name and columns. */
export interface LookupTable {
  readonly name: string;
  readonly columns: readonly ColumnDocument[];
}

/** One step of a lookup's path: the reference followed, in the table that holds it. */
export interface LookupStep<T extends LookupTable = LookupTable> {
  readonly table: T;
  readonly referenceIndex: number;
  readonly reference: ReferenceColumnDocument;
}

/** A lookup's path, found in a validated dataset. */
export interface ResolvedLookup<T extends LookupTable = LookupTable> {
  /** The references followed, from the lookup's own table on. */
  readonly steps: ReadonlyArray<LookupStep<T>>;
  /** The table the last reference points at, and the position of the column whose value is taken. */
  readonly target: T;
  readonly targetIndex: number;
  /**
   * What the value is to the formats, the catalog and the expressions: the parent column's document (a reference's
   * key; a lookup's own resolution) under the lookup's name, with the share of nulls the path and the parent make.
   */
  readonly document: ColumnDocument;
}

/** Where a lookup is, for messages: `dataset.tables[2] (order_items).columns[4] (product_name)`. */
export type LookupWhere = (table: LookupTable, columnIndex: number) => string;

const defaultWhere: LookupWhere = (table, c) => `table ${table.name}, column ${table.columns[c].name}`;

/**
 * Follows `lookup` (a column of `table`) through its references to the column it takes, refusing with a message that
 * names the lookup a step that is not a reference of its table, a missing column, or a derived parent column.
 */
export function resolveLookup<T extends LookupTable>(
  tables: readonly T[], table: T, lookup: LookupColumnDocument, whereOf: LookupWhere = defaultWhere,
): ResolvedLookup<T> {
  const at = whereOf(table, table.columns.indexOf(lookup));
  const steps: Array<LookupStep<T>> = [];
  let current = table;
  let keep = 1;
  lookup.through.forEach((name, i) => {
    const referenceIndex = current.columns.findIndex((column) => column.name === name);
    const reference = current.columns[referenceIndex];
    const references = current.columns.filter((column) => column.type === 'reference').map((column) => column.name);
    const offer = references.length === 0 ? `table "${current.name}" has no reference column` : `its references are ${references.join(', ')}`;
    if (reference === undefined) fail(`${at}.through[${i}]`, name, `table "${current.name}" has no such column; ${offer}`);
    if (reference.type !== 'reference') {
      fail(`${at}.through[${i}]`, name, `column ${current.name}.${name} is a ${reference.type} column, not a reference to follow; ${offer}`);
    }
    steps.push({ table: current, referenceIndex, reference });
    keep *= 1 - (reference.nullPercent ?? 0) / 100;
    const parent = tables.find((other) => other.name === reference.table);
    if (parent === undefined) throw new Error(`reference ${current.name}.${name} to ${reference.table} is not resolved in a validated dataset: a bug`);
    current = parent;
  });
  const targetIndex = current.columns.findIndex((column) => column.name === lookup.column);
  const target = current.columns[targetIndex];
  if (target === undefined) {
    fail(`${at}.column`, lookup.column, `table "${current.name}" (reached through ${lookup.through.join(' -> ')}) has no such column; `
      + `its columns are ${current.columns.map((column) => column.name).join(', ')}`);
  }
  let source: ColumnDocument;
  if (target.type === 'derived') {
    throw new InvalidInputError(`${at} looks up ${current.name}.${target.name}, a derived column: a lookup takes a made value; `
      + `look up the columns its expression reads and repeat the expression ${JSON.stringify(target.expression)} here`);
  } else if (target.type === 'lookup') {
    source = resolveLookup(tables, current, target, whereOf).document;
  } else if (target.type === 'reference') {
    const key = tables.find((other) => other.name === target.table)?.columns.find((column) => column.name === target.column);
    if (key === undefined) throw new Error(`reference ${current.name}.${target.name} is not resolved in a validated dataset: a bug`);
    source = { ...key, ...(target.nullPercent === undefined ? {} : { nullPercent: target.nullPercent }) };
  } else {
    source = target;
  }
  keep *= 1 - (source.nullPercent ?? 0) / 100;
  const nullPercent = (1 - keep) * 100;
  // The parent's own options (distribution, order, distinctValues) describe the parent's column, not this one: only
  // its type, bounds and nulls carry over.
  const { omit: _omit, nullPercent: _nulls, ...typed } = source;
  const document = {
    ...typed, name: lookup.name, ...(nullPercent > 0 ? { nullPercent } : {}), ...(lookup.omit === true ? { omit: true } : {}),
  } as ColumnDocument;
  return { steps, target: current, targetIndex, document };
}

/** Checks every lookup of a dataset whose references are already checked (each table's, each column's path). */
export function checkLookups<T extends LookupTable>(tables: readonly T[], whereOf: LookupWhere): void {
  for (const table of tables) {
    for (const column of table.columns) {
      if (column.type === 'lookup') resolveLookup(tables, table, column, whereOf);
    }
  }
}

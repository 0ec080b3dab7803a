/**
 * A dataset of related tables, and the one validator of it: each table has its own columns and row count, and a
 * reference column takes the key of a row of another table. The construct validates with this code at synth time
 * and the handler again at run time, like the schema (schema-document.ts). Like it, it imports
 * only contract modules and, through the typing of derived columns, the expression parser (jsep).
 *
 * Foreign keys are computed, not joined: the engine recomputes the parent's key cell from a parent row index, so a
 * key column must be unique by construction (uuid or sequence, without nulls), and a child knows its parent's row
 * count. A table whose reference has `children` has as many rows as its parents' children, which follows from the
 * parent's row count alone (childRowCount), so it is known at synth time.
 */
import { checkLawParents, childCountKey, childLayoutOf, countLawOf } from './child-counts';
import type {
  ChildrenDocument, ColumnDocument, LookupColumnDocument, ReferenceColumnDocument, SequenceColumnDocument, UuidColumnDocument,
} from './column-documents';
import { typeDerivedColumns } from './derived-typing';
import { describeValue, fail, InvalidInputError } from './errors';
import { checkLaggedColumns } from './lags';
import { logicalTypeOf } from './logical-types';
import { checkLookups, resolveLookup, type LookupTable } from './lookups';
import { withoutNegativeZero } from './negative-zero';
import { validateSchemaDocument, validateTableName } from './schema-document';
import { checkSeriesColumns } from './series';

export interface TableDocument {
  readonly name: string;
  /** The table's rows; for a table whose reference has `children`, the number its parents' children make. */
  readonly rows: number;
  readonly columns: readonly ColumnDocument[];
}

export interface DatasetDocument {
  readonly tables: readonly TableDocument[];
}

/** A reference column's parent, found in the dataset. */
export interface ResolvedReference {
  readonly parentTable: TableDocument;
  /** The parent key column's position in its table (its cells are drawn with that column's key). */
  readonly parentColumnIndex: number;
  readonly key: UuidColumnDocument | SequenceColumnDocument;
}

/** A foreign key of the dataset, as the run manifest lists it. */
export interface ForeignKey {
  readonly table: string;
  readonly column: string;
  readonly parentTable: string;
  readonly parentColumn: string;
  /** Present for a one-to-many layout: how many rows each parent has. */
  readonly children?: ChildrenDocument;
}

export const DATASET_LIMITS = {
  maxTables: 100,
} as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rows of a table whose parents have `children`: with a law of counts, their sum (child-counts.ts: drawn per parent
 * from the child table's and column's names, not the seed, so known now); otherwise parents are taken in pairs whose
 * counts add up to min + max (so a child row finds its parent without counting the rows before it); an unpaired last
 * parent has (min + max) / 2, rounded down.
 */
export function childRowCount(parentRows: number, children: ChildrenDocument, table?: string, column?: string): number {
  if (countLawOf(children) !== undefined) {
    if (table === undefined || column === undefined) throw new Error('the rows of a child table whose counts follow a law need its table and column: a bug');
    return childLayoutOf(parentRows, children, childCountKey(table, column)).total;
  }
  const pair = children.min + children.max;
  return Math.floor(parentRows / 2) * pair + (parentRows % 2) * Math.floor(pair / 2);
}

/** The column of a table whose reference lays out its rows as the parent's children, if any. */
export function childrenReference(table: { readonly columns: readonly ColumnDocument[] }): ReferenceColumnDocument | undefined {
  return table.columns.find((column): column is ReferenceColumnDocument => column.type === 'reference' && column.children !== undefined);
}

/** The parent of `reference`, in a validated dataset. */
export function resolveReference(dataset: DatasetDocument, reference: ReferenceColumnDocument): ResolvedReference {
  const parentTable = dataset.tables.find((table) => table.name === reference.table);
  const parentColumnIndex = parentTable?.columns.findIndex((column) => column.name === reference.column) ?? -1;
  const key = parentTable?.columns[parentColumnIndex];
  if (!parentTable || !key || (key.type !== 'uuid' && key.type !== 'sequence')) {
    throw new Error(`reference to ${reference.table}.${reference.column} is not resolved in a validated dataset: a bug`);
  }
  return { parentTable, parentColumnIndex, key };
}

/**
 * A table's columns with each reference replaced by its key column under the reference's name and null share, and each
 * lookup by its parent column (contract/lookups.ts): what their cells are to every format and to the catalog (a uuid
 * key is a string, a sequence key a bigint, a looked-up price the parent's decimal).
 */
export function withKeyTypes(dataset: DatasetDocument, table: TableDocument): { readonly columns: readonly ColumnDocument[] } {
  const typeOf = relatedTypesOf(dataset, table.name);
  return { columns: table.columns.map((column) => (column.type === 'reference' || column.type === 'lookup' ? typeOf(column) : column)) };
}

/**
 * What a reference or lookup column of table `tableName` is as a plain column: a reference its key (under its name and
 * null share), a lookup its parent column. The typing of derived columns and withKeyTypes use it.
 */
export function relatedTypesOf(
  dataset: DatasetDocument, tableName: string,
): (column: ReferenceColumnDocument | LookupColumnDocument) => ColumnDocument {
  const table = dataset.tables.find((other) => other.name === tableName);
  if (table === undefined) throw new Error(`table ${tableName} is not in the dataset: a bug`);
  return (column) => {
    if (column.type === 'lookup') return resolveLookup(dataset.tables, table, column).document;
    const { key } = resolveReference(dataset, column);
    const omit = column.omit === true ? { omit: true } : {};
    const nulls = column.nullPercent === undefined ? {} : { nullPercent: column.nullPercent };
    return { ...key, name: column.name, ...nulls, ...omit };
  };
}

/** Every foreign key of a validated dataset, in table and column order. */
export function foreignKeysOf(dataset: DatasetDocument): ForeignKey[] {
  return dataset.tables.flatMap((table) => table.columns
    .filter((column): column is ReferenceColumnDocument => column.type === 'reference')
    .map((column) => ({
      table: table.name,
      column: column.name,
      parentTable: column.table,
      parentColumn: column.column,
      ...(column.children ? { children: column.children } : {}),
    })));
}

/** Checks each reference against the dataset: its table and column exist, and the key is unique by construction. */
function checkReferences(where: string, tablesWhere: string, tables: ReadonlyArray<{ name: string; columns: readonly ColumnDocument[] }>): void {
  tables.forEach((table, t) => {
    let layout: string | undefined;
    table.columns.forEach((column, c) => {
      if (column.type !== 'reference') return;
      const at = `${tablesWhere}[${t}] (${table.name}).columns[${c}] (${column.name})`;
      const parent = tables.find((other) => other.name === column.table);
      if (!parent) {
        fail(`${at}.table`, column.table, `no table of the dataset has that name; its tables are ${tables.map((other) => other.name).join(', ')}`);
      }
      const key = parent.columns.find((other) => other.name === column.column);
      if (!key) {
        fail(`${at}.column`, column.column, `table "${parent.name}" has no such column; its columns are ${parent.columns.map((other) => other.name).join(', ')}`);
      }
      if ((key.type !== 'uuid' && key.type !== 'sequence') || (key.nullPercent ?? 0) > 0) {
        const why = key.type === 'uuid' || key.type === 'sequence' ? `it has nullPercent ${key.nullPercent}` : `it is a ${key.type} column`;
        throw new InvalidInputError(`${at} refers to ${parent.name}.${key.name}, which is not a unique key (${why}): a referenced column `
          + 'must be a uuid or sequence column without nulls, unique by construction');
      }
      if (column.children) {
        if (layout !== undefined) {
          throw new InvalidInputError(`${at} has children, and so has column ${layout}: a table's rows follow one parent; `
            + 'keep children on one reference and pick the other parent without it');
        }
        layout = column.name;
      }
    });
  });
  // A cycle (a table referring to itself, or A to B to A) has no order in which to make and read the tables.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new InvalidInputError(`${where} has a cycle of references: ${cycle.join(' -> ')}; `
        + 'references must form a hierarchy (a parent never refers, directly or not, to its own children)');
    }
    state.set(name, 'visiting');
    const table = tables.find((other) => other.name === name)!;
    for (const column of table.columns) {
      if (column.type === 'reference') visit(column.table, [...path, name]);
    }
    state.set(name, 'done');
  };
  tables.forEach((table) => visit(table.name, []));
}

/**
 * Validates a dataset document (already parsed from JSON) and returns it with every default made explicit, the row
 * counts of child tables included.
 * @param rowCheck checks a table's rows (the caller knows the most one invocation may make)
 */
export function validateDatasetDocument(
  raw: unknown, where = 'dataset', rowCheck: (where: string, rows: unknown) => number = defaultRowCheck,
  /** How messages name the list of tables: `dataset.tables` in a document, `prop tables` where the list is a prop. */
  tablesWhere = `${where}.tables`,
): DatasetDocument {
  if (!isRecord(raw)) fail(where, raw, 'expected an object {"tables": [{"name": "customers", "rows": 1000, "columns": [...]}, ...]}');
  for (const key of Object.keys(raw)) {
    if (key !== 'tables') throw new InvalidInputError(`${where} has an unknown field ${describeValue(key)}: allowed fields are tables`);
  }
  const rawTables = raw.tables;
  if (!Array.isArray(rawTables) || rawTables.length === 0 || rawTables.length > DATASET_LIMITS.maxTables) {
    fail(tablesWhere, rawTables, `expected a list of 1 to ${DATASET_LIMITS.maxTables} tables`);
  }
  const declared = rawTables.map((rawTable: unknown, t: number) => {
    const at = `${tablesWhere}[${t}]`;
    if (!isRecord(rawTable)) fail(at, rawTable, 'expected {"name": "customers", "rows": 1000, "columns": [...]}');
    for (const key of Object.keys(rawTable)) {
      if (!['name', 'rows', 'columns'].includes(key)) {
        throw new InvalidInputError(`${at} has an unknown field ${describeValue(key)}: allowed fields are name, rows, columns`);
      }
    }
    const name = validateTableName(`${at}.name`, rawTable.name);
    const { columns } = validateSchemaDocument({ columns: rawTable.columns }, `${at} (${name})`, 'allowed');
    return { name, rawRows: rawTable.rows, columns };
  });
  declared.forEach((table, t) => {
    const first = declared.findIndex((other) => other.name === table.name);
    if (first !== t) throw new InvalidInputError(`${tablesWhere}[${t}].name is "${table.name}", already the name of tables[${first}]: table names must be unique`);
  });
  checkReferences(where, tablesWhere, declared);
  const columnWhere = (table: LookupTable, c: number) =>
    `${tablesWhere}[${declared.findIndex((other) => other.name === table.name)}] (${table.name}).columns[${c}] (${table.columns[c].name})`;
  checkLookups(declared, columnWhere);
  // A lag may follow a looked-up timestamp: checked once lookups resolve.
  declared.forEach((table) => {
    const isTimestamp = (column: ColumnDocument) => {
      if (column.type === 'reference') return false;
      return logicalTypeOf(column.type === 'lookup' ? resolveLookup(declared, table, column).document : column).kind === 'timestamp';
    };
    checkLaggedColumns(table.columns, (c) => columnWhere(table, c), isTimestamp);
    checkSeriesColumns(table.columns, (c) => columnWhere(table, c), isTimestamp);
  });
  // Rows in reference order: a child table's count follows from its parent's, already known (no cycles).
  const rows = new Map<string, number>();
  const rowsOf = (name: string): number => {
    const known = rows.get(name);
    if (known !== undefined) return known;
    const t = declared.findIndex((table) => table.name === name);
    const table = declared[t];
    const at = `${tablesWhere}[${t}] (${name}).rows`;
    const layout = childrenReference(table);
    let count: number;
    if (layout === undefined) {
      if (table.rawRows === undefined) fail(at, undefined, 'expected the number of rows of the table');
      count = rowCheck(at, table.rawRows);
    } else {
      const parentRows = rowsOf(layout.table);
      if (countLawOf(layout.children!) !== undefined) checkLawParents(`${tablesWhere}[${t}] (${name}).columns (${layout.name}).children`, parentRows);
      count = childRowCount(parentRows, layout.children!, name, layout.name);
      if (table.rawRows !== undefined && table.rawRows !== count) {
        fail(at, table.rawRows, `the rows of a table whose column ${layout.name} has children follow from its parent "${layout.table}": `
          + `${count} rows; leave rows out`);
      }
      rowCheck(`${at} (the children of ${layout.table}'s rows)`, count);
    }
    rows.set(name, count);
    return count;
  };
  const dataset = { tables: declared.map((table) => ({ name: table.name, rows: rowsOf(table.name), columns: table.columns })) };
  // A derived column may use a reference or a lookup, whose type is its parent's: typed once the parents are known.
  dataset.tables.forEach((table) => {
    typeDerivedColumns(table.columns, {
      whereOf: (c) => `table ${table.name}, column ${table.columns[c].name}, expression`,
      keyOf: relatedTypesOf(dataset, table.name),
    });
  });
  return withoutNegativeZero(dataset);
}

function defaultRowCheck(where: string, rows: unknown): number {
  if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 1) fail(where, rows, 'expected a positive whole number of rows');
  return rows;
}

/** Parses and validates a dataset from JSON text. */
export function parseDatasetDocument(json: string, where = 'dataset', rowCheck?: (where: string, rows: unknown) => number): DatasetDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new InvalidInputError(`${where} is not valid JSON (${(e as Error).message.slice(0, 200)}): expected {"tables": [...]}`);
  }
  return validateDatasetDocument(raw, where, rowCheck);
}

/**
 * Referential integrity checked from the files alone, by DuckDB (an engine nobody here wrote): each table read as its
 * catalog table declares, then for every foreign key of the dataset's manifest an anti-join that counts child keys no
 * parent row holds, and for a one-to-many layout the children per parent, the parents without children and whether
 * each parent's children are contiguous. A dataset may add checks of its own in SQL (SqlCheck): what its values must
 * satisfy, recomputed by DuckDB from the same rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { selectAsDeclared, type CatalogTable } from './catalog-reader';
import { quoted, rowsOf, withDuckDb, type Cell } from './duckdb';
import type { ForeignKey } from '../src/contract/dataset-document';

export interface TableFiles {
  readonly name: string;
  readonly table: CatalogTable;
  readonly files: readonly string[];
}

export interface ForeignKeyFinding {
  readonly foreignKey: ForeignKey;
  readonly childRows: number;
  /** Non-null child keys that no parent row holds. */
  readonly orphans: number;
  readonly nullKeys: number;
  /** For a one-to-many layout: children per parent (least, greatest), parents without a child, and runs of one parent. */
  readonly children?: { readonly min: number; readonly max: number; readonly parents: number; readonly childless: number; readonly runs: number };
  readonly ok: boolean;
}

function count(rows: unknown[][]): number {
  return Number(rows[0]?.[0] ?? 0);
}

async function checkForeignKey(connection: DuckDBConnection, foreignKey: ForeignKey): Promise<ForeignKeyFinding> {
  const child = quoted(foreignKey.table);
  const parent = quoted(foreignKey.parentTable);
  const column = quoted(foreignKey.column);
  const key = quoted(foreignKey.parentColumn);
  const childRows = count(await rowsOf(connection, `SELECT count(*) FROM ${child}`));
  const nullKeys = count(await rowsOf(connection, `SELECT count(*) FROM ${child} WHERE ${column} IS NULL`));
  const orphans = count(await rowsOf(connection,
    `SELECT count(*) FROM ${child} c ANTI JOIN ${parent} p ON c.${column} = p.${key} WHERE c.${column} IS NOT NULL`));
  let children: ForeignKeyFinding['children'];
  if (foreignKey.children) {
    const [[min, max, parents]] = await rowsOf(connection,
      `SELECT min(n), max(n), count(*) FROM (SELECT ${column}, count(*) AS n FROM ${child} GROUP BY ${column})`);
    const childless = count(await rowsOf(connection, `SELECT count(*) FROM ${parent} p ANTI JOIN ${child} c ON c.${column} = p.${key}`));
    // Rows in file order: a new run starts wherever the key differs from the row before.
    const runs = count(await rowsOf(connection,
      `SELECT count(*) FROM (SELECT ${column} AS k, lag(${column}) OVER (ORDER BY r) AS previous FROM (SELECT ${column}, row_number() OVER () AS r FROM ${child})) `
      + 'WHERE previous IS DISTINCT FROM k'));
    children = { min: Number(min), max: Number(max), parents: Number(parents), childless, runs };
  }
  const within = children === undefined
    || (children.min >= foreignKey.children!.min && children.max <= foreignKey.children!.max
      // Parents without children only where the declared counts allow 0 (a law of counts).
      && (children.childless === 0 || foreignKey.children!.min === 0) && children.runs === children.parents);
  return { foreignKey, childRows, orphans, nullKeys, ...(children ? { children } : {}), ok: orphans === 0 && within };
}

/**
 * A property of a dataset's values, stated in SQL over its tables (each a DuckDB table of the table's name, its rows in
 * file order) and judged from the query's rows.
 */
export interface SqlCheck {
  /** What holds when it passes, e.g. "order_items.line_total = quantity × unit_price". */
  readonly name: string;
  readonly query: string;
  readonly judge: (rows: Cell[][]) => { readonly ok: boolean; readonly observed: string };
}

export interface SqlFinding {
  readonly name: string;
  readonly ok: boolean;
  readonly observed: string;
}

export interface IntegrityFindings {
  readonly foreignKeys: ForeignKeyFinding[];
  readonly sql: SqlFinding[];
}

/** Reads every table as declared, checks every foreign key, then runs the dataset's own SQL checks. */
export async function checkIntegrity(
  tables: readonly TableFiles[], foreignKeys: readonly ForeignKey[], sqlChecks: readonly SqlCheck[] = [],
): Promise<IntegrityFindings> {
  return withDuckDb(async (connection) => {
    for (const table of tables) {
      // Materialized once: every check reads the same rows, in file order.
      await connection.run(`CREATE TABLE ${quoted(table.name)} AS ${await selectAsDeclared(connection, table.table, table.files)}`);
    }
    const findings: ForeignKeyFinding[] = [];
    for (const foreignKey of foreignKeys) findings.push(await checkForeignKey(connection, foreignKey));
    const sql: SqlFinding[] = [];
    for (const check of sqlChecks) sql.push({ name: check.name, ...check.judge(await rowsOf(connection, check.query)) });
    return { foreignKeys: findings, sql };
  });
}

/** One line per finding, as the demo prints them. */
export function describeFinding(finding: ForeignKeyFinding): string {
  const { foreignKey: fk, children } = finding;
  const layout = children === undefined ? '' : `; ${children.min} to ${children.max} children per parent (declared ${fk.children!.min} to ${fk.children!.max}) `
    + `over ${children.parents} parents, ${children.childless} without children, ${children.runs} contiguous runs`;
  return `${fk.table}.${fk.column} -> ${fk.parentTable}.${fk.parentColumn}: ${finding.orphans} orphan keys of ${finding.childRows} rows `
    + `(${finding.nullKeys} null)${layout}: ${finding.ok ? 'OK' : 'FAILED'}`;
}

/**
 * Names and text in DuckDB's SQL, without DuckDB itself: the examples' checks (examples/sql-checks.ts) are imported by
 * the example apps, which must not load the native engine to synthesize.
 */

/** An identifier in DuckDB's SQL (column names such as `at` are keywords there). */
export function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal. */
export function sqlText(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

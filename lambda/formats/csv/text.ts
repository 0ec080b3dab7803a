/**
 * CSV encoding of text cells, done once per distinct value (when a dictionary is built), never per cell.
 *
 * RFC 4180: a field holding the separator, a double quote, CR or LF is quoted and its quotes doubled.
 * Spreadsheet safety: a text cell starting with = + - @ TAB or CR would be run as a formula by Excel,
 * LibreOffice or Google Sheets when a user opens the file; it gets a leading ' so it is shown as text
 * (the OWASP advice for CSV injection).
 */

const FORMULA_STARTS = new Set(['=', '+', '-', '@', '\t', '\r']);
const NEEDS_QUOTES = /[",\r\n]/;

const utf8 = new TextEncoder();

/** The text a spreadsheet shows as text: a value that would start a formula gets a leading '. */
export function formulaGuarded(value: string): string {
  return value.length > 0 && FORMULA_STARTS.has(value[0]) ? `'${value}` : value;
}

/** The cell text as it appears in the file, formula-neutralized and quoted when needed. */
export function csvTextCell(value: string): string {
  const safe = formulaGuarded(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The UTF-8 bytes of a header row for `names` (the schema's validated column names need no quoting). */
export function csvHeaderBytes(names: readonly string[]): Uint8Array {
  return utf8.encode(names.map(csvTextCell).join(',') + '\n');
}

/**
 * Plain text: what a `text` generator may make, so that every format copies its bytes as they are — no CSV
 * quoting or formula guard, no JSON escaping, nothing for Parquet to do but count them. Checked once, on the parts
 * a generator composes its values from, when the column is compiled.
 */

/** Starts with a letter or digit (so no spreadsheet reads it as a formula); no quote, comma, backslash or control character. */
const PLAIN_TEXT = /^(?:[\p{L}\p{N}][^",\\\p{Cc}]*)?$/u;
const PLAIN_INSIDE = /^[^",\\\p{Cc}]*$/u;

/**
 * Throws unless every value is plain text. `inside`: the values never start a cell (a number or "@provider" after
 * a name), so they may start with any character a plain value may hold.
 */
export function requirePlainText(values: readonly string[], options: { allowEmpty?: boolean; inside?: boolean } = {}): readonly string[] {
  for (const value of values) {
    const plain = options.inside === true ? PLAIN_INSIDE.test(value) : PLAIN_TEXT.test(value);
    if (!plain || (value.length === 0 && options.allowEmpty !== true)) {
      throw new Error(`faker name part ${JSON.stringify(value)} is not plain text (it would need quoting or escaping in some format); `
        + 'the engine cannot compose it as is');
    }
  }
  return values;
}

/**
 * JSON Lines: one JSON object per row, keys in schema order, `null` for a null cell; numbers (decimals with their
 * declared fraction digits) as JSON numbers, timestamps as ISO-8601 UTC strings, text escaped as JSON requires.
 * No header: each line names its keys. Not formula-guarded (a spreadsheet does not open JSON).
 */
import type { CompiledTable } from '../../engine/compiled-table';
import type { FileEncoder } from '../file-encoder';
import { textCell, type TextStyle } from '../text/cells';
import { rowFileEncoder } from '../text/rows';

const utf8 = new TextEncoder();

/**
 * A JSON string literal. JSON.stringify escapes quotes, backslashes and control characters, and writes U+2028 and
 * U+2029 as they are (valid JSON), which a JavaScript reader of old would choke on: they are escaped too.
 */
export function jsonText(value: string): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

const JSON_STYLE: TextStyle = { textCell: jsonText, quoted: true };

export function jsonLinesFileEncoder(table: CompiledTable): FileEncoder {
  return rowFileEncoder(table, {
    header: new Uint8Array(0),
    // Column names are validated identifiers ([A-Za-z_][A-Za-z0-9_]*): they need no escaping.
    prefixes: table.names.map((name, c) => utf8.encode(`${c === 0 ? '{' : ','}${jsonText(name)}:`)),
    nullCell: utf8.encode('null'),
    rowEnd: utf8.encode('}\n'),
    cells: table.generators.map((generator) => textCell(generator, JSON_STYLE)),
  });
}

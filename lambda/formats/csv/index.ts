/**
 * CSV (RFC 4180 quoting, LF line ends, a header line, empty cells for nulls, text formula-guarded for spreadsheets).
 */
import type { CompiledTable } from '../../engine/compiled-table';
import type { FileEncoder } from '../file-encoder';
import { csvHeaderBytes, csvTextCell } from './text';
import { textCell, type TextStyle } from '../text/cells';
import { rowFileEncoder } from '../text/rows';

export { csvTextCell } from './text';

const CSV: TextStyle = { textCell: csvTextCell, quoted: false };
const COMMA = Uint8Array.of(44);

export function csvFileEncoder(table: CompiledTable, options: { header: boolean }): FileEncoder {
  return rowFileEncoder(table, {
    header: options.header ? csvHeaderBytes(table.names) : new Uint8Array(0),
    prefixes: table.names.map((_, c) => (c === 0 ? new Uint8Array(0) : COMMA)),
    nullCell: new Uint8Array(0),
    rowEnd: Uint8Array.of(10),
    cells: table.generators.map((generator) => textCell(generator, CSV)),
  });
}

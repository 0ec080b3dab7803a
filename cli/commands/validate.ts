/**
 * `validate`: the construct's synth-time validation of a schema or dataset file (src/contract, the same code), with every
 * error listed, each with its table, column and line in the file. The contract stops at the first error; to find the
 * next, the column at fault is set aside (replaced by a plain column of the same name) and the document validated again.
 */
import { validateDatasetDocument } from '../../src/contract/dataset-document';
import { InvalidInputError } from '../../src/contract/errors';
import { validateSchemaDocument } from '../../src/contract/schema-document';
import { EXIT, PROGRAM, UsageError, type Command, type Values } from '../command';
import { valuePositions, type TextPosition } from '../json-positions';
import { readUserFile } from '../run-settings';

const NAME = 'validate';
/** More errors than this in one file are summed up, not listed. */
const MAX_ERRORS = 100;

export interface FoundError {
  readonly table?: string;
  readonly column?: string;
  /** The path of the value at fault in the document (`tables[1].columns[2]`). */
  readonly path?: string;
  readonly position?: TextPosition;
  readonly message: string;
}

export const validateCommand: Command = {
  name: NAME,
  summary: 'check a schema or dataset file as the construct does at synth time, listing every error with its table, column and line',
  help: `Usage: ${PROGRAM} validate FILE [--json]

Checks a schema ({"columns": [...]}, Schema.fromFile's form) or a dataset of related tables ({"tables": [...]})
with the construct's own synth-time validation, and lists every error: its table, its column, its line and
column in FILE, and what to change.

Options:
  --json       print the errors as JSON on standard output ({"file", "kind", "valid", "errors": [...]})
  -h, --help   this help

Exit codes: 0 valid, 1 invalid (every error is listed), 2 usage (FILE missing or unreadable).`,
  options: { json: { type: 'boolean' } },
  positionals: 1,
  run: runValidate,
};

async function runValidate(values: Values, positionals: readonly string[]): Promise<number> {
  const file = positionals[0];
  if (file === undefined) throw new UsageError('give the schema or dataset file to check: validate FILE', NAME);
  const text = readUserFile(file, 'FILE', NAME);
  const { kind, errors } = validateText(text);
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ file, kind, valid: errors.length === 0, errors }, null, 2)}\n`);
  } else if (errors.length === 0) {
    process.stdout.write(`${file}: a valid ${kind}\n`);
  } else {
    process.stderr.write(`${file}: ${errors.length} error${errors.length === 1 ? '' : 's'} in this ${kind}\n`);
    for (const error of errors) {
      const where = [error.table && `table ${error.table}`, error.column && `column ${error.column}`].filter(Boolean).join(', ');
      const at = error.position ? `${file}:${error.position.line}:${error.position.column}` : file;
      process.stderr.write(`  ${at}${where ? ` (${where})` : ''}: ${error.message}\n`);
    }
  }
  return errors.length === 0 ? EXIT.ok : EXIT.invalid;
}

/** Every error of a schema or dataset text (a dataset when its top level has `tables`). */
export function validateText(text: string): { kind: 'schema' | 'dataset'; errors: FoundError[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const offset = /at position (\d+)/.exec(message);
    return {
      kind: 'schema',
      errors: [{ message: `not valid JSON (${message}): fix the syntax first`, ...(offset ? { position: positionOfOffset(text, Number(offset[1])) } : {}) }],
    };
  }
  const kind = typeof raw === 'object' && raw !== null && 'tables' in raw ? 'dataset' : 'schema';
  // Messages name the document's parts from its top (`dataset.tables[1]...`); the file and line come before them.
  const validate = kind === 'dataset' ? (doc: unknown) => validateDatasetDocument(doc) : (doc: unknown) => validateSchemaDocument(doc);
  const positions = valuePositions(text);
  const errors: FoundError[] = [];
  const setAside = new Set<string>();
  for (let attempt = 0; attempt <= MAX_ERRORS; attempt += 1) {
    try {
      validate(raw);
      return { kind, errors };
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      const located = locate(raw, e.message);
      const path = located?.path;
      errors.push({ ...located, ...(path && positions.has(path) ? { position: positions.get(path) } : {}), message: e.message });
      // An error no column explains (the document's shape, a cycle of tables) ends the search: what follows would guess.
      if (located?.columnIndex === undefined || setAside.has(path!)) return { kind, errors };
      setAside.add(path!);
      replaceColumn(raw, located, /\.name is "/.test(e.message.slice(e.message.indexOf(`columns[${located.columnIndex}]`))));
    }
  }
  errors.push({ message: `more than ${MAX_ERRORS} errors: fix these first` });
  return { kind, errors };
}

function positionOfOffset(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

interface Location {
  table?: string;
  column?: string;
  path?: string;
  tableIndex?: number;
  columnIndex?: number;
}

type RawTable = { name?: unknown; columns?: unknown[] };

function tablesOf(raw: unknown): RawTable[] | undefined {
  const tables = (raw as { tables?: unknown }).tables;
  return Array.isArray(tables) ? tables as RawTable[] : undefined;
}

function columnsOf(raw: unknown, tableIndex: number | undefined): unknown[] | undefined {
  const holder = tableIndex === undefined ? raw as RawTable : tablesOf(raw)?.[tableIndex];
  return Array.isArray(holder?.columns) ? holder.columns : undefined;
}

/** Which table and column a contract message names: by index (`tables[1] ... columns[2]`) or by name (`table t, column c`). */
function locate(raw: unknown, message: string): Location | undefined {
  const tables = tablesOf(raw);
  let tableIndex: number | undefined;
  let columnIndex: number | undefined;
  const byIndex = /tables\[(\d+)\]/.exec(message);
  if (byIndex) tableIndex = Number(byIndex[1]);
  const columnByIndex = /columns\[(\d+)\]/.exec(message);
  if (columnByIndex) columnIndex = Number(columnByIndex[1]);
  const byName = /table ([^\s,]+), column ([^\s,]+)/.exec(message);
  if (byName && tables) {
    tableIndex = tables.findIndex((table) => table?.name === byName[1]);
    columnIndex = columnsOf(raw, tableIndex)?.findIndex((column) => (column as { name?: unknown })?.name === byName[2]);
    if (tableIndex < 0) return undefined;
    if (columnIndex !== undefined && columnIndex < 0) columnIndex = undefined;
  }
  if (tableIndex === undefined && columnIndex === undefined) return undefined;
  const table = tableIndex === undefined ? undefined : tables?.[tableIndex]?.name;
  const columns = columnsOf(raw, tableIndex);
  const column = columnIndex === undefined ? undefined : (columns?.[columnIndex] as { name?: unknown } | undefined)?.name;
  const tablePath = tableIndex === undefined ? '' : `tables[${tableIndex}]`;
  const path = columnIndex === undefined ? tablePath : `${tablePath ? `${tablePath}.` : ''}columns[${columnIndex}]`;
  return {
    ...(typeof table === 'string' ? { table } : {}),
    ...(typeof column === 'string' ? { column } : {}),
    path,
    tableIndex,
    columnIndex,
  };
}

/** Sets a faulty column aside: a plain integer column, with its name kept (others may refer to it) unless the name was the fault. */
function replaceColumn(raw: unknown, located: Location, nameAtFault: boolean): void {
  const columns = columnsOf(raw, located.tableIndex)!;
  const original = columns[located.columnIndex!] as { name?: unknown } | undefined;
  const name = !nameAtFault && typeof original?.name === 'string' && original.name !== '' ? original.name : `set_aside_${located.columnIndex}`;
  columns[located.columnIndex!] = { name, type: 'integer' };
}

/**
 * Random and hostile schemas for the adversarial property: source columns of every kind and option (hostile-values.ts),
 * then derived columns whose expressions have a random shape and depth, built from the language's functions and
 * operators, the inherited members of an object, hostile text (surrogates, control characters, quotes), and names of
 * columns that exist and that do not. checkSchema validates one and, when it is accepted, generates it in every format
 * and reads each back to the values the engine meant.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { decodeRows } from './decode';
import { asWrittenInCsv, hostileString, validColumn } from './hostile-values';
import type { Cell } from './intended-values';
import type { IsolatedGenerator } from './isolated-generation';
import { sqlText, type DuckDb } from './parquet-readers';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { InvalidInputError } from '../../src/contract/errors';
import { EXPRESSION_FUNCTIONS } from '../../src/contract/expressions';
import { logicalTypesOf, type LogicalType } from '../../src/contract/logical-types';
import type { OutputFormatDocument } from '../../src/contract/output-format';
import { validateSchemaDocument } from '../../src/contract/schema-document';

const INHERITED_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf', 'toLocaleString', '__defineGetter__'];
const BINARY = ['+', '-', '*', '/', '==', '!=', '<', '<=', '>', '>=', '&&', '||'];

/** An expression over `names`, of depth at most `depth`. */
function expressionOver(names: readonly string[], depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...names) },
    { weight: 2, arbitrary: fc.oneof(fc.nat({ max: 1000 }).map(String), fc.tuple(fc.nat({ max: 999 }), fc.nat({ max: 999 })).map(([a, b]) => `${a}.${b}`)) },
    { weight: 2, arbitrary: hostileString.map((text) => `'${text.replace(/['\\]/g, '').slice(0, 40)}'`) },
    { weight: 1, arbitrary: fc.constantFrom('null', 'true', 'false', 'missing_column', ...INHERITED_NAMES) },
  );
  if (depth === 0) return leaf;
  const inner = expressionOver(names, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...EXPRESSION_FUNCTIONS, ...INHERITED_NAMES), fc.array(inner, { minLength: 1, maxLength: 3 }))
        .map(([name, args]) => `${name}(${args.join(', ')})`),
    },
    { weight: 3, arbitrary: fc.tuple(inner, fc.constantFrom(...BINARY), inner).map(([a, op, b]) => `(${a} ${op} ${b})`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('-', '!'), inner).map(([op, a]) => `${op}${a}`) },
    { weight: 1, arbitrary: fc.tuple(inner, inner).map(([a, b]) => `\`${'${'}${a}}-${'${'}${b}}\``) },
    { weight: 1, arbitrary: fc.tuple(inner, inner, inner).map(([c, a, b]) => `(${c} ? ${a} : ${b})`) },
  );
}

/** Expressions that type-check over a column of `type`, so that the property also reaches the engine often. */
function wellTyped(name: string, type: unknown): string[] {
  switch (type) {
    case 'integer':
    case 'decimal':
    case 'sequence':
      return [`${name} + 1`, `${name} * 2`, `${name} / 3`, `round(${name} / 7, 2)`, `string(${name})`, `if(${name} > 0, ${name}, -${name})`, `-${name}`];
    case 'timestamp':
      return [`addDays(${name}, 3)`, `year(${name})`, `dayOfWeek(${name})`, `diffDays(${name}, ${name})`, `string(${name})`, `hour(${name}) < 12`];
    case 'derived':
      return [`isNull(${name})`, `coalesce(${name}, ${name})`, `if(isNull(${name}), ${name}, ${name})`];
    case 'faker':
      return [`isNull(${name})`, `coalesce(${name}, ${name})`];
    default:
      return [`upper(${name})`, `lower(${name})`, `concat(${name}, '-x')`, `substring(${name}, 1, 3)`, `length(${name})`,
        `\`<${'${'}${name}}>\``, `upper(lower(upper(${name})))`, `concat(${name}, ${name}, ${name})`];
  }
}

/** A schema document: 1 to 4 source columns of any kind, then 1 to 4 derived columns over them and each other. */
export const hostileSchema: fc.Arbitrary<{ columns: Record<string, unknown>[] }> = fc
  .uniqueArray(validColumn, { minLength: 1, maxLength: 4, selector: (column) => String(column.name).toLowerCase() })
  .chain((sources) => {
    const names = sources.map((column) => String(column.name));
    const derivedNames = ['d_0', 'd_1', 'd_2', 'd_3'].filter((name) => !names.some((other) => other.toLowerCase() === name));
    const typed = [
      ...sources.flatMap((column) => wellTyped(String(column.name), column.type)),
      ...derivedNames.flatMap((name) => wellTyped(name, 'derived')),
    ];
    // Two in three type-check, so that the engine is reached often; the rest are of any shape.
    const anyExpression = fc.oneof(
      { weight: 1, arbitrary: expressionOver([...names, ...derivedNames], 4) },
      { weight: 2, arbitrary: fc.constantFrom(...typed) },
    );
    return fc.array(fc.tuple(anyExpression, fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined })), {
      minLength: 1, maxLength: derivedNames.length,
    }).map((derived) => ({
      columns: [
        ...sources,
        ...derived.map(([expression, nullPercent], i) => ({
          name: derivedNames[i], type: 'derived', expression, ...(nullPercent === undefined ? {} : { nullPercent }),
        })),
      ],
    }));
  });

export const EVERY_FORMAT: readonly OutputFormatDocument[] = [
  { format: 'csv', compression: 'gzip' },
  { format: 'jsonl', compression: 'zstd' },
  { format: 'parquet', compression: 'snappy' },
];

/** The counts of a run of the property. */
export interface FuzzCounts {
  schemas: number;
  accepted: number;
  refused: number;
  generated: number;
  readBack: number;
  slowestMs: number;
  /** The document that took slowestMs, to look at when the slowest comes near the limit. */
  slowest?: unknown;
}

export const emptyCounts = (): FuzzCounts => ({ schemas: 0, accepted: 0, refused: 0, generated: 0, readBack: 0, slowestMs: 0 });

/**
 * Validates `document`: a refusal must be a clean InvalidInputError; an accepted schema is generated in every format
 * (`rows` rows of `seed`) by `generator`, in a worker within its time and memory limits, and each format must read back
 * to the rows the engine meant. Throws otherwise, naming the schema and the seed.
 */
export async function checkSchema(
  document: unknown, seed: number, counts: FuzzCounts, duckdb: DuckDb, generator: IsolatedGenerator, rows = 6,
): Promise<void> {
  counts.schemas++;
  let schema: SchemaDocument;
  try {
    schema = validateSchemaDocument(document);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw new Error(`validation threw ${String(error)} for ${JSON.stringify(document)}`);
    counts.refused++;
    return;
  }
  counts.accepted++;
  const started = performance.now();
  const { intended, objects } = await generator.generate({ schema, seed, rows, formats: EVERY_FORMAT }, document);
  const elapsedMs = Math.round(performance.now() - started);
  if (elapsedMs > counts.slowestMs) Object.assign(counts, { slowestMs: elapsedMs, slowest: document });
  counts.generated++;
  for (const [f, output] of EVERY_FORMAT.entries()) {
    const bytes = objects[f];
    if (output.format === 'parquet') {
      await expectDuckDbReads(duckdb, bytes, schema, intended, document, seed);
      continue;
    }
    const read = await decodeRows(bytes, output, schema);
    // CSV guards a text that a spreadsheet would take for a formula with a leading ' (the CSV injection guard), and an
    // empty text is an empty cell, which reads as null (CSV has no other).
    const asInCsv = (cell: Cell): Cell => (cell === '' ? null : typeof cell === 'string' ? asWrittenInCsv(cell) : cell);
    const expected = output.format === 'csv' ? intended.map((row) => row.map(asInCsv)) : intended;
    if (JSON.stringify(read) !== JSON.stringify(expected)) {
      const row = read.findIndex((cells, r) => JSON.stringify(cells) !== JSON.stringify(expected[r]));
      const column = row < 0 ? -1 : schema.columns.findIndex((_, c) => JSON.stringify(read[row]?.[c]) !== JSON.stringify(expected[row]?.[c]));
      const shown = (value: unknown) => JSON.stringify(value)?.slice(0, 120);
      throw new Error(`${output.format} read back other values than the engine meant: row ${row}, column ${schema.columns[column]?.name}: `
        + `read ${shown(read[row]?.[column])}, meant ${shown(expected[row]?.[column])} (${read.length} rows read, ${expected.length} meant), `
        + `for ${JSON.stringify(document)} with seed ${seed}`);
    }
  }
  counts.readBack++;
}

/**
 * A column as DuckDB gives it in a query, and the same of a meant cell: exact text for numbers beyond a double's digits,
 * and a text's UTF-8 bytes in hex (DuckDB's JavaScript client drops a leading U+FEFF, which is a character here).
 */
function duckDbForm(name: string, type: LogicalType): { select: string; of: (cell: Cell) => unknown; read?: (value: unknown) => unknown } {
  const quoted = `"${name}"`;
  switch (type.kind) {
    case 'bigint':
      return { select: `CAST(${quoted} AS VARCHAR)`, of: (cell) => String(cell) };
    case 'decimal':
      // DuckDB writes 0.5 as .5: both sides as the unscaled whole number.
      return { select: `CAST(${quoted} AS VARCHAR)`, of: (cell) => String(cell), read: (value) => BigInt(String(value).replace('.', '')).toString() };
    case 'timestamp':
      return { select: `CAST(epoch_ms(${quoted}) AS VARCHAR)`, of: (cell) => String(cell) };
    case 'string':
      return { select: `hex(encode(${quoted}))`, of: (cell) => Buffer.from(cell as string).toString('hex').toUpperCase() };
    default:
      return { select: quoted, of: (cell) => cell };
  }
}

/** DuckDB reads the Parquet object to the rows the engine meant (decimals exact). */
async function expectDuckDbReads(
  duckdb: DuckDb, bytes: Buffer, schema: SchemaDocument, intended: Cell[][], document: unknown, seed: number,
): Promise<void> {
  const types = logicalTypesOf(schema.columns);
  const forms = schema.columns.map((column, c) => duckDbForm(column.name, types[c]));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'adversarial-')), 'object.parquet');
  try {
    fs.writeFileSync(file, bytes);
    const selects = forms.map((form, c) => `${form.select} AS c${c}`).join(', ');
    const rows = await duckdb.query(`SELECT ${selects} FROM read_parquet(${sqlText(file)}, file_row_number = true) ORDER BY file_row_number`);
    const read = rows.map((row) => forms.map((form, c) => {
      const value = row[`c${c}`] ?? null;
      return value === null || form.read === undefined ? value : form.read(value);
    }));
    const expected = intended.map((row) => row.map((cell, c) => (cell === null ? null : forms[c].of(cell))));
    if (JSON.stringify(read) !== JSON.stringify(expected)) {
      throw new Error(`DuckDB read the Parquet object otherwise than the engine meant: read ${JSON.stringify(read).slice(0, 300)}, `
        + `meant ${JSON.stringify(expected).slice(0, 300)}, for ${JSON.stringify(document)} with seed ${seed}`);
    }
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

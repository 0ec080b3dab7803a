/**
 * The catalog table reads the data: for every output format and compression, the table definition is taken from the
 * synthesized template and DuckDB reads an object the engine made with exactly the declared column types (a CSV
 * column declared as text through the cast its comment gives). Every row must parse and equal what the engine meant
 * to write (test/support/intended-values.ts). moto's CloudFormation skips Glue tables, and Athena cannot run here:
 * this is the proof that stands in for a query.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { formulaGuarded } from '../../lambda/formats/csv/text';
import { readAsDeclared, templateTable, type CatalogTable } from '../../local-cloud/catalog-reader';
import { withDuckDb } from '../../local-cloud/duckdb';
import { OutputFormat, ParquetCompression, Schema, SyntheticDataGenerator, TextCompression } from '../../src';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { logicalTypesOf } from '../../src/contract/logical-types';
import { engineOutput, schemaOf } from '../support/engine-output';
import { intendedRows, type Cell } from '../support/intended-values';

/** Every column kind and every faker value type, nulls in most, text that CSV must quote or guard, and non-ASCII text. */
const EVERY_KIND: SchemaDocument = schemaOf(
  { name: 'id', type: 'uuid' },
  { name: 'line', type: 'sequence', start: -5, step: 7 },
  { name: 'customer', type: 'faker', method: 'person.fullName', nullPercent: 10 },
  { name: 'email', type: 'faker', method: 'internet.email' },
  { name: 'city', type: 'faker', method: 'location.city', nullPercent: 5 },
  { name: 'product', type: 'faker', method: 'commerce.productName' },
  { name: 'latitude', type: 'faker', method: 'location.latitude' },
  { name: 'visited', type: 'faker', method: 'date.past', nullPercent: 5 },
  { name: 'active', type: 'faker', method: 'datatype.boolean' },
  { name: 'port', type: 'faker', method: 'internet.port', nullPercent: 20 },
  { name: 'quantity', type: 'integer', min: -3, max: 20 },
  { name: 'big', type: 'integer', min: -9007199254740991, max: 9007199254740991, nullPercent: 10 },
  { name: 'unit_price', type: 'decimal', min: -500, max: 500, fractionDigits: 2, nullPercent: 10 },
  { name: 'ratio', type: 'decimal', min: 0, max: 1, fractionDigits: 6 },
  { name: 'huge', type: 'decimal', min: -90071992547, max: 90071992547, fractionDigits: 5 },
  { name: 'at', type: 'timestamp', from: '0001-01-01', to: '9999-12-31T23:59:59Z', nullPercent: 3 },
  { name: 'ordered', type: 'timestamp', from: '2024-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z' },
  // No backslash: Athena's Open CSV SerDe reads one as an escape, which DuckDB cannot be told to do (README, limits).
  { name: 'note', type: 'oneOf', values: ['plain', 'with, comma', 'say "hi"', '=SUM(A1)', '-1', 'café', '日本語', '🙂 emoji'], nullPercent: 10 },
  { name: 'channel', type: 'oneOf', values: ['web', 'store', 'phone'], weights: [70, 25, 5] },
  // Derived columns of every result type, null where an operand is (unit_price, note) or by their own share.
  { name: 'line_total', type: 'derived', expression: 'quantity * unit_price' },
  { name: 'label', type: 'derived', expression: '`${channel}: ${note}`' },
  { name: 'rush', type: 'derived', expression: 'quantity > 10 && active', nullPercent: 5 },
  { name: 'ships', type: 'derived', expression: 'addDays(ordered, if(quantity > 10, 1, 5))' },
  { name: 'share', type: 'derived', expression: 'round(ratio / 3, 4)' },
  { name: 'north', type: 'derived', expression: 'latitude * 2' },
);
const TYPES = logicalTypesOf(EVERY_KIND.columns);

const ROWS = 3000;
const SEED = 20261202;

const FORMATS: ReadonlyArray<[string, OutputFormat]> = [
  ['CSV', OutputFormat.csv()],
  ['CSV, gzip', OutputFormat.csv({ compression: TextCompression.GZIP })],
  ['CSV, zstd', OutputFormat.csv({ compression: TextCompression.ZSTD })],
  ['JSON Lines', OutputFormat.jsonLines()],
  ['JSON Lines, gzip', OutputFormat.jsonLines({ compression: TextCompression.GZIP })],
  ['JSON Lines, zstd', OutputFormat.jsonLines({ compression: TextCompression.ZSTD })],
  ['Parquet, zstd', OutputFormat.parquet()],
  ['Parquet, gzip', OutputFormat.parquet({ compression: ParquetCompression.GZIP })],
  ['Parquet, snappy', OutputFormat.parquet({ compression: ParquetCompression.SNAPPY })],
  ['Parquet, uncompressed', OutputFormat.parquet({ compression: ParquetCompression.NONE })],
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-duckdb-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function synthesizedTable(outputFormat: OutputFormat): CatalogTable {
  const stack = new Stack(new App(), 'CatalogTest', { env: { account: '123456789012', region: 'us-east-1' } });
  new SyntheticDataGenerator(stack, 'Every', { schema: Schema.fromJson(JSON.stringify(EVERY_KIND)), datasetName: 'every', outputFormat });
  return templateTable(Template.fromStack(stack));
}

/** The object of the first ROWS rows, in a file named as the function names it (readers pick the codec by extension). */
async function writtenObject(outputFormat: OutputFormat): Promise<string> {
  const { bytes } = await engineOutput({ schema: EVERY_KIND, seed: SEED, rowCount: ROWS, output: outputFormat._toDocument() });
  const file = path.join(dir, `every-${outputFormat.format}-${outputFormat.compression}${outputFormat.fileExtension}`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** What a reader of `format` must find: in CSV, text that would start a spreadsheet formula keeps its guard (CSV only). */
function expectedRows(format: string): Cell[][] {
  const rows = intendedRows(EVERY_KIND, SEED, 0, ROWS);
  if (format !== 'csv') return rows;
  const text = TYPES.map((type) => type.kind === 'string');
  return rows.map((row) => row.map((cell, c) => (text[c] && typeof cell === 'string' ? formulaGuarded(cell) : cell)));
}

/**
 * Columns whose values DuckDB cannot read exactly from JSON: its JSON reader parses every number as a double, which
 * holds 15 significant digits, and `huge` has 16. (Athena's Hive JSON SerDe parses them as BigDecimal.) Their JSON text
 * is checked digit for digit below; DuckDB's reading of them, to within a double's precision.
 */
const BEYOND_A_DOUBLE = TYPES.flatMap((type, c) => {
  return type.kind === 'decimal' && type.precision > 15 ? [c] : [];
});

describe.each(FORMATS)('%s', (_, outputFormat) => {
  test('the catalog table reads every row of the object with its declared types, as the engine meant it', async () => {
    const table = synthesizedTable(outputFormat);
    const file = await writtenObject(outputFormat);
    const read = await withDuckDb((connection) => readAsDeclared(connection, table, file));
    const expected = expectedRows(outputFormat.format);
    expect(read.length).toBe(ROWS);
    const json = outputFormat.format === 'jsonl';
    // Row by row, so that a failure names the first row that differs.
    for (let r = 0; r < ROWS; r++) {
      const found = read[r].map((cell, c) => {
        const intended = expected[r][c];
        const near = json && BEYOND_A_DOUBLE.includes(c) && typeof cell === 'number' && typeof intended === 'number' && Math.abs(cell - intended) <= Math.abs(intended) * 2e-16 + 1;
        return near ? intended : cell;
      });
      if (JSON.stringify(found) !== JSON.stringify(expected[r])) expect({ row: r, cells: read[r] }).toEqual({ row: r, cells: expected[r] });
    }
  });
});

test('JSON Lines writes decimals digit for digit, even beyond a double\'s precision', async () => {
  const { bytes } = await engineOutput({ schema: EVERY_KIND, seed: SEED, rowCount: ROWS, output: { format: 'jsonl', compression: 'none' } });
  const expected = expectedRows('jsonl');
  const names = EVERY_KIND.columns.map((column) => column.name);
  bytes.toString('utf8').trimEnd().split('\n').forEach((line, r) => {
    // The number's text as written (JSON.parse's source text access, Node.js 21 on), not the double it parses to.
    const texts = JSON.parse(line, (_key, value, context?: { source?: string }) => (typeof value === 'number' ? context?.source : value)) as Record<string, string | null>;
    for (const c of BEYOND_A_DOUBLE) {
      const unscaled = expected[r][c];
      const scale = (TYPES[c] as { scale: number }).scale;
      expect(texts[names[c]]).toBe(unscaled === null ? null : decimalText(unscaled as number, scale));
    }
  });
});

/** An unscaled decimal written out, as the engine writes it. */
function decimalText(unscaled: number, scale: number): string {
  const digits = String(Math.abs(unscaled)).padStart(scale + 1, '0');
  return `${unscaled < 0 ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

describe('the table definition', () => {
  test('every column has its logical type in JSON Lines and Parquet', () => {
    for (const outputFormat of [OutputFormat.jsonLines(), OutputFormat.parquet()]) {
      expect(synthesizedTable(outputFormat).columns.map((c) => `${c.name} ${c.type}`)).toEqual([
        'id string', 'line bigint', 'customer string', 'email string', 'city string', 'product string', 'latitude double',
        'visited timestamp', 'active boolean', 'port bigint', 'quantity bigint', 'big bigint', 'unit_price decimal(5,2)',
        'ratio decimal(7,6)', 'huge decimal(16,5)', 'at timestamp', 'ordered timestamp', 'note string', 'channel string',
        'line_total decimal(7,2)', 'label string', 'rush boolean', 'ships timestamp', 'share decimal(4,4)', 'north double',
      ]);
    }
  });

  test('in CSV, what the Open CSV SerDe cannot type is text whose comment gives the cast', () => {
    const columns = synthesizedTable(OutputFormat.csv()).columns;
    expect(columns.filter((c) => c.type !== 'string').map((c) => `${c.name} ${c.type}`)).toEqual([
      'line bigint', 'latitude double', 'active boolean', 'quantity bigint',
    ]);
    expect(columns.find((c) => c.name === 'ordered')?.comment).toBe('timestamp as text: read it as CAST(from_iso8601_timestamp(NULLIF(ordered, \'\')) AS timestamp)');
    expect(columns.find((c) => c.name === 'unit_price')?.comment).toBe('decimal(5,2) as text: read it as CAST(NULLIF(unit_price, \'\') AS decimal(5,2))');
    expect(columns.find((c) => c.name === 'port')?.comment).toBe('bigint as text: read it as CAST(NULLIF(port, \'\') AS bigint)');
    expect(columns.find((c) => c.name === 'city')?.comment).toBe('empty cells are nulls: read it as NULLIF(city, \'\')');
    expect(columns.find((c) => c.name === 'email')?.comment).toBeUndefined();
    // A derived column's nulls are its operands' too: line_total is nullable where unit_price is.
    expect(columns.find((c) => c.name === 'line_total')?.comment).toBe('decimal(7,2) as text: read it as CAST(NULLIF(line_total, \'\') AS decimal(7,2))');
  });
});

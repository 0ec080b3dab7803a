/**
 * Property-based checks of the Parquet encoder (fast-check): for random tables (any logical type, required or
 * optional, plain or dictionary, any codec) in random blocks, DuckDB and hyparquet read back exactly the rows that
 * were given, and row groups encoded by separate encoders concatenate to the very bytes of one encoder's file.
 */
import { inspect, isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { createParquetEncoder, type ParquetCompression, type RowGroupRecord } from '../../lambda/formats/parquet';
import type { LogicalType } from '../../src/contract/logical-types';
import { encodeFile, ReadBack } from '../support/parquet-readers';
import { rowBlock, type Cell, type TestColumn } from '../support/row-blocks';

const CREATED_BY = 'cdk-synthetic-data version 0.0.0 (build property)';
const FIRST_MS = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** A logical type and the values a column of it may hold. */
const typedValues: fc.Arbitrary<{ type: LogicalType; value: fc.Arbitrary<Cell> }> = fc.oneof(
  fc.constant({ type: { kind: 'string' } as LogicalType, value: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ maxLength: 200 }), fc.constant('')) }),
  fc.constant({ type: { kind: 'bigint' } as LogicalType, value: fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -20, max: 20 })) }),
  fc.constant({ type: { kind: 'double' } as LogicalType, value: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
  fc.constant({ type: { kind: 'boolean' } as LogicalType, value: fc.boolean() }),
  fc.constant({ type: { kind: 'timestamp' } as LogicalType, value: fc.oneof(fc.integer({ min: FIRST_MS, max: LAST_MS }), fc.constantFrom(FIRST_MS, LAST_MS, 0, -1)) }),
  fc.integer({ min: 1, max: 16 }).chain((precision) => fc.integer({ min: 0, max: precision }).map((scale) => {
    const largest = Math.min(10 ** precision - 1, Number.MAX_SAFE_INTEGER);
    return { type: { kind: 'decimal', precision, scale } as LogicalType, value: fc.oneof(fc.integer({ min: -largest, max: largest }), fc.constantFrom(-largest, largest, 0)) };
  })),
);

/** A column and an arbitrary of its cells (indexes for a dictionary column), each null with its own chance when optional. */
type ColumnWithCells = { column: TestColumn; cell: fc.Arbitrary<Cell> };
const columnArbitrary = (name: string): fc.Arbitrary<ColumnWithCells> => typedValues.chain(({ type, value }) => fc.record({
  optional: fc.boolean(),
  dictionary: fc.option(fc.array(value, { minLength: 1, maxLength: 20 }), { freq: 2 }),
  nullPercent: fc.constantFrom(0, 10, 50, 100),
}).map(({ optional, dictionary, nullPercent }) => {
  const column: TestColumn = { name, type, optional, ...(dictionary === null ? {} : { dictionary }) };
  const present = dictionary === null ? value : fc.nat(dictionary.length - 1);
  const cell = optional && nullPercent > 0
    ? fc.oneof({ arbitrary: fc.constant(null), weight: nullPercent }, { arbitrary: present, weight: 100 - nullPercent })
    : present;
  return { column, cell };
}));

const tableArbitrary = fc.integer({ min: 1, max: 6 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => columnArbitrary(`c${i}`))))
  .chain((columns) => fc.record({
    columns: fc.constant(columns.map((c) => c.column)),
    // Row groups of 1 to 150 rows.
    groups: fc.array(fc.array(fc.tuple(...columns.map((c) => c.cell)), { minLength: 1, maxLength: 150 }), { minLength: 1, maxLength: 3 }),
    compression: fc.constantFrom<ParquetCompression>('zstd', 'gzip', 'snappy', 'none'),
    slack: fc.nat(3),
  }));

/** Where two readers' results first differ: reader, row and column, with both values. */
function firstDifference(actual: Record<string, unknown[][]>, expected: Record<string, unknown[][]>): string {
  for (const reader of Object.keys(expected)) {
    const rows = actual[reader];
    if (rows.length !== expected[reader].length) return `${reader} read ${rows.length} rows, not ${expected[reader].length}`;
    for (let r = 0; r < rows.length; r++) {
      for (let c = 0; c < rows[r].length; c++) {
        if (!Object.is(rows[r][c], expected[reader][r][c])) return `${reader}, row ${r}, column ${c}: ${inspect(rows[r][c])} instead of ${inspect(expected[reader][r][c])}`;
      }
    }
  }
  return 'in shape';
}

let readBack: ReadBack;

beforeAll(async () => {
  readBack = await ReadBack.open();
});

afterAll(() => readBack?.close());

test('DuckDB and hyparquet read back exactly the rows of random tables in random blocks, with any codec', async () => {
  await fc.assert(fc.asyncProperty(tableArbitrary, async ({ columns, groups, compression, slack }) => {
    const blocks = groups.map((rows, g) => rowBlock(columns, rows, g * 1000, { slack }));
    const file = encodeFile(columns, blocks, { compression, createdBy: CREATED_BY });
    const { actual, expected } = await readBack.read(file.bytes, columns, groups.flat());
    // A plain comparison, not expect(): jest renders a diff of every failing attempt, which made shrinking take hours.
    if (!isDeepStrictEqual(actual, expected)) throw new Error(`read back differs: ${firstDifference(actual, expected)}`);
  }), { numRuns: 120 });
});

test('row groups encoded by separate encoders and concatenated are the bytes of one encoder\'s file', () => {
  fc.assert(fc.property(tableArbitrary, ({ columns, groups, compression }) => {
    const options = { compression, createdBy: CREATED_BY };
    const whole = encodeFile(columns, groups.map((rows) => rowBlock(columns, rows)), options);
    const parts: Uint8Array[] = [];
    const placed: { record: RowGroupRecord; offset: number }[] = [];
    let offset = 4;
    for (const rows of groups) {
      const group = createParquetEncoder(columns, options).encodeRowGroup(rowBlock(columns, rows));
      parts.push(...group.chunks);
      placed.push({ record: structuredClone(group.record), offset });
      offset += group.bytes;
    }
    const footerWriter = createParquetEncoder(columns, options);
    const concatenated = Buffer.concat([footerWriter.magic, ...parts, footerWriter.footer(placed)]);
    expect(Buffer.compare(concatenated, whole.bytes)).toBe(0);
  }), { numRuns: 100 });
});

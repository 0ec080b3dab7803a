/**
 * The Parquet encoder (lambda/formats/parquet), proven by reading what it writes with engines nobody here wrote:
 * DuckDB and hyparquet (test/support/parquet-readers.ts). Every logical type, required and optional, plain and
 * dictionary, with every codec; schemas, metadata and statistics as readers see them; row groups made apart and
 * concatenated; determinism; and the errors the encoder gives for blocks it cannot write.
 */
import type * as HyparquetThrift from 'hyparquet/src/thrift.js' with { 'resolution-mode': 'import' };
import type { RowBlock } from '../../lambda/engine/row-block';
import { createParquetEncoder, type EncodedRowGroup, type ParquetCompression, type ParquetEncoderOptions, type RowGroupRecord } from '../../lambda/formats/parquet';
import { numberDictionaryPays, PAGE_TARGET_BYTES } from '../../lambda/formats/parquet/row-group';
import type { LogicalType } from '../../src/contract/logical-types';
import { encodeFile, hyparquetMetadata, ReadBack, type EncodedFile } from '../support/parquet-readers';
import { logicalRows, rowBlock, type Cell, type TestColumn } from '../support/row-blocks';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deserializeTCompactProtocol } = require('hyparquet/src/thrift.js') as typeof HyparquetThrift;

const CODECS: readonly ParquetCompression[] = ['zstd', 'gzip', 'snappy', 'none'];
const CREATED_BY = 'cdk-synthetic-data version 0.0.0 (build test)';
const TWO_POW_53 = 2 ** 53;
const MIN_TIMESTAMP = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_TIMESTAMP = Date.parse('9999-12-31T23:59:59.999Z');

/** Each logical type with values that reach its extremes. */
const TYPES: ReadonlyArray<{ readonly label: string; readonly type: LogicalType; readonly values: readonly Cell[] }> = [
  { label: 'string', type: { kind: 'string' }, values: ['', 'a', 'héllo wörld', '日本語のテキスト', '👩‍👩‍👧 family', 'x'.repeat(300), 'tab\tnew\nline "quoted", comma', '\u0000nul'] },
  { label: 'bigint', type: { kind: 'bigint' }, values: [0, 1, -1, TWO_POW_53 - 1, -(TWO_POW_53 - 1), 2 ** 31, -(2 ** 31) - 1, 2 ** 32, -(2 ** 32), 123456789012] },
  { label: 'double', type: { kind: 'double' }, values: [0, -0, 1.5, -2.25, 1e300, -1e-300, Number.MAX_VALUE, Number.MIN_VALUE, Math.PI] },
  { label: 'boolean', type: { kind: 'boolean' }, values: [true, false] },
  {
    label: 'timestamp',
    type: { kind: 'timestamp' },
    values: [MIN_TIMESTAMP, MAX_TIMESTAMP, 0, -1, 1, Date.parse('2024-02-29T12:34:56.789Z'), Date.parse('1969-12-31T23:59:59.999Z'), Date.parse('1600-03-01T00:00:00.001Z')],
  },
  { label: 'decimal_5_2', type: { kind: 'decimal', precision: 5, scale: 2 }, values: [99999, -99999, 0, 1, -1, 12345, -5] },
  { label: 'decimal_9_0', type: { kind: 'decimal', precision: 9, scale: 0 }, values: [999999999, -999999999, 0, 42] },
  { label: 'decimal_16_4', type: { kind: 'decimal', precision: 16, scale: 4 }, values: [TWO_POW_53 - 1, -(TWO_POW_53 - 1), 0, 123456789, -1, 10 ** 15] },
];

/** Every type × required/optional × plain/dictionary, as columns of one table. */
const ALL_COLUMNS: readonly TestColumn[] = TYPES.flatMap(({ label, type, values }) => [false, true].flatMap((optional) => [false, true].map(
  (dictionary) => ({
    name: `${label}_${optional ? 'optional' : 'required'}_${dictionary ? 'dictionary' : 'plain'}`,
    type,
    optional,
    ...(dictionary ? { dictionary: values } : {}),
  }),
)));

function valuesOf(column: TestColumn): readonly Cell[] {
  return TYPES.find((t) => t.type === column.type)!.values;
}

/**
 * `rows` rows of `columns` from row `first`: each column cycles through its type's values (at its own pace, so rows
 * mix extremes), optional columns have a null every third row, or only nulls with `allNull`.
 */
function tableRows(columns: readonly TestColumn[], first: number, rows: number, options: { allNull?: boolean } = {}): Cell[][] {
  return Array.from({ length: rows }, (_, r) => columns.map((column, c) => {
    const row = first + r;
    if (column.optional && (options.allNull === true || (row + c) % 3 === 0)) return null;
    const count = valuesOf(column).length;
    const index = (row * (c + 1) + c) % count;
    return column.dictionary === undefined ? valuesOf(column)[index] : index;
  }));
}

function writeFile(columns: readonly TestColumn[], blocks: readonly RowBlock[], options: Partial<ParquetEncoderOptions> = {}): EncodedFile {
  return encodeFile(columns, blocks, { compression: 'zstd', createdBy: CREATED_BY, ...options });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawStruct = Record<string, any>;

/** FileMetaData as hyparquet's Thrift decoder reads it: fields by id (field_1, ...), i64 as bigint, i32 as number. */
function rawFooter(bytes: Uint8Array): RawStruct {
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
  const footer = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8 - footerLength, footerLength);
  return deserializeTCompactProtocol({ view: footer, offset: 0 });
}

let readBack: ReadBack;

beforeAll(async () => {
  readBack = await ReadBack.open();
});

afterAll(() => readBack?.close());

/** Checks that DuckDB and hyparquet both read `bytes` as exactly `rows` (dictionary cells as indexes). */
async function expectReadBack(bytes: Uint8Array, columns: readonly TestColumn[], rows: readonly (readonly Cell[])[]): Promise<void> {
  const { actual, expected } = await readBack.read(bytes, columns, rows);
  expect(actual).toEqual(expected);
}

/** The row groups of the all-types table: one row, a few hundred, all optional cells null, and some thousands. */
function allTypesGroups(): Cell[][][] {
  return [
    tableRows(ALL_COLUMNS, 0, 1),
    tableRows(ALL_COLUMNS, 1, 300),
    tableRows(ALL_COLUMNS, 301, 64, { allNull: true }),
    tableRows(ALL_COLUMNS, 365, 5000),
  ];
}

describe.each(CODECS)('Parquet with %s', (compression) => {
  test('every value of every type, required and optional, plain and dictionary, in 4 row groups, reads back in DuckDB and hyparquet', async () => {
    // GIVEN
    const groups = allTypesGroups();
    // WHEN
    const file = writeFile(ALL_COLUMNS, groups.map((rows, g) => rowBlock(ALL_COLUMNS, rows, g * 10_000)), { compression });
    // THEN
    await expectReadBack(file.bytes, ALL_COLUMNS, groups.flat());
    expect(file.records.map((record) => record.rows)).toEqual([1, 300, 64, 5000]);
  });

  test('DuckDB sees the codec, the encodings, page offsets and statistics in parquet_metadata', async () => {
    // GIVEN
    const groups = allTypesGroups();
    const file = writeFile(ALL_COLUMNS, groups.map((rows) => rowBlock(ALL_COLUMNS, rows)), { compression });
    // WHEN
    const chunks = await readBack.duckdb.query(`SELECT * FROM parquet_metadata('${readBack.save(file.bytes)}') ORDER BY row_group_id, column_id`);
    // THEN
    const codecName = { zstd: 'ZSTD', gzip: 'GZIP', snappy: 'SNAPPY', none: 'UNCOMPRESSED' }[compression];
    expect(chunks).toHaveLength(groups.length * ALL_COLUMNS.length);
    chunks.forEach((chunk) => {
      const g = Number(chunk.row_group_id);
      const column = ALL_COLUMNS[Number(chunk.column_id)];
      const cells = logicalRows(ALL_COLUMNS, groups[g]).map((row) => row[Number(chunk.column_id)]);
      const present = cells.filter((cell) => cell !== null);
      // Booleans of a dictionary column are looked up and written PLAIN: a dictionary of two saves no bits. Whole
      // numbers given as values get a dictionary of their own where it pays.
      const dictionaryPage = present.length > 0 && (column.dictionary !== undefined
        ? column.type.kind !== 'boolean'
        : numberDictionaryExpected(column.type, present as number[]));
      expect(chunk).toMatchObject({
        path_in_schema: column.name,
        compression: codecName,
        num_values: String(cells.length),
        stats_null_count: String(cells.length - present.length),
        encodings: dictionaryPage ? 'PLAIN, RLE, RLE_DICTIONARY' : 'PLAIN, RLE',
      });
      expect(chunk.dictionary_page_offset === null).toBe(!dictionaryPage);
      const numeric = ['bigint', 'decimal'].includes(column.type.kind) && present.length > 0;
      if (numeric) {
        const numbers = present as number[];
        const min = Math.min(...numbers);
        const max = Math.max(...numbers);
        const text = (n: number) => (column.type.kind === 'decimal' ? decimalText(n, column.type.scale) : String(n));
        const statistics = [chunk.stats_min_value, chunk.stats_max_value, chunk.stats_min, chunk.stats_max];
        expect(statistics).toEqual([text(min), text(max), text(min), text(max)]);
      }
      if (column.type.kind === 'string' || present.length === 0) expect([chunk.stats_min_value, chunk.stats_max_value]).toEqual([null, null]);
    });
  });
});

/** Whether the encoder's rule (numberDictionaryPays) gives PLAIN whole numbers of `type` a dictionary. */
function numberDictionaryExpected(type: LogicalType, values: readonly number[]): boolean {
  const store = type.kind === 'decimal' ? (type.precision <= 9 ? 'int32' : 'int64') : type.kind === 'bigint' ? 'int64' : type.kind === 'timestamp' ? 'micros' : undefined;
  if (store === undefined) return false;
  return numberDictionaryPays(store, Math.max(...values) - Math.min(...values), new Set(values).size, values.length);
}

/** DuckDB's text of an unscaled decimal: "-999.99", "0.05", "0.00". */
function decimalText(unscaled: number, scale: number): string {
  const digits = String(Math.abs(unscaled)).padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return unscaled < 0 ? `-${text}` : text;
}

test('DuckDB\'s parquet_schema shows each column\'s physical, converted and logical type and its repetition', async () => {
  // GIVEN
  const file = writeFile(ALL_COLUMNS, [rowBlock(ALL_COLUMNS, tableRows(ALL_COLUMNS, 0, 10))]);
  // WHEN
  const elements = await readBack.duckdb.query(`SELECT * FROM parquet_schema('${readBack.save(file.bytes)}')`);
  // THEN
  const expected: Record<string, Record<string, unknown>> = {
    string: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: 'StringType()', duckdb_type: 'VARCHAR' },
    bigint: { type: 'INT64', converted_type: null, logical_type: null, duckdb_type: 'BIGINT' },
    double: { type: 'DOUBLE', converted_type: null, logical_type: null, duckdb_type: 'DOUBLE' },
    boolean: { type: 'BOOLEAN', converted_type: null, logical_type: null, duckdb_type: 'BOOLEAN' },
    timestamp: {
      type: 'INT64',
      converted_type: 'TIMESTAMP_MICROS',
      logical_type: 'TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))',
      duckdb_type: 'TIMESTAMP WITH TIME ZONE',
    },
    decimal_5_2: { type: 'INT32', converted_type: 'DECIMAL', scale: '2', precision: '5', logical_type: 'DecimalType(scale=2, precision=5)', duckdb_type: 'DECIMAL(5,2)' },
    decimal_9_0: { type: 'INT32', converted_type: 'DECIMAL', scale: '0', precision: '9', logical_type: 'DecimalType(scale=0, precision=9)', duckdb_type: 'DECIMAL(9,0)' },
    decimal_16_4: { type: 'INT64', converted_type: 'DECIMAL', scale: '4', precision: '16', logical_type: 'DecimalType(scale=4, precision=16)', duckdb_type: 'DECIMAL(16,4)' },
  };
  expect(elements[0]).toMatchObject({ name: 'schema', num_children: String(ALL_COLUMNS.length), type: null });
  expect(elements.slice(1)).toEqual(ALL_COLUMNS.map((column) => expect.objectContaining({
    name: column.name,
    repetition_type: column.optional ? 'OPTIONAL' : 'REQUIRED',
    ...expected[TYPES.find((t) => t.type === column.type)!.label],
  })));
});

test('statistics as hyparquet reads them: exact minimum and maximum of numbers, timestamps, decimals and booleans, -0.0 and +0.0 for zero doubles', () => {
  // GIVEN
  const columns: TestColumn[] = [
    { name: 'zeros', type: { kind: 'double' }, optional: false },
    { name: 'doubles', type: { kind: 'double' }, optional: true },
    { name: 'at', type: { kind: 'timestamp' }, optional: false },
    { name: 'price', type: { kind: 'decimal', precision: 16, scale: 4 }, optional: false },
    { name: 'flag', type: { kind: 'boolean' }, optional: false },
    { name: 'state', type: { kind: 'bigint' }, optional: false, dictionary: [7, -3, 11] },
  ];
  const rows: Cell[][] = [[0, -2.5, MAX_TIMESTAMP, -(TWO_POW_53 - 1), true, 1], [-0, null, MIN_TIMESTAMP, 5, true, 1], [0, 0, 0, 0, true, 2]];
  // WHEN
  const file = writeFile(columns, [rowBlock(columns, rows), rowBlock(columns, [[-0, 3, 0, 0, false, 0]])]);
  // THEN
  const [first, second] = hyparquetMetadata(file.bytes).row_groups.map((group) => group.columns.map((chunk) => chunk.meta_data!.statistics!));
  expect(Object.is(first[0].min_value, -0) && Object.is(first[0].max_value, 0)).toBe(true);
  expect(Object.is(second[0].min_value, -0) && Object.is(second[0].max_value, 0)).toBe(true);
  expect([first[1].min_value, first[1].max_value, first[1].null_count, second[1].min_value]).toEqual([-2.5, 0, 1n, 3]);
  expect([first[2].min_value, first[2].max_value]).toEqual([new Date(MIN_TIMESTAMP), new Date(MAX_TIMESTAMP)]);
  expect([first[3].min_value, first[3].max_value]).toEqual([-(TWO_POW_53 - 1) / 10_000, 5 / 10_000]);
  expect([first[4].min_value, first[4].max_value, second[4].min_value, second[4].max_value]).toEqual([true, true, false, false]);
  // A dictionary column's statistics are those of the entries its row group uses.
  expect([first[5].min_value, first[5].max_value, second[5].min_value, second[5].max_value]).toEqual([-3n, 11n, 7n, 7n]);
  // nan_count 0 in DOUBLE chunks (without it readers must assume NaNs), and no other (hyparquet does not parse it: raw Thrift)
  const nanCounts = rawFooter(file.bytes).field_4[0].field_1.map((chunk: RawStruct) => chunk.field_3.field_12.field_9);
  expect(nanCounts).toEqual([0n, 0n, undefined, undefined, undefined, undefined]);
});

test('whole numbers of a small span get a dictionary of their own: a quantity of 1 to 20 takes a fifth of its PLAIN bytes and reads back', async () => {
  // GIVEN 20,000 quantities 1..20 (optional, with nulls), decimal prices over a span too wide to pay, and timestamps on 12 instants
  const columns: TestColumn[] = [
    { name: 'quantity', type: { kind: 'bigint' }, optional: true },
    { name: 'price', type: { kind: 'decimal', precision: 7, scale: 2 }, optional: false },
    { name: 'at', type: { kind: 'timestamp' }, optional: false },
  ];
  const quantity = (r: number) => (r % 7 === 0 ? null : 1 + ((r * 7919) % 20));
  const rows: Cell[][] = Array.from({ length: 20_000 }, (_, r) => [quantity(r), (r * 104_729) % 1_000_000, Date.UTC(2024, r % 12, 1)]);
  // WHEN
  const file = writeFile(columns, [rowBlock(columns, rows)], { compression: 'none' });
  // THEN
  await expectReadBack(file.bytes, columns, rows);
  const chunks = await readBack.duckdb.query(`SELECT path_in_schema, encodings, total_uncompressed_size FROM parquet_metadata('${readBack.save(file.bytes)}') ORDER BY column_id`);
  expect(chunks.map((chunk) => chunk.encodings)).toEqual(['PLAIN, RLE, RLE_DICTIONARY', 'PLAIN, RLE', 'PLAIN, RLE']);
  // 17,142 quantities: 8 bytes each PLAIN, 5 bits each as codes (plus the definition levels of 20,000 rows).
  expect(Number(chunks[0].total_uncompressed_size)).toBeLessThan((17_142 * 8) / 5);
  // The 12 instants span more than 2^16 milliseconds: PLAIN, as the rule says.
  expect(numberDictionaryPays('micros', Date.UTC(2024, 11, 1) - Date.UTC(2024, 0, 1), 12, 20_000)).toBe(false);
  expect(numberDictionaryPays('int64', 19, 20, 17_142)).toBe(true);
});

test('the footer: version 1, created_by, key-value metadata in order, row counts, and a TYPE_ORDER column order per column', () => {
  // GIVEN
  const columns = ALL_COLUMNS.slice(0, 6);
  const keyValueMetadata = { 'cdk-synthetic-data:seed': '42', 'a': 'first after seed', 'schema': '{"columns":[]}' };
  // WHEN
  const file = writeFile(columns, [rowBlock(columns, tableRows(columns, 0, 3)), rowBlock(columns, tableRows(columns, 3, 4))], { keyValueMetadata });
  // THEN
  const metadata = hyparquetMetadata(file.bytes);
  const keyValues = Object.entries(keyValueMetadata).map(([key, value]) => ({ key, value }));
  expect(metadata).toMatchObject({ version: 1, created_by: CREATED_BY, num_rows: 7n, key_value_metadata: keyValues });
  expect(metadata.row_groups.map((group) => [group.num_rows, group.columns.length])).toEqual([[3n, 6], [4n, 6]]);
  // Raw Thrift: every i64 field is a Thrift i64 (a bigint here), so readers built from parquet.thrift keep it.
  const bytes = file.bytes;
  const raw = rawFooter(bytes);
  expect(raw.field_1).toBe(1);
  expect(raw.field_3).toBe(7n);
  expect(raw.field_7).toEqual(columns.map(() => ({ field_1: {} })));
  const chunk = raw.field_4[0].field_1[0];
  expect([typeof chunk.field_2, typeof chunk.field_3.field_5, typeof chunk.field_3.field_9, typeof raw.field_4[0].field_2]).toEqual(['bigint', 'bigint', 'bigint', 'bigint']);
  expect(Array.from(bytes.subarray(0, 4))).toEqual(Array.from(Buffer.from('PAR1')));
  expect(Array.from(bytes.subarray(bytes.length - 4))).toEqual(Array.from(Buffer.from('PAR1')));
});

test('row groups encoded by separate encoders (as on worker threads) and concatenated are byte for byte one encoder\'s file', async () => {
  // GIVEN
  const groups = allTypesGroups();
  const blocks = groups.map((rows) => rowBlock(ALL_COLUMNS, rows));
  const options: ParquetEncoderOptions = { compression: 'zstd', createdBy: CREATED_BY };
  const one = writeFile(ALL_COLUMNS, blocks, options);
  // WHEN: each row group by an encoder of its own, the last first, its record cloned as postMessage would clone it
  const encoded = new Array<EncodedRowGroup>(blocks.length);
  for (let g = blocks.length - 1; g >= 0; g--) encoded[g] = createParquetEncoder(ALL_COLUMNS, options).encodeRowGroup(blocks[g]);
  const writer = createParquetEncoder(ALL_COLUMNS, options);
  const parts: Uint8Array[] = [writer.magic];
  const placed: { record: RowGroupRecord; offset: number }[] = [];
  let offset = 4;
  for (const group of encoded) {
    parts.push(...group.chunks);
    placed.push({ record: structuredClone(group.record), offset });
    offset += group.bytes;
  }
  parts.push(writer.footer(placed));
  const concatenated = Buffer.concat(parts);
  // THEN
  expect(Buffer.compare(concatenated, one.bytes)).toBe(0);
  await expectReadBack(concatenated, ALL_COLUMNS, groups.flat());
});

test('the same blocks give the same bytes, from one encoder or another, and encoding a block twice changes nothing', () => {
  // GIVEN
  const groups = allTypesGroups();
  for (const compression of CODECS) {
    const blocks = groups.map((rows) => rowBlock(ALL_COLUMNS, rows));
    // WHEN
    const first = writeFile(ALL_COLUMNS, blocks, { compression }).bytes;
    const second = writeFile(ALL_COLUMNS, groups.map((rows) => rowBlock(ALL_COLUMNS, rows)), { compression }).bytes;
    const encoder = createParquetEncoder(ALL_COLUMNS, { compression, createdBy: CREATED_BY });
    const again = [encoder.encodeRowGroup(blocks[3]), encoder.encodeRowGroup(blocks[3])].map((group) => Buffer.concat(group.chunks));
    // THEN
    expect(Buffer.compare(first, second)).toBe(0);
    expect(Buffer.compare(again[0], again[1])).toBe(0);
  }
});

test('row groups handed out in the encoder\'s reused output (for a sink that copies them) have the bytes of row groups of their own, in every codec', async () => {
  // GIVEN
  const groups = allTypesGroups();
  for (const compression of CODECS) {
    const owned = writeFile(ALL_COLUMNS, groups.map((rows) => rowBlock(ALL_COLUMNS, rows)), { compression }).bytes;
    const encoder = createParquetEncoder(ALL_COLUMNS, { compression, createdBy: CREATED_BY });
    // WHEN: each row group is copied out before the next is encoded, as the handler's spool file does
    const parts: Uint8Array[] = [encoder.magic];
    const placed: { record: RowGroupRecord; offset: number }[] = [];
    let offset = 4;
    for (const rows of groups) {
      const group = encoder.encodeRowGroup(rowBlock(ALL_COLUMNS, rows), 'reused');
      parts.push(Buffer.concat(group.chunks));
      placed.push({ record: group.record, offset });
      offset += group.bytes;
    }
    parts.push(encoder.footer(placed));
    const reused = Buffer.concat(parts);
    // THEN
    expect(Buffer.compare(reused, owned)).toBe(0);
    await expectReadBack(reused, ALL_COLUMNS, groups.flat());
  }
});

test('a block\'s arrays may be refilled as soon as encodeRowGroup returns: the row group is unchanged', async () => {
  // GIVEN
  const firstRows = tableRows(ALL_COLUMNS, 0, 200);
  const secondRows = tableRows(ALL_COLUMNS, 7, 150);
  const block = rowBlock(ALL_COLUMNS, firstRows);
  const encoder = createParquetEncoder(ALL_COLUMNS, { compression: 'snappy', createdBy: CREATED_BY });
  // WHEN: the engine overwrites the first block's arrays, and the encoder's buffers make another row group
  const first = encoder.encodeRowGroup(block);
  const firstBytes = Buffer.concat(first.chunks);
  for (const column of block.columns) {
    column.defined?.fill(1);
    column.indexes?.fill(0);
    const values = column.values ?? column.dictionary;
    if (values.kind === 'text') {
      values.bytes.fill(0x21);
      values.offsets.fill(0);
    } else {
      values.values.fill(0);
    }
  }
  const second = encoder.encodeRowGroup(rowBlock(ALL_COLUMNS, secondRows));
  // THEN
  expect(Buffer.compare(Buffer.concat(first.chunks), firstBytes)).toBe(0);
  const placed = [{ record: first.record, offset: 4 }, { record: second.record, offset: 4 + first.bytes }];
  const file = Buffer.concat([encoder.magic, ...first.chunks, ...second.chunks, encoder.footer(placed)]);
  await expectReadBack(file, ALL_COLUMNS, [...firstRows, ...secondRows]);
});

test('arrays longer than a block\'s values, and `defined` given for a column without nulls, are read only as far as the block goes', async () => {
  // GIVEN
  const rows = tableRows(ALL_COLUMNS, 5, 40);
  // WHEN
  const file = writeFile(ALL_COLUMNS, [rowBlock(ALL_COLUMNS, rows, 0, { slack: 9, alwaysDefined: true })]);
  // THEN
  await expectReadBack(file.bytes, ALL_COLUMNS, rows);
});

test('a column chunk larger than a page is split into pages near 1 MiB, across which values and nulls stay in order', async () => {
  // GIVEN: ~4.8 MB of text, ~1.2 MB of bigints and of timestamps, nulls and a dictionary, in one row group of 150,000 rows
  const columns: TestColumn[] = [
    { name: 'id', type: { kind: 'string' }, optional: false },
    { name: 'note', type: { kind: 'string' }, optional: true },
    { name: 'amount', type: { kind: 'bigint' }, optional: true },
    { name: 'state', type: { kind: 'string' }, optional: true, dictionary: ['Ohio', 'Texas', 'Utah'] },
    { name: 'at', type: { kind: 'timestamp' }, optional: false },
  ];
  const rows: Cell[][] = Array.from({ length: 150_000 }, (_, r) => [
    `order-${String(r).padStart(8, '0')}-${'abcdefghijklmnopqrstuvwxyz'.slice(r % 26)}`,
    r % 7 === 0 ? null : `note ${r}`,
    r % 50 === 0 ? null : r * 1_000_003 - 40_000_000_000,
    r % 11 === 0 ? null : r % 3,
    Date.parse('2024-01-01T00:00:00Z') + r * 997,
  ]);
  // WHEN
  const file = writeFile(columns, [rowBlock(columns, rows)]);
  // THEN
  const [id, note, amount, state, at] = file.records[0].columns;
  expect([id.dataPages, note.dataPages, amount.dataPages, state.dataPages, at.dataPages]).toEqual([5, 2, 2, 1, 2]);
  for (const chunk of [id, note, amount, at]) expect(chunk.uncompressedBytes / chunk.dataPages).toBeLessThan(PAGE_TARGET_BYTES * 1.05);
  await expectReadBack(file.bytes, columns, rows);
});

test('records are plain data: structured-cloned records give the same footer', () => {
  // GIVEN
  const columns = ALL_COLUMNS;
  const encoder = createParquetEncoder(columns, { compression: 'gzip', createdBy: CREATED_BY });
  const group = encoder.encodeRowGroup(rowBlock(columns, tableRows(columns, 0, 50)));
  // WHEN
  const cloned = structuredClone(group.record);
  // THEN
  expect(cloned).toEqual(group.record);
  expect(Buffer.compare(encoder.footer([{ record: cloned, offset: 4 }]), encoder.footer([{ record: group.record, offset: 4 }]))).toBe(0);
});

test('a file of no rows is a magic and a footer that readers accept', async () => {
  // GIVEN
  const columns = ALL_COLUMNS.slice(0, 4);
  // WHEN
  const file = writeFile(columns, []);
  // THEN
  expect(hyparquetMetadata(file.bytes)).toMatchObject({ num_rows: 0n, row_groups: [] });
  await expectReadBack(file.bytes, columns, []);
});

describe('blocks the encoder cannot write are refused with what happened and what to do', () => {
  const required: TestColumn = { name: 'qty', type: { kind: 'bigint' }, optional: false };
  const encode = (columns: readonly TestColumn[], block: RowBlock) => createParquetEncoder(columns, { compression: 'none', createdBy: CREATED_BY }).encodeRowGroup(block);

  test.each<[string, readonly TestColumn[], () => RowBlock, RegExp]>([
    ['a REQUIRED column with nulls', [required], () => rowBlock([required], [[1], [null]]), /Parquet column "qty" is REQUIRED \(optional: false\) but the block has 1 nulls: declare it optional, or the engine has a bug/],
    ['values of another kind than the type', [{ ...required, type: { kind: 'string' } }], () => rowBlock([required], [[1]]),
      /Parquet column "qty" is string, whose blocks carry text, but the block carries numbers \(an engine bug\)/],
    ['a dictionary index past the dictionary', [{ ...required, type: { kind: 'string' }, dictionary: ['a', 'b'] }],
      () => rowBlock([{ ...required, type: { kind: 'string' }, dictionary: ['a', 'b'] }], [[1], [2]]),
      /Parquet column "qty": value 1 of the block is dictionary index 2, past the dictionary's 2 entries \(an engine bug\)/],
    ['a bigint past 2^53', [required], () => rowBlock([required], [[2 ** 53]]), /Parquet column "qty" \(bigint\): the block has values from 9007199254740992 to 9007199254740992; each must be a whole safe integer/],
    ['a fractional bigint', [required], () => rowBlock([required], [[1.5]]), /values from 1.5 to 1.5, not all whole; each must be a whole safe integer/],
    ['a decimal wider than its precision', [{ ...required, type: { kind: 'decimal', precision: 5, scale: 2 } }],
      () => rowBlock([{ ...required, type: { kind: 'decimal', precision: 5, scale: 2 } }], [[100000]]), /each must be a whole unscaled decimal\(5,2\) in \[-99999, 99999\]/],
    ['a timestamp after 9999', [{ ...required, type: { kind: 'timestamp' } }], () => rowBlock([{ ...required, type: { kind: 'timestamp' } }], [[MAX_TIMESTAMP + 1]]),
      /each must be a whole epoch milliseconds of years 0000 to 9999/],
    ['a NaN double', [{ ...required, type: { kind: 'double' } }], () => rowBlock([{ ...required, type: { kind: 'double' } }], [[Number.NaN]]), /a value that is NaN or infinite/],
    ['a block of another table', [required, required].map((c, i) => ({ ...c, name: `c${i}` })), () => rowBlock([required], [[1]]),
      /a Parquet row group was given 1 columns for a file of 2 \(c0, c1\): an engine bug/],
    ['a block without rows', [required], () => rowBlock([required], []), /a Parquet row group was given a block of 0 rows: a row group holds 1 to 2\^31 - 1 rows/],
  ])('%s', (_name, columns, block, message) => {
    expect(() => encode(columns, block())).toThrow(message);
  });

  test('nulls without `defined`, and `defined` that disagrees with the count', () => {
    const optional = { ...required, optional: true };
    const block = rowBlock([optional], [[1], [null], [3]]);
    const column = block.columns[0];
    expect(() => encode([optional], { ...block, columns: [{ ...column, defined: undefined }] })).toThrow(/Parquet column "qty": the block has 1 nulls but no `defined` to say which rows \(an engine bug\)/);
    expect(() => encode([optional], { ...block, columns: [{ ...column, defined: Uint8Array.of(1, 1, 1) }] }))
      .toThrow(/Parquet column "qty": `defined` marks 3 of 3 rows as set, but the block has 2 values \(an engine bug\)/);
  });

  test('after a refused block the encoder still writes the next one right', async () => {
    const columns: TestColumn[] = [{ name: 'state', type: { kind: 'string' }, optional: false, dictionary: ['a', 'b', 'c'] }];
    const encoder = createParquetEncoder(columns, { compression: 'zstd', createdBy: CREATED_BY });
    expect(() => encoder.encodeRowGroup(rowBlock(columns, [[0], [1], [7]]))).toThrow(/dictionary index 7/);
    const group = encoder.encodeRowGroup(rowBlock(columns, [[2], [2], [0]]));
    const file = Buffer.concat([encoder.magic, ...group.chunks, encoder.footer([{ record: group.record, offset: 4 }])]);
    await expectReadBack(file, columns, [[2], [2], [0]]);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['no columns', () => createParquetEncoder([], { compression: 'zstd', createdBy: CREATED_BY }), /a Parquet file needs at least one column: the encoder was given none/],
    ['a column name twice', () => createParquetEncoder([required, required], { compression: 'zstd', createdBy: CREATED_BY }),
      /Parquet column name "qty" appears twice: readers find columns by name, so names must be unique/],
    ['a decimal too precise for INT64', () => createParquetEncoder([{ ...required, type: { kind: 'decimal', precision: 19, scale: 2 } }], { compression: 'zstd', createdBy: CREATED_BY }),
      /Parquet column "qty" is decimal\(19,2\): the encoder writes precision 1 to 18 with scale 0 to precision/],
    ['an unknown compression', () => createParquetEncoder([required], { compression: 'lz4' as ParquetCompression, createdBy: CREATED_BY }),
      /Parquet compression "lz4" is not one of zstd, gzip, snappy, none/],
    ['row groups out of order in the footer', () => {
      const encoder = createParquetEncoder([required], { compression: 'none', createdBy: CREATED_BY });
      const { record, bytes } = encoder.encodeRowGroup(rowBlock([required], [[1]]));
      return encoder.footer([{ record, offset: 4 }, { record, offset: 4 + bytes - 1 }]);
    }, /the footer was given row group 1 at byte \d+: row groups follow "PAR1" \(4 bytes\) and each other in order, so it starts at \d+ or later/],
    ['a record of another file in the footer', () => {
      const other = createParquetEncoder([required, { ...required, name: 'other' }], { compression: 'none', createdBy: CREATED_BY });
      const { record } = other.encodeRowGroup(rowBlock([required, required], [[1, 2]]));
      return createParquetEncoder([required], { compression: 'none', createdBy: CREATED_BY }).footer([{ record, offset: 4 }]);
    }, /the footer was given row group 0 with 2 column chunks for a file of 1 columns: it was encoded for another file/],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('zstd on a Node.js whose zlib has none (Node.js 20) fails at once, saying which Node.js it needs and what to do', () => {
    jest.isolateModules(() => {
      jest.doMock('node:zlib', () => ({ ...jest.requireActual('node:zlib'), zstdCompressSync: undefined }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../../lambda/formats/parquet') as typeof import('../../lambda/formats/parquet');
      expect(() => isolated.createParquetEncoder([required], { compression: 'zstd', createdBy: CREATED_BY })).toThrow(new RegExp(
        '^Zstandard compression needs Node.js 22.15 or later \\(its zlib has it\\), and this is Node.js [0-9.]+: deploy the function on a newer '
        + 'Node.js runtime \\(the default, nodejs26.x, has it\\), or choose another compression \\(gzip; for Parquet also snappy or none\\)$'));
      expect(() => isolated.createParquetEncoder([required], { compression: 'gzip', createdBy: CREATED_BY })).not.toThrow();
    });
    jest.dontMock('node:zlib');
  });
});

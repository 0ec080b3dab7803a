/**
 * Derived columns made by the engine: every operator and function on known operands, decimal exactness, null
 * propagation, every format, the conformance report's recomputation, determinism by row, and a pinned snapshot.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import fc from 'fast-check';
import { compileTable } from '../../lambda/engine/compiled-table';
import { recheckDerived } from '../../lambda/engine/derived-recheck';
import type { NumberGenerator } from '../../lambda/engine/kernel';
import { Column, OutputFormat, Schema, SyntheticDataGenerator } from '../../src';
import { validateDatasetDocument } from '../../src/contract/dataset-document';
import { InvalidInputError } from '../../src/contract/errors';
import type { OutputFormatDocument } from '../../src/contract/output-format';
import { decodeRows } from '../support/decode';
import { engineOutput, parseCsv, schemaOf } from '../support/engine-output';
import { intendedRows } from '../support/intended-values';
import { ORDER_ITEMS } from '../support/schemas';

/** Operands with one value each, so every derived cell is known. */
const KNOWN = [
  { name: 'qty', type: 'integer', min: 7, max: 7 },
  { name: 'price', type: 'decimal', min: 2.5, max: 2.5, fractionDigits: 2 },
  { name: 'tenth', type: 'decimal', min: 0.1, max: 0.1, fractionDigits: 1 },
  { name: 'fifth', type: 'decimal', min: 0.2, max: 0.2, fractionDigits: 1 },
  { name: 'at', type: 'timestamp', from: '2024-03-05T07:08:09Z', to: '2024-03-05T07:08:09Z' },
  { name: 'word', type: 'oneOf', values: ['Hello World'] },
  { name: 'first', type: 'oneOf', values: ['Ada'] },
  { name: 'last', type: 'oneOf', values: ['Lovelace'] },
];

/** Expression, and the cell CSV holds for it on every row. */
const CASES: ReadonlyArray<readonly [string, string]> = [
  ['qty * price', '17.50'],
  ['tenth + fifth', '0.3'],
  ['tenth + fifth == 0.3', 'true'],
  ['price - qty', '-4.50'],
  ['-qty', '-7'],
  ['qty / 2', '3.5'],
  ['round(qty / 3, 2)', '2.33'],
  ['round(price * 1.05, 1)', '2.6'],
  ['round(-price, 0)', '-3'],
  ['qty / 0', ''],
  ['qty < 8 && price >= 2.5', 'true'],
  ['qty != 7 || !(price > 3)', 'true'],
  ['qty <= 6', 'false'],
  ['qty > 5 ? "big" : "small"', 'big'],
  ['if(qty == 7, 1.5, 2)', '1.5'],
  ['case(qty < 5, "low", qty < 10, "mid", "high")', 'mid'],
  ['coalesce(null, qty)', '7'],
  ['isNull(null) && !isNull(qty)', 'true'],
  ['`${first}.${last}@example.com`', 'Ada.Lovelace@example.com'],
  ['upper(`${first}-${qty}`)', 'ADA-7'],
  ['lower(word)', 'hello world'],
  ['substring(word, 6, 5)', 'World'],
  ['length(word)', '11'],
  ['concat(first, " ", last, ", ", price)', '"Ada Lovelace, 2.50"'],
  ['string(at)', '2024-03-05T07:08:09.000Z'],
  ['addDays(at, 30)', '2024-04-04T07:08:09.000Z'],
  ['addHours(at, -8)', '2024-03-04T23:08:09.000Z'],
  ['addMinutes(at, 52)', '2024-03-05T08:00:09.000Z'],
  ['addSeconds(at, 1)', '2024-03-05T07:08:10.000Z'],
  ['diffDays(addDays(at, 10), at)', '10'],
  ['year(at) * 10000 + month(at) * 100 + day(at)', '20240305'],
  ['hour(at)', '7'],
  ['dayOfWeek(at)', '2'],
  ['dayOfWeek(addDays(at, 5))', '7'],
  ['diffDays(at, addHours(at, 30))', '-1'],
  ['round(0.125, 2)', '0.13'],
  ['round(-0.125, 2)', '-0.13'],
  ['string(tenth * 3)', '0.3'],
  ['string(qty > 5)', 'true'],
  ['substring(word, -3, 4)', 'Hell'],
  ['coalesce(qty / 0, -1)', '-1'],
  ['case(null, 1, 2)', '2'],
  ['if(qty > 0, qty, null)', '7'],
  ['qty + coalesce(null, 1)', '8'],
];

const derivedSchema = () => schemaOf(...KNOWN, ...CASES.map(([expression], i) => ({ name: `d${i}`, type: 'derived', expression })));

describe('derived columns', () => {
  test('every operator and function gives the value its semantics say', async () => {
    const { bytes } = await engineOutput({ schema: derivedSchema(), seed: 1, rowCount: 3 });
    const text = bytes.toString('utf8').split('\n')[1];
    const cells = parseCsv(text)[0].slice(KNOWN.length);
    expect(cells).toEqual(CASES.map(([, expected]) => (expected.startsWith('"') ? expected.slice(1, -1) : expected)));
    // The raw line: CSV quotes the value with a comma, and nothing else.
    expect(text).toContain(',"Ada Lovelace, 2.50",');
  });
});

const C = Object.fromEntries(ORDER_ITEMS.columns.map((column, c) => [column.name, c]));

const FORMATS: OutputFormatDocument[] = [
  { format: 'csv', compression: 'none' },
  { format: 'jsonl', compression: 'gzip' },
  { format: 'parquet', compression: 'zstd' },
];

describe('derived columns in every format', () => {
  test.each(FORMATS)('$format holds what the engine meant, and the line total is exactly quantity × unit price', async (output) => {
    const rows = 3000;
    const { bytes } = await engineOutput({ schema: ORDER_ITEMS, seed: 7, rowCount: rows, output });
    const read = await decodeRows(bytes, output, ORDER_ITEMS);
    const intended = intendedRows(ORDER_ITEMS, 7, 0, rows);
    expect(read).toEqual(intended);
    let nulls = 0;
    for (const row of read) {
      const [quantity, price, total] = [row[C.quantity], row[C.unit_price], row[C.line_total]] as Array<number | null>;
      // Unscaled cents: the product of whole numbers, exact.
      expect(total).toBe(quantity === null ? null : quantity * price!);
      expect(row[C.big_order]).toBe((total ?? 0) > 100_000);
      if (quantity === null) nulls++;
      expect(row[C.label]).toBe(quantity === null ? null : `${row[C.product] as string} x${quantity}`.toUpperCase());
      expect(row[C.per_unit]).toBe(price! / 100 / (quantity ?? 1));
      if (row[C.ship_date] !== null) expect(row[C.ship_date]).toBe((row[C.ordered_at] as number) + (row[C.big_order] ? 1 : 5) * 86_400_000);
    }
    expect(nulls).toBeGreaterThan(rows * 0.15);
    // ship_date's own nulls, about 10%, where no operand is null.
    const shipNulls = read.filter((row) => row[C.ship_date] === null).length;
    expect(shipNulls).toBeGreaterThan(rows * 0.07);
    expect(shipNulls).toBeLessThan(rows * 0.13);
  });

  test('text that is not plain (quotes, commas, line breaks, a formula start) is quoted and escaped as each format needs', async () => {
    const schema = schemaOf(
      { name: 'v', type: 'oneOf', values: ['=cmd', 'a,"b"\nc', 'é👩‍👩‍👧\\'] },
      { name: 'said', type: 'derived', expression: 'concat(v, "!")' },
    );
    for (const output of FORMATS.slice(1)) {
      const { bytes } = await engineOutput({ schema, seed: 3, rowCount: 300, output });
      expect(await decodeRows(bytes, output, schema)).toEqual(intendedRows(schema, 3, 0, 300));
    }
    const records = parseCsv((await engineOutput({ schema, seed: 3, rowCount: 300 })).bytes).slice(1);
    // CSV guards a formula start as it does every text column's.
    for (const [v, said] of records) expect(said).toBe(`${v}!`);
    expect(new Set(records.map(([, said]) => said))).toEqual(new Set(['\'=cmd!', 'a,"b"\nc!', 'é👩‍👩‍👧\\!']));
  });

  test('0.1 + 0.2 is exactly 0.3 on decimals, in every format', async () => {
    const schema = schemaOf(
      { name: 'a', type: 'decimal', min: 0.1, max: 0.1, fractionDigits: 1 },
      { name: 'b', type: 'decimal', min: 0.2, max: 0.2, fractionDigits: 1 },
      { name: 'sum', type: 'derived', expression: 'a + b' },
      { name: 'exact', type: 'derived', expression: 'a + b == 0.3' },
    );
    for (const output of FORMATS) {
      const { bytes } = await engineOutput({ schema, seed: 1, rowCount: 2, output });
      expect(await decodeRows(bytes, output, schema)).toEqual([[1, 2, 3, true], [1, 2, 3, true]]);
    }
    expect((await engineOutput({ schema, seed: 1, rowCount: 1 })).bytes.toString()).toBe('a,b,sum,exact\n0.1,0.2,0.3,true\n');
  });

  test('a derived column of a dataset\'s table reads a reference as its parent\'s key', async () => {
    const dataset = validateDatasetDocument({
      tables: [
        { name: 'orders', rows: 50, columns: [{ name: 'order_id', type: 'sequence', start: 1000, step: 1 }] },
        {
          name: 'order_items',
          columns: [
            { name: 'order_id', type: 'reference', table: 'orders', column: 'order_id', children: { min: 1, max: 3, distribution: { kind: 'paired' } } },
            { name: 'line', type: 'integer', min: 1, max: 9 },
            { name: 'item_key', type: 'derived', expression: '`${order_id}-${line}`' },
          ],
        },
      ],
    });
    const table = dataset.tables[1];
    const { bytes, report } = await engineOutput({ schema: table, seed: 5, rowCount: table.rows, header: false, dataset: { document: dataset, table: 'order_items' } });
    for (const [order, line, key] of parseCsv(bytes)) expect(key).toBe(`${order}-${line}`);
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
  });
});

describe('edges found in review', () => {
  test('a product of 11 fraction digits is written exactly in every format', async () => {
    const schema = schemaOf(
      { name: 'amount', type: 'decimal', min: 0, max: 1000, fractionDigits: 2 },
      { name: 'fx', type: 'decimal', min: 0.5, max: 2, fractionDigits: 9 },
      { name: 'converted', type: 'derived', expression: 'amount * fx' },
    );
    const unscaled = (text: string) => BigInt(text.replace('.', ''));
    const rows = parseCsv((await engineOutput({ schema, seed: 4, rowCount: 200 })).bytes).slice(1);
    for (const [amount, fx, converted] of rows) {
      expect(converted).toMatch(/^\d+\.\d{11}$/);
      expect(unscaled(converted)).toBe(unscaled(amount) * unscaled(fx));
    }
    for (const output of [{ format: 'jsonl', compression: 'none' }, { format: 'parquet', compression: 'zstd' }] as OutputFormatDocument[]) {
      const decoded = await decodeRows((await engineOutput({ schema, seed: 4, rowCount: 200, output })).bytes, output, schema);
      expect(decoded).toEqual(intendedRows(schema, 4, 0, 200));
    }
  });

  test('an expression over a pool of 130,000 distinct values compiles (no spread of the pool into one call)', async () => {
    const schema = schemaOf(
      { name: 'email', type: 'faker', method: 'internet.email', distinctValues: 130_000 },
      { name: 'shout', type: 'derived', expression: 'upper(email)' },
    );
    const rows = parseCsv((await engineOutput({ schema, seed: 2, rowCount: 50 })).bytes).slice(1);
    for (const [email, shout] of rows) expect(shout).toBe(email.toUpperCase());
  }, 60_000);

  test('a derived double that overflows is null to the expressions that read it, as in its own column', async () => {
    const factors = new Array(13).fill('(a / b)').join(' * ');
    const schema = schemaOf(
      { name: 'a', type: 'integer', min: 1e15, max: 1e15 },
      { name: 'b', type: 'decimal', min: 0.000000001, max: 0.000000001, fractionDigits: 9 },
      { name: 'huge', type: 'derived', expression: factors },
      { name: 'missing', type: 'derived', expression: 'isNull(huge)' },
      { name: 'big', type: 'derived', expression: 'coalesce(huge, 0) > 1' },
    );
    const { bytes, report } = await engineOutput({ schema, seed: 1, rowCount: 20 });
    for (const [, , huge, missing, big] of parseCsv(bytes).slice(1)) expect([huge, missing, big]).toEqual(['', 'true', 'false']);
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
  });
});

describe('derived columns read the values the row loop makes', () => {
  test('before or after its operands, an expression leaves their values and their reports as they are without it', async () => {
    const operands = [
      { name: 'quantity', type: 'integer', min: 1, max: 10, distribution: { kind: 'zipf', exponent: 1.2 } },
      { name: 'unit_price', type: 'decimal', min: 0.5, max: 500, fractionDigits: 2, distribution: { kind: 'lognormal', mu: 3, sigma: 0.9 }, nullPercent: 5 },
      { name: 'at', type: 'timestamp', from: '2025-01-01', to: '2025-12-31T23:59:59Z', order: 'ascending' },
    ];
    const derived = [
      { name: 'line_total', type: 'derived', expression: 'quantity * unit_price' },
      { name: 'due', type: 'derived', expression: 'addDays(at, quantity)' },
    ];
    const jsonl: OutputFormatDocument = { format: 'jsonl', compression: 'none' };
    // A cell depends on its column's position: the table without expressions has other columns in their places.
    const placeholders = derived.map((column) => ({ name: column.name, type: 'sequence' }));
    const isOperand = (name: string) => operands.some((operand) => operand.name === name);
    const layouts = [[[...derived, ...operands], [...placeholders, ...operands]], [[...operands, ...derived], [...operands, ...placeholders]]];
    for (const [columns, without] of layouts) {
      const aloneSchema = schemaOf(...without);
      const alone = await engineOutput({ schema: aloneSchema, seed: 3, rowCount: 5_000, output: jsonl });
      const expected = (await decodeRows(alone.bytes, jsonl, aloneSchema))
        .map((row) => row.filter((_cell, c) => isOperand(aloneSchema.columns[c].name)));
      for (const output of [jsonl, { format: 'parquet', compression: 'zstd' } as OutputFormatDocument]) {
        const schema = schemaOf(...columns);
        const { bytes, report } = await engineOutput({ schema, seed: 3, rowCount: 5_000, output });
        const rows = await decodeRows(bytes, output, schema);
        const at = operands.map((operand) => schema.columns.findIndex((column) => column.name === operand.name));
        expect(rows.map((row) => at.map((c) => row[c]))).toEqual(expected);
        // The operands' counts and checks (distinct values, moments, order) are those of the table without the expressions.
        const ofOperands = (checks: typeof report.conformance) => checks.filter((check) => isOperand(check.column));
        expect(ofOperands(report.conformance)).toEqual(ofOperands(alone.report.conformance));
        const operandColumns = (columnReports: typeof report.columns) => columnReports.filter((column) => isOperand(column.name));
        expect(operandColumns(report.columns)).toEqual(operandColumns(alone.report.columns));
        expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
      }
    }
  });
});

describe('the conformance report recomputes derived columns', () => {
  test('each derived column is recomputed on a sample of rows by the interpreter, with no mismatch', async () => {
    const { report } = await engineOutput({ schema: ORDER_ITEMS, seed: 11, rowCount: 10_000 });
    const derived = report.conformance.filter((check) => check.check === 'derived');
    expect(derived.map((check) => check.column)).toEqual(['line_total', 'big_order', 'ship_date', 'label', 'per_unit']);
    for (const check of derived) expect(check).toMatchObject({ pass: true, declared: 'every recomputed row equal', observed: '0 mismatches in 2000 rows (every 5)' });
    // Nulls of the operands come on top of nullPercent: the declared share is a floor.
    expect(report.conformance.find((check) => check.column === 'line_total' && check.check === 'nullShare'))
      .toMatchObject({ declared: 'at least 0% (and where an operand is null)', pass: true });
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
  });

  test('a compiled value that differs from the interpreter\'s is reported', () => {
    const table = compileTable(ORDER_ITEMS, 11, { tableRows: 100 });
    const made = table.generators[C.line_total] as NumberGenerator;
    const wrong: NumberGenerator = { ...made, value: (cell, row) => made.value(cell, row) + (row % 10 === 0 ? 1 : 0) };
    const generators = table.generators.map((generator, c) => (c === C.line_total ? wrong : generator));
    // No column is omitted: the written generators are all of them, which the recheck reads.
    const rechecks = recheckDerived({ ...table, generators, all: { ...table.all, generators } }, ORDER_ITEMS.columns, undefined, 0, 100);
    const lineTotal = rechecks[C.line_total]!;
    // Rows 0, 10, ..., 90 were made one cent off, unless quantity is null there.
    const nullQuantities = intendedRows(ORDER_ITEMS, 11, 0, 100).filter((row, r) => r % 10 === 0 && row[C.quantity] === null).length;
    expect(lineTotal).toEqual({ rows: 100, every: 1, mismatches: 10 - nullQuantities, nullable: true });
    expect(rechecks[C.label]!.mismatches).toBe(0);
  });
});

/** Operands with nulls, of every type, for random expressions. */
const OPERANDS = [
  { name: 'qty', type: 'integer', min: -5, max: 20, nullPercent: 20 },
  { name: 'price', type: 'decimal', min: 0, max: 100, fractionDigits: 2 },
  { name: 'ratio', type: 'faker', method: 'number.float' },
  { name: 'at', type: 'timestamp', from: '1999-01-01T00:00:00Z', to: '2030-12-31T23:59:59Z', nullPercent: 10 },
  { name: 'word', type: 'oneOf', values: ['plain', 'with, comma', 'say "hi"', '=SUM(A1)', 'café', ''], nullPercent: 10 },
  { name: 'flag', type: 'faker', method: 'datatype.boolean' },
];

/** Random well-typed expressions of each type (the checker may still refuse a few, e.g. an exact product too large). */
const expressions = fc.letrec<{ num: string; bool: string; str: string; ts: string }>((tie) => ({
  num: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'expression', withCrossShrink: true },
    fc.constantFrom('qty', 'price', 'ratio', '3', '1.25', '0', '-2'),
    fc.tuple(tie('num'), fc.constantFrom('+', '-', '*', '/'), tie('num')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('num').map((a) => `round(${a}, 2)`),
    fc.tuple(tie('bool'), tie('num'), tie('num')).map(([c, a, b]) => `if(${c}, ${a}, ${b})`),
    fc.tuple(tie('num'), tie('num')).map(([a, b]) => `coalesce(${a}, ${b})`),
    tie('str').map((a) => `length(${a})`),
    tie('ts').map((a) => `month(${a}) + dayOfWeek(${a})`),
    fc.tuple(tie('ts'), tie('ts')).map(([a, b]) => `diffDays(${a}, ${b})`),
  ),
  bool: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'expression', withCrossShrink: true },
    fc.constantFrom('flag', 'true'),
    fc.tuple(tie('num'), fc.constantFrom('<', '<=', '==', '!=', '>', '>='), tie('num')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('str'), tie('str')).map(([a, b]) => `(${a} < ${b})`),
    fc.tuple(tie('bool'), fc.constantFrom('&&', '||'), tie('bool')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('bool').map((a) => `!${a}`),
    tie('num').map((a) => `isNull(${a})`),
  ),
  str: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'expression', withCrossShrink: true },
    fc.constantFrom('word', '"x,y"', '\'é\''),
    tie('str').map((a) => `upper(${a})`),
    fc.tuple(tie('str'), tie('num')).map(([a, b]) => `concat(${a}, ${b})`),
    fc.tuple(tie('str'), tie('ts')).map(([a, b]) => `\`${'$'}{${a}}|${'$'}{${b}}\``),
    tie('str').map((a) => `substring(${a}, 1, 3)`),
    fc.tuple(tie('bool'), tie('str'), tie('str')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
  ts: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'expression', withCrossShrink: true },
    fc.constant('at'),
    tie('ts').map((a) => `addDays(${a}, qty)`),
    tie('ts').map((a) => `addHours(${a}, -3)`),
  ),
}));

describe('the compiled closures and the interpreter agree', () => {
  test('on random expressions of every type, on every recomputed row', async () => {
    let checked = 0;
    await fc.assert(fc.asyncProperty(
      fc.oneof(expressions.num, expressions.bool, expressions.str, expressions.ts), fc.integer({ min: 0, max: 2 ** 31 }),
      async (expression, seed) => {
        let schema;
        try {
          schema = schemaOf(...OPERANDS, { name: 'd', type: 'derived', expression });
        } catch (e) {
          if (e instanceof InvalidInputError && /beyond the 9007199254740991 units|characters: at most/.test(e.message)) return;
          throw e;
        }
        checked++;
        const { report } = await engineOutput({ schema, seed, rowCount: 200 });
        expect(report.conformance.find((check) => check.check === 'derived')).toMatchObject({ pass: true, observed: '0 mismatches in 200 rows (every 1)' });
      },
    ), { numRuns: 120 });
    // Most random expressions are within the exact range: the property is not vacuous.
    expect(checked).toBeGreaterThan(80);
  });
});

describe('determinism', () => {
  test('any row range of a schema with derived columns is made the same alone as inside a larger run', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 2 ** 32 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 40 }),
      async (seed, firstRow, offset, count) => {
        const larger = await engineOutput({ schema: ORDER_ITEMS, seed, firstRow, rowCount: offset + count + 5, header: false });
        const alone = await engineOutput({ schema: ORDER_ITEMS, seed, firstRow: firstRow + offset, rowCount: count, header: false });
        expect(parseCsv(alone.bytes)).toEqual(parseCsv(larger.bytes).slice(offset, offset + count));
        const within = intendedRows(ORDER_ITEMS, seed, firstRow, offset + count).slice(offset);
        expect(intendedRows(ORDER_ITEMS, seed, firstRow + offset, count)).toEqual(within);
      },
    ), { numRuns: 25 });
  });

  test('a known seed keeps making the same derived values as this version of the engine (changing them is a breaking change)', async () => {
    const { bytes } = await engineOutput({ schema: ORDER_ITEMS, seed: 42, rowCount: 4 });
    expect(bytes.toString('utf8')).toMatchSnapshot();
  });
});

describe('the construct', () => {
  test('the catalog table declares a derived column\'s inferred type', () => {
    const stack = new Stack(new App(), 'DerivedStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const schema = Schema.fromColumns([
      Column.integer('quantity', { min: 1, max: 10 }),
      Column.decimal('unit_price', { min: 0.5, max: 500, fractionDigits: 2 }),
      Column.derived('line_total', 'quantity * unit_price'),
    ]);
    new SyntheticDataGenerator(stack, 'Items', { schema, datasetName: 'items', outputFormat: OutputFormat.parquet() });
    const tables = Template.fromStack(stack).findResources('AWS::Glue::Table');
    const columns = Object.values(tables)[0].Properties.TableInput.StorageDescriptor.Columns;
    expect(columns).toEqual([{ Name: 'quantity', Type: 'bigint' }, { Name: 'unit_price', Type: 'decimal(5,2)' }, { Name: 'line_total', Type: 'decimal(6,2)' }]);
  });

  test('a schema whose expression names an unknown column fails synth', () => {
    expect(() => Schema.fromJson(JSON.stringify({
      columns: [{ name: 'quantity', type: 'integer' }, { name: 'line_total', type: 'derived', expression: 'quantity * unit_pric' }],
    }))).toThrow('schema.columns[1] (line_total).expression "quantity * unit_pric" at character 11: unknown column unit_pric (columns: quantity)');
  });
});

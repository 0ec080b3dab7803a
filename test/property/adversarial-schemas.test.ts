/**
 * Schemas that synth accepted and the function then crashed on, hung on, or wrote wrongly: each class is refused at
 * synth with a message that says what to do, or generates correctly in every format.
 */
import fc from 'fast-check';
import { compileTable } from '../../lambda/engine/compiled-table';
import { ROW_GROUP_TARGET_BYTES } from '../../lambda/formats/parquet-file';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { roundDoubleToUnscaled } from '../../src/contract/double-rounding';
import type { OutputFormatDocument } from '../../src/contract/output-format';
import { validateSchemaDocument } from '../../src/contract/schema-document';
import { decodeRows } from '../support/decode';
import { engineOutput, parseCsv, schemaOf } from '../support/engine-output';
import { DuckDb, hyparquetMetadata } from '../support/parquet-readers';

const FORMATS: OutputFormatDocument[] = [
  { format: 'csv', compression: 'none' },
  { format: 'jsonl', compression: 'none' },
  { format: 'parquet', compression: 'zstd' },
];

const SOURCES = [
  { name: 'ordered_at', type: 'timestamp', from: '2025-01-01T00:00:00Z', to: '2025-12-31T23:59:59Z' },
  { name: 'quantity', type: 'integer', min: 1, max: 20 },
  { name: 'label', type: 'oneOf', values: ['a', 'b'] },
];

const schemaWith = (...expressions: string[]): SchemaDocument => validateSchemaDocument({
  columns: [...SOURCES, ...expressions.map((expression, i) => ({ name: `d${i}`, type: 'derived', expression }))],
});

describe('class 1: a function name is looked up among the language\'s functions only, never an object\'s inherited members', () => {
  const INHERITED = [
    'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf', 'propertyIsEnumerable',
    'toLocaleString', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
  ];

  test.each(INHERITED)('%s(ordered_at) is an unknown function', (name) => {
    expect(() => schemaWith(`${name}(ordered_at)`))
      .toThrow(new RegExp(`^schema\\.columns\\[3\\] \\(d0\\)\\.expression ".*" at character 0: unknown function ${name} \\(functions: if, case, coalesce, `));
  });

  test.each(INHERITED)('%s as a faker method is refused too', (name) => {
    expect(() => validateSchemaDocument({ columns: [{ name: 'x', type: 'faker', method: name }] }))
      .toThrow(/not a faker method that takes no arguments/);
  });
});

describe('class 2: a string literal of an expression is held to the rule of every text a schema gives as a value', () => {
  const SURROGATE_RULE = 'the text holds an unpaired UTF-16 surrogate (half of a character such as an emoji), which cannot be written to a UTF-8 file';

  test.each([
    ["'\ud83d'", 0, '"\\ud83d"'],
    ["concat(label, '\udc00 end')", 14, '"\\udc00 end"'],
    ['`x\ud83d${label}`', 0, '"x\\ud83d"'],
    ["if(quantity > 2, 'ok', 'half \ud83d')", 23, '"half \\ud83d"'],
  ])('%j is refused at the literal', (expression, at, shown) => {
    expect(() => schemaWith(expression)).toThrow(`at character ${at}: the string ${shown}: ${SURROGATE_RULE}`);
  });

  test('the same text as a oneOf value meets the same words', () => {
    expect(() => validateSchemaDocument({ columns: [{ name: 'x', type: 'oneOf', values: ['half \ud83d'] }] })).toThrow(SURROGATE_RULE);
  });

  test('a whole character made of two surrogates is text like any other', () => {
    expect(() => schemaWith("concat(label, '\ud83d\ude00')", '`${label}\ud83d\ude00`')).not.toThrow();
  });
});

describe('class 3: a text\'s size bound grows with what upper() and lower() can do, not by a factor per level', () => {
  /** `depth` case functions around `inner`, alternating upper and lower from the outside. */
  const nested = (depth: number, inner: string): string => {
    let expression = inner;
    for (let level = depth - 1; level >= 0; level--) expression = `${level % 2 === 0 ? 'upper' : 'lower'}(${expression})`;
    return expression;
  };

  test('22 nested levels (a 155-character expression) generate in every format, bounded by the worst case mapping', async () => {
    const schema = schemaOf(
      { name: 'a', type: 'oneOf', values: ['a', '\u0390'] },
      { name: 'over_column', type: 'derived', expression: nested(22, 'a') },
      { name: 'over_literal', type: 'derived', expression: nested(22, '"a"') },
    );
    expect(nested(22, 'a')).toHaveLength(155);
    const { generators } = compileTable(schema, 1, { tableRows: 4 });
    // ΐ (2 bytes) upper-cases to three code points of 2 bytes each: the worst any chain of case functions does.
    expect(generators.map((g) => (g.shape === 'text' ? g.maxBytes : undefined)).slice(1)).toEqual([6, 1]);
    for (const output of FORMATS) {
      const rows = 200;
      const { bytes } = await engineOutput({ schema, seed: 3, rowCount: rows, output });
      const read = await decodeRows(bytes, output, schema);
      expect(read).toHaveLength(rows);
      for (const [v, overColumn, overLiteral] of read) {
        // The outermost function is upper: every chain ends upper-cased.
        expect(overColumn).toBe((v as string).toUpperCase());
        expect(overLiteral).toBe('A');
      }
    }
  });
});

describe('class 4: a derived value is computed once per row however many expressions read it', () => {
  test('40 columns each the square of the one before, in every format: linear time, each value the square', async () => {
    const depth = 40;
    const schema = schemaOf(
      { name: 'q', type: 'integer', min: 1, max: 20 },
      { name: 'a0', type: 'derived', expression: 'q / 20' },
      ...Array.from({ length: depth }, (_, i) => ({ name: `a${i + 1}`, type: 'derived', expression: `a${i} * a${i}` })),
    );
    for (const output of FORMATS) {
      const { bytes, report } = await engineOutput({ schema, seed: 5, rowCount: 500, output });
      const read = await decodeRows(bytes, output, schema);
      expect(read).toHaveLength(500);
      for (const [q, ...chain] of read) {
        let x = (q as number) / 20;
        for (const value of chain) {
          expect(value).toBe(x);
          x *= x;
        }
      }
      // The conformance report's recomputation reads the chain too, once per column and row.
      expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
    }
  }, 60_000);

  test('12 columns each concat(prev, prev), in every format: the last holds 4,096 copies of the first, made once', async () => {
    const depth = 12;
    const schema = schemaOf(
      { name: 's0', type: 'oneOf', values: ['a', 'é'] },
      ...Array.from({ length: depth }, (_, i) => ({ name: `s${i + 1}`, type: 'derived', expression: `concat(s${i}, s${i})` })),
    );
    for (const output of FORMATS) {
      const { bytes } = await engineOutput({ schema, seed: 5, rowCount: 20, output });
      const read = await decodeRows(bytes, output, schema);
      for (const row of read) {
        row.forEach((value, i) => expect(value).toBe((row[0] as string).repeat(2 ** i)));
      }
    }
  }, 60_000);
});

describe('class 5: round(x, digits) of a double rounds the double\'s exact value, a half away from zero', () => {
  test.each([
    ['round(3 / 200, 2)', '0.01'],
    ['round(535 / 200, 2)', '2.67'],
    // A decimal literal is exact (decimal semantics): 1.005 is a tie, rounded away from zero.
    ['round(1.005 * 1.0, 2)', '1.01'],
    // A quotient is a double: 201 / 200 is 1.00499999999999989..., below the tie.
    ['round(201 / 200, 2)', '1.00'],
    ['round(0.015 / 1, 2)', '0.01'],
    ['round(-535 / 200, 2)', '-2.67'],
    ['round(1 / 8, 2)', '0.13'],
    ['round(-1 / 8, 2)', '-0.13'],
    ['round(5 / 2, 0)', '3'],
    ['round(1 / 3, 15)', '0.333333333333333'],
  ])('%s is %s', async (expression, expected) => {
    const schema = schemaOf({ name: 'one', type: 'integer', min: 1, max: 1 }, { name: 'r', type: 'derived', expression });
    const { bytes, report } = await engineOutput({ schema, seed: 1, rowCount: 2 });
    expect(bytes.toString('utf8').split('\n')[1]).toBe(`1,${expected}`);
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
  });

  test('on any double, the digits toFixed gives (exact by its definition, a half away from zero)', () => {
    const unscaledOf = (fixed: string) => Number(fixed.replace('.', ''));
    fc.assert(fc.property(
      fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -2_000_000, max: 2_000_000 }).map((n) => n / 200)),
      fc.integer({ min: 0, max: 6 }),
      (x, digits) => {
        const rounded = roundDoubleToUnscaled(x, 10 ** digits);
        expect(rounded === 0 ? 0 : rounded).toBe(unscaledOf(x.toFixed(digits)) || 0);
      },
    ), { numRuns: 20_000 });
  });

  test('the 10,000 values x.xx5 below 100 and their negatives round as DuckDB rounds their exact decimal values', async () => {
    const count = 10_000;
    const schema = schemaOf(
      { name: 'n', type: 'sequence', start: -(2 * count - 1), step: 2 },
      { name: 'r', type: 'derived', expression: 'round(n / 200, 2)' },
    );
    const { bytes, report } = await engineOutput({ schema, seed: 1, rowCount: 2 * count });
    // The conformance report recomputes round from the double's bits, independently of the engine's arithmetic.
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
    const rows = parseCsv(bytes).slice(1);
    expect(rows).toHaveLength(2 * count);
    // DuckDB's round of a DECIMAL holding each double's exact value, written out by toFixed (exact by its definition).
    const db = await DuckDb.open();
    try {
      const values = rows.map(([n]) => `(${n}, '${(Number(n) / 200).toFixed(35)}')`).join(', ');
      const oracle = await db.query(`SELECT n, round(CAST(x AS DECIMAL(38,35)), 2)::VARCHAR AS r FROM (VALUES ${values}) AS t(n, x) ORDER BY n`);
      const expected = new Map(oracle.map((row) => [Number(row.n), String(row.r)]));
      const differ = rows.filter(([n, r]) => expected.get(Number(n)) !== r);
      expect(differ).toEqual([]);
      // The doubles nearest x.xx5 lie below or above it: about half round down, which rounding x × 100 as a double hid.
      const down = rows.filter(([n, r]) => Number(n) > 0 && 2 * Math.round(Number(r) * 100) < Number(n)).length;
      expect(down).toBeGreaterThan(3000);
    } finally {
      db.close();
    }
  }, 60_000);
});

describe('class 6: Parquet row groups are sized by the bytes the rows take, not by a 256-byte guess per text', () => {
  test('a 200,000-character derived text: row groups near 4 MiB, each value read back whole', async () => {
    const copies = (name: string, count: number) => Array.from({ length: count }, () => name).join(', ');
    const schema = schemaOf(
      { name: 'id', type: 'uuid' },
      { name: 'c1', type: 'derived', expression: `concat(${copies('id', 10)})` },
      { name: 'c2', type: 'derived', expression: `concat(${copies('c1', 10)})` },
      { name: 'c3', type: 'derived', expression: `concat(${copies('c2', 10)})` },
      { name: 'widest', type: 'derived', expression: `concat(${copies('c3', 5)}, substring(c3, 0, 20000))` },
    );
    const output: OutputFormatDocument = { format: 'parquet', compression: 'zstd' };
    const rows = 80;
    const { bytes } = await engineOutput({ schema, seed: 9, rowCount: rows, output });
    const { row_groups: groups } = hyparquetMetadata(bytes);
    const target = ROW_GROUP_TARGET_BYTES;
    // About 240,000 bytes a row: some 17 rows a group (a 4,096-row group would hold 980 MB).
    expect(groups.length).toBeGreaterThan(3);
    groups.slice(0, -1).forEach((group) => {
      expect(Number(group.total_byte_size)).toBeGreaterThan(target / 2);
      expect(Number(group.total_byte_size)).toBeLessThan(2 * target);
    });
    expect(groups.reduce((sum, group) => sum + Number(group.num_rows), 0)).toBe(rows);
    const read = await decodeRows(bytes, output, schema);
    for (const [id, , , , widest] of read) {
      expect((widest as string).length).toBe(200_000);
      // Compared as a boolean: a failing 200,000-character value would flood the report.
      expect(widest === (id as string).repeat(6000).slice(0, 200_000)).toBe(true);
    }
  }, 60_000);
});

describe('the budget a row may cost, computed at synth', () => {
  test('26 columns each concat(prev, prev) are refused with the figure and the limit (they took 108 s and 1.6 GB for one row)', () => {
    const columns = [
      { name: 's0', type: 'oneOf', values: ['a'] },
      ...Array.from({ length: 26 }, (_, i) => ({ name: `s${i + 1}`, type: 'derived', expression: `concat(s${i}, s${i})` })),
    ];
    expect(() => validateSchemaDocument({ columns })).toThrow(
      'schema.columns[26] (s26).expression "concat(s25, s25)": the derived texts of a row hold up to 134217726 copies of source values '
      + '(this column 67108864), more than the 10000 a row may hold (concat(prev, prev) doubles them at each column); build the text from fewer copies',
    );
  });

  test('a table whose derived expressions evaluate more than 10,000 operations a row is refused with the figure and the limit', () => {
    const sum = Array.from({ length: 100 }, () => 'q').join(' + ');
    const columns = [
      { name: 'q', type: 'integer', min: 0, max: 10 },
      ...Array.from({ length: 60 }, (_, i) => ({ name: `d${i}`, type: 'derived', expression: sum })),
    ];
    expect(() => validateSchemaDocument({ columns })).toThrow(
      /^schema\.columns\[60\] \(d59\)\.expression: the derived columns evaluate 11940 operations a row, more than the 10000 a row may take/,
    );
    expect(() => validateSchemaDocument({ columns: columns.slice(0, 40) })).not.toThrow();
  });

  test('the 200,000-character text of class 6 is within the budget: 7,110 copies', () => {
    expect(() => schemaOf(
      { name: 'id', type: 'uuid' },
      { name: 'c1', type: 'derived', expression: `concat(${Array(10).fill('id').join(', ')})` },
      { name: 'c2', type: 'derived', expression: `concat(${Array(10).fill('c1').join(', ')})` },
      { name: 'c3', type: 'derived', expression: `concat(${Array(10).fill('c2').join(', ')})` },
      { name: 'widest', type: 'derived', expression: `concat(${Array(5).fill('c3').join(', ')}, substring(c3, 0, 20000))` },
    )).not.toThrow();
  });
});

/**
 * Property-based checks of the engine's cells (fast-check): whatever the schema the validator accepts,
 * every cell parses back to its column's type and range, text survives a real CSV parser, nulls come at
 * the declared rate, and unique columns never repeat.
 */
import fc from 'fast-check';
import { csvTextCell } from '../../lambda/driver';
import { writeInteger } from '../../lambda/engine/ascii';
import { writeIsoTimestamp } from '../../lambda/formats/text/timestamps';
import type { ColumnDocument, SchemaDocument } from '../../src/contract/column-documents';
import { InvalidInputError } from '../../src/contract/errors';
import { validateSchemaDocument } from '../../src/contract/schema-document';
import { engineOutput, parseCsv } from '../support/engine-output';

const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];
/** What a text value looks like in the file, once read back: formula starts neutralized with a leading '. */
const asRead = (value: string) => (value !== '' && FORMULA_STARTS.includes(value[0]) ? `'${value}` : value);

const FIRST_MS = Date.parse('0000-01-01T00:00:00Z');
const LAST_MS = Date.parse('9999-12-31T23:59:59Z');
const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Texts meant to break CSV and spreadsheets: separators, quotes, line ends, formula starts, any unicode. */
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(',', '"', '\n', '\r', '=', '+', '-', '@', '\t', ' ', 'a', '€', '\u2028', '\0'), maxLength: 8 }),
  fc.constantFrom('=cmd|\' /C calc\'!A0', '+1', '-2', '@SUM(A1)', '\tx', '\rx', '"', '""', 'a,b', 'line\nbreak', 'é', '👩‍👩‍👧'),
);

const columnArbitrary = (name: string): fc.Arbitrary<Record<string, unknown>> => fc.oneof(
  fc.record({ type: fc.constant('uuid') }),
  fc.record({ type: fc.constant('sequence'), start: fc.integer({ min: -1e12, max: 1e12 }), step: fc.integer({ min: -1000, max: 1000 }) }),
  fc.tuple(fc.maxSafeInteger(), fc.maxSafeInteger()).map(([a, b]) => ({ type: 'integer', min: Math.min(a, b), max: Math.max(a, b) })),
  fc.integer({ min: 0, max: 10 }).chain((fractionDigits) => {
    const largest = Math.floor(Number.MAX_SAFE_INTEGER / 10 ** fractionDigits);
    // Bounds anywhere, or within a few steps of zero (cells such as "-0.0001", longer than their scaled integer).
    const nearZero = fc.integer({ min: -20, max: 20 }).map((steps) => steps / 10 ** fractionDigits);
    const bound = fc.oneof(fc.double({ min: -largest, max: largest, noNaN: true }), nearZero);
    return fc.tuple(bound, bound).map(([a, b]) => ({ type: 'decimal', min: Math.min(a, b), max: Math.max(a, b), fractionDigits }));
  }),
  fc.tuple(fc.integer({ min: FIRST_MS, max: LAST_MS }), fc.integer({ min: FIRST_MS, max: LAST_MS }))
    .map(([a, b]) => ({ type: 'timestamp', from: isoSeconds(Math.min(a, b)), to: isoSeconds(Math.max(a, b)) })),
  fc.record({ type: fc.constant('oneOf'), values: fc.array(hostileText, { minLength: 1, maxLength: 6 }) }),
  // string.sample makes text starting with '-', '+', '=' or '@' (the pool's formula guard); location.latitude
  // makes negative numbers (written as numbers, unguarded).
  fc.record({
    type: fc.constant('faker'),
    method: fc.constantFrom('person.fullName', 'internet.email', 'location.city', 'company.catchPhrase', 'lorem.sentence',
      'location.latitude', 'string.sample'),
  }),
  // Exactly N distinct values (exact-distinct.ts), and the columns of a person or a place (entities.ts).
  fc.record({
    type: fc.constant('integer'),
    min: fc.integer({ min: -1e6, max: 0 }),
    max: fc.integer({ min: 1e4, max: 1e12 }),
    distinctValues: fc.integer({ min: 1, max: 5000 }),
  }),
  fc.record({
    type: fc.constant('faker'), method: fc.constantFrom('company.name', 'finance.iban', 'person.fullName'), distinctValues: fc.integer({ min: 1, max: 5000 }),
  }),
  fc.constantFrom('person.fullName', 'internet.email', 'person.prefix', 'location.state', 'location.zipCode')
    .map((method) => ({ type: 'faker', method, entity: method.startsWith('location.') ? 'place' : 'person' })),
).chain((shape) => fc.record({ nullPercent: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 })) })
  .map(({ nullPercent }) => ({ name, ...shape, nullPercent })));

const schemaArbitrary: fc.Arbitrary<SchemaDocument> = fc.integer({ min: 1, max: 5 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => columnArbitrary(`c${i}`))))
  .map((columns) => {
    try {
      return validateSchemaDocument({ columns });
    } catch (e) {
      if (e instanceof InvalidInputError) return undefined; // a range the validator refuses (e.g. no 2-digit value in it)
      throw e;
    }
  })
  .filter((schema): schema is SchemaDocument => schema !== undefined);

/** Throws unless `cell` is a value `column` can make. */
function expectCellOf(column: ColumnDocument, cell: string, row: number): void {
  switch (column.type) {
    case 'uuid':
      expect(cell).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      return;
    case 'sequence':
      expect(BigInt(cell)).toBe(BigInt(column.start) + BigInt(row) * BigInt(column.step));
      return;
    case 'integer':
      expect(cell).toMatch(/^-?\d+$/);
      expect(Number.isSafeInteger(Number(cell))).toBe(true);
      expect(BigInt(cell) >= BigInt(column.min) && BigInt(cell) <= BigInt(column.max)).toBe(true);
      return;
    case 'decimal': {
      const digits = column.fractionDigits;
      expect(cell).toMatch(digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`));
      // Compared as exact scaled integers: no floating-point rounding in the check.
      const scaled = BigInt(cell.replace('.', ''));
      const scale = 10 ** digits;
      expect(scaled >= BigInt(Math.ceil(column.min * scale - 1e-6)) && scaled <= BigInt(Math.floor(column.max * scale + 1e-6))).toBe(true);
      return;
    }
    case 'timestamp':
      expect(new Date(cell).toISOString()).toBe(cell);
      expect(Date.parse(cell) >= Date.parse(column.from) && Date.parse(cell) <= Date.parse(column.to)).toBe(true);
      return;
    case 'oneOf':
      expect(column.values.map(asRead)).toContain(cell);
      return;
    case 'faker':
      expect(cell.length).toBeGreaterThan(0);
      // A number faker made is written as a number (-60.7338); any text starting a formula has its guard.
      if (!Number.isFinite(Number(cell))) expect(FORMULA_STARTS).not.toContain(cell[0]);
      return;
  }
}

test('every cell parses back, through a real CSV parser, to a value of its column\'s type and range', async () => {
  // Chunks as small as the engine allows put rows at a chunk's last free position again and again, where a
  // writer that writes more than its maxBytes would be caught.
  const chunkBytes = fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 4096 }));
  const seeds = fc.integer({ min: 0, max: 2 ** 32 - 1 });
  await fc.assert(fc.asyncProperty(schemaArbitrary, seeds, fc.integer({ min: 1, max: 200 }), fc.nat(10 ** 9), chunkBytes,
    async (schema, seed, rowCount, firstRow, chunk) => {
      const records = parseCsv((await engineOutput({ schema, seed, firstRow, rowCount }, { chunkBytes: chunk })).bytes);
      expect(records[0]).toEqual(schema.columns.map((c) => c.name));
      expect(records).toHaveLength(rowCount + 1);
      records.slice(1).forEach((record, i) => {
        expect(record).toHaveLength(schema.columns.length);
        schema.columns.forEach((c, j) => {
          if (record[j] === '' && (c.nullPercent ?? 0) > 0) return; // a null cell
          expectCellOf(c, record[j], firstRow + i);
        });
      });
    }), { numRuns: 150 });
});

test('the chunk size never changes the bytes: every cell fits the room its writer asks for', async () => {
  // The smallest chunks the engine allows put rows at a chunk's last free position again and again; a cell
  // longer than its writer's maxBytes would be cut off there (typed arrays drop writes past their end).
  await fc.assert(fc.asyncProperty(schemaArbitrary, fc.nat(), fc.integer({ min: 1, max: 300 }), async (schema, seed, rowCount) => {
    const whole = await engineOutput({ schema, seed, rowCount });
    const small = await engineOutput({ schema, seed, rowCount }, { chunkBytes: 1 });
    expect(small.bytes.equals(whole.bytes)).toBe(true);
  }), { numRuns: 150 });
});

test('arbitrary text round-trips through the CSV: each value reads back as itself (formula starts behind a \')', async () => {
  await fc.assert(fc.asyncProperty(fc.array(hostileText, { minLength: 1, maxLength: 20 }), fc.nat(), async (values, seed) => {
    const schema = validateSchemaDocument({ columns: [{ name: 'text', type: 'oneOf', values }, { name: 'after', type: 'oneOf', values: ['end'] }] });
    const records = parseCsv((await engineOutput({ schema, seed, rowCount: 60 })).bytes).slice(1);
    for (const [text, after] of records) {
      expect(values.map(asRead)).toContain(text);
      expect(after).toBe('end');
    }
  }), { numRuns: 200 });
});

test('a text cell is quoted exactly when it holds a comma, a quote, CR or LF, and reads back as the guarded value', () => {
  // A lenient CSV parser reads a bare CR inside a field back as itself: check the encoding itself too.
  fc.assert(fc.property(hostileText, (value) => {
    const guarded = asRead(value);
    const cell = csvTextCell(value);
    if (/[",\r\n]/.test(guarded)) {
      expect(cell).toBe(`"${guarded.replace(/"/g, '""')}"`);
    } else {
      expect(cell).toBe(guarded);
    }
  }), { numRuns: 2000 });
});

test('nulls appear at the declared percentage, within statistical tolerance', async () => {
  const rows = 20_000;
  await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 100 }), fc.nat(), async (percent, seed) => {
    const schema = validateSchemaDocument({ columns: [{ name: 'q', type: 'integer', min: 1, max: 9, nullPercent: percent }] });
    const nulls = parseCsv((await engineOutput({ schema, seed, rowCount: rows })).bytes).slice(1).filter(([q]) => q === '').length;
    const p = percent / 100;
    // Five standard deviations of a binomial count: a false alarm about once in 3.5 million runs.
    expect(Math.abs(nulls - rows * p)).toBeLessThanOrEqual(5 * Math.sqrt(rows * p * (1 - p)) + 1e-9);
  }), { numRuns: 25 });
});

test('the conformance report passes on whatever the engine makes of any schema, at any row count (no false alarm)', async () => {
  await fc.assert(fc.asyncProperty(schemaArbitrary, fc.integer({ min: 1, max: 3000 }), fc.nat(), async (schema, rows, seed) => {
    const { report } = await engineOutput({ schema, seed, rowCount: rows });
    expect(report.conformance.filter((check) => !check.pass)).toEqual([]);
    // Every column has its null share checked; every bounded number its range (once a value was made).
    expect(report.conformance.filter((check) => check.check === 'nullShare')).toHaveLength(schema.columns.length);
  }), { numRuns: 150 });
});

test('unique columns (uuid, sequence) never repeat a value, from any first row', async () => {
  await fc.assert(fc.asyncProperty(fc.nat(), fc.nat(2 ** 48), async (seed, firstRow) => {
    const schema = validateSchemaDocument({ columns: [{ name: 'id', type: 'uuid' }, { name: 'n', type: 'sequence' }] });
    const records = parseCsv((await engineOutput({ schema, seed, firstRow, rowCount: 50_000 })).bytes).slice(1);
    expect(new Set(records.map(([id]) => id)).size).toBe(records.length);
    expect(new Set(records.map(([, n]) => n)).size).toBe(records.length);
  }), { numRuns: 4 });
});

test('timestamps are written as Date.toISOString would, over years 0000 to 9999', () => {
  const buf = new Uint8Array(32);
  fc.assert(fc.property(fc.integer({ min: FIRST_MS, max: LAST_MS + 999 }), (ms) => {
    const end = writeIsoTimestamp(buf, 0, ms);
    expect(Buffer.from(buf.subarray(0, end)).toString()).toBe(new Date(ms).toISOString());
  }), { numRuns: 5000 });
});

test('integers are written as String() would, over all safe integers', () => {
  const buf = new Uint8Array(32);
  fc.assert(fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer()), (n) => {
    const end = writeInteger(buf, 0, n);
    expect(Buffer.from(buf.subarray(0, end)).toString()).toBe(String(n));
  }), { numRuns: 5000 });
});

/**
 * "A schema that synthesizes is a schema that runs": at the edges of what the shared validator accepts,
 * the engine must still make cells of the column's type — no exponent notation, NaN, lost digits,
 * repeated sequence values or exceptions — and reach both ends of every range.
 */
import { MAX_ROWS_CEILING } from '../../src/contract/limits';
import { engineOutput, parseCsv, schemaOf } from '../support/engine-output';

async function cells(column: Record<string, unknown>, rows = 300): Promise<string[]> {
  const { bytes } = await engineOutput({ schema: schemaOf({ name: 'c', ...column }), seed: 42, rowCount: rows });
  return parseCsv(bytes).slice(1).map((row) => row[0]);
}

const largestWithTwoDigits = Math.floor(Number.MAX_SAFE_INTEGER / 100);

test.each([
  ['the widest 2-digit decimal range', { type: 'decimal', min: -largestWithTwoDigits, max: largestWithTwoDigits, fractionDigits: 2 }, /^-?\d+\.\d{2}$/],
  ['the widest 0-digit decimal range', { type: 'decimal', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, fractionDigits: 0 }, /^-?\d+$/],
  ['10 fraction digits', { type: 'decimal', min: -900000, max: 900000, fractionDigits: 10 }, /^-?\d+\.\d{10}$/],
  ['the widest integer range', { type: 'integer', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }, /^-?\d+$/],
])('%s makes exact cells within the range', async (_name, column, shape) => {
  const { min, max } = column as { min: number; max: number };
  for (const cell of await cells(column)) {
    expect(cell).toMatch(shape);
    expect(Number(cell)).toBeGreaterThanOrEqual(min);
    expect(Number(cell)).toBeLessThanOrEqual(max);
    expect(Number.isSafeInteger(Math.round(Math.abs(Number(cell)) * 10 ** (cell.split('.')[1]?.length ?? 0)))).toBe(true);
  }
});

test('the widest integer range makes odd and even values alike (no step of 2 from rounding)', async () => {
  const values = await cells({ type: 'integer', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }, 2000);
  const odd = values.filter((cell) => BigInt(cell) % 2n !== 0n).length;
  // Binomial(2000, 1/2): five standard deviations either side of 1000.
  expect(Math.abs(odd - 1000)).toBeLessThanOrEqual(5 * Math.sqrt(500));
});

test('a decimal range holding one value at its precision makes that value', async () => {
  expect(new Set(await cells({ type: 'decimal', min: 0.001, max: 0.01, fractionDigits: 2 }))).toEqual(new Set(['0.01']));
});

test.each([
  ['counting up', Number.MAX_SAFE_INTEGER - (MAX_ROWS_CEILING - 1), 1],
  ['counting down', -Number.MAX_SAFE_INTEGER + (MAX_ROWS_CEILING - 1) * 3, -3],
])('the largest sequence the validator accepts stays exact (%s)', async (_name, start, step) => {
  const values = (await cells({ type: 'sequence', start, step }, 1000)).map(BigInt);
  values.forEach((value, i) => expect(value).toBe(BigInt(start) + BigInt(i) * BigInt(step)));
});

test('a timestamp range of one instant makes that instant', async () => {
  expect(new Set(await cells({ type: 'timestamp', from: '2024-02-29T12:00:00Z', to: '2024-02-29T12:00:00Z' }))).toEqual(new Set(['2024-02-29T12:00:00.000Z']));
});

test('zero weights are allowed and never picked', async () => {
  expect(new Set(await cells({ type: 'oneOf', values: ['never', 'always'], weights: [0, 5] }))).toEqual(new Set(['always']));
});

test('nullPercent 100 makes only empty cells, 0 none', async () => {
  expect(new Set(await cells({ type: 'uuid', nullPercent: 100 }))).toEqual(new Set(['']));
  expect(await cells({ type: 'uuid', nullPercent: 0 })).not.toContain('');
});

test.each([
  ['an integer range', { type: 'integer', min: -3, max: 3 }, ['-3', '-2', '-1', '0', '1', '2', '3']],
  ['a decimal range', { type: 'decimal', min: 0.1, max: 0.4, fractionDigits: 1 }, ['0.1', '0.2', '0.3', '0.4']],
  ['a timestamp range', { type: 'timestamp', from: '2024-12-31T23:59:59Z', to: '2025-01-01T00:00:00Z' }, undefined],
  ['a weighted choice', { type: 'oneOf', values: ['a', 'b', 'c'], weights: [1, 1, 1] }, ['a', 'b', 'c']],
])('%s reaches both of its ends', async (_name, column, expected) => {
  const made = new Set(await cells(column, 5000));
  if (expected !== undefined) {expect(made).toEqual(new Set(expected));} else {
    expect(made.has('2024-12-31T23:59:59.000Z')).toBe(true);
    expect(made.has('2025-01-01T00:00:00.000Z')).toBe(true);
  }
});

test.each([
  ['-0.000001 to 0 with 6 fraction digits ("-0.000001", 9 bytes)', { type: 'decimal', min: -0.000001, max: 0, fractionDigits: 6 }, ['-0.000001', '0.000000']],
  ['0 to 0.001 with 4 fraction digits ("0.0010", 6 bytes)', { type: 'decimal', min: 0, max: 0.001, fractionDigits: 4 }, undefined],
])('%s stays within its maxBytes at every chunk end', async (_name, column, expected) => {
  // Small chunks put a row at the chunk's last free position again and again: a cell longer than its
  // writer's maxBytes would be cut off there (typed arrays drop writes past their end).
  const rows = 3000;
  const { bytes } = await engineOutput({ schema: schemaOf({ name: 'c', ...column }), seed: 42, rowCount: rows }, { chunkBytes: 64 });
  const made = parseCsv(bytes).slice(1).map((row) => row[0]);
  expect(made).toHaveLength(rows);
  made.forEach((cell) => expect(cell).toMatch(/^-?0\.\d+$/));
  if (expected !== undefined) expect(new Set(made)).toEqual(new Set(expected));
});

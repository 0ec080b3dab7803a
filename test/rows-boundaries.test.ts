/**
 * "A schema that synthesizes is a schema that runs": at the edges of what the shared validator accepts,
 * the handler's row generation must still make cells of the column's type — no exponent notation, NaN,
 * lost digits, repeated sequence values or exceptions.
 */
import { generateRows } from '../lambda/rows';
import { validateSchemaDocument } from '../src/contract/schema-document';
import { MAX_ROWS_CEILING } from '../src/contract/settings';

function cells(column: Record<string, unknown>, rows = 300): string[] {
  const schema = validateSchemaDocument({ columns: [{ name: 'c', ...column }] });
  return [...generateRows(schema, 42, rows)].map((row) => row[0]);
}

const largestWithTwoDigits = Math.floor(Number.MAX_SAFE_INTEGER / 100);

test.each([
  ['the widest 2-digit decimal range', { type: 'decimal', min: -largestWithTwoDigits, max: largestWithTwoDigits, fractionDigits: 2 }, /^-?\d+\.\d{2}$/],
  ['the widest 0-digit decimal range', { type: 'decimal', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, fractionDigits: 0 }, /^-?\d+$/],
  ['10 fraction digits', { type: 'decimal', min: -900000, max: 900000, fractionDigits: 10 }, /^-?\d+\.\d{10}$/],
  ['the widest integer range', { type: 'integer', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }, /^-?\d+$/],
])('%s makes exact cells within the range', (_name, column, shape) => {
  const { min, max } = column as { min: number; max: number };
  for (const cell of cells(column)) {
    expect(cell).toMatch(shape);
    expect(Number(cell)).toBeGreaterThanOrEqual(min);
    expect(Number(cell)).toBeLessThanOrEqual(max);
    expect(Number.isSafeInteger(Math.round(Math.abs(Number(cell)) * 10 ** (cell.split('.')[1]?.length ?? 0)))).toBe(true);
  }
});

test('a decimal range holding one value at its precision makes that value', () => {
  expect(new Set(cells({ type: 'decimal', min: 0.001, max: 0.01, fractionDigits: 2 }))).toEqual(new Set(['0.01']));
});

test.each([
  ['counting up', Number.MAX_SAFE_INTEGER - (MAX_ROWS_CEILING - 1), 1],
  ['counting down', -Number.MAX_SAFE_INTEGER + (MAX_ROWS_CEILING - 1) * 3, -3],
])('the largest sequence the validator accepts stays exact (%s)', (_name, start, step) => {
  const values = cells({ type: 'sequence', start, step }, 1000).map(BigInt);
  values.forEach((value, i) => expect(value).toBe(BigInt(start) + BigInt(i) * BigInt(step)));
});

test('a timestamp range of one instant makes that instant', () => {
  expect(new Set(cells({ type: 'timestamp', from: '2024-02-29T12:00:00Z', to: '2024-02-29T12:00:00Z' }))).toEqual(new Set(['2024-02-29T12:00:00.000Z']));
});

test('zero weights are allowed and never picked', () => {
  expect(new Set(cells({ type: 'oneOf', values: ['never', 'always'], weights: [0, 5] }))).toEqual(new Set(['always']));
});

test('nullPercent 100 makes only empty cells, 0 none', () => {
  expect(new Set(cells({ type: 'uuid', nullPercent: 100 }))).toEqual(new Set(['']));
  expect(cells({ type: 'uuid', nullPercent: 0 })).not.toContain('');
});

/**
 * The block loops of simple columns (lambda/engine/column-fills.ts) make what the generators make a cell at a time:
 * the same values, and the same counts of distinct values, ranges and list weights.
 */
import { ColumnBlockMaker } from '../../lambda/engine/column-blocks';
import { listFills, numberFills } from '../../lambda/engine/column-fills';
import { compileTable } from '../../lambda/engine/compiled-table';
import { distinctCounter } from '../../lambda/engine/distinct-counters';
import { VALUE_KEY } from '../../lambda/engine/kernel';
import { mix32, rowHash } from '../../lambda/engine/random';
import { emptyStats } from '../../lambda/engine/stats';
import type { ColumnDocument } from '../../src/contract/column-documents';

const COLUMNS: ColumnDocument[] = [
  { name: 'small_int', type: 'integer', min: 1, max: 20 },
  { name: 'wide_int', type: 'integer', min: -(2 ** 40), max: 2 ** 41 },
  { name: 'widest_int', type: 'integer', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  { name: 'price', type: 'decimal', min: 1, max: 500, fractionDigits: 2 },
  { name: 'uniform_price', type: 'decimal', min: 0, max: 9, fractionDigits: 1, distribution: { kind: 'uniform' } },
  { name: 'normal_price', type: 'decimal', min: 0, max: 100, fractionDigits: 2, distribution: { kind: 'normal', mean: 50, standardDeviation: 10 } },
  { name: 'at', type: 'timestamp', from: '2024-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z' },
  { name: 'tier', type: 'oneOf', values: ['gold', 'silver', 'gold', 'bronze'] },
  { name: 'weighted', type: 'oneOf', values: ['a', 'b', 'c'], weights: [1, 0, 3] },
  { name: 'product', type: 'faker', method: 'commerce.productName' },
  { name: 'state', type: 'faker', method: 'location.state' },
  { name: 'maybe_int', type: 'integer', min: 0, max: 9, nullPercent: 30 },
  { name: 'maybe_state', type: 'faker', method: 'location.state', nullPercent: 50 },
];

/** Rows [firstRow, firstRow + rows) of one column, a cell at a time as the row formats make them, with their counter. */
function cellByCell(c: number, firstRow: number, rows: number) {
  const table = compileTable({ columns: COLUMNS }, 7, { tableRows: firstRow + rows });
  const generator = table.generators[c];
  const counter = distinctCounter(table.distinctKinds[c]);
  const values: number[] = [];
  for (let row = firstRow; row < firstRow + rows; row++) {
    // A cell's hash, as the row loops make it (column-blocks.ts).
    // eslint-disable-next-line no-bitwise
    const cell = mix32(rowHash(table.keys, row) ^ table.keys.columnKeys[c]);
    switch (generator.shape) {
      case 'number': values.push(generator.value(cell, row)); break;
      case 'list': values.push(generator.pick(cell, row)); break;
      case 'text': throw new Error('no text column here');
    }
    counter.add(VALUE_KEY[0]);
  }
  return { values, state: counter.state, observed: counter.observed?.() };
}

describe('block loops of simple columns', () => {
  const firstRow = 2 ** 33 - 100;
  const rows = 5000;
  const table = compileTable({ columns: COLUMNS }, 7, { tableRows: firstRow + rows });
  const stats = emptyStats(COLUMNS.length, table.distinctKinds);
  const block = new ColumnBlockMaker(table, rows).make(firstRow, rows, stats);

  test('the columns without a distribution of their own have one; those with one, or a range past 2^53, do not', () => {
    const hasLoop = table.generators.map((generator) => {
      switch (generator.shape) {
        case 'number': return numberFills.of(generator.value) !== undefined;
        case 'list': return listFills.of(generator.pick) !== undefined;
        case 'text': return false;
      }
    });
    expect(hasLoop).toEqual([true, true, false, true, true, false, true, true, true, true, true, true, true]);
  });

  test.each(COLUMNS.map((column, c) => [column.name, c] as const).filter(([, c]) => table.nullBelow[c] === 0))(
    '%s: the values and counts of a block are those made a cell at a time', (_name, c) => {
      const expected = cellByCell(c, firstRow, rows);
      const column = block.columns[c];
      const made = column.indexes !== undefined ? Array.from(column.indexes.subarray(0, column.count))
        : Array.from((column.values as { values: Float64Array }).values.subarray(0, column.count));
      expect(column.count).toBe(rows);
      expect(made).toEqual(expected.values);
      expect(stats.counters[c].state).toEqual(expected.state);
      expect(stats.counters[c].observed?.()).toEqual(expected.observed);
    });

  test('a column with nulls is made a cell at a time, with its nulls where the null draw puts them', () => {
    const c = COLUMNS.findIndex((column) => column.name === 'maybe_int');
    const column = block.columns[c];
    expect(column.defined).toBeDefined();
    expect(column.count).toBeLessThan(rows * 0.8);
    expect(column.count).toBeGreaterThan(rows * 0.6);
    expect(stats.nulls[c]).toBe(rows - column.count);
  });
});

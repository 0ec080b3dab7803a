/**
 * Every output format is deterministic by row, as a property: for any seed and any split of a run into three parts,
 * the rows made as separate objects decode (each format's own reader) to the rows of one object.
 */
import fc from 'fast-check';
import { decodeRows } from '../support/decode';
import { engineOutput } from '../support/engine-output';
import { EVERY_VALUE_TYPE, NAMED_OUTPUTS } from '../support/schemas';

describe.each(NAMED_OUTPUTS)('%s', (_, output) => {
  test('rows made as separate objects decode to the rows of one object, whatever the split', async () => {
    const total = 2500;
    await fc.assert(fc.asyncProperty(fc.nat(2 ** 32 - 1), fc.integer({ min: 1, max: total - 1 }), fc.integer({ min: 1, max: total - 1 }),
      async (seed, x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        const whole = await decodeRows(
          (await engineOutput({ schema: EVERY_VALUE_TYPE, seed, rowCount: total, output })).bytes, output, EVERY_VALUE_TYPE);
        const parts = await Promise.all([[0, a], [a, b - a], [b, total - b]].filter(([, count]) => count > 0).map(async ([firstRow, rowCount]) =>
          decodeRows((await engineOutput({ schema: EVERY_VALUE_TYPE, seed, firstRow, rowCount, output })).bytes, output, EVERY_VALUE_TYPE)));
        expect(parts.flat()).toEqual(whole);
      }), { numRuns: 5 });
  });
});

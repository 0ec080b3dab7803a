/**
 * Determinism across shard counts, for tests: a run cut anywhere into any number of parts, each made alone with the
 * run's rows, gives the whole run's bytes.
 */
import fc from 'fast-check';
import { engineOutput } from './engine-output';
import type { SchemaDocument } from '../../src/contract/column-documents';

export async function expectSplitsMakeTheWholeRun(schema: SchemaDocument, total: number, numRuns: number): Promise<void> {
  await fc.assert(fc.asyncProperty(
    fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.uniqueArray(fc.integer({ min: 1, max: total - 1 }), { maxLength: 6 }),
    async (seed, cuts) => {
      const edges = [0, ...cuts.sort((a, b) => a - b), total];
      const whole = await engineOutput({ schema, seed, rowCount: total, header: false });
      const parts = await Promise.all(edges.slice(1).map((end, i) =>
        engineOutput({ schema, seed, firstRow: edges[i], rowCount: end - edges[i], tableRows: total, header: false })));
      expect(Buffer.concat(parts.map((part) => part.bytes)).equals(whole.bytes)).toBe(true);
    },
  ), { numRuns });
}

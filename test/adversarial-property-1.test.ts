/**
 * The permanent adversarial property: random and hostile schemas (test/support/hostile-schemas.ts) are validated, a
 * refusal must be a clean InvalidInputError, and every accepted schema must generate in every format within the time
 * budget and read back (CSV and JSON Lines by their parsers, Parquet by DuckDB) to the values the engine meant.
 *
 * FUZZ_SCHEMAS sets how many schemas (default 1,000) and FUZZ_SEED the seed (default fixed, so CI is reproducible);
 * scripts/fuzz.ts runs longer ones with a fresh seed and prints the counts.
 */
import * as fc from 'fast-check';
import { checkSchema, emptyCounts, hostileSchema } from './support/hostile-schemas';
import { DuckDb } from './support/parquet-readers';

const SCHEMAS = Number(process.env.FUZZ_SCHEMAS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_207);

test(`${SCHEMAS} random and hostile schemas: refused cleanly, or generated in every format and read back the same`, async () => {
  const counts = emptyCounts();
  const duckdb = await DuckDb.open();
  try {
    await fc.assert(fc.asyncProperty(hostileSchema, fc.nat(), async (document, seed) => {
      await checkSchema(document, seed, counts, duckdb);
    }), { numRuns: SCHEMAS, seed: SEED });
  } finally {
    duckdb.close();
  }
  // Both sides exercised: a property whose every schema is refused would prove nothing of the engine.
  expect(counts.accepted).toBeGreaterThan(SCHEMAS / 10);
  expect(counts.refused).toBeGreaterThan(SCHEMAS / 10);
  expect(counts.readBack).toBe(counts.accepted);
  process.stderr.write(`adversarial property (seed ${SEED}): ${JSON.stringify(counts)}\n`);
}, 3_600_000);

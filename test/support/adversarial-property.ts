/**
 * The permanent adversarial property, as each of its jest files runs it: random and hostile schemas (hostile-schemas.ts)
 * are validated, a refusal must be a clean InvalidInputError, and every accepted schema must generate in every format in
 * a worker within the time and memory limits (isolated-generation.ts) and read back (CSV and JSON Lines by their
 * parsers, Parquet by DuckDB) to the values the engine meant.
 *
 * The property is split over several files of different seeds so that jest's workers share it; FUZZ_SCHEMAS sets how
 * many schemas a file checks and FUZZ_SEED its seed (each file's own fixed one by default, so CI is reproducible).
 * `npm run fuzz` (scripts/fuzz.ts) runs longer ones with a fresh seed.
 */
import * as fc from 'fast-check';
import { checkSchema, emptyCounts, hostileSchema } from './hostile-schemas';
import { IsolatedGenerator } from './isolated-generation';
import { DuckDb } from './parquet-readers';

/** Schemas a file checks in CI: 5 files of 2,000 make the 10,000. */
export const SCHEMAS_PER_FILE = 2000;

export function adversarialProperty(defaultSeed: number): void {
  const schemas = Number(process.env.FUZZ_SCHEMAS ?? SCHEMAS_PER_FILE);
  const seed = Number(process.env.FUZZ_SEED ?? defaultSeed);
  test(`${schemas} random and hostile schemas (seed ${seed}): refused cleanly, or generated in every format and read back the same`, async () => {
    const counts = emptyCounts();
    const duckdb = await DuckDb.open();
    const generator = new IsolatedGenerator();
    const started = performance.now();
    try {
      await fc.assert(fc.asyncProperty(hostileSchema, fc.nat(), async (document, rowSeed) => {
        await checkSchema(document, rowSeed, counts, duckdb, generator);
      }), { numRuns: schemas, seed });
    } finally {
      duckdb.close();
      await generator.close();
    }
    // Both sides exercised: a property whose every schema is refused would prove nothing of the engine.
    expect(counts.accepted).toBeGreaterThan(schemas / 10);
    expect(counts.refused).toBeGreaterThan(schemas / 10);
    expect(counts.generated).toBe(counts.accepted);
    expect(counts.readBack).toBe(counts.accepted);
    // One line the fuzz task reads its counts from, and the slowest schema on a line of its own.
    const { slowest, ...figures } = counts;
    process.stderr.write(`adversarial property: ${JSON.stringify({ seed, ...figures, seconds: Math.round((performance.now() - started) / 1000) })}\n`
      + `adversarial property, the slowest schema (${counts.slowestMs} ms): ${JSON.stringify(slowest)}\n`);
  }, Math.max(3_600_000, schemas * 1000));
}

/**
 * The engine's output in memory, for tests: the exact bytes of a run and their parsed rows.
 */
import { parse } from 'csv-parse/sync';
import { generateObject, type ObjectRun, type EngineOptions, type EngineReport } from '../../lambda/engine';
import { validateSchemaDocument, type SchemaDocument } from '../../src/contract/schema-document';

export interface EngineOutput {
  readonly bytes: Buffer;
  readonly report: EngineReport;
  readonly chunkSizes: number[];
}

/** Runs the engine into memory and returns the bytes it made. */
export async function engineOutput(run: ObjectRun, options?: EngineOptions): Promise<EngineOutput> {
  const chunks: Buffer[] = [];
  const report = await generateObject(run, { write: (chunk) => { chunks.push(Buffer.from(chunk)); } }, options);
  return { bytes: Buffer.concat(chunks), report, chunkSizes: chunks.map((chunk) => chunk.length) };
}

/** A schema document from plain column objects, with the contract's defaults applied. */
export function schemaOf(...columns: Record<string, unknown>[]): SchemaDocument {
  return validateSchemaDocument({ columns });
}

/** The records of a CSV made by the engine (header included), read by a real CSV parser. */
export function parseCsv(bytes: Buffer | string): string[][] {
  return parse(bytes, { relax_column_count: false }) as string[][];
}

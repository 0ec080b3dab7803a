/**
 * The engine's output in memory, for tests: the exact bytes of a run and their parsed rows.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildSync } from 'esbuild';
import { generateObject, type ObjectRun, type EngineOptions, type EngineReport } from '../../lambda/driver';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { validateSchemaDocument } from '../../src/contract/schema-document';

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

/** The bundled function: the handler passes its own file as the worker script (the function's code is one file). */
export const BUNDLED_HANDLER = path.join(__dirname, '..', '..', 'assets', 'lambda', 'handler', 'index.js');

/**
 * The run made on one thread and on two worker threads of the bundled function, after checking that two threads ran
 * and made the same bytes; the caller compares what else it needs (the reports).
 */
export async function expectWorkersMakeTheSameBytes(run: ObjectRun): Promise<{ alone: EngineOutput; threaded: EngineOutput }> {
  const alone = await engineOutput(run);
  const threaded = await engineOutput(run, { workers: 2, workerScript: BUNDLED_HANDLER });
  expect(threaded.report.workers).toBe(2);
  expect(threaded.bytes.equals(alone.bytes)).toBe(true);
  return { alone, threaded };
}

/** A schema document from plain column objects, with the contract's defaults applied. */
export function schemaOf(...columns: Record<string, unknown>[]): SchemaDocument {
  return validateSchemaDocument({ columns });
}

/** The records of a CSV made by the engine (header included), read by a real CSV parser. */
export function parseCsv(bytes: Buffer | string): string[][] {
  return parse(bytes, { relax_column_count: false }) as string[][];
}

/**
 * The engine's CLI bundled into `dir` (worker threads run a bundled file, as the function's code is one file), and a
 * run of it with `workers` worker threads: the object's bytes and the report it prints.
 */
export function engineCliRunner(dir: string, schema: SchemaDocument): (workers: number, args: readonly string[]) => Omit<EngineOutput, 'chunkSizes'> {
  const cli = path.join(dir, 'engine-cli.js');
  buildSync({ entryPoints: [path.join(__dirname, '..', '..', 'scripts', 'engine-cli.ts')], bundle: true, platform: 'node', outfile: cli, logLevel: 'warning' });
  const schemaFile = path.join(dir, 'schema.json');
  fs.writeFileSync(schemaFile, JSON.stringify(schema));
  return (workers, args) => {
    const out = path.join(dir, `w${workers}`);
    const line = execFileSync(process.execPath, [cli, '--schema', schemaFile, ...args, '--workers', String(workers), '--out', out], { encoding: 'utf8' });
    return { bytes: fs.readFileSync(out), report: JSON.parse(line).report };
  };
}

/**
 * The worker side of isolated-generation.ts: generates a schema's rows in every format and what the engine means them to
 * be, inside a worker thread whose time and memory the parent limits. Bundled by esbuild (worker threads do not run
 * TypeScript), so it imports only the engine and the test's own helpers, nothing that loads a native module.
 */
import { parentPort } from 'node:worker_threads';
import { intendedRows, type Cell } from './intended-values';
import { generateObject } from '../../lambda/driver';
import type { SchemaDocument } from '../../src/contract/column-documents';
import type { OutputFormatDocument } from '../../src/contract/output-format';

export interface GenerationJob {
  readonly schema: SchemaDocument;
  readonly seed: number;
  readonly rows: number;
  readonly formats: readonly OutputFormatDocument[];
}

export type GenerationResult =
  | { readonly intended: Cell[][]; readonly objects: Uint8Array[] }
  | { readonly error: string };

async function generate(job: GenerationJob): Promise<GenerationResult> {
  try {
    const intended = intendedRows(job.schema, job.seed, 0, job.rows);
    const objects: Uint8Array[] = [];
    for (const output of job.formats) {
      const chunks: Buffer[] = [];
      const sink = { write: (chunk: Uint8Array) => { chunks.push(Buffer.from(chunk)); } };
      await generateObject({ schema: job.schema, seed: job.seed, rowCount: job.rows, output }, sink);
      objects.push(Buffer.concat(chunks));
    }
    return { intended, objects };
  } catch (error) {
    return { error: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
}

parentPort?.on('message', (job: GenerationJob) => {
  void generate(job).then((result) => parentPort?.postMessage(result));
});

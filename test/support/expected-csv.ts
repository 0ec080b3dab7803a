/**
 * The bytes a run of the generator should produce, made here by the same code the handler runs, so that
 * tests can compare what S3 holds with what was generated, byte for byte.
 *
 * The one place that knows how a run becomes bytes: when row generation changes, change this function.
 */
import { createHash } from 'node:crypto';
import { engineOutput } from './engine-output';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { DEFAULT_OUTPUT_FORMAT, type OutputFormatDocument } from '../../src/contract/output-format';

export async function expectedCsv(schema: SchemaDocument, seed: number, rows: number): Promise<Buffer> {
  return expectedObject(schema, DEFAULT_OUTPUT_FORMAT, seed, rows);
}

/** The object of a run in any output format. */
export async function expectedObject(schema: SchemaDocument, output: OutputFormatDocument, seed: number, rows: number): Promise<Buffer> {
  return (await engineOutput({ schema, seed, rowCount: rows, output })).bytes;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

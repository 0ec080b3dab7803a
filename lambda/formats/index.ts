/**
 * The output formats, each behind FileEncoder (file-encoder.ts): a new format is one folder and one line here.
 */
import { csvFileEncoder } from './csv';
import type { FileEncoder } from './file-encoder';
import { jsonLinesFileEncoder } from './jsonl';
import type { CompressionOverlap } from './parquet';
import { parquetFileEncoder } from './parquet-file';
import { compressionLevelOf, type OutputFormatDocument } from '../../src/contract/output-format';
import type { CompiledTable } from '../engine/compiled-table';

export type { BlockRange, BlockRecord, FileEncoder } from './file-encoder';
export { csvTextCell } from './csv';

export interface FileOptions {
  /** CSV: start with the header line. */
  readonly header: boolean;
  /** Parquet: the writer named in the file's metadata. */
  readonly createdBy: string;
  /**
   * Parquet: compress pages on another thread while this one makes rows (only where a second CPU is there to do it:
   * overlapForCpus). Never set for engine worker threads, which already keep every CPU busy.
   */
  readonly overlap?: CompressionOverlap;
}

/** The encoder of `table`'s files in `output`'s format. Whole-file compression (CSV, JSON Lines) is applied around it. */
export function createFileEncoder(table: CompiledTable, output: OutputFormatDocument, options: FileOptions): FileEncoder {
  switch (output.format) {
    case 'csv':
      return csvFileEncoder(table, options);
    case 'jsonl':
      return jsonLinesFileEncoder(table);
    case 'parquet':
      return parquetFileEncoder(table, {
        compression: output.compression,
        compressionLevel: compressionLevelOf(output),
        createdBy: options.createdBy,
        overlap: options.overlap,
      });
  }
}

/**
 * The same RowBlocks written through hyparquet-writer's incremental ParquetWriter (one `write` per block, one row
 * group each), for the benchmark's comparison with our encoder. Kept out of the handler: only scripts and tests
 * load it.
 *
 * The schema and encodings are set to what our encoder writes (same physical and logical types, dictionary columns
 * RLE_DICTIONARY, other columns PLAIN, same codec, zstd through its `compressors` option at our level), so the two
 * write the same table the same way; everything else is the library's default (statistics for every column, an
 * offset index, DATA_PAGE_V2 pages). Its API takes a JavaScript value per cell: the adapter makes them (a BigInt per
 * 64-bit integer, a Uint8Array view per text), which is part of what using the library costs.
 */
import * as zlib from 'node:zlib';
import type * as HyparquetWriter from 'hyparquet-writer' with { 'resolution-mode': 'import' };
import type { ColumnBlock, RowBlock, Values } from '../../lambda/engine/row-block';
import type { ParquetColumn } from '../../lambda/formats/parquet';
import { ZSTD_LEVEL } from '../../lambda/formats/parquet/page-codecs';

// An ES module package: esbuild bundles it into the benchmark, jest compiles it (test/support/esm-to-commonjs.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hyparquetWriter = require('hyparquet-writer') as typeof HyparquetWriter;

export type HyparquetWriterCodec = 'ZSTD' | 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED';
type Writer = ReturnType<typeof hyparquetWriter.fileWriter>;
/** hyparquet's SchemaElement, as the hyparquet that hyparquet-writer depends on declares it. */
type SchemaElement = ConstructorParameters<typeof HyparquetWriter.ParquetWriter>[0]['schema'][number];

/** zlib's zstd (Node.js 22.15 and later), which @types/node 20 does not declare. */
const zstd = zlib as unknown as {
  readonly constants: Record<string, number>;
  zstdCompressSync(input: Uint8Array, options: { params: Record<number, number> }): Buffer;
};

/** The schema our encoder writes (lambda/formats/parquet/column-types.ts), in hyparquet's terms. */
export function hyparquetWriterSchema(columns: readonly ParquetColumn[]): SchemaElement[] {
  const leaves = columns.map((column): SchemaElement => {
    const base = { name: column.name, repetition_type: column.optional ? 'OPTIONAL' : 'REQUIRED' } as const;
    const type = column.type;
    switch (type.kind) {
      case 'string':
        return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
      case 'bigint':
        return { ...base, type: 'INT64' };
      case 'double':
        return { ...base, type: 'DOUBLE' };
      case 'boolean':
        return { ...base, type: 'BOOLEAN' };
      case 'timestamp':
        return { ...base, type: 'INT64', converted_type: 'TIMESTAMP_MICROS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } };
      case 'decimal':
        return {
          ...base,
          type: type.precision <= 9 ? 'INT32' : 'INT64',
          converted_type: 'DECIMAL',
          scale: type.scale,
          precision: type.precision,
          logical_type: { type: 'DECIMAL', scale: type.scale, precision: type.precision },
        };
    }
  });
  return [{ name: 'schema', num_children: columns.length }, ...leaves];
}

export class HyparquetWriterAdapter {
  private readonly parquet: HyparquetWriter.ParquetWriter;
  /** Per dictionary column, its entries as hyparquet-writer values, made once (the dictionary is the same in every block). */
  private readonly dictionaries = new Map<number, { source: Values; entries: unknown[] }>();

  constructor(private readonly columns: readonly ParquetColumn[], options: { writer: Writer; codec: HyparquetWriterCodec; createdBy: string }) {
    const level = zstd.constants.ZSTD_c_compressionLevel;
    this.parquet = new hyparquetWriter.ParquetWriter({
      writer: options.writer,
      schema: hyparquetWriterSchema(columns),
      codec: options.codec,
      compressors: {
        ZSTD: (input: Uint8Array) => zstd.zstdCompressSync(input, { params: { [level]: ZSTD_LEVEL } }),
        GZIP: (input: Uint8Array) => zlib.gzipSync(input),
      },
      createdBy: options.createdBy,
    });
  }

  /** One row group of the block's rows. The block's arrays may be refilled once this returns. */
  writeRowGroup(block: RowBlock): void {
    const columnData = this.columns.map((column, c) => ({
      name: column.name,
      data: this.cells(c, block.columns[c], block.rows),
      encoding: block.columns[c].indexes !== undefined ? 'RLE_DICTIONARY' as const : 'PLAIN' as const,
    }));
    const pending = this.parquet.write({ columnData, rowGroupSize: block.rows });
    if (pending !== undefined) throw new Error('hyparquet-writer deferred a row group: the adapter writes synchronously to a synchronous writer');
  }

  /** Writes the footer and flushes the writer. */
  finish(): void {
    const pending = this.parquet.finish();
    if (pending !== undefined) throw new Error('hyparquet-writer deferred its footer: the adapter writes synchronously to a synchronous writer');
  }

  /** One value per row (null where the cell is null), as hyparquet-writer takes a column. */
  private cells(c: number, column: ColumnBlock, rows: number): unknown[] {
    const type = this.columns[c].type.kind;
    const present = column.indexes === undefined
      ? valuesOf(type, column.values, column.count)
      : this.dictionaryCells(c, column.indexes, column.dictionary, column.count);
    if (column.defined === undefined) return present;
    const cells = new Array<unknown>(rows);
    for (let r = 0, v = 0; r < rows; r++) cells[r] = column.defined[r] === 1 ? present[v++] : null;
    return cells;
  }

  private dictionaryCells(c: number, indexes: Uint32Array, dictionary: Values, count: number): unknown[] {
    let cached = this.dictionaries.get(c);
    if (cached?.source !== dictionary) {
      const size = dictionary.kind === 'text' ? dictionary.offsets.length - 1 : dictionary.values.length;
      cached = { source: dictionary, entries: valuesOf(this.columns[c].type.kind, dictionary, size) };
      this.dictionaries.set(c, cached);
    }
    const entries = cached.entries;
    const cells = new Array<unknown>(count);
    for (let i = 0; i < count; i++) cells[i] = entries[indexes[i]];
    return cells;
  }
}

/** The first `count` values as hyparquet-writer takes them for a column of logical type `kind`. */
function valuesOf(kind: ParquetColumn['type']['kind'], values: Values, count: number): unknown[] {
  const cells = new Array<unknown>(count);
  if (values.kind === 'text') {
    // A copy: hyparquet-writer keeps statistics (views of these bytes) until the footer, and the engine refills its arrays.
    const bytes = values.bytes.slice(0, values.offsets[count]);
    // Each value's bytes follow its 4-byte length (row-block.ts).
    for (let i = 0; i < count; i++) cells[i] = bytes.subarray(values.offsets[i] + 4, values.offsets[i + 1]);
  } else if (values.kind === 'booleans') {
    for (let i = 0; i < count; i++) cells[i] = values.values[i] === 1;
  } else if (kind === 'double') {
    for (let i = 0; i < count; i++) cells[i] = values.values[i];
  } else if (kind === 'timestamp') {
    for (let i = 0; i < count; i++) cells[i] = BigInt(values.values[i]) * 1000n;
  } else {
    // bigint, and decimals as their unscaled value (hyparquet-writer writes a bigint decimal as is).
    for (let i = 0; i < count; i++) cells[i] = BigInt(values.values[i]);
  }
  return cells;
}

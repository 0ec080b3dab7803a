/**
 * The end of a Parquet file: FileMetaData (Thrift compact), its length (4 bytes, little-endian) and "PAR1".
 *
 * Column chunk metadata carries what Athena (Trino), Spark (parquet-mr), pyarrow and DuckDB look for: physical
 * type, encodings, path, codec, value count, sizes, page offsets, statistics and page encoding statistics (with
 * which parquet-mr tells a chunk is wholly dictionary-encoded). Statistics: null_count always; min_value and
 * max_value where the chunk has them (with column_orders, without which they mean nothing), repeated in the
 * deprecated min and max for the signed types, which readers older than min_value read.
 */
import { ByteBuffer } from './byte-buffer';
import { writeSchemaElement, type ColumnPlan } from './column-types';
import { Encoding, Field, FILE_VERSION, MAGIC, PageType, PhysicalType } from './parquet-thrift';
import type { RowGroupRecord } from './row-group';
import { ThriftType, ThriftWriter } from './thrift-compact';

export interface FooterOptions {
  readonly codec: number;
  readonly createdBy: string;
  readonly keyValueMetadata?: Readonly<Record<string, string>>;
}

/** The schema root's name: what parquet-mr and pyarrow call it. */
const ROOT_NAME = 'schema';

export function writeFooter(
  plans: readonly ColumnPlan[],
  options: FooterOptions,
  rowGroups: ReadonlyArray<{ readonly record: RowGroupRecord; readonly offset: number }>,
): Uint8Array {
  const out = new ByteBuffer(1024 + rowGroups.length * plans.length * 128);
  const thrift = new ThriftWriter(out);
  const F = Field.FileMetaData;
  let rows = 0;
  let previousEnd = MAGIC.length;
  rowGroups.forEach(({ record, offset }, index) => {
    if (!Number.isSafeInteger(offset) || offset < previousEnd) {
      throw new Error(`the footer was given row group ${index} at byte ${offset}: row groups follow "PAR1" (4 bytes) and each other in order, so it starts at ${previousEnd} or later`);
    }
    if (record.columns.length !== plans.length) {
      throw new Error(`the footer was given row group ${index} with ${record.columns.length} column chunks for a file of ${plans.length} columns: it was encoded for another file`);
    }
    previousEnd = offset + record.compressedBytes;
    rows += record.rows;
  });

  thrift.beginStruct();
  thrift.i32Field(F.version, FILE_VERSION);
  thrift.listField(F.schema, ThriftType.STRUCT, plans.length + 1);
  thrift.beginStruct();
  thrift.stringField(Field.SchemaElement.name, ROOT_NAME);
  thrift.i32Field(Field.SchemaElement.num_children, plans.length);
  thrift.endStruct();
  for (const plan of plans) writeSchemaElement(thrift, plan);
  thrift.i64Field(F.num_rows, rows);
  thrift.listField(F.row_groups, ThriftType.STRUCT, rowGroups.length);
  for (const { record, offset } of rowGroups) writeRowGroup(thrift, plans, options.codec, record, offset);
  const keyValues = Object.entries(options.keyValueMetadata ?? {});
  if (keyValues.length > 0) {
    thrift.listField(F.key_value_metadata, ThriftType.STRUCT, keyValues.length);
    for (const [key, value] of keyValues) {
      thrift.beginStruct();
      thrift.stringField(Field.KeyValue.key, key);
      thrift.stringField(Field.KeyValue.value, value);
      thrift.endStruct();
    }
  }
  thrift.stringField(F.created_by, options.createdBy);
  thrift.listField(F.column_orders, ThriftType.STRUCT, plans.length);
  for (let c = 0; c < plans.length; c++) {
    thrift.beginStruct();
    thrift.structField(Field.ColumnOrder.TYPE_ORDER);
    thrift.endStruct();
    thrift.endStruct();
  }
  thrift.endStruct();

  const metadataLength = out.length;
  out.reserve(8);
  out.view.setUint32(out.length, metadataLength, true);
  out.length += 4;
  out.append(MAGIC);
  return out.copy();
}

function writeRowGroup(thrift: ThriftWriter, plans: readonly ColumnPlan[], codec: number, record: RowGroupRecord, offset: number): void {
  const F = Field.RowGroup;
  thrift.beginStruct();
  thrift.listField(F.columns, ThriftType.STRUCT, plans.length);
  for (let c = 0; c < plans.length; c++) {
    const plan = plans[c];
    const chunk = record.columns[c];
    const M = Field.ColumnMetaData;
    thrift.beginStruct();
    thrift.i64Field(Field.ColumnChunk.file_offset, offset + chunk.start);
    thrift.structField(Field.ColumnChunk.meta_data);
    thrift.i32Field(M.type, plan.physicalType);
    const encodings = chunk.hasDictionaryPage ? [Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY] : [Encoding.PLAIN, Encoding.RLE];
    thrift.listField(M.encodings, ThriftType.I32, encodings.length);
    for (const encoding of encodings) thrift.i32(encoding);
    thrift.listField(M.path_in_schema, ThriftType.BINARY, 1);
    thrift.string(plan.name);
    thrift.i32Field(M.codec, codec);
    thrift.i64Field(M.num_values, record.rows);
    thrift.i64Field(M.total_uncompressed_size, chunk.uncompressedBytes);
    thrift.i64Field(M.total_compressed_size, chunk.compressedBytes);
    thrift.i64Field(M.data_page_offset, offset + chunk.dataPageStart);
    if (chunk.hasDictionaryPage) thrift.i64Field(M.dictionary_page_offset, offset + chunk.start);
    writeStatistics(thrift, plan, chunk.nulls, chunk.min, chunk.max);
    thrift.listField(M.encoding_stats, ThriftType.STRUCT, chunk.hasDictionaryPage ? 2 : 1);
    if (chunk.hasDictionaryPage) writePageEncodingStats(thrift, PageType.DICTIONARY_PAGE, Encoding.PLAIN, 1);
    writePageEncodingStats(thrift, PageType.DATA_PAGE, chunk.hasDictionaryPage ? Encoding.RLE_DICTIONARY : Encoding.PLAIN, chunk.dataPages);
    thrift.endStruct();
    thrift.endStruct();
  }
  thrift.i64Field(F.total_byte_size, record.uncompressedBytes);
  thrift.i64Field(F.num_rows, record.rows);
  thrift.i64Field(F.file_offset, offset);
  thrift.i64Field(F.total_compressed_size, record.compressedBytes);
  thrift.endStruct();
}

function writeStatistics(thrift: ThriftWriter, plan: ColumnPlan, nulls: number, min: Uint8Array | undefined, max: Uint8Array | undefined): void {
  const S = Field.Statistics;
  thrift.structField(Field.ColumnMetaData.statistics);
  // The deprecated fields are defined by signed comparison, which is these types' own order.
  const signed = plan.physicalType === PhysicalType.INT32 || plan.physicalType === PhysicalType.INT64 || plan.physicalType === PhysicalType.DOUBLE;
  if (signed && min !== undefined && max !== undefined) {
    thrift.binaryField(S.max, max);
    thrift.binaryField(S.min, min);
  }
  thrift.i64Field(S.null_count, nulls);
  if (min !== undefined && max !== undefined) {
    thrift.binaryField(S.max_value, max);
    thrift.binaryField(S.min_value, min);
    thrift.boolField(S.is_max_value_exact, true);
    thrift.boolField(S.is_min_value_exact, true);
  }
  // Without nan_count readers must assume a DOUBLE column may hold NaN; the engine's doubles are finite (checked).
  if (plan.physicalType === PhysicalType.DOUBLE) thrift.i64Field(S.nan_count, 0);
  thrift.endStruct();
}

function writePageEncodingStats(thrift: ThriftWriter, pageType: number, encoding: number, count: number): void {
  thrift.beginStruct();
  thrift.i32Field(Field.PageEncodingStats.page_type, pageType);
  thrift.i32Field(Field.PageEncodingStats.encoding, encoding);
  thrift.i32Field(Field.PageEncodingStats.count, count);
  thrift.endStruct();
}

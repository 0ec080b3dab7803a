/**
 * The numbers of apache/parquet-format's parquet.thrift that the encoder writes: enum values and the ids of the
 * struct fields, named as in that file, so that every write below can be checked against it by name.
 */

/** enum Type: the physical type of a column. */
export const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
export type PhysicalType = (typeof PhysicalType)[keyof typeof PhysicalType];

/** enum ConvertedType: the annotations readers older than LogicalType know. */
export const ConvertedType = { UTF8: 0, DECIMAL: 5, TIMESTAMP_MICROS: 10 } as const;

/** enum FieldRepetitionType. */
export const Repetition = { REQUIRED: 0, OPTIONAL: 1 } as const;

/** enum Encoding. */
export const Encoding = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;

/** enum CompressionCodec. */
export const Codec = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, ZSTD: 6 } as const;

/** enum PageType. */
export const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;

/** Field ids of the structs written, by struct. */
export const Field = {
  PageHeader: { type: 1, uncompressed_page_size: 2, compressed_page_size: 3, data_page_header: 5, dictionary_page_header: 7 },
  DataPageHeader: { num_values: 1, encoding: 2, definition_level_encoding: 3, repetition_level_encoding: 4 },
  DictionaryPageHeader: { num_values: 1, encoding: 2 },
  FileMetaData: { version: 1, schema: 2, num_rows: 3, row_groups: 4, key_value_metadata: 5, created_by: 6, column_orders: 7 },
  SchemaElement: { type: 1, repetition_type: 3, name: 4, num_children: 5, converted_type: 6, scale: 7, precision: 8, logicalType: 10 },
  LogicalType: { STRING: 1, DECIMAL: 5, TIMESTAMP: 8 },
  DecimalType: { scale: 1, precision: 2 },
  TimestampType: { isAdjustedToUTC: 1, unit: 2 },
  TimeUnit: { MICROS: 2 },
  KeyValue: { key: 1, value: 2 },
  RowGroup: { columns: 1, total_byte_size: 2, num_rows: 3, file_offset: 5, total_compressed_size: 6 },
  ColumnChunk: { file_offset: 2, meta_data: 3 },
  ColumnMetaData: {
    type: 1,
    encodings: 2,
    path_in_schema: 3,
    codec: 4,
    num_values: 5,
    total_uncompressed_size: 6,
    total_compressed_size: 7,
    data_page_offset: 9,
    dictionary_page_offset: 11,
    statistics: 12,
    encoding_stats: 13,
  },
  Statistics: { max: 1, min: 2, null_count: 3, max_value: 5, min_value: 6, is_max_value_exact: 7, is_min_value_exact: 8, nan_count: 9 },
  PageEncodingStats: { page_type: 1, encoding: 2, count: 3 },
  ColumnOrder: { TYPE_ORDER: 1 },
} as const;

/**
 * FileMetaData.version. parquet.thrift: "For maximum compatibility with readers, writers should always populate 1",
 * whatever encodings the file uses.
 */
export const FILE_VERSION = 1;

/** "PAR1": the first and the last four bytes of every Parquet file. */
export const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]);

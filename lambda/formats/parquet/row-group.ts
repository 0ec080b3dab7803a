/**
 * One RowBlock → one row group: for each column, in schema order, one column chunk of v1 data pages (and first a
 * dictionary page for dictionary columns), each page compressed on its own.
 *
 * Nothing in a row group's bytes depends on where it lands in the file (offsets are relative to the row group's
 * first byte in its record, made absolute by the footer), so row groups can be encoded on any thread and
 * concatenated. Memory: three buffers reused across pages and row groups (the page being built, grown to the largest
 * page; its header; and the row group's output, grown to the largest row group) and the dictionary maps. Each page is
 * compressed and copied at once into the output, so no page holds memory of its own: where the sink copies what it
 * is given, a row group's bytes are handed out as a view of the output, and nothing is allocated per row group.
 */
import { ByteBuffer } from './byte-buffer';
import type { ColumnPlan, NumberStore } from './column-types';
import { HEADER_ROOM, type OverlappedPageCodec } from './overlapped-codecs';
import type { PageCodec } from './page-codecs';
import { Encoding, Field, PageType } from './parquet-thrift';
import {
  NUMBER_WIDTH, storeNumber, writePlainBooleans, writePlainNumberEntries, writePlainNumbers, writePlainText, writePlainTextEntries,
} from './plain-values';
import { codeBitWidth, MAX_CODE_BIT_WIDTH, writeDefinitionLevels, writeDictionaryCodes } from './rle-hybrid';
import { ThriftWriter } from './thrift-compact';
import type { ColumnBlock, RowBlock } from '../../engine/row-block';

/**
 * Uncompressed bytes a data page aims at: parquet-mr's and Arrow's default page size. Readers hold a page at a time,
 * and zstd finds what it can find within a megabyte.
 */
export const PAGE_TARGET_BYTES = 1 << 20;

/** What the footer needs to know of a column chunk. Plain data: it crosses worker threads by structured clone. */
export interface ColumnChunkRecord {
  /** First byte of the chunk (its dictionary page, if any, else its first data page), from the row group's first byte. */
  readonly start: number;
  /** First byte of the chunk's first data page, from the row group's first byte. */
  readonly dataPageStart: number;
  readonly hasDictionaryPage: boolean;
  readonly dataPages: number;
  /** The chunk's bytes in the file, page headers included. */
  readonly compressedBytes: number;
  /** The same before compression (headers included), as Parquet's total_uncompressed_size counts them. */
  readonly uncompressedBytes: number;
  readonly nulls: number;
  /** PLAIN bytes of the chunk's least and greatest value: for numbers, timestamps, decimals and booleans with a value. */
  readonly min?: Uint8Array;
  readonly max?: Uint8Array;
}

/** What the footer needs to know of a row group. Plain data: it crosses worker threads by structured clone. */
export interface RowGroupRecord {
  readonly rows: number;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly columns: readonly ColumnChunkRecord[];
}

/**
 * Who owns a row group's bytes: 'owned', the caller (memory of their own); 'reused', the encoder (a view of its output
 * buffer, overwritten by the next row group: for a sink that has copied the bytes out by the time its write resolves).
 */
export type RowGroupOutput = 'owned' | 'reused';

export interface EncodedRowGroup {
  /**
   * The row group's bytes, in order: page headers and page bodies. 'owned': the caller's (nothing here touches them
   * again), but a chunk may be a view of a larger ArrayBuffer: copy it before transferring its buffer. 'reused': valid
   * until the next row group is encoded.
   */
  readonly chunks: Uint8Array[];
  readonly bytes: number;
  readonly record: RowGroupRecord;
}

const TWO_POW_53 = 2 ** 53;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the instants logical-types.ts allows. */
const MIN_TIMESTAMP_MS = -62167219200000;
const MAX_TIMESTAMP_MS = 253402300799999;

/**
 * A whole-number column chunk (integers, decimals, timestamps) whose values span fewer than this many is written with a
 * dictionary when that makes it smaller: a quantity of 1 to 20 takes 5 bits a row instead of 64. The span bounds the
 * table that maps a value to its code (an Int32Array of this many entries, 256 KiB).
 */
const NUMBER_DICTIONARY_SPAN = 1 << 16;

/** A page of an overlapped row group: its header's fields, and its body as the other thread compresses it. */
interface PendingPage {
  readonly pageType: number;
  readonly valueCount: number;
  readonly encoding: number;
  readonly uncompressedSize: number;
  readonly body: Promise<Uint8Array>;
}

/** A row group whose pages are being compressed on another thread (RowGroupEncoder.startOverlapped). */
export interface StartedRowGroup {
  readonly rows: number;
  /** Each column chunk's record, but for where its pages land and their sizes, which assembly fills in. */
  readonly drafts: readonly ColumnChunkRecord[];
  readonly pages: readonly (readonly PendingPage[])[];
}

/** How a column chunk's values are written. */
type ValueMode = 'dictionary' | 'numbers' | 'booleans' | 'text' | 'all-null';

export class RowGroupEncoder {
  private readonly page = new ByteBuffer(PAGE_TARGET_BYTES + (64 << 10));
  private readonly header = new ByteBuffer(256);
  private readonly thrift = new ThriftWriter(this.header);
  /** The row group's bytes (page headers and compressed bodies), grown to the largest row group and reused. */
  private readonly output = new ByteBuffer(1 << 20);
  /** Per dictionary entry, its code in the current column chunk, or -1: all -1 between column chunks. */
  private codes = new Int32Array(0);
  /** The dictionary entries a column chunk uses, in order of first use: its dictionary page. */
  private entries = new Uint32Array(0);
  /** Booleans of a dictionary column, looked up (a two-entry dictionary saves nothing on bits). */
  private booleans = new Uint8Array(0);
  /** Per value of a dictionary-encoded number chunk, the value less the chunk's least: its index in the span. */
  private numberIndexes = new Uint32Array(0);
  /** The values of a number chunk's dictionary, in order of first use. */
  private numberEntries = new Float64Array(0);

  /** In an overlapped row group, the column chunk's pages handed to the other thread's codec, in order. */
  private pending: { readonly codec: OverlappedPageCodec; readonly pages: PendingPage[] } | undefined;

  // The column chunk being encoded.
  private chunkCompressed = 0;
  private chunkUncompressed = 0;

  constructor(private readonly plans: readonly ColumnPlan[], private readonly codec: PageCodec) {}

  encode(block: RowBlock, output: RowGroupOutput = 'owned'): EncodedRowGroup {
    const rows = block.rows;
    checkRows(rows);
    if (block.columns.length !== this.plans.length) {
      throw new Error(`a Parquet row group was given ${block.columns.length} columns for a file of ${this.plans.length} (${this.plans.map((p) => p.name).join(', ')}): an engine bug`);
    }
    this.output.length = 0;
    const columns: ColumnChunkRecord[] = [];
    let compressedBytes = 0;
    let uncompressedBytes = 0;
    for (let c = 0; c < this.plans.length; c++) {
      const chunk = this.encodeColumn(this.plans[c], block.columns[c], rows);
      columns.push(chunk);
      compressedBytes += chunk.compressedBytes;
      uncompressedBytes += chunk.uncompressedBytes;
    }
    const bytes = output === 'reused' ? this.output.bytes.subarray(0, this.output.length) : this.output.copy();
    return { chunks: [bytes], bytes: bytes.length, record: { rows, compressedBytes, uncompressedBytes, columns } };
  }

  /**
   * The first half of the row group encode() makes of the same columns, with each page compressed by `codec` on another
   * thread: column c + 1 is made (by `columnAt`, which may make it only when asked) and encoded while column c's pages
   * are compressed. Nothing is written to the output yet, so the caller may start the next row group before it
   * finishes this one (finishOverlapped, in row group order): the pages are assembled in order then, and the bytes
   * are encode()'s.
   */
  startOverlapped(rows: number, columnAt: (c: number) => ColumnBlock, codec: OverlappedPageCodec): StartedRowGroup {
    checkRows(rows);
    if (codec.codec !== this.codec.codec) throw new Error(`a Parquet row group's overlapped codec ${codec.codec} is not its file's ${this.codec.codec} (an engine bug)`);
    const drafts: ColumnChunkRecord[] = [];
    const pages: PendingPage[][] = [];
    try {
      for (let c = 0; c < this.plans.length; c++) {
        this.pending = { codec, pages: [] };
        drafts.push(this.encodeColumn(this.plans[c], columnAt(c), rows));
        pages.push(this.pending.pages);
      }
    } finally {
      this.pending = undefined;
    }
    return { rows, drafts, pages };
  }

  /** The row group started by startOverlapped, once its pages are compressed. */
  async finishOverlapped(started: StartedRowGroup): Promise<EncodedRowGroup> {
    const { rows, drafts, pages } = started;
    // Each page goes on as one chunk: its header written into the room before its compressed bytes (HEADER_ROOM), so
    // nothing is copied, and the chunks are the caller's whatever the output mode.
    const chunks: Uint8Array[] = [];
    const columns: ColumnChunkRecord[] = [];
    let offset = 0;
    let compressedBytes = 0;
    let uncompressedBytes = 0;
    for (let c = 0; c < drafts.length; c++) {
      const start = offset;
      let dataPageStart = start;
      let chunkCompressed = 0;
      let chunkUncompressed = 0;
      for (const page of pages[c]) {
        const body = await page.body;
        const header = this.pageHeader(page.pageType, page.valueCount, page.encoding, page.uncompressedSize, body.length);
        if (header.length > HEADER_ROOM || body.byteOffset < header.length) throw new Error(`a Parquet page header of ${header.length} bytes has no room before its page (an engine bug)`);
        const framed = new Uint8Array(body.buffer, body.byteOffset - header.length, header.length + body.length);
        framed.set(header);
        chunks.push(framed);
        offset += framed.length;
        chunkCompressed += framed.length;
        chunkUncompressed += header.length + page.uncompressedSize;
        if (page.pageType === PageType.DICTIONARY_PAGE) dataPageStart = offset;
      }
      columns.push({ ...drafts[c], start, dataPageStart, compressedBytes: chunkCompressed, uncompressedBytes: chunkUncompressed });
      compressedBytes += chunkCompressed;
      uncompressedBytes += chunkUncompressed;
    }
    return { chunks, bytes: offset, record: { rows, compressedBytes, uncompressedBytes, columns } };
  }

  private encodeColumn(plan: ColumnPlan, column: ColumnBlock, rows: number): ColumnChunkRecord {
    checkColumnBlock(plan, column, rows);
    const count = column.count;
    const start = this.output.length;
    this.chunkCompressed = 0;
    this.chunkUncompressed = 0;
    let mode: ValueMode = count === 0 ? 'all-null' : plan.valueKind;
    let used = 0;
    let min: Uint8Array | undefined;
    let max: Uint8Array | undefined;
    let booleanValues: Uint8Array | undefined;
    let indexes = column.indexes;
    try {
      if (count > 0 && column.indexes !== undefined) {
        const dictionary = column.dictionary;
        if (dictionary.kind === 'booleans') {
          booleanValues = this.lookUpBooleans(column.indexes, dictionary.values, count, plan);
        } else {
          mode = 'dictionary';
          used = this.mapDictionary(column.indexes, count, dictionary.kind === 'text' ? dictionary.offsets.length - 1 : dictionary.values.length, plan);
          this.page.length = 0;
          if (dictionary.kind === 'text') {
            writePlainTextEntries(this.page, dictionary.bytes, dictionary.offsets, this.entries, used);
          } else {
            writePlainNumberEntries(this.page, plan.numberStore!, dictionary.values, this.entries, used);
            [min, max] = numberStatistics(plan, dictionary.values, this.entries, used).bytes;
          }
          this.emitPage(PageType.DICTIONARY_PAGE, used, Encoding.PLAIN);
        }
      } else if (count > 0 && column.values !== undefined) {
        const values = column.values;
        if (values.kind === 'numbers') {
          const range = numberStatistics(plan, values.values, undefined, count);
          [min, max] = range.bytes;
          used = this.mapNumberDictionary(plan, values.values, count, range.least, range.greatest);
          if (used > 0) {
            mode = 'dictionary';
            indexes = this.numberIndexes;
            const entries = this.numberEntries;
            for (let k = 0; k < used; k++) entries[k] = range.least + this.entries[k];
            this.page.length = 0;
            writePlainNumbers(this.page, plan.numberStore!, entries, 0, used);
            this.emitPage(PageType.DICTIONARY_PAGE, used, Encoding.PLAIN);
          }
        }
        if (values.kind === 'booleans') booleanValues = values.values;
      }
      if (booleanValues !== undefined) [min, max] = booleanStatistics(booleanValues, count);

      const dataPageStart = this.output.length;
      const bitWidth = mode === 'dictionary' ? codeBitWidth(used) : 0;
      const rowsPerPage = pageRows(plan, column, rows, bitWidth);
      const encoding = mode === 'dictionary' ? Encoding.RLE_DICTIONARY : Encoding.PLAIN;
      let dataPages = 0;
      let from = 0; // first value of the page
      for (let firstRow = 0; firstRow < rows; firstRow += rowsPerPage) {
        const endRow = Math.min(rows, firstRow + rowsPerPage);
        const page = this.page;
        page.length = 0;
        const to = from + (plan.optional ? writeDefinitionLevels(page, column.defined, firstRow, endRow) : endRow - firstRow);
        switch (mode) {
          case 'dictionary':
            writeDictionaryCodes(page, indexes!, this.codes, from, to, bitWidth);
            break;
          case 'numbers':
            writePlainNumbers(page, plan.numberStore!, (column.values as { values: Float64Array }).values, from, to);
            break;
          case 'booleans':
            writePlainBooleans(page, booleanValues!, from, to);
            break;
          case 'text': {
            const text = column.values as { bytes: Uint8Array; offsets: Uint32Array };
            writePlainText(page, text.bytes, text.offsets, from, to);
            break;
          }
          case 'all-null':
            break;
        }
        this.emitPage(PageType.DATA_PAGE, endRow - firstRow, encoding);
        dataPages++;
        from = to;
      }
      return {
        start,
        dataPageStart,
        hasDictionaryPage: mode === 'dictionary',
        dataPages,
        compressedBytes: this.chunkCompressed,
        uncompressedBytes: this.chunkUncompressed,
        nulls: rows - count,
        ...(min === undefined ? {} : { min, max }),
      };
    } finally {
      // The codes must be all -1 for the next chunk, also after a failure.
      for (let k = 0; k < used; k++) this.codes[this.entries[k]] = -1;
    }
  }

  /**
   * Gives each dictionary entry the chunk uses a code (0, 1, ... in order of first use) and lists the entries in
   * `entries`. Returns how many are used.
   */
  private mapDictionary(indexes: Uint32Array, count: number, size: number, plan: ColumnPlan): number {
    this.roomForCodes(size);
    const codes = this.codes;
    const entries = this.entries;
    let used = 0;
    for (let i = 0; i < count; i++) {
      const index = indexes[i];
      if (index >= size) {
        // The caller never learns `used` when this throws: its codes are reset here.
        for (let k = 0; k < used; k++) codes[entries[k]] = -1;
        throw new Error(`Parquet column ${JSON.stringify(plan.name)}: value ${i} of the block is dictionary index ${index}, past the dictionary's ${size} entries (an engine bug)`);
      }
      if (codes[index] < 0) {
        codes[index] = used;
        entries[used++] = index;
      }
    }
    if (codeBitWidth(used) > MAX_CODE_BIT_WIDTH) {
      for (let k = 0; k < used; k++) codes[entries[k]] = -1;
      throw new Error(`Parquet column ${JSON.stringify(plan.name)} uses ${used} dictionary entries in one row group: the encoder writes at most 2^${MAX_CODE_BIT_WIDTH}; use smaller row groups`);
    }
    return used;
  }

  /**
   * Maps a whole-number chunk's values to dictionary codes (as mapDictionary, with each value's offset from `least` as its
   * index) when they span fewer than NUMBER_DICTIONARY_SPAN and the dictionary page and the codes together come to at
   * most three quarters of the PLAIN values. Returns how many entries are used, or 0 (and no codes set) where the chunk
   * is written PLAIN.
   */
  private mapNumberDictionary(plan: ColumnPlan, values: Float64Array, count: number, least: number, greatest: number): number {
    const store = plan.numberStore!;
    const span = greatest - least;
    if (!numberDictionaryPays(store, span, 1, count)) return 0;
    // The most entries that still pay (paying only gets harder with more entries): mapping stops past it.
    let paying = 1;
    for (let step = 1 << 16; step >= 1; step >>>= 1) {
      if (paying + step <= Math.min(count, span + 1) && numberDictionaryPays(store, span, paying + step, count)) paying += step;
    }
    if (this.numberIndexes.length < count) this.numberIndexes = new Uint32Array(count);
    this.roomForCodes(span + 1);
    const indexes = this.numberIndexes;
    const codes = this.codes;
    const entries = this.entries;
    // mapDictionary's loop with the index made on the way: one pass, which stops as soon as the dictionary cannot pay.
    let used = 0;
    for (let i = 0; i < count; i++) {
      const index = values[i] - least;
      indexes[i] = index;
      if (codes[index] < 0) {
        if (used === paying) {
          for (let k = 0; k < used; k++) codes[entries[k]] = -1;
          return 0;
        }
        codes[index] = used;
        entries[used++] = index;
      }
    }
    if (this.numberEntries.length < used) this.numberEntries = new Float64Array(Math.max(used, NUMBER_DICTIONARY_SPAN));
    return used;
  }

  /** Codes (all -1 between column chunks) and entries for a dictionary of `size` entries. */
  private roomForCodes(size: number): void {
    if (this.codes.length >= size) return;
    this.codes = new Int32Array(size).fill(-1);
    this.entries = new Uint32Array(size);
  }

  private lookUpBooleans(indexes: Uint32Array, dictionary: Uint8Array, count: number, plan: ColumnPlan): Uint8Array {
    if (this.booleans.length < count) this.booleans = new Uint8Array(count);
    const values = this.booleans;
    for (let i = 0; i < count; i++) {
      const index = indexes[i];
      if (index >= dictionary.length) {
        throw new Error(`Parquet column ${JSON.stringify(plan.name)}: value ${i} of the block is dictionary index ${index}, past the dictionary's ${dictionary.length} entries (an engine bug)`);
      }
      values[i] = dictionary[index];
    }
    return values;
  }

  /**
   * Compresses the page built in `this.page`, writes its header, and appends both to the row group's output; or, in an
   * overlapped row group, hands the page (its memory, not a copy) to the other thread's codec, to be appended in order later.
   */
  private emitPage(pageType: number, valueCount: number, encoding: number): void {
    const uncompressedSize = this.page.length;
    if (this.pending !== undefined) {
      const codec = this.pending.codec;
      // The page's memory goes to the other thread as it is, and the next page is built in one that came back.
      const body = codec.compress(this.page.handOver(codec.spareBuffer()));
      // Awaited in order when the row group is assembled; until then a failure must not count as unhandled.
      body.catch(() => undefined);
      this.pending.pages.push({ pageType, valueCount, encoding, uncompressedSize, body });
      return;
    }
    this.appendPage(pageType, valueCount, encoding, uncompressedSize, this.codec.compress(this.page.bytes.subarray(0, uncompressedSize)));
  }

  /** A page's header (a view of this.header, valid until the next), for a compressed body of `compressedSize` bytes. */
  private pageHeader(pageType: number, valueCount: number, encoding: number, uncompressedSize: number, compressedSize: number): Uint8Array {
    const thrift = this.thrift;
    const F = Field.PageHeader;
    this.header.length = 0;
    thrift.beginStruct();
    thrift.i32Field(F.type, pageType);
    thrift.i32Field(F.uncompressed_page_size, uncompressedSize);
    thrift.i32Field(F.compressed_page_size, compressedSize);
    if (pageType === PageType.DATA_PAGE) {
      thrift.structField(F.data_page_header);
      thrift.i32Field(Field.DataPageHeader.num_values, valueCount);
      thrift.i32Field(Field.DataPageHeader.encoding, encoding);
      thrift.i32Field(Field.DataPageHeader.definition_level_encoding, Encoding.RLE);
      thrift.i32Field(Field.DataPageHeader.repetition_level_encoding, Encoding.RLE);
      thrift.endStruct();
    } else {
      thrift.structField(F.dictionary_page_header);
      thrift.i32Field(Field.DictionaryPageHeader.num_values, valueCount);
      thrift.i32Field(Field.DictionaryPageHeader.encoding, encoding);
      thrift.endStruct();
    }
    thrift.endStruct();
    return this.header.bytes.subarray(0, this.header.length);
  }

  /** Writes a page's header and appends it and the page's compressed body to the row group's output. */
  private appendPage(pageType: number, valueCount: number, encoding: number, uncompressedSize: number, body: Uint8Array): void {
    const header = this.pageHeader(pageType, valueCount, encoding, uncompressedSize, body.length);
    this.output.append(header);
    this.output.append(body);
    this.chunkCompressed += header.length + body.length;
    this.chunkUncompressed += header.length + uncompressedSize;
  }
}

/**
 * Whether a chunk of `count` whole numbers that span `span` (greatest less least) with `used` distinct values is written
 * with a dictionary: when the span is below NUMBER_DICTIONARY_SPAN and the dictionary page and the bit-packed codes
 * together take at most three quarters of the PLAIN values' bytes.
 */
export function numberDictionaryPays(store: NumberStore, span: number, used: number, count: number): boolean {
  if (store === 'double' || span >= NUMBER_DICTIONARY_SPAN) return false;
  const width = NUMBER_WIDTH[store];
  return 4 * (used * width + Math.ceil((count * codeBitWidth(used)) / 8)) <= 3 * count * width;
}

function checkRows(rows: number): void {
  if (!Number.isSafeInteger(rows) || rows < 1 || rows > 0x7fffffff) {
    throw new Error(`a Parquet row group was given a block of ${rows} rows: a row group holds 1 to 2^31 - 1 rows (an engine bug)`);
  }
}

/** Rows per data page, so that pages come near PAGE_TARGET_BYTES before compression: a multiple of 8. */
function pageRows(plan: ColumnPlan, column: ColumnBlock, rows: number, bitWidth: number): number {
  const count = column.count;
  let bytes = plan.optional ? rows / 8 : 0;
  if (bitWidth > 0) {
    bytes += (count * bitWidth) / 8;
  } else if (count > 0 && column.values?.kind === 'text') {
    bytes += column.values.offsets[count] - column.values.offsets[0];
  } else if (count > 0 && plan.valueKind === 'booleans') {
    bytes += count / 8;
  } else if (count > 0) {
    bytes += count * NUMBER_WIDTH[plan.numberStore!];
  }
  const perPage = Math.floor((PAGE_TARGET_BYTES * rows) / Math.max(bytes, 1) / 8) * 8;
  return Math.min(rows, Math.max(8, perPage));
}

/** Checks that a column's block is what the column's plan expects, before anything is written. */
function checkColumnBlock(plan: ColumnPlan, column: ColumnBlock, rows: number): void {
  const where = `Parquet column ${JSON.stringify(plan.name)}`;
  const count = column.count;
  if (!Number.isSafeInteger(count) || count < 0 || count > rows) throw new Error(`${where}: the block has ${count} values for ${rows} rows (an engine bug)`);
  const kind = column.indexes !== undefined ? column.dictionary.kind : column.values.kind;
  if (kind !== plan.valueKind) {
    throw new Error(`${where} is ${plan.type.kind}, whose blocks carry ${plan.valueKind}, but the block carries ${kind} (an engine bug)`);
  }
  if (column.indexes !== undefined ? column.indexes.length < count : !holdsValues(column.values, count)) {
    throw new Error(`${where}: the block's value arrays hold fewer than its ${count} values (an engine bug)`);
  }
  if (column.defined === undefined) {
    if (count !== rows) throw new Error(`${where}: the block has ${rows - count} nulls but no \`defined\` to say which rows (an engine bug)`);
    return;
  }
  if (column.defined.length < rows) throw new Error(`${where}: \`defined\` has ${column.defined.length} entries for ${rows} rows (an engine bug)`);
  let set = 0;
  const defined = column.defined;
  for (let r = 0; r < rows; r++) set += defined[r];
  if (set !== count) throw new Error(`${where}: \`defined\` marks ${set} of ${rows} rows as set, but the block has ${count} values (an engine bug)`);
  if (!plan.optional && count !== rows) {
    throw new Error(`${where} is REQUIRED (optional: false) but the block has ${rows - count} nulls: declare it optional, or the engine has a bug`);
  }
}

function holdsValues(values: NonNullable<ColumnBlock['values']>, count: number): boolean {
  if (values.kind !== 'text') return values.values.length >= count;
  return values.offsets.length > count && values.bytes.length >= values.offsets[count];
}

/**
 * The least and greatest of values[0, count) (or of values[entries[k]]), as PLAIN bytes of the column's physical
 * type, after checking that every value is what the column's type can hold: a value out of range would otherwise be
 * written wrapped or truncated without a word.
 */
function numberStatistics(
  plan: ColumnPlan, values: Float64Array, entries: Uint32Array | undefined, count: number,
): { readonly least: number; readonly greatest: number; readonly bytes: [Uint8Array, Uint8Array] } {
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  let nan = false;
  for (let k = 0; k < count; k++) {
    const value = entries === undefined ? values[k] : values[entries[k]];
    if (value < min) min = value;
    if (value > max) max = value;
    if (value !== value) nan = true;
    else if (Math.floor(value) !== value) whole = false;
  }
  const store = plan.numberStore!;
  const where = `Parquet column ${JSON.stringify(plan.name)} (${plan.type.kind})`;
  if (nan || min === -Infinity || max === Infinity) throw new Error(`${where}: the block has a value that is NaN or infinite (an engine bug)`);
  if (store !== 'double') {
    const type = plan.type;
    const [low, high, what] = type.kind === 'decimal'
      ? [-Math.min(10 ** type.precision - 1, TWO_POW_53 - 1), Math.min(10 ** type.precision - 1, TWO_POW_53 - 1), `unscaled decimal(${type.precision},${type.scale})`]
      : type.kind === 'timestamp'
        ? [MIN_TIMESTAMP_MS, MAX_TIMESTAMP_MS, 'epoch milliseconds of years 0000 to 9999']
        : [-(TWO_POW_53 - 1), TWO_POW_53 - 1, 'safe integer'];
    if (!whole || min < low || max > high) {
      throw new Error(`${where}: the block has values from ${min} to ${max}${whole ? '' : ', not all whole'}; each must be a whole ${what} in [${low}, ${high}] (an engine bug)`);
    }
  }
  const least = min;
  const greatest = max;
  // parquet.thrift, ColumnOrder: a zero minimum is written as -0.0 and a zero maximum as +0.0.
  if (store === 'double' && min === 0) min = -0;
  if (store === 'double' && max === 0) max = 0;
  const width = NUMBER_WIDTH[store];
  const minBytes = new Uint8Array(width);
  const maxBytes = new Uint8Array(width);
  storeNumber(new DataView(minBytes.buffer), 0, store, min);
  storeNumber(new DataView(maxBytes.buffer), 0, store, max);
  return { least, greatest, bytes: [minBytes, maxBytes] };
}

function booleanStatistics(values: Uint8Array, count: number): [Uint8Array, Uint8Array] {
  let any = 0;
  let all = 1;
  for (let i = 0; i < count; i++) {
    any |= values[i];
    all &= values[i];
  }
  return [Uint8Array.of(all), Uint8Array.of(any)];
}

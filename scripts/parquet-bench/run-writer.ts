/**
 * One measured run of the Parquet benchmark (scripts/parquet-bench.ts runs each in a process of its own, for a
 * clean peak RSS): N rows of the sales-like table in row groups of R rows, written to a file by one writer.
 *
 *   node run-writer.js --writer ours|hyparquet-writer|blocks --codec zstd|snappy|gzip|none --rows N --row-group-rows R --out FILE
 *     [--gc-every K]
 *
 * --gc-every K calls the full garbage collector after every K row groups (node needs --expose-gc, as Lambda's Node.js
 * runtime starts it): the pages zlib allocates are dead once written, but V8 frees such buffers only when tens of MB
 * of them have piled up, and this shows what peak RSS is without that pile, and what collecting it costs.
 * `blocks` only builds the RowBlocks (what the engine's share would be), so the writers' encoding cost is the
 * difference. Prints one JSON line: rows/s of the whole run, the time spent building blocks, MB/s of output, bytes,
 * peak RSS.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { HyparquetWriterAdapter, type HyparquetWriterCodec } from './hyparquet-writer-adapter';
import { SALES_COLUMNS, SalesBlocks } from './sales-blocks';
import { createParquetEncoder, type ParquetCompression, type RowGroupRecord } from '../../lambda/formats/parquet';

// An ES module package, bundled by esbuild with this script.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fileWriter } = require('hyparquet-writer') as typeof import('hyparquet-writer', { with: { 'resolution-mode': 'import' } });

const CREATED_BY = 'cdk-synthetic-data parquet-bench';
const WRITERS = ['ours', 'hyparquet-writer', 'blocks'] as const;
const CODECS: readonly ParquetCompression[] = ['zstd', 'snappy', 'gzip', 'none'];

function option(args: readonly string[], name: string): string {
  const at = args.indexOf(`--${name}`);
  if (at < 0 || at + 1 >= args.length) throw new Error(`--${name} is required: ${name === 'writer' ? WRITERS.join(' | ') : 'see the usage in scripts/parquet-bench/run-writer.ts'}`);
  return args[at + 1];
}

function wholeNumber(args: readonly string[], name: string): number {
  const value = Number(option(args, name));
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} is ${JSON.stringify(option(args, name))}: expected a whole number >= 1`);
  return value;
}

/** Chunks into a file through one 1 MiB buffer: what the function's object writer does with its part buffers. */
class FileSink {
  private readonly buffer = new Uint8Array(2 ** 20);
  private used = 0;
  private readonly fd: number;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  write(chunk: Uint8Array): void {
    if (this.used + chunk.length > this.buffer.length) this.flush();
    if (chunk.length >= this.buffer.length) {
      fs.writeSync(this.fd, chunk);
      return;
    }
    this.buffer.set(chunk, this.used);
    this.used += chunk.length;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  private flush(): void {
    if (this.used > 0) fs.writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }
}

function main(args: readonly string[]): void {
  const writer = option(args, 'writer') as (typeof WRITERS)[number];
  const codec = option(args, 'codec') as ParquetCompression;
  if (!WRITERS.includes(writer)) throw new Error(`--writer is ${JSON.stringify(writer)}: expected ${WRITERS.join(', ')}`);
  if (!CODECS.includes(codec)) throw new Error(`--codec is ${JSON.stringify(codec)}: expected ${CODECS.join(', ')}`);
  const rows = wholeNumber(args, 'rows');
  const groupRows = wholeNumber(args, 'row-group-rows');
  const out = option(args, 'out');
  const gcEvery = args.includes('--gc-every') ? wholeNumber(args, 'gc-every') : undefined;
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gcEvery !== undefined && collect === undefined) throw new Error('--gc-every needs node started with --expose-gc');
  let rowGroups = 0;
  const afterRowGroup = () => {
    if (gcEvery !== undefined && ++rowGroups % gcEvery === 0) collect!();
  };

  const blocks = new SalesBlocks(Math.min(groupRows, rows));
  let buildMs = 0;
  const nextBlock = (firstRow: number) => {
    const started = performance.now();
    const block = blocks.block(firstRow, Math.min(groupRows, rows - firstRow));
    buildMs += performance.now() - started;
    return block;
  };
  const startedAt = performance.now();
  if (writer === 'blocks') {
    for (let firstRow = 0; firstRow < rows; firstRow += groupRows) nextBlock(firstRow);
    fs.writeFileSync(out, '');
  } else if (writer === 'ours') {
    const encoder = createParquetEncoder(SALES_COLUMNS, { compression: codec, createdBy: CREATED_BY });
    const sink = new FileSink(out);
    sink.write(encoder.magic);
    const placed: { record: RowGroupRecord; offset: number }[] = [];
    let offset = encoder.magic.length;
    for (let firstRow = 0; firstRow < rows; firstRow += groupRows) {
      const group = encoder.encodeRowGroup(nextBlock(firstRow));
      for (const chunk of group.chunks) sink.write(chunk);
      placed.push({ record: group.record, offset });
      offset += group.bytes;
      afterRowGroup();
    }
    sink.write(encoder.footer(placed));
    sink.close();
  } else {
    const theirCodec = codec.toUpperCase() as HyparquetWriterCodec;
    const adapter = new HyparquetWriterAdapter(SALES_COLUMNS, { writer: fileWriter(out), codec: theirCodec, createdBy: CREATED_BY });
    for (let firstRow = 0; firstRow < rows; firstRow += groupRows) {
      adapter.writeRowGroup(nextBlock(firstRow));
      afterRowGroup();
    }
    adapter.finish();
  }
  const seconds = (performance.now() - startedAt) / 1000;
  const bytes = fs.statSync(out).size;
  console.log(JSON.stringify({
    writer: writer === 'blocks' ? 'row-blocks-only' : writer,
    codec: writer === 'blocks' ? null : codec,
    rows,
    row_group_rows: groupRows,
    seconds: Number(seconds.toFixed(3)),
    rows_per_s: Math.round(rows / seconds),
    build_seconds: Number((buildMs / 1000).toFixed(3)),
    encode_rows_per_s: writer === 'blocks' ? null : Math.round(rows / (seconds - buildMs / 1000)),
    mb_per_s: Number((bytes / 1e6 / seconds).toFixed(1)),
    bytes,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    gc_every_row_groups: gcEvery ?? null,
    node: process.version,
  }));
}

main(process.argv.slice(2));

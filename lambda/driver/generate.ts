/**
 * One object's bytes: the format's prologue, its blocks of rows in row order (made here or on worker threads), its
 * epilogue, through the whole-file codec if the format has one, to the sink.
 */
import { performance } from 'node:perf_hooks';
import { generateBlocksInWorkers } from './parallel';
import { compressionLevelOf, type OutputFormatDocument } from '../../src/contract/output-format';
import { CHUNK_BYTES, type ByteSink, type RangeStats } from '../engine/stats';
import { compressingSink, wholeFileCodec, type CompressingSink } from '../formats/compression';
import type { BlockRange, BlockRecord, FileEncoder } from '../formats/file-encoder';

/** Rows per worker-thread block of a format that streams rows: large enough that messaging costs little, small enough that blocks in flight stay a few MB. */
export const BLOCK_ROWS = 32_768;

export interface ObjectRange {
  readonly firstRow: number;
  readonly rowCount: number;
  readonly chunkBytes?: number;
  readonly signal?: AbortSignal;
  /** Told the file's bytes so far (before any whole-file codec) as they are written: a progress line's measure. */
  readonly onFileBytes?: (fileBytes: number) => void;
}

/** How the blocks are made on worker threads, when they are. */
export interface WorkerPlan {
  readonly workers: number;
  readonly workerScript: string;
  /** What each worker compiles: the same table and encoder as this thread's. */
  readonly workerData: unknown;
}

/** Cuts a range into blocks that never span a row group (Parquet), or that a worker makes at once. */
export function blocksOf(range: ObjectRange, blockRows: number | undefined): BlockRange[] {
  if (blockRows === undefined) return [range];
  const blocks: BlockRange[] = [];
  for (let first = range.firstRow, end = range.firstRow + range.rowCount; first < end; first += blockRows) {
    blocks.push({ firstRow: first, rowCount: Math.min(blockRows, end - first), chunkBytes: range.chunkBytes, signal: range.signal });
  }
  return blocks;
}

/** A sink that counts the file's bytes (the epilogue's offsets are in them) before they reach the codec. */
function countingSink(sink: ByteSink, onBytes?: (bytes: number) => void): ByteSink & { bytes: number } {
  const counted: ByteSink & { bytes: number } = {
    bytes: 0,
    copiesChunks: sink.copiesChunks,
    write(chunk: Uint8Array) {
      counted.bytes += chunk.length;
      onBytes?.(counted.bytes);
      return sink.write(chunk);
    },
  };
  const writeChunks = sink.writeChunks?.bind(sink);
  if (writeChunks !== undefined) {
    counted.writeChunks = (chunks, written) => {
      for (const chunk of chunks) counted.bytes += chunk.length;
      onBytes?.(counted.bytes);
      return writeChunks(chunks, written);
    };
  }
  return counted;
}

/** Makes the object of `range` with `encoder` into `sink`; returns its size as stored (after any whole-file codec). */
export async function writeObject(
  encoder: FileEncoder, output: OutputFormatDocument, range: ObjectRange, sink: ByteSink, stats: RangeStats,
  workers?: WorkerPlan,
): Promise<{ objectBytes: number }> {
  const stored = countingSink(sink);
  const codec = wholeFileCodec(output.format, output.compression);
  const compressed: CompressingSink | undefined = codec === undefined ? undefined : compressingSink(stored, codec, compressionLevelOf(output));
  const file = countingSink(compressed ?? stored, range.onFileBytes);
  try {
    await writeBytes(file, encoder.prologue, stats);
    const records: Array<{ record: BlockRecord; offset: number }> = [];
    if (workers !== undefined) {
      const blocks = blocksOf(range, encoder.rowGroupRows ?? BLOCK_ROWS);
      await generateBlocksInWorkers(blocks, file, stats, workers, (record) => records.push({ record, offset: file.bytes }));
    } else if (encoder.startBlock !== undefined) {
      // Each block is started (its rows made) before the last one is finished (its compressed bytes written).
      let last: { finish(sink: ByteSink): Promise<BlockRecord> } | undefined;
      for (const block of blocksOf(range, encoder.rowGroupRows)) {
        const started = encoder.startBlock({ ...block, chunkBytes: range.chunkBytes ?? CHUNK_BYTES }, stats);
        if (last !== undefined) records.push({ offset: file.bytes, record: await last.finish(file) });
        last = started;
      }
      if (last !== undefined) records.push({ offset: file.bytes, record: await last.finish(file) });
    } else {
      for (const block of blocksOf(range, encoder.rowGroupRows)) {
        const offset = file.bytes;
        records.push({ record: await encoder.writeBlock({ ...block, chunkBytes: range.chunkBytes ?? CHUNK_BYTES }, file, stats), offset });
      }
    }
    await writeBytes(file, encoder.epilogue(records), stats);
    await compressed?.finish();
  } catch (error) {
    compressed?.abort();
    throw error;
  } finally {
    encoder.close?.();
  }
  return { objectBytes: stored.bytes };
}

/** Writes a prologue or epilogue (small, made once) and counts it. */
async function writeBytes(sink: ByteSink, bytes: Uint8Array, stats: RangeStats): Promise<void> {
  if (bytes.length === 0) return;
  stats.bytes += bytes.length;
  const started = performance.now();
  // A copy: the sink may hold it (the prologue is the encoder's own, shared by every object).
  const pending = sink.write(bytes.slice());
  if (pending !== undefined) await pending;
  stats.sinkWaitMs += performance.now() - started;
}

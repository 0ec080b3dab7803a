/**
 * Page codecs that compress on another thread, so that the thread making rows goes on to the next column while a
 * page is compressed: one worker thread, which compresses each page it is sent with the page codec of the calling
 * thread (page-codecs.ts), at the same level. The thread runs two self-contained functions from their source:
 * compressPages (below) and snappyCompressor (snappy.ts), and zlib's call given as data (ZlibPageCodec). It loads
 * nothing else: loading the bundle took it 60 to 100 ms of CPU before its first page, a tenth of what zstd then took it
 * for a million rows, and a third of what Snappy took.
 *
 * Why a worker thread and not zlib's asynchronous calls on libuv's thread pool: zlib's asynchronous zstd makes a
 * frame of its own (it streams, so the frame carries no content size): the bytes would depend on the thread. And it
 * hands each 16 KiB of output back to the calling thread, which is busy making rows: the pool waited for it.
 *
 * Used only where the process has a CPU to spare (overlapForCpus): on one CPU the other thread would take its time
 * from the rows. The same page gives the same bytes on either thread.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import { pageOutputRoom, zlibPageCodec, type ParquetCompression, type ZlibCalls, type ZlibPageCodec } from './page-codecs';
import { Codec } from './parquet-thrift';
import { snappyCompressor } from './snappy';

export interface OverlappedPageCodec {
  /** CompressionCodec in the column chunks' metadata. */
  readonly codec: number;
  /**
   * The compressed bytes of `page`, which is the codec's from now on (it may be transferred to another thread). `page`
   * must be a view of a buffer of its own, from its start: the buffer comes back, once compressed, from spareBuffer().
   * The bytes are the caller's, in a buffer of their own with HEADER_ROOM bytes before them, where the caller may
   * write the page's header (so header and page go on as one chunk, copied nowhere).
   */
  compress(page: Uint8Array): Promise<Uint8Array>;
  /** A buffer of a page already compressed, for the next page to be built in (no allocation, no copy), if one is back. */
  spareBuffer(): ArrayBuffer | undefined;
  /**
   * Compressed pages (as compress gave them, or views of their buffers) the caller is done with: their memory goes back
   * to the other thread for later pages, so that compressed pages arrive in no new memory (which cost this thread
   * garbage collections). Their buffers are detached here.
   */
  recycle(bodies: readonly Uint8Array[]): void;
  /** Stops the codec's thread; pages not yet compressed fail. */
  close(): void;
}

/** Where compression may overlap with making rows. */
export interface CompressionOverlap {
  /**
   * The bundled file the process runs, where it runs one (the function, the command line): its threads may start.
   * Without it (sources run as they are, as in unit tests), pages compress on the calling thread.
   */
  readonly workerScript?: string;
}

/** Room before each compressed page in its buffer, for its header (a page header's 7 small i32 fields take under 50). */
export const HEADER_ROOM = 64;

/** Whether a process with `cpus` CPUs to itself compresses on another thread: only when it has a second one. */
export function overlapForCpus(cpus: number): boolean {
  return cpus >= 2;
}

/** The overlapped codec of `compression`, or undefined where there is nothing to overlap (uncompressed) or no bundle runs. */
export function overlappedPageCodec(
  compression: ParquetCompression, level: number | undefined, overlap: CompressionOverlap,
): OverlappedPageCodec | undefined {
  if (compression === 'none' || overlap.workerScript === undefined) return undefined;
  // zlibPageCodec checks on this thread that the codec exists here (zstd needs a recent Node.js).
  const threadCodec = compression === 'snappy' ? SNAPPY : zlibPageCodec(compression, level);
  const codec = threadCodec.method === 'snappy' ? Codec.SNAPPY : threadCodec.codec;
  const data: PageWorkerData = { codec: threadCodec, headerRoom: HEADER_ROOM };
  const worker = new Worker(PAGE_WORKER_SOURCE, { eval: true, workerData: data });
  // The worker never keeps the process alive on its own: a run that failed before close() leaves nothing waiting.
  worker.unref();
  const waiting = new Map<number, { resolve: (body: Uint8Array) => void; reject: (error: unknown) => void }>();
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    for (const pending of waiting.values()) pending.reject(failure);
    waiting.clear();
  };
  const spare: ArrayBuffer[] = [];
  worker.on('message', ({ id, body, bodyBytes, page }: PageReply) => {
    spare.push(page);
    waiting.get(id)?.resolve(new Uint8Array(body, HEADER_ROOM, bodyBytes));
    waiting.delete(id);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the page compression thread exited (code ${code}) with pages still to compress`)));
  let next = 0;
  // Compressed pages' buffers to go back with the next page.
  let returned = new Set<ArrayBuffer>();
  return {
    codec,
    compress(page) {
      if (failure !== undefined) return Promise.reject(failure);
      const id = next++;
      const body = new Promise<Uint8Array>((resolve, reject) => waiting.set(id, { resolve, reject }));
      const bodies = [...returned];
      returned = new Set();
      const request: PageRequest = { id, page, chunkSize: pageOutputRoom(page.length), bodies };
      worker.postMessage(request, [page.buffer as ArrayBuffer, ...bodies]);
      return body;
    },
    spareBuffer: () => spare.pop(),
    recycle(bodies) {
      for (const body of bodies) returned.add(body.buffer as ArrayBuffer);
    },
    close() {
      failure ??= new Error('the page compression thread was closed');
      void worker.terminate();
    },
  };
}

/** Our Snappy, as the thread's codec. */
const SNAPPY = { method: 'snappy' } as const;

/** What the compressing thread is given: its codec as data, and the room to leave before each compressed page. */
interface PageWorkerData {
  readonly codec: ZlibPageCodec | typeof SNAPPY;
  readonly headerRoom: number;
}

interface PageRequest {
  readonly id: number;
  readonly page: Uint8Array;
  /** zlib's output room for it (pageOutputRoom), computed here: the thread has none of our functions but its two. */
  readonly chunkSize: number;
  /** Buffers of compressed pages, back for later ones. */
  readonly bodies: readonly ArrayBuffer[];
}

interface PageReply {
  readonly id: number;
  /** HEADER_ROOM bytes of room, then the compressed page's `bodyBytes` (and room to spare, once it is a recycled one). */
  readonly body: ArrayBuffer;
  readonly bodyBytes: number;
  /** The page's buffer, sent back for the next page. */
  readonly page: ArrayBuffer;
}

/**
 * The compressing thread's program: compresses each page it is sent, in order, and sends the bytes back in memory of
 * their own, after room for the header (a codec's output may be its scratch buffer, or a slice of Node.js's shared pool,
 * neither of which may be transferred), with the page's buffer. Self-contained, as snappyCompressor: the thread runs
 * both from their source, given what they would import (so it refers to nothing outside itself).
 */
function compressPages(port: MessagePort, data: PageWorkerData, zlib: ZlibCalls, createSnappy: typeof snappyCompressor): void {
  const { codec, headerRoom } = data;
  const snappy = codec.method === 'snappy' ? createSnappy() : undefined;
  // Buffers of compressed pages sent back: the first large enough takes the next page; new ones are cut to 64 KiB
  // multiples, so that one page's buffer fits others. Kept to two row groups' pages, about.
  const pool: ArrayBuffer[] = [];
  const POOL_BUFFERS = 48;
  const bodyOf = (bytes: number): ArrayBuffer => {
    const at = pool.findIndex((buffer) => buffer.byteLength >= bytes);
    return at >= 0 ? pool.splice(at, 1)[0] : new ArrayBuffer(Math.ceil(bytes / 65536) * 65536);
  };
  port.on('message', ({ id, page, chunkSize, bodies }: PageRequest) => {
    for (const buffer of bodies) if (pool.length < POOL_BUFFERS) pool.push(buffer);
    // As compressWithZlib (page-codecs.ts) calls zlib.
    const compressed = codec.method === 'snappy' ? snappy!.compressToScratch(page) : zlib[codec.method](page, { ...codec.options, chunkSize });
    const body = bodyOf(headerRoom + compressed.length);
    new Uint8Array(body).set(compressed, headerRoom);
    const reply: PageReply = { id, body, bodyBytes: compressed.length, page: page.buffer as ArrayBuffer };
    port.postMessage(reply, [body, page.buffer as ArrayBuffer]);
  });
}

const PAGE_WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
(${compressPages.toString()})(parentPort, workerData, require('node:zlib'), ${snappyCompressor.toString()});
`;

/**
 * A streaming writer of one S3 object, written at most once per key: bytes go to a bounded spool under
 * the temp dir and leave it part by part, so output larger than /tmp or than memory still works.
 *
 * - Bytes accumulate in the spool file of the current part. When a part is full and more bytes come, the
 *   part is read into memory, its file removed, and it is uploaded with UploadPart (the first time after
 *   CreateMultipartUpload) while the next part fills. At most `maxPartsInFlight` parts are uploading at
 *   once; `write()` waits for a free slot (backpressure). So /tmp holds at most one part, and memory at
 *   most `maxPartsInFlight` parts.
 *   A part is held in memory rather than streamed from its file because the SDK never retries a request
 *   whose body is a stream ("non-retryable streaming request"): a Buffer lets its standard retry resend it.
 * - `finish()`: output that never filled a part goes in one PutObject; otherwise the last part is uploaded
 *   and CompleteMultipartUpload makes the object. Both carry `IfNoneMatch: '*'` (CreateMultipartUpload
 *   cannot), so an object already under the key is never overwritten: S3 answers 412 and the outcome says
 *   `alreadyExisted` (the multipart upload is then aborted, as it would otherwise stay).
 * - Any failure, or `abort()`: requests in flight are cancelled, a started multipart upload is aborted
 *   (with its own time budget, as the caller's signal may be what fired), and spool files are removed.
 *
 * Only `@aws-sdk/client-s3` commands: the Lambda runtime provides that package, and each condition and
 * checksum is visible here rather than left to a higher-level library.
 */
import * as fsp from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand,
  type CompletedPart, type S3Client,
} from '@aws-sdk/client-s3';
import { attemptsOf, isNoSuchUpload, isPreconditionFailed } from './s3-errors';
import { checkSpoolSpace, spoolPartPath } from './spool';

/** Part size of a multipart upload; output up to this size goes in a single PutObject. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** S3's smallest part (all but the last). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** S3's most parts in one upload: 10,000 × 8 MiB is 78 GiB, far above what one invocation makes. */
export const MAX_PARTS = 10_000;
/** Parts uploading at once: 4 × 8 MiB bounds the upload's memory at 32 MiB. */
export const DEFAULT_MAX_PARTS_IN_FLIGHT = 4;

/**
 * Parts to upload at once for a function of `memoryMb`: each is held in memory while it uploads, so one per
 * 256 MB, from 1 (a 128 MB function: 8 MiB of parts) to DEFAULT_MAX_PARTS_IN_FLIGHT (32 MiB from 1 GB).
 * Small functions also get a small share of a vCPU, which makes rows slower than one part uploads.
 */
export function partsInFlightForMemory(memoryMb: number): number {
  return Math.max(1, Math.min(DEFAULT_MAX_PARTS_IN_FLIGHT, Math.floor(memoryMb / 256)));
}
/** How long aborting a multipart upload may take when the writer gives up. */
export const DEFAULT_ABORT_TIMEOUT_MS = 5_000;
export const CONTENT_TYPE = 'text/csv; charset=utf-8';
// S3 checks each request's body against its CRC32, and the object's against the parts'.
const CHECKSUM_ALGORITHM = 'CRC32';

export interface ObjectWriter {
  /** Appends bytes; resolves when the writer can take more (backpressure). Await each call before the next. */
  write(chunk: Uint8Array): Promise<void>;
  /** Uploads what remains and completes the object, once. */
  finish(): Promise<WriteOutcome>;
  /** Abandons the object: cancels requests, aborts a started multipart upload, removes spool files. Safe to call twice. */
  abort(reason?: unknown): Promise<void>;
  /** How far the writer got: bytes taken and uploaded, parts done. */
  progress(): WriteProgress;
}

export interface WriteOutcome {
  /** True when the key already held an object (an earlier attempt of the same request): nothing was written. */
  readonly alreadyExisted: boolean;
  /** Bytes of the object this writer made. */
  readonly bytes: number;
  /** Requests that carried them: 1 for a single PutObject, else the multipart upload's parts. */
  readonly parts: number;
  /** Time `write()` spent waiting for a part upload to finish (uploads slower than the bytes came). */
  readonly waitedForUploadsMs: number;
  /**
   * Set when S3's answer to this writer's CompleteMultipartUpload was lost and the SDK's retry found the upload gone
   * (`NoSuchUpload`): the first attempt completed it (see completeMultipartUpload).
   */
  readonly completedByLostAttempt?: true;
}

export interface ObjectWriterOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly key: string;
  /** Where spool files go (the temp dir). */
  readonly spoolDir: string;
  /** Names the spool files, so later invocations can tell them from other files. */
  readonly requestId: string;
  /** Cancels every request when it fires (the invocation's deadline). */
  readonly signal?: AbortSignal;
  /** Default DEFAULT_PART_SIZE; at least MIN_PART_SIZE. */
  readonly partSize?: number;
  /** Default DEFAULT_MAX_PARTS_IN_FLIGHT. */
  readonly maxPartsInFlight?: number;
  /** The output's size if known: a smaller output needs less free space in the spool dir. */
  readonly expectedBytes?: number;
  /** The object's Content-Type. Default CONTENT_TYPE (CSV). */
  readonly contentType?: string;
  /** Time allowed for AbortMultipartUpload when the writer gives up. Default DEFAULT_ABORT_TIMEOUT_MS. */
  readonly abortTimeoutMs?: number;
  /** Told when cleaning up after a failure did not fully succeed (the original error is still thrown). */
  readonly onCleanupProblem?: (problem: CleanupProblem) => void;
}

export interface CleanupProblem {
  readonly what: 'abortMultipartUpload' | 'removeSpoolFile';
  readonly uploadId?: string;
  readonly file?: string;
  readonly error: unknown;
}

/** Where a failure happened; `cancelled` is the caller's signal firing between requests. */
export type WriteStage = 'spool' | 'putObject' | 'createMultipartUpload' | 'uploadPart' | 'completeMultipartUpload' | 'cancelled';

export interface WriteProgress {
  /** Bytes handed to `write()`. */
  readonly bytesWritten: number;
  /** Bytes S3 acknowledged (parts uploaded, or the whole object). */
  readonly bytesUploaded: number;
  readonly partsUploaded: number;
  readonly multipart: boolean;
}

/** A failure of the writer: where it happened, how far it got, and the underlying error as `cause`. */
export class ObjectWriteError extends Error {
  constructor(
    readonly stage: WriteStage,
    readonly progress: WriteProgress,
    /** The spool file being written, for a failure of the local file system. */
    readonly spoolFile: string | undefined,
    readonly cause: unknown,
    readonly partNumber?: number,
  ) {
    const what = stage === 'uploadPart' ? `UploadPart ${partNumber} failed`
      : stage === 'spool' ? `writing the spool file ${spoolFile} failed`
        : stage === 'cancelled' ? 'the object writer was cancelled' : `${stage} failed`;
    super(`${what} after ${progress.bytesWritten} bytes written and ${progress.bytesUploaded} uploaded: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ObjectWriteError';
  }
}

/**
 * Opens a writer of `s3://bucket/key`. Checks first that the spool dir has room for what it may hold
 * (one part, or `expectedBytes` if smaller): throws SpoolSpaceError before anything is written if not.
 */
export function openObjectWriter(options: ObjectWriterOptions): ObjectWriter {
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  const maxPartsInFlight = options.maxPartsInFlight ?? DEFAULT_MAX_PARTS_IN_FLIGHT;
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE) throw new RangeError(`partSize is ${partSize}: S3 needs parts of at least ${MIN_PART_SIZE} bytes`);
  if (!Number.isSafeInteger(maxPartsInFlight) || maxPartsInFlight < 1) throw new RangeError(`maxPartsInFlight is ${maxPartsInFlight}: expected a whole number of at least 1`);
  checkSpoolSpace(options.spoolDir, Math.min(options.expectedBytes ?? partSize, partSize));
  return new SpooledObjectWriter(options, partSize, maxPartsInFlight);
}

class SpooledObjectWriter implements ObjectWriter {
  /** Cancels this writer's requests when it gives up; the caller's signal does the same. */
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  private state: 'open' | 'finishing' | 'finished' | 'aborted' = 'open';
  private aborted?: Promise<void>;
  private failure?: ObjectWriteError;

  /** The spool file of the part being filled. */
  private file?: fsp.FileHandle;
  private filePath?: string;
  private fileBytes = 0;
  private partsSealed = 0;

  private uploadId?: Promise<string>;
  private readonly inFlight = new Set<Promise<void>>();
  /** Part buffers whose upload is over, to fill again: memory stays at the parts in flight, not at garbage. */
  private readonly spareParts: Buffer[] = [];
  private readonly completedParts: CompletedPart[] = [];
  private bytesWritten = 0;
  private bytesUploaded = 0;
  private waitedForUploadsMs = 0;

  constructor(private readonly options: ObjectWriterOptions, private readonly partSize: number, private readonly maxPartsInFlight: number) {
    this.signal = options.signal ? AbortSignal.any([options.signal, this.stop.signal]) : this.stop.signal;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.assertState('open', 'write');
    try {
      this.throwIfStopped();
      let offset = 0;
      while (offset < chunk.byteLength) {
        // Sealed only when more bytes come, so output of exactly one part still goes in one PutObject.
        if (this.fileBytes === this.partSize) await this.sealPart();
        const length = Math.min(chunk.byteLength - offset, this.partSize - this.fileBytes);
        await this.appendToSpool(chunk.subarray(offset, offset + length));
        offset += length;
      }
    } catch (e) {
      throw await this.giveUp(e, 'spool');
    }
  }

  async finish(): Promise<WriteOutcome> {
    this.assertState('open', 'finish');
    this.state = 'finishing';
    try {
      this.throwIfStopped();
      const outcome = this.partsSealed === 0 ? await this.putWholeObject() : await this.completeMultipartUpload();
      this.state = 'finished';
      return outcome;
    } catch (e) {
      throw await this.giveUp(e, this.partsSealed === 0 ? 'putObject' : 'completeMultipartUpload');
    }
  }

  abort(reason?: unknown): Promise<void> {
    return (this.aborted ??= this.cleanUp(reason));
  }

  private assertState(expected: 'open', call: string): void {
    if (this.state !== expected) throw new Error(`${call}() called on an object writer that is ${this.state}: a writer writes one object once`);
  }

  progress(): WriteProgress {
    return {
      bytesWritten: this.bytesWritten,
      bytesUploaded: this.bytesUploaded,
      partsUploaded: this.completedParts.length,
      multipart: this.uploadId !== undefined,
    };
  }

  /** Throws the first failure of a part upload running in the background, or the caller's cancellation. */
  private throwIfStopped(): void {
    if (this.failure) throw this.failure;
    if (this.options.signal?.aborted) throw new ObjectWriteError('cancelled', this.progress(), undefined, this.options.signal.reason);
  }

  /** Cleans up, and returns the error to throw: the first failure, with the stage and progress it happened at. */
  private async giveUp(error: unknown, stage: WriteStage): Promise<ObjectWriteError> {
    const failure = this.failure
      ?? (error instanceof ObjectWriteError ? error : new ObjectWriteError(stage, this.progress(), stage === 'spool' ? this.filePath : undefined, error));
    await this.abort(failure);
    return failure;
  }

  private async appendToSpool(bytes: Uint8Array): Promise<void> {
    if (!this.file) {
      this.filePath = spoolPartPath(this.options.spoolDir, this.options.requestId, this.partsSealed + 1);
      // Read back when the part is sealed: opened for reading too.
      this.file = await fsp.open(this.filePath, 'w+');
    }
    let written = 0;
    while (written < bytes.byteLength) {
      const { bytesWritten } = await this.file.write(bytes, written, bytes.byteLength - written);
      written += bytesWritten;
      this.fileBytes += bytesWritten;
      this.bytesWritten += bytesWritten;
    }
  }

  /** The current part's bytes, read back into memory; its spool file is closed and removed. */
  private async takeSpoolFile(): Promise<Buffer> {
    const { file, filePath } = this;
    if (!file || !filePath) return Buffer.alloc(0);
    this.file = undefined;
    const size = this.fileBytes;
    // The last, shorter part takes the front of a spare part's buffer too: a buffer of its own beside the spare one would
    // double the memory the object ends at (16 MiB where the function has 128 MB), and scatter the allocator's memory.
    const spare = this.spareParts.pop();
    const body = spare === undefined ? Buffer.allocUnsafe(size) : spare.subarray(0, size);
    try {
      for (let read = 0; read < size;) {
        const { bytesRead } = await file.read(body, read, size - read, read);
        if (bytesRead === 0) throw new Error(`the spool file ${filePath} ended after ${read} of its ${size} bytes`);
        read += bytesRead;
      }
    } finally {
      await file.close();
    }
    await fsp.rm(filePath, { force: true });
    this.filePath = undefined;
    this.fileBytes = 0;
    return body;
  }

  /** Starts the upload of the full current part, after waiting for a free slot. */
  private async sealPart(): Promise<void> {
    const waitStartedAt = performance.now();
    while (this.inFlight.size >= this.maxPartsInFlight) await Promise.race(this.inFlight);
    this.waitedForUploadsMs += performance.now() - waitStartedAt;
    this.throwIfStopped();
    const partNumber = this.partsSealed + 1;
    if (partNumber > MAX_PARTS) throw new RangeError(`the object would need more than ${MAX_PARTS} parts of ${this.partSize} bytes, S3's limit`);
    const body = await this.takeSpoolFile();
    this.partsSealed = partNumber;
    this.uploadId ??= this.createMultipartUpload();
    const task = this.uploadPart(partNumber, body).catch((e: unknown) => {
      // The first failure wins; the others are usually the cancellations it caused.
      this.failure ??= e instanceof ObjectWriteError ? e : new ObjectWriteError('uploadPart', this.progress(), undefined, e, partNumber);
      this.stop.abort(this.failure);
    });
    this.inFlight.add(task);
    void task.finally(() => {
      this.inFlight.delete(task);
      // The request is over (sent, retried or cancelled): its buffer can hold the next part.
      if (body.length === this.partSize) this.spareParts.push(body);
    });
  }

  private async createMultipartUpload(): Promise<string> {
    try {
      const created = await this.options.s3.send(new CreateMultipartUploadCommand({
        Bucket: this.options.bucket,
        Key: this.options.key,
        ContentType: this.options.contentType ?? CONTENT_TYPE,
        ChecksumAlgorithm: CHECKSUM_ALGORITHM,
      }), { abortSignal: this.signal });
      if (!created.UploadId) throw new Error('S3 answered CreateMultipartUpload without an UploadId');
      return created.UploadId;
    } catch (e) {
      throw new ObjectWriteError('createMultipartUpload', this.progress(), undefined, e);
    }
  }

  private async uploadPart(partNumber: number, body: Buffer): Promise<void> {
    const uploadId = await this.uploadId!;
    const uploaded = await this.options.s3.send(new UploadPartCommand({
      Bucket: this.options.bucket,
      Key: this.options.key,
      UploadId: uploadId,
      PartNumber: partNumber,
      Body: body,
      ChecksumAlgorithm: CHECKSUM_ALGORITHM,
    }), { abortSignal: this.signal });
    if (!uploaded.ETag) throw new Error(`S3 answered UploadPart ${partNumber} without an ETag`);
    this.completedParts.push({ PartNumber: partNumber, ETag: uploaded.ETag, ChecksumCRC32: uploaded.ChecksumCRC32 });
    this.bytesUploaded += body.byteLength;
  }

  private async putWholeObject(): Promise<WriteOutcome> {
    const body = await this.takeSpoolFile();
    try {
      await this.options.s3.send(new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.options.key,
        Body: body,
        ContentType: this.options.contentType ?? CONTENT_TYPE,
        ChecksumAlgorithm: CHECKSUM_ALGORITHM,
        IfNoneMatch: '*',
      }), { abortSignal: this.signal });
    } catch (e) {
      if (isPreconditionFailed(e)) return this.outcome(true, 1);
      throw e;
    }
    this.bytesUploaded = body.byteLength;
    return this.outcome(false, 1);
  }

  private async completeMultipartUpload(): Promise<WriteOutcome> {
    await this.sealPart(); // the last part: never empty, as parts are sealed only when more bytes come
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    this.throwIfStopped();
    const uploadId = await this.uploadId!;
    const parts = [...this.completedParts].sort((a, b) => a.PartNumber! - b.PartNumber!);
    try {
      await this.options.s3.send(new CompleteMultipartUploadCommand({
        Bucket: this.options.bucket,
        Key: this.options.key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
        IfNoneMatch: '*',
      }), { abortSignal: this.signal });
    } catch (e) {
      // The SDK sent CompleteMultipartUpload again after an answer was lost, and S3 no longer knows the upload: the lost
      // attempt completed it (nothing else ends it: this writer aborts only after a failure, the bucket's lifecycle rule
      // after a day). The role may not read the bucket, so this is not checked with a HeadObject (least privilege).
      if (isNoSuchUpload(e) && (attemptsOf(e) ?? 1) > 1) return { ...this.outcome(false, parts.length), completedByLostAttempt: true };
      if (!isPreconditionFailed(e)) throw e;
      await this.abortMultipartUpload(uploadId);
      return this.outcome(true, parts.length);
    }
    return this.outcome(false, parts.length);
  }

  private outcome(alreadyExisted: boolean, parts: number): WriteOutcome {
    return { alreadyExisted, bytes: this.bytesWritten, parts, waitedForUploadsMs: Math.round(this.waitedForUploadsMs) };
  }

  private async cleanUp(reason: unknown): Promise<void> {
    this.state = 'aborted';
    this.stop.abort(reason ?? new Error('the object writer was aborted'));
    // Cancelled requests settle at once; a part that lands after the abort would keep the upload alive.
    await Promise.allSettled([...this.inFlight]);
    await this.removeSpoolFile();
    const uploadId = await this.uploadId?.catch(() => undefined);
    if (uploadId) await this.abortMultipartUpload(uploadId);
  }

  private async removeSpoolFile(): Promise<void> {
    const { file, filePath } = this;
    this.file = undefined;
    this.filePath = undefined;
    await file?.close().catch(() => undefined);
    if (!filePath) return;
    try {
      await fsp.rm(filePath, { force: true });
    } catch (error) {
      this.options.onCleanupProblem?.({ what: 'removeSpoolFile', file: filePath, error });
    }
  }

  /** Best effort, on its own clock: the caller's deadline may be what made the writer give up. */
  private async abortMultipartUpload(uploadId: string): Promise<void> {
    try {
      await this.options.s3.send(new AbortMultipartUploadCommand({
        Bucket: this.options.bucket, Key: this.options.key, UploadId: uploadId,
      }), { abortSignal: AbortSignal.timeout(this.options.abortTimeoutMs ?? DEFAULT_ABORT_TIMEOUT_MS) });
    } catch (error) {
      if (!isNoSuchUpload(error)) this.options.onCleanupProblem?.({ what: 'abortMultipartUpload', uploadId, error });
    }
  }
}

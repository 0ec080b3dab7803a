/**
 * The objects of a run as files of a local folder, at the keys the function would give them in its bucket: the engine's
 * chunks → a file (hashed on the way, as the function hashes what it uploads), written under a temporary name and
 * renamed once complete, so a stopped run never leaves a file that looks whole.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileSink } from './file-sink';
import { startProgress } from './progress';
import { estimateObjectBytes, generateObject, type EngineReport, type ObjectRun } from '../lambda/driver';

export interface LocalObject {
  readonly key: string;
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly report: EngineReport;
}

export interface LocalWriteOptions {
  /** Worker threads (1: this thread). */
  readonly workers: number;
  /** The script worker threads run: this bundled command line, or undefined where it is not a bundle (tests). */
  readonly workerScript?: string;
  /** Whether a second thread compresses Parquet pages while this one makes rows (with workerScript). Default false. */
  readonly overlapCompression?: boolean;
  /** Show the progress line on standard error. */
  readonly progress: boolean;
  /** Names the object in the progress line. */
  readonly label: string;
}

/** The folder's file of an object key (keys use `/`, whatever the platform). */
export function fileOfKey(outDir: string, key: string): string {
  return path.join(outDir, ...key.split('/'));
}

/** Makes one data object of `run` into `outDir`, at `key`. */
export async function writeLocalDataObject(outDir: string, key: string, run: ObjectRun, options: LocalWriteOptions): Promise<LocalObject> {
  const file = fileOfKey(outDir, key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const fd = fs.openSync(partial, 'w');
  const hash = createHash('sha256');
  const expectedBytes = await estimateObjectBytes(run);
  const progress = startProgress(options.label, run.rowCount, expectedBytes, process.stderr, options.progress);
  try {
    const sink = fileSink(fd);
    const report = await generateObject(run, {
      write: (chunk) => {
        hash.update(chunk);
        return sink.write(chunk);
      },
    }, {
      workers: options.workers,
      workerScript: options.workerScript,
      overlapCompression: options.overlapCompression,
      onFileBytes: (bytes) => progress.update(bytes),
    });
    await sink.drain();
    fs.closeSync(fd);
    fs.renameSync(partial, file);
    progress.finish(`${report.rows.toLocaleString('en-US')} rows, ${report.bytes.toLocaleString('en-US')} bytes`);
    return { key, file, rows: report.rows, bytes: report.bytes, sha256: hash.digest('hex'), report };
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(partial, { force: true });
    throw e;
  }
}

/** Writes a small text object (a manifest) at `key`. */
export function writeLocalTextObject(outDir: string, key: string, text: string): string {
  const file = fileOfKey(outDir, key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

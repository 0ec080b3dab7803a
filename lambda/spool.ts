/**
 * The spool: files under the temp dir that hold an object's bytes until they are uploaded, one invocation at a time.
 *
 * Their names carry a fixed prefix and the request id, so that a later invocation in the same (warm)
 * environment can recognise and remove what an interrupted one left behind, without touching anything
 * else in /tmp.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SPOOL_PREFIX = 'synthetic-data-';
const SPOOL_FILE = /^synthetic-data-[A-Za-z0-9-]+\.csv$/;

/**
 * The spool file of one part of one invocation. The request id is a Lambda request id (letters, digits
 * and "-", checked by objectKey), so every name matches SPOOL_FILE.
 */
export function spoolPartPath(spoolDir: string, requestId: string, partNumber: number): string {
  return path.join(spoolDir, `${SPOOL_PREFIX}${requestId}-part${partNumber}.csv`);
}

/**
 * Removes spool files left in `tmpDir` by earlier invocations (a timeout or crash skips their cleanup).
 * /tmp survives between warm invocations and Lambda never runs two at once in one environment, so any
 * spool file found here is stale. Returns the names removed and those that could not be.
 */
export function removeLeftoverSpoolFiles(tmpDir: string): { removed: string[]; failed: { file: string; error: string }[] } {
  const removed: string[] = [];
  const failed: { file: string; error: string }[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(tmpDir);
  } catch {
    // A missing or unreadable temp dir holds no leftovers; creating the spool file will explain the problem.
    return { removed, failed };
  }
  for (const name of names) {
    if (!SPOOL_FILE.test(name)) continue;
    try {
      fs.rmSync(path.join(tmpDir, name), { force: true });
      removed.push(name);
    } catch (e) {
      failed.push({ file: name, error: (e as Error).message });
    }
  }
  return { removed, failed };
}

/** The spool's file system has less free space than the spool may need: found before anything is written. */
export class SpoolSpaceError extends Error {
  constructor(
    readonly spoolDir: string,
    readonly freeBytes: number,
    readonly totalBytes: number,
    readonly neededBytes: number,
  ) {
    super(`${spoolDir} has ${freeBytes} bytes free of ${totalBytes}, and the spool needs up to ${neededBytes}`);
    this.name = 'SpoolSpaceError';
  }
}

/**
 * Throws SpoolSpaceError when `spoolDir` has fewer than `neededBytes` free. A directory that is not
 * writable or cannot be examined passes: creating the first spool file then fails with the real reason
 * (EROFS, ENOENT, ...), which is explained on its own (a read-only file system may report no free space).
 */
export function checkSpoolSpace(spoolDir: string, neededBytes: number): void {
  let stats: fs.StatsFs;
  try {
    fs.accessSync(spoolDir, fs.constants.W_OK);
    stats = fs.statfsSync(spoolDir);
  } catch {
    return;
  }
  const freeBytes = stats.bavail * stats.bsize;
  if (freeBytes < neededBytes) throw new SpoolSpaceError(spoolDir, freeBytes, stats.blocks * stats.bsize, neededBytes);
}

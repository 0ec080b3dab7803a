/**
 * Reading a sharded run back from the local S3: its manifest, `_SUCCESS` and every part, each streamed once to hash
 * it and save it (to the download folder, or a scratch file), then read by DuckDB for its rows and columns; and the
 * checks a run must pass against its manifest. Used by the demo and the tests.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { inspectDataFile } from './data-files';
import type { LocalCloud } from './moto-server';
import { listKeysUnderPrefix } from './s3-objects';
import type { RunManifest } from '../lambda/run-manifest';
import type { OutputFormatDocument } from '../src/contract/output-format';

export interface StoredPart {
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Data rows (after CSV's header line), as DuckDB reads them. */
  readonly rows: number;
  /** Column names: CSV's header, the keys of JSON Lines' first object, Parquet's schema. */
  readonly columns: readonly string[];
}

export interface StoredRun {
  readonly folder: string;
  /** Every key under the run's folder. */
  readonly keys: readonly string[];
  readonly manifest?: RunManifest;
  readonly success: boolean;
  /** The stored objects of the parts the manifest lists, in its order. */
  readonly parts: readonly StoredPart[];
}

/** Streams one object into `file`, hashing it on the way, then reads its rows and columns from the file. */
async function readPart(s3: S3Client, bucket: string, key: string, output: OutputFormatDocument, file: string): Promise<StoredPart> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  const out = fs.createWriteStream(file);
  let bytes = 0;
  for await (const chunk of object.Body as Readable) {
    const data = chunk as Buffer;
    bytes += data.length;
    hash.update(data);
    if (!out.write(data)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const { rows, columns } = await inspectDataFile(file, output);
  return { key, bytes, sha256: hash.digest('hex'), rows, columns };
}

async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return await object.Body?.transformToString('utf8') ?? '';
}

/**
 * Reads the run under `folder` (`<keyPrefix><dataset>/<runId>/`), whose parts are files of `output`'s format. With
 * `downloadDir`, every object of the folder is also saved there under its name (`part-00000.csv`, `_manifest.json`,
 * `_SUCCESS`).
 */
export async function readStoredRun(
  cloud: LocalCloud, bucket: string, folder: string,
  options: {
    output: OutputFormatDocument;
    downloadDir?: string;
    /** A dataset of tables: the dataset's folder, under which each table's folder holds the run's parts of that table. */
    datasetFolder?: string;
  },
): Promise<StoredRun> {
  const runId = folder.split('/').slice(-2)[0];
  const inTables = options.datasetFolder === undefined ? []
    : (await listKeysUnderPrefix(cloud, bucket, options.datasetFolder)).filter((key) => !key.startsWith(folder) && key.includes(`/${runId}/part-`));
  const keys = [...await listKeysUnderPrefix(cloud, bucket, folder), ...inTables];
  const s3 = new S3Client(cloud.clientConfig());
  const scratch = options.downloadDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'stored-run-'));
  // A table's part is saved in a folder of its table's name.
  const base = options.datasetFolder ?? folder;
  const saveAs = (key: string) => (options.downloadDir
    ? path.join(options.downloadDir, key.startsWith(folder) ? key.slice(folder.length) : key.slice(base.length))
    : undefined);
  if (options.downloadDir) fs.mkdirSync(options.downloadDir, { recursive: true });
  try {
    const manifestKey = `${folder}_manifest.json`;
    const successKey = `${folder}_SUCCESS`;
    let manifest: RunManifest | undefined;
    if (keys.includes(manifestKey)) {
      const text = await readText(s3, bucket, manifestKey);
      manifest = JSON.parse(text) as RunManifest;
      const target = saveAs(manifestKey);
      if (target) fs.writeFileSync(target, text);
    }
    const success = keys.includes(successKey);
    if (success && saveAs(successKey)) fs.writeFileSync(saveAs(successKey)!, await readText(s3, bucket, successKey));
    const parts: StoredPart[] = [];
    // The parts as the manifest lists them; without a manifest, whatever parts are there.
    const partKeys = manifest ? manifest.parts.map((p) => p.key) : keys.filter((k) => /\/part-\d+\./.test(k));
    for (const key of partKeys) {
      if (!keys.includes(key)) continue;
      // A scratch copy is read and removed at once: a run's parts together may be larger than the disk has room for twice.
      const file = saveAs(key) ?? path.join(scratch!, path.basename(key));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      parts.push(await readPart(s3, bucket, key, options.output, file));
      if (scratch) fs.rmSync(file, { force: true });
    }
    return { folder, keys, manifest, success, parts };
  } finally {
    s3.destroy();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * What is wrong with a stored run against its manifest and what was asked for; empty when nothing is. `columns` are
 * the single table's, or for a dataset of tables each table's by name.
 */
export function checkStoredRun(
  run: StoredRun, expected: { rows: number; parts: number; columns: readonly string[] | Readonly<Record<string, readonly string[]>>; seed?: number },
): string[] {
  const problems: string[] = [];
  const { manifest } = run;
  if (!run.success) problems.push(`no _SUCCESS under ${run.folder}`);
  if (!manifest) return [...problems, `no _manifest.json under ${run.folder}`];
  if (manifest.parts.length !== expected.parts) problems.push(`the manifest lists ${manifest.parts.length} parts, not ${expected.parts}`);
  const listedRows = manifest.parts.reduce((sum, p) => sum + p.rows, 0);
  if (listedRows !== expected.rows || manifest.rows !== expected.rows) {
    problems.push(`the manifest's parts add up to ${listedRows} rows (total ${manifest.rows}), not ${expected.rows}`);
  }
  if (expected.seed !== undefined && manifest.seed !== expected.seed) problems.push(`the manifest's seed is ${manifest.seed}, not ${expected.seed}`);
  // Parts are contiguous within their table (the single table, or each table of a dataset).
  const nextRow = new Map<string | undefined, number>();
  for (const listed of manifest.parts) {
    const next = nextRow.get(listed.table) ?? 0;
    if (listed.firstRow !== next) problems.push(`part ${listed.index} starts at row ${listed.firstRow}, not ${next}`);
    nextRow.set(listed.table, listed.firstRow + listed.rows);
    const stored = run.parts.find((p) => p.key === listed.key);
    if (!stored) {
      problems.push(`part ${listed.index} (${listed.key}) is listed but not stored`);
      continue;
    }
    if (stored.sha256 !== listed.sha256) problems.push(`part ${listed.index}: SHA-256 ${stored.sha256} stored, ${listed.sha256} listed`);
    if (stored.bytes !== listed.bytes) problems.push(`part ${listed.index}: ${stored.bytes} bytes stored, ${listed.bytes} listed`);
    if (stored.rows !== listed.rows) problems.push(`part ${listed.index}: ${stored.rows} rows stored, ${listed.rows} listed`);
    const columns = Array.isArray(expected.columns) ? expected.columns : (expected.columns as Record<string, readonly string[]>)[listed.table ?? ''] ?? [];
    if (stored.columns.join(',') !== columns.join(',')) problems.push(`part ${listed.index}: columns ${JSON.stringify(stored.columns)}`);
  }
  const extra = run.keys.filter((k) => !manifest.parts.some((p) => p.key === k) && !/\/_(manifest\.json|SUCCESS)$/.test(k));
  if (extra.length) problems.push(`objects the manifest does not list: ${extra.join(', ')}`);
  return problems;
}

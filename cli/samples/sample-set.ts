/**
 * The tables a command reads: named files, folders of them, or a manifest of the generator (a dataset's, or a sharded
 * run's), whose keys name each table's files and whose foreign keys and conformance report come along. Each table is
 * profiled in one pass over its files (column-profile.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TableProfile } from './column-profile';
import { dataFileKind, readRows } from './read-rows';
import type { ConformanceCheck } from '../../lambda/engine/conformance';
import type { ForeignKey } from '../../src/contract/dataset-document';
import { UsageError } from '../command';

export interface SampleTable {
  readonly name: string;
  readonly files: readonly string[];
}

export interface ManifestFacts {
  readonly file: string;
  readonly foreignKeys: readonly ForeignKey[];
  /** Every check of a dataset's manifest; a sharded run's manifest has the counts only. */
  readonly conformance: { readonly checks: number; readonly failed: number; readonly results?: readonly ConformanceCheck[] };
}

export interface SampleSet {
  readonly tables: readonly SampleTable[];
  readonly manifest?: ManifestFacts;
}

const MANIFEST = /^_manifest.*\.json$/;

function filesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}

/**
 * A table's name from its file: `orders.csv.gz` → orders; the generator's `orders/orders_<run id>.parquet` → orders (its
 * folder's name, which starts the file's); made a valid table name (lower case, letters, digits and `_`).
 */
export function tableNameOf(file: string): string {
  const base = path.basename(file).replace(/\.(csv|jsonl|json|ndjson|parquet)(\.(gz|zst))?$/i, '');
  const folder = path.basename(path.dirname(path.resolve(file)));
  const name = base.startsWith(`${folder}_`) ? folder : base;
  const valid = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^[^a-z]+/, '').slice(0, 64);
  return valid === '' ? 'table' : valid;
}

/**
 * Where the manifest's objects are: the nearest folder above it that holds its first key whole (what `generate --out`
 * writes), or that key without its leading folders (a download of the dataset's folder, as `aws s3 cp --recursive` of
 * s3://bucket/synthetic-data/retail/ or the demo's --download make). Returns the file of any key of the manifest.
 */
function keyLocator(manifestFile: string, key: string): (key: string) => string {
  const segments = key.split('/');
  for (let dir = path.dirname(path.resolve(manifestFile)); ; dir = path.dirname(dir)) {
    for (let dropped = 0; dropped < segments.length; dropped++) {
      if (fs.existsSync(path.join(dir, ...segments.slice(dropped)))) {
        const root = dir;
        return (other) => path.join(root, ...other.split('/').slice(dropped));
      }
    }
    if (path.dirname(dir) === dir) {
      throw new UsageError(`the objects of ${manifestFile} are not in a folder above it (${key} is not found, whole or without its leading folders): `
      + 'give the folder `generate --out` wrote, or the manifest inside it');
    }
  }
}

function fromManifest(file: string): SampleSet {
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    format?: string;
    tables?: Array<{ name: string; key?: string }>;
    parts?: Array<{ key: string; table?: string }>;
    dataset?: string;
    foreignKeys?: ForeignKey[];
    conformance?: { checks: number; failed: number; results?: ConformanceCheck[] };
  };
  const format = String(manifest.format ?? '');
  let tables: SampleTable[];
  if (format.startsWith('cdk-synthetic-data/dataset-manifest@')) {
    const locate = keyLocator(file, manifest.tables![0].key!);
    tables = manifest.tables!.map((table) => ({ name: table.name, files: [locate(table.key!)] }));
  } else if (format.startsWith('cdk-synthetic-data/run-manifest@')) {
    const locate = keyLocator(file, manifest.parts![0].key);
    const byTable = new Map<string, string[]>();
    for (const part of manifest.parts!) {
      const name = part.table ?? manifest.dataset ?? 'dataset';
      byTable.set(name, [...byTable.get(name) ?? [], locate(part.key)]);
    }
    tables = [...byTable].map(([name, files]) => ({ name, files }));
  } else {
    throw new UsageError(`${file} is not a manifest of the generator (its format is ${JSON.stringify(manifest.format)}): give a _manifest…json that generate or a run wrote`);
  }
  return {
    tables,
    manifest: { file, foreignKeys: manifest.foreignKeys ?? [], conformance: manifest.conformance ?? { checks: 0, failed: 0 } },
  };
}

/** The tables of the paths a user gave: files, folders (every data file below; their manifest if they hold one), manifests. */
export function sampleSetOf(paths: readonly string[], command: string): SampleSet {
  if (paths.length === 0) throw new UsageError('give the files or folders to read', command);
  const files: string[] = [];
  const manifests: string[] = [];
  for (const given of paths) {
    if (!fs.existsSync(given)) throw new UsageError(`${given} does not exist: give a data file, a folder of them, or a manifest`, command);
    for (const file of fs.statSync(given).isDirectory() ? filesUnder(given) : [given]) {
      if (MANIFEST.test(path.basename(file))) manifests.push(file);
      else if (dataFileKind(file) !== undefined) files.push(file);
      else if (!fs.statSync(given).isDirectory()) throw new UsageError(`${file} is not a data file (.csv, .jsonl, .parquet, optionally .gz or .zst) nor a manifest`, command);
    }
  }
  if (manifests.length > 1) throw new UsageError(`found ${manifests.length} manifests (${manifests.join(', ')}): give one run's folder or manifest`, command);
  if (manifests.length === 1) return fromManifest(manifests[0]);
  if (files.length === 0) throw new UsageError(`no data files (.csv, .jsonl, .parquet, optionally .gz or .zst) in ${paths.join(', ')}`, command);
  const byName = new Map<string, string[]>();
  for (const file of files) byName.set(tableNameOf(file), [...byName.get(tableNameOf(file)) ?? [], file]);
  return { tables: [...byName].map(([name, tableFiles]) => ({ name, files: tableFiles })) };
}

/** Reads every file of a table into its profile. */
export async function profileTable(table: SampleTable, options: { maxRows?: number; onRows?: (rows: number) => void } = {}): Promise<TableProfile> {
  const bytes = table.files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  const profile = new TableProfile(table.name, bytes);
  for (const file of table.files) {
    const left = options.maxRows === undefined ? undefined : options.maxRows - profile.rows;
    if (left !== undefined && left <= 0) break;
    await readRows(file, (rows) => {
      profile.addRows(rows);
      options.onRows?.(profile.rows);
    }, { maxRows: left });
  }
  return profile;
}

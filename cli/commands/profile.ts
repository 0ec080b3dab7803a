/**
 * `profile`: one self-contained HTML page of a generated run, a manifest, or any CSV, JSON Lines or Parquet files — per
 * column a histogram or its top values, null share, distinct count and bounds; per table rows and bytes; per foreign key
 * its integrity; a manifest's conformance verdicts. One pass over the files, memory bounded (column-profile.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EXIT, PROGRAM, requireOption, type Command, type Values } from '../command';
import { renderProfileHtml } from '../profile/render-html';
import type { TableProfile } from '../samples/column-profile';
import { keyIntegrity } from '../samples/key-integrity';
import { profileTable, sampleSetOf } from '../samples/sample-set';

const NAME = 'profile';

export const profileCommand: Command = {
  name: NAME,
  summary: 'one self-contained HTML page profiling a generated run, a manifest or any CSV, JSON Lines or Parquet files',
  help: `Usage: ${PROGRAM} profile PATH... --out FILE.html [--title TEXT] [--quiet]

Reads a folder written by \`generate\` (or downloaded from the bucket), a manifest (_manifest…json, of a dataset or
of a sharded run), or any CSV, JSON Lines and Parquet files (optionally .gz or .zst; a file per table, or folders
of them), and writes one HTML page that needs nothing else to open (inline charts, no script, no network):
  - per table: rows, bytes, and a card per column: a histogram (numbers, timestamps) or the top values, the null
    share, the distinct count, the bounds, the mean and standard deviation, whether it ascends;
  - per foreign key (from the manifest): orphans, and children per parent;
  - the manifest's conformance verdicts, every check with what was declared and what was observed.

Options:
  --out FILE     the HTML file to write (required)
  --title TEXT   the page's title (default: "Profile of" the paths)
  --quiet        no progress line
  -h, --help     this help

Exit codes: 0 written, 1 a file cannot be read as its format says, 2 usage.`,
  options: { out: { type: 'string' }, title: { type: 'string' }, quiet: { type: 'boolean' } },
  positionals: Number.MAX_SAFE_INTEGER,
  run: runProfile,
};

async function runProfile(values: Values, positionals: readonly string[]): Promise<number> {
  const out = requireOption(values, 'out', 'FILE.html (the page to write)', NAME);
  const set = sampleSetOf(positionals, NAME);
  const tables: TableProfile[] = [];
  for (const table of set.tables) {
    const started = performance.now();
    const profile = await profileTable(table);
    if (values.quiet !== true) {
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(`profile ${table.name}: ${profile.rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)}s `
        + `(${Math.round(profile.rows / Math.max(seconds, 1e-3)).toLocaleString('en-US')} rows/s)\n`);
    }
    tables.push(profile);
  }
  const byName = new Map(tables.map((table) => [table.name, table]));
  const foreignKeys = (set.manifest?.foreignKeys ?? []).map((key) => {
    const child = byName.get(key.table)?.columns.get(key.column);
    const parent = byName.get(key.parentTable)?.columns.get(key.parentColumn);
    return { key, ...(child && parent ? { integrity: keyIntegrity(child, parent) } : {}) };
  });
  const html = renderProfileHtml({
    title: typeof values.title === 'string' ? values.title : `Profile of ${positionals.join(', ')}`,
    tables,
    foreignKeys,
    ...(set.manifest ? { manifest: { file: set.manifest.file, ...set.manifest.conformance } } : {}),
  });
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, html);
  const broken = foreignKeys.filter(({ integrity }) => integrity?.checked && integrity.orphans > 0);
  process.stdout.write(`${JSON.stringify({
    out,
    tables: tables.map((table) => ({ name: table.name, rows: table.rows, bytes: table.bytes, columns: table.columns.size })),
    foreignKeys: foreignKeys.map(({ key, integrity }) => ({
      ...key, ...(integrity ? { checked: integrity.checked, orphans: integrity.orphans } : {}),
    })),
    ...(set.manifest ? { conformance: { checks: set.manifest.conformance.checks, failed: set.manifest.conformance.failed } } : {}),
  }, null, 2)}\n`);
  if (broken.length > 0) process.stderr.write(`warning: ${broken.length} foreign key${broken.length === 1 ? ' has' : 's have'} orphans: see the page\n`);
  return EXIT.ok;
}

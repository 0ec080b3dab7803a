/**
 * `infer`: a dataset document from sample files (a file per table, or folders of them) — types, null shares, bounds,
 * categories with their weights, identifiers, faker methods for recognizable values, fitted distributions, ascending
 * timestamps, keys and foreign keys, and the relations between rows (lookups, derived values, series, lags) — then its
 * fidelity report: the document generated at the sample's size and
 * compared with the sample, column by column, as text and JSON.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_SEED } from '../../src/contract/settings';
import { EXIT, PROGRAM, requireOption, stringOption, wholeNumberOption, type Command, type Values } from '../command';
import { fidelityReport, fidelityText } from '../infer/fidelity';
import { inferDataset } from '../infer/infer-dataset';
import { inferRelations, type Reasons } from '../infer/infer-relations';
import { datasetCode } from '../infer/schema-code';
import type { TableProfile } from '../samples/column-profile';
import { profileTable, sampleSetOf, type SampleTable } from '../samples/sample-set';

const NAME = 'infer';
/** Rows read from each table's files unless --sample-rows says: the first ones (the files are streamed, never loaded whole). */
export const DEFAULT_SAMPLE_ROWS = 1_000_000;

export const inferCommand: Command = {
  name: NAME,
  summary: 'infer a dataset document from sample CSV, JSON Lines or Parquet files, with a fidelity report',
  help: `Usage: ${PROGRAM} infer PATH... --out dataset.json [options]

Reads sample files (CSV, JSON Lines or Parquet, optionally .gz or .zst; a file per table, or folders of them: the
table is named after the file) and writes a dataset document ({"tables": [...]}, Table.fromDatasetFile's form):
  - per column: its type (uuid, sequence, integer, decimal with its fraction digits, timestamp, oneOf, faker), its
    null share, bounds, a distribution where one fits better than uniform (normal, lognormal, exponential, Zipf:
    the report says which and why), ascending timestamps, exact distinct counts where there are few values;
  - recognizable text as faker methods (emails, URLs, IPs, phone numbers, zip codes, US states; names, cities,
    companies and products by the column's name); few values as oneOf with their observed weights;
  - keys (unique non-null uuid or sequence columns) and foreign keys between the files: a column whose values are
    all keys of another file, as a reference (with min to max children per parent from a fitted count law when
    the rows are grouped so);
  - relations between rows, found by joining each file's rows to their parents' (up to 200,000 parent rows):
    a parent's value carried by its children (lookup, through one or two references), a number computed from
    the row's others (derived: a × b, a × b × (1 − c), a + b, a − b), each parent's children in time order
    (seriesTime) and times after a parent's (timestampAfter, with the lags' law).
No sample value is copied into the document, except the categories of oneOf columns; --no-categories leaves those
out too (placeholders category_1, ... keep their number and weights).

Then it generates the inferred dataset at the sample's size and compares it with the sample column by column
(type, null share, bounds, distinct count, mean and standard deviation, top values): the fidelity report, as text
on standard output and as JSON in --report.

Options:
  --out FILE           the dataset document to write (required)
  --report FILE        the fidelity report as JSON (default: FILE of --out with .fidelity.json)
  --typescript FILE    also write the dataset as TypeScript code (Table.of, Schema.fromColumns, Column.*)
  --python FILE        also write it as Python code (the same API, cdk_synthetic_data)
  --no-categories      no observed value in the document, not even categories
  --sample-rows N      rows read from each table (default ${DEFAULT_SAMPLE_ROWS.toLocaleString('en-US')}, the first ones)
  --seed S             the seed of the fidelity run (default 1)
  --quiet              no reasons on standard error
  -h, --help           this help

Exit codes: 0 inferred and faithful, 1 a file cannot be read, or the fidelity report fails its tolerances (the
document and the report are written anyway), 2 usage.`,
  options: {
    'out': { type: 'string' },
    'report': { type: 'string' },
    'typescript': { type: 'string' },
    'python': { type: 'string' },
    'no-categories': { type: 'boolean' },
    'sample-rows': { type: 'string' },
    'seed': { type: 'string' },
    'quiet': { type: 'boolean' },
  },
  positionals: Number.MAX_SAFE_INTEGER,
  run: runInfer,
};

async function runInfer(values: Values, positionals: readonly string[]): Promise<number> {
  const out = requireOption(values, 'out', 'FILE (the dataset document to write)', NAME);
  const reportFile = stringOption(values, 'report') ?? out.replace(/(\.json)?$/, '.fidelity.json');
  const sampleRows = wholeNumberOption(values, 'sample-rows', { min: 1, max: Number.MAX_SAFE_INTEGER }, NAME) ?? DEFAULT_SAMPLE_ROWS;
  const seed = wholeNumberOption(values, 'seed', { min: 0, max: MAX_SEED }, NAME) ?? 1;
  const set = sampleSetOf(positionals, NAME);
  const names = new Set<string>();
  const tables: TableProfile[] = [];
  const samples: SampleTable[] = [];
  for (const table of set.tables) {
    if (names.has(table.name)) continue;
    names.add(table.name);
    samples.push(table);
    tables.push(await profileTable(table, { maxRows: sampleRows }));
  }
  const keyed = inferDataset(tables, { categories: values['no-categories'] !== true });
  const reasons: Reasons = new Map(keyed.reasons.map((reason) => [`${reason.table}.${reason.column}`, { ...reason }]));
  const document = await inferRelations({ document: keyed.document, samples, profiles: tables, sampleRows }, reasons);
  const inferred = { document, reasons: [...reasons.values()] };
  write(out, `${JSON.stringify(inferred.document, null, 2)}\n`);
  const typescript = stringOption(values, 'typescript');
  if (typescript !== undefined) write(typescript, datasetCode('typescript', inferred.document));
  const python = stringOption(values, 'python');
  if (python !== undefined) write(python, datasetCode('python', inferred.document));
  if (values.quiet !== true) {
    for (const reason of inferred.reasons) process.stderr.write(`${reason.table}.${reason.column}: ${reason.because.join('; ')}\n`);
  }
  const report = await fidelityReport(tables, inferred.document, seed);
  write(reportFile, `${JSON.stringify({ ...report, reasons: inferred.reasons }, null, 2)}\n`);
  process.stdout.write(fidelityText(report));
  process.stderr.write(`wrote ${out} and ${reportFile}\n`);
  return report.pass ? EXIT.ok : EXIT.invalid;
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}

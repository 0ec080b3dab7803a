/**
 * The fidelity report: the inferred dataset generated at the sample's size by the function's own engine, profiled as the
 * sample was, and compared column by column — type, null share, bounds, distinct count, mean and standard deviation, top
 * values — each against a stated tolerance, so the report says what "close" means and whether each column is.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatasetDocument } from '../../src/contract/dataset-document';
import { writeLocalDataObject } from '../local-objects';
import type { ColumnProfile, TableProfile } from '../samples/column-profile';
import { profileTable } from '../samples/sample-set';

export interface FidelityCheck {
  readonly check: 'type' | 'nullShare' | 'bounds' | 'distinct' | 'mean' | 'standardDeviation' | 'topValues';
  readonly sample: string;
  readonly generated: string;
  readonly tolerance: string;
  readonly pass: boolean;
}

export interface FidelityColumn {
  readonly table: string;
  readonly column: string;
  readonly checks: readonly FidelityCheck[];
}

export interface FidelityReport {
  readonly pass: boolean;
  readonly checks: number;
  readonly failed: number;
  readonly seed: number;
  readonly tables: ReadonlyArray<{ readonly name: string; readonly sampleRows: number; readonly generatedRows: number }>;
  readonly columns: readonly FidelityColumn[];
}

const fmt = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : Number(x.toPrecision(6)).toString());
const share = (x: number) => `${(x * 100).toFixed(2)}%`;

function compareColumn(table: string, sample: ColumnProfile, made: ColumnProfile | undefined, type: string): FidelityColumn {
  const categorical = type === 'oneOf';
  // Keys are unique by construction; a faker column of unique sample values may repeat a value now and then.
  const key = type === 'uuid' || type === 'sequence';
  const checks: FidelityCheck[] = [];
  if (made === undefined) {
    return { table, column: sample.name, checks: [{ check: 'type', sample: sample.kind, generated: 'missing', tolerance: 'the same kind', pass: false }] };
  }
  checks.push({ check: 'type', sample: sample.kind, generated: made.kind, tolerance: 'the same kind of value', pass: sample.kind === made.kind || sample.kind === 'empty' });
  // Nulls are drawn per cell: the share's own sampling error (3 standard deviations) plus half a point.
  const p = sample.nullShare;
  const nullTolerance = 0.005 + 3 * Math.sqrt(Math.max(p * (1 - p), 1e-4) / Math.max(1, made.cells));
  checks.push({
    check: 'nullShare',
    sample: share(p),
    generated: share(made.nullShare),
    tolerance: `± ${share(nullTolerance)}`,
    pass: Math.abs(made.nullShare - p) <= nullTolerance,
  });
  const numeric = sample.kind === 'integer' || sample.kind === 'decimal' || sample.kind === 'timestamp';
  // Values with no law of their own have no mean and spread to compare: a key counts rows; a reference's values are
  // its parents' keys and a lookup's its parents' values, and which parents a skewed choice favours differs by seed; a
  // derived value follows from its operands (each compared in its own column); a series' and a lag's instants follow
  // their parent's time, so they cluster by parent rather than being drawn one by one.
  const noLawOfItsOwn = ['sequence', 'reference', 'lookup', 'derived', 'seriesTime', 'timestampAfter'].includes(type);
  // Bounds that follow from other columns: a reference's are the parents' keys chosen, a derived value's its operands',
  // a lag's its parent's time and the declared lags (each checked where it is declared).
  const boundedByOthers = type === 'reference' || type === 'derived' || type === 'timestampAfter';
  if (numeric && !boundedByOthers && sample.nonNull > 0 && made.nonNull > 0) {
    const show = (x: number) => (sample.kind === 'timestamp' ? new Date(x).toISOString() : fmt(x));
    // A key's sequence runs as far as the table's rows, and a children table whose counts come from a law has about as
    // many rows as the sample, not exactly: it starts where the sample's does.
    const sequence = type === 'sequence';
    checks.push({
      check: 'bounds',
      sample: `${show(sample.min)} … ${show(sample.max)}`,
      generated: `${show(made.min)} … ${show(made.max)}`,
      tolerance: sequence ? 'from the sample\'s first value' : 'within the sample\'s bounds',
      pass: sequence ? made.min === sample.min
        : made.min >= sample.min - 1e-9 * Math.abs(sample.min) && made.max <= sample.max + 1e-9 * Math.abs(sample.max),
    });
  }
  if (numeric && !noLawOfItsOwn && sample.nonNull > 0 && made.nonNull > 0) {
    const sd = sample.standardDeviation ?? 0;
    const span = sample.max - sample.min;
    // The mean of n draws strays by sd/√n: 4 of those, or 2% of the range, whichever is larger.
    const meanTolerance = Math.max(4 * sd / Math.sqrt(made.nonNull), 0.02 * span);
    checks.push({
      check: 'mean',
      sample: fmt(sample.numericMean),
      generated: fmt(made.numericMean),
      tolerance: `± ${fmt(meanTolerance)}`,
      pass: Math.abs((made.numericMean ?? 0) - (sample.numericMean ?? 0)) <= meanTolerance,
    });
    if (sd > 0) {
      checks.push({
        check: 'standardDeviation',
        sample: fmt(sd),
        generated: fmt(made.standardDeviation),
        tolerance: '± 15%',
        pass: Math.abs((made.standardDeviation ?? 0) - sd) <= 0.15 * sd,
      });
    }
  }
  // Distinct values: equal for categories, unique for keys; otherwise within 15% (the sketch's error is 1.6%).
  const distinctTolerance = categorical ? 0 : Math.max(2, 0.15 * sample.distinct);
  checks.push({
    check: 'distinct',
    sample: `${sample.distinct}${sample.unique ? ' (unique)' : ''}`,
    generated: `${made.distinct}${made.unique ? ' (unique)' : ''}`,
    tolerance: key ? 'unique too' : categorical ? 'the same number' : `± ${Math.round(distinctTolerance)}`,
    pass: key ? made.unique : Math.abs(made.distinct - sample.distinct) <= distinctTolerance,
  });
  if (categorical) {
    // The shares of the categories, in order of frequency: each within 3 standard deviations of its sampling error plus a point.
    const sampleTop = sample.topValues(20);
    const madeTop = made.topValues(20);
    const worst = sampleTop.reduce((most, { count }, i) => {
      const expected = count / sample.nonNull;
      const observed = (madeTop[i]?.count ?? 0) / Math.max(1, made.nonNull);
      return Math.max(most, Math.abs(expected - observed) - 3 * Math.sqrt(expected * (1 - expected) / Math.max(1, made.nonNull)));
    }, 0);
    checks.push({
      check: 'topValues',
      sample: sampleTop.slice(0, 5).map(({ count }) => share(count / sample.nonNull)).join(' '),
      generated: madeTop.slice(0, 5).map(({ count }) => share(count / Math.max(1, made.nonNull))).join(' '),
      tolerance: 'each share within 3 standard deviations + 1 point, in order of frequency',
      pass: worst <= 0.01,
    });
  }
  return { table, column: sample.name, checks };
}

/** Generates `document` (each table at its rows: the sample's) with `seed`, profiles it, and compares it with the sample. */
export async function fidelityReport(sample: readonly TableProfile[], document: DatasetDocument, seed: number): Promise<FidelityReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-synthetic-data-fidelity-'));
  try {
    const columns: FidelityColumn[] = [];
    const tables: Array<{ name: string; sampleRows: number; generatedRows: number }> = [];
    for (const table of document.tables) {
      const key = `${table.name}.csv`;
      const made = await writeLocalDataObject(dir, key, {
        schema: table, seed, rowCount: table.rows, output: { format: 'csv', compression: 'none' }, dataset: { document, table: table.name },
      }, { workers: 1, progress: false, label: table.name });
      const generated = await profileTable({ name: table.name, files: [made.file] });
      const observed = sample.find((candidate) => candidate.name === table.name)!;
      tables.push({ name: table.name, sampleRows: observed.rows, generatedRows: generated.rows });
      // Helper columns (omit) are in no file: nothing to compare.
      table.columns.filter((column) => column.omit !== true).forEach((column) => {
        columns.push(compareColumn(table.name, observed.columns.get(column.name)!, generated.columns.get(column.name), column.type));
      });
    }
    const all = columns.flatMap((column) => column.checks);
    const failed = all.filter((check) => !check.pass).length;
    return { pass: failed === 0, checks: all.length, failed, seed, tables, columns };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The report as text: a line per column, its checks with sample → generated, and ✗ on every check that fails. */
export function fidelityText(report: FidelityReport): string {
  const lines = [`Fidelity of the inferred dataset, generated at the sample's size (seed ${report.seed}):`];
  for (const table of report.tables) lines.push(`  ${table.name}: ${table.sampleRows} sample rows, ${table.generatedRows} generated`);
  for (const column of report.columns) {
    const parts = column.checks.map((check) => `${check.pass ? '' : '✗ '}${check.check} ${check.sample} → ${check.generated}`);
    lines.push(`  ${column.table}.${column.column}: ${parts.join('; ')}`);
  }
  lines.push(report.pass ? `PASS: all ${report.checks} checks within their tolerances`
    : `FAIL: ${report.failed} of ${report.checks} checks outside their tolerances (the JSON report gives each tolerance)`);
  return `${lines.join('\n')}\n`;
}

/**
 * The profile as one self-contained HTML page: inline CSS and SVG, no script and no link to anything outside the file,
 * so it opens offline and can be mailed or attached to a ticket. Per table its rows and bytes and a card per column
 * (chart, null share, distinct count, bounds, mean and deviation); per foreign key its integrity; the conformance
 * verdicts of a manifest.
 */
import { escapeHtml, histogramSvg, topValuesSvg } from './charts';
import type { ConformanceCheck } from '../../lambda/engine/conformance';
import type { ForeignKey } from '../../src/contract/dataset-document';
import type { ColumnProfile, TableProfile } from '../samples/column-profile';
import type { KeyIntegrity } from '../samples/key-integrity';

export interface ProfileReport {
  readonly title: string;
  readonly tables: readonly TableProfile[];
  readonly foreignKeys: ReadonlyArray<{ readonly key: ForeignKey; readonly integrity?: KeyIntegrity }>;
  readonly manifest?: { readonly file: string; readonly checks: number; readonly failed: number; readonly results?: readonly ConformanceCheck[] };
}

const TOP_VALUES = 10;
/** A column with at most this many distinct values shows its top values, not a histogram. */
const CATEGORICAL = 20;

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2733; background: #f6f8fa; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; }
.summary { color: #51606f; }
.columns { display: flex; flex-wrap: wrap; gap: 12px; }
.column { background: #fff; border: 1px solid #d8dee4; border-radius: 6px; padding: 10px 12px; width: 380px; }
.column h3 { font-size: 15px; margin: 0 0 4px; } .column .type { color: #51606f; font-weight: normal; }
.column dl { display: grid; grid-template-columns: auto 1fr; gap: 0 8px; margin: 6px 0; font-size: 12px; }
.column dt { color: #51606f; } .column dd { margin: 0; }
svg.chart { display: block; margin-top: 6px; font-size: 10px; }
svg.chart rect.bar { fill: #3b82c4; } svg.chart text { fill: #51606f; }
table.grid { border-collapse: collapse; background: #fff; } table.grid td, table.grid th { border: 1px solid #d8dee4; padding: 4px 8px; text-align: left; }
.pass { color: #1a7f37; } .fail { color: #cf222e; font-weight: bold; }
`;

function number(x: number | undefined, digits = 4): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  return Number.isInteger(x) ? x.toLocaleString('en-US') : Number(x.toPrecision(digits)).toLocaleString('en-US', { maximumSignificantDigits: digits });
}

function boundText(column: ColumnProfile, x: number): string {
  return column.kind === 'timestamp' ? new Date(x).toISOString() : number(x, 8);
}

function columnCard(column: ColumnProfile): string {
  const kind = column.kind;
  const numeric = kind === 'integer' || kind === 'decimal' || kind === 'timestamp';
  const chart = !numeric || column.distinct <= CATEGORICAL
    ? topValuesSvg(column.topValues(TOP_VALUES), column.nonNull)
    : histogramSvg(column.reservoir, { min: column.min, max: column.max }, (x) => boundText(column, x));
  const rows: Array<[string, string]> = [
    ['null share', `${((column.nullShare) * 100).toFixed(2)}% (${column.nulls.toLocaleString('en-US')})`],
    ['distinct', `${column.distinct.toLocaleString('en-US')}${column.counts === undefined ? ' (estimate)' : ''}${column.unique ? ', unique' : ''}`],
  ];
  if (numeric && column.nonNull > 0) {
    rows.push(['bounds', `${boundText(column, column.min)} … ${boundText(column, column.max)}`]);
    if (kind !== 'timestamp') rows.push(['mean ± sd', `${number(column.numericMean)} ± ${number(column.standardDeviation)}`]);
    if (column.ascending) rows.push(['order', 'ascending']);
  } else if (kind === 'text') {
    rows.push(['length', `${column.minLength} … ${column.maxLength}`]);
  }
  const noChart = chart === '' ? '<p class="summary">no values</p>' : '';
  return `<div class="column" data-column="${escapeHtml(column.name)}"><h3>${escapeHtml(column.name)} <span class="type">${kind}</span></h3>`
    + `<dl>${rows.map(([term, value]) => `<dt>${term}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>${chart}${noChart}</div>`;
}

function tableSection(table: TableProfile): string {
  return `<section class="table" data-table="${escapeHtml(table.name)}"><h2>${escapeHtml(table.name)}</h2>`
    + `<p class="summary">${table.rows.toLocaleString('en-US')} rows, ${table.bytes.toLocaleString('en-US')} bytes, ${table.columns.size} columns</p>`
    + `<div class="columns">${[...table.columns.values()].map(columnCard).join('')}</div></section>`;
}

function foreignKeySection(report: ProfileReport): string {
  if (report.foreignKeys.length === 0) return '';
  const rows = report.foreignKeys.map(({ key, integrity }) => {
    const name = `${key.table}.${key.column} → ${key.parentTable}.${key.parentColumn}`;
    if (integrity === undefined) return `<tr><td>${escapeHtml(name)}</td><td colspan="3">a table is missing from the files</td></tr>`;
    if (!integrity.checked) return `<tr><td>${escapeHtml(name)}</td><td colspan="3">not checked: ${escapeHtml(integrity.reason ?? '')}</td></tr>`;
    const per = integrity.childrenPerParent;
    const verdict = integrity.orphans === 0 && integrity.parentUnique ? '<span class="pass">intact</span>' : '<span class="fail">broken</span>';
    return `<tr><td>${escapeHtml(name)}</td><td>${verdict}: ${integrity.orphans.toLocaleString('en-US')} orphans of ${integrity.childValues.toLocaleString('en-US')}`
      + `${integrity.parentUnique ? '' : ', parent key not unique'}</td><td>${per ? `${per.min} … ${per.max} (mean ${number(per.mean, 3)})` : '–'}</td></tr>`;
  });
  return `<h2>Foreign keys</h2><table class="grid"><tr><th>key</th><th>integrity</th><th>children per parent</th></tr>${rows.join('')}</table>`;
}

function conformanceSection(report: ProfileReport): string {
  const manifest = report.manifest;
  if (manifest === undefined) return '';
  const rows = (manifest.results ?? []).map((check) => `<tr><td>${escapeHtml(check.table ?? '')}</td><td>${escapeHtml(check.column)}</td>`
    + `<td>${escapeHtml(check.check)}</td><td>${escapeHtml(check.declared)}</td><td>${escapeHtml(check.observed)}</td>`
    + `<td class="${check.pass ? 'pass' : 'fail'}">${check.pass ? 'pass' : 'FAIL'}</td></tr>`);
  return `<h2>Conformance (${escapeHtml(manifest.file)})</h2><p class="summary">${manifest.checks - manifest.failed} of ${manifest.checks} checks pass`
    + `${manifest.failed > 0 ? `, <span class="fail">${manifest.failed} fail</span>` : ''}</p>`
    + (rows.length > 0 ? `<table class="grid"><tr><th>table</th><th>column</th><th>check</th><th>declared</th><th>observed</th><th>verdict</th></tr>${rows.join('')}</table>` : '');
}

export function renderProfileHtml(report: ProfileReport): string {
  const rows = report.tables.reduce((sum, table) => sum + table.rows, 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><h1>${escapeHtml(report.title)}</h1>
<p class="summary">${report.tables.length} table${report.tables.length === 1 ? '' : 's'}, ${rows.toLocaleString('en-US')} rows. Histograms are drawn from a uniform sample of up to 4,096 values per column; counts, nulls, bounds, mean and deviation are over every row.</p>
${report.tables.map(tableSection).join('\n')}
${foreignKeySection(report)}
${conformanceSection(report)}
</body></html>
`;
}

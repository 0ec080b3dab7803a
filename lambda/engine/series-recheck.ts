/**
 * The report's check of series (seriesTime): on a sample of an object's rows, each sampled row and the row before it,
 * when they belong to the same parent (as the reference column's own generator says), are in time order, and every
 * sampled instant lies in its parent's span (from its start, or `from`, to `to`). Read through the columns' generators,
 * not the series' compiled slots, so a series out of order or out of its span shows as a violation.
 */
import type { CompiledTable } from './compiled-table';
import { cellAt, madeValue, madeValueAt, RECHECKED_ROWS } from './derived-recheck';
import { VALUE_NUMBER } from './distinct-counters';
import type { TableColumns } from './kernel';
import { CycleFitter, type CycleFit } from './series-cycles';
import { declaredCovariance, declaredCycles } from './series-value';
import type { ColumnDocument } from '../../src/contract/column-documents';

export interface SeriesRecheck {
  readonly rows: number;
  readonly every: number;
  readonly outOfOrder: number;
  readonly outOfSpan: number;
}

/**
 * A seriesValue column's lag-1 autocorrelation within entities, from the sampled rows and the row before each (same
 * parent): observed as 1 − mean(D²) / (2 V), D the step between the two values (the parent's level cancels), V the
 * declared variance; expected as the mean declared covariance at the pairs' actual time steps over V. The same pairs
 * give each declared cycle's amplitude and peak (series-cycles.ts).
 */
export interface SeriesValueRecheck {
  readonly pairs: number;
  readonly observed: number;
  readonly expected: number;
  /** 5 standard errors of the observed figure, plus 0.05 for a drift made of a finite sum of cosines. */
  readonly margin: number;
  /** Each declared daily or weekly cycle as the pairs show it; undefined without cycles or with too few pairs. */
  readonly cycles?: readonly CycleFit[];
}

function valueAt(table: TableColumns, c: number, row: number, decoder: { decode(bytes: Uint8Array): string }): number | undefined {
  return (madeValueAt(table, c, row, decoder) ?? undefined) as number | undefined;
}

/** Per written column of `table`, its series recheck on up to RECHECKED_ROWS rows of [firstRow, firstRow + rows). */
export function recheckSeries(
  table: CompiledTable, columns: readonly ColumnDocument[], firstRow: number, rows: number,
): Array<SeriesRecheck | SeriesValueRecheck | undefined> {
  if (!columns.some((column) => column.type === 'seriesTime' || column.type === 'seriesValue')) return [];
  const decoder = new TextDecoder();
  const every = Math.max(1, Math.ceil(rows / RECHECKED_ROWS));
  const all = table.all;
  const parentAt = (c: number, row: number) => {
    madeValue(all.generators[c], cellAt(all, c, row), row, decoder);
    return VALUE_NUMBER[0];
  };
  return table.written.map((c) => {
    const column = columns[c];
    if (column.type === 'seriesValue') {
      const reference = columns.findIndex((other) => other.name === column.reference);
      const time = columns.findIndex((other) => other.name === column.time);
      let pairs = 0;
      let squares = 0;
      let covariances = 0;
      let variance = 0;
      const fitter = new CycleFitter(declaredCycles(column));
      for (let row = Math.max(1, firstRow + 1); row < firstRow + rows; row += every) {
        const value = valueAt(all, c, row, decoder);
        const before = valueAt(all, c, row - 1, decoder);
        if (value === undefined || before === undefined || parentAt(reference, row) !== parentAt(reference, row - 1)) continue;
        const afterDays = valueAt(all, time, row, decoder)! / 86_400_000;
        const beforeDays = valueAt(all, time, row - 1, decoder)! / 86_400_000;
        const declared = declaredCovariance(column, afterDays - beforeDays);
        fitter.add(beforeDays, afterDays, value - before);
        pairs++;
        squares += (value - before) ** 2;
        covariances += declared.covariance;
        variance = declared.variance;
      }
      if (pairs === 0 || variance === 0) return { pairs, observed: 0, expected: 0, margin: 0 };
      const expected = covariances / pairs / variance;
      const observed = 1 - squares / pairs / (2 * variance);
      const cycles = fitter.fit();
      const margin = (5 * Math.SQRT2 * (1 - expected)) / Math.sqrt(pairs) + 0.05;
      return { pairs, observed, expected, margin, ...(cycles === undefined ? {} : { cycles }) };
    }
    if (column.type !== 'seriesTime') return undefined;
    const reference = columns.findIndex((other) => other.name === column.reference);
    const start = column.start === undefined ? -1 : columns.findIndex((other) => other.name === column.start);
    const from = Date.parse(column.from);
    const to = Date.parse(column.to);
    let checked = 0;
    let outOfOrder = 0;
    let outOfSpan = 0;
    for (let row = firstRow; row < firstRow + rows; row += every) {
      const instant = valueAt(all, c, row, decoder);
      if (instant === undefined) continue;
      checked++;
      const begin = start < 0 ? from : Math.min(to, Math.max(from, valueAt(all, start, row, decoder)!));
      if (instant < begin || instant > to) outOfSpan++;
      if (row === 0) continue;
      const before = valueAt(all, c, row - 1, decoder);
      if (before !== undefined && parentAt(reference, row - 1) === parentAt(reference, row) && before > instant) outOfOrder++;
    }
    return { rows: checked, every, outOfOrder, outOfSpan };
  });
}

/**
 * Series per entity: a `seriesTime` column orders each parent's children in time across the parent's own span, from
 * the parent's start (a timestamp of the row, usually a lookup of the parent's: a device's installation) or the range's
 * `from`, to the range's `to`. The table's rows stay in parent order (a reference with children lays them out), so a
 * file holds each entity's series in turn, each ascending in time, whatever part made it.
 *
 * The i-th of a parent's n children takes an instant in the i-th of n equal slots of the span, with jitter inside it:
 * strictly ordered within the parent, covering the span but for its last slot, and a function of the row alone.
 */
import type { ColumnDocument, SeriesTimeColumnDocument } from './column-documents';
import { fail, InvalidInputError } from './errors';

/** Validates a `seriesTime` column's own options (where `reference` and `start` lead is checkSeriesColumns'). */
export function validateSeriesTimeColumn(
  at: string, raw: Record<string, unknown>, base: { name: string; nullPercent?: number; omit?: boolean },
  timestamp: (where: string, value: unknown) => string,
): SeriesTimeColumnDocument {
  if (base.nullPercent !== undefined) {
    throw new InvalidInputError(`${at}: nullPercent is ${base.nullPercent} on a seriesTime: a series has an instant for every child `
      + '(null only where its start is); remove nullPercent');
  }
  if (typeof raw.reference !== 'string') fail(`${at}.reference`, raw.reference, 'expected the name of this table\'s reference with children (the entity)');
  if (raw.start !== undefined && typeof raw.start !== 'string') {
    fail(`${at}.start`, raw.start, 'expected the name of a timestamp column of this table (a lookup of the parent\'s start, such as installed_at)');
  }
  const from = timestamp(`${at}.from`, raw.from);
  const to = timestamp(`${at}.to`, raw.to);
  if (Date.parse(from) > Date.parse(to)) throw new InvalidInputError(`${at}: from (${from}) is later than to (${to}); set from <= to`);
  return { ...base, type: 'seriesTime', reference: raw.reference, ...(raw.start === undefined ? {} : { start: raw.start as string }), from, to };
}

/**
 * Checks each `seriesTime` column's entity (a reference with children of this table) and start (a timestamp of its
 * row; `isTimestamp` says, undefined where only the dataset knows).
 */
export function checkSeriesColumns(
  columns: readonly ColumnDocument[], whereOf: (c: number) => string, isTimestamp: (column: ColumnDocument) => boolean | undefined,
): void {
  columns.forEach((column, c) => {
    if (column.type !== 'seriesTime') return;
    const at = whereOf(c);
    const reference = columns.find((other) => other.name === column.reference);
    if (reference?.type !== 'reference' || reference.children === undefined) {
      const withChildren = columns.filter((other) => other.type === 'reference' && other.children !== undefined).map((other) => other.name);
      fail(`${at}.reference`, column.reference, 'a series orders each parent\'s children in time, so it needs this table\'s reference with children; '
        + (withChildren.length === 0 ? 'this table has none: give a reference children ({"min": 10, "max": 500} or a law of counts)'
          : `this table's is ${withChildren[0]}`));
    }
    if (column.start === undefined) return;
    const start = columns.find((other) => other.name === column.start);
    if (start === undefined) fail(`${at}.start`, column.start, `no column of this table has that name; its columns are ${columns.map((other) => other.name).join(', ')}`);
    const timestamp = start.type === 'derived' || start.type === 'seriesTime' ? false : isTimestamp(start);
    if (timestamp === false) {
      throw new InvalidInputError(`${at}.start is "${column.start}", a ${start.type} column: a series starts at a made timestamp of its row; `
        + 'name a timestamp column, a faker date, a timestampAfter or a lookup of the parent\'s timestamp');
    }
  });
}

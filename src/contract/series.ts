/**
 * Series per entity: a `seriesTime` column orders each parent's children in time across the parent's own span, from
 * the parent's start (a timestamp of the row, usually a lookup of the parent's: a device's installation) or the range's
 * `from`, to the range's `to`. The table's rows stay in parent order (a reference with children lays them out), so a
 * file holds each entity's series in turn, each ascending in time, whatever part made it.
 *
 * The i-th of a parent's n children takes an instant in the i-th of n equal slots of the span, with jitter inside it:
 * strictly ordered within the parent, covering the span but for its last slot, and a function of the row alone.
 *
 * A `seriesValue` column is a number that evolves along a parent's series: a level per parent (uniform over
 * level.min..max), a smooth mean-reverting drift (an Ornstein-Uhlenbeck-like process of the given standard deviation
 * and correlation time, made as a sum of random cosines whose frequencies are drawn per parent from the process's
 * spectrum), daily and weekly cosine seasonality, and noise per row: a function of (parent, instant, row) alone.
 */
import type { ColumnDocument, SeriesTimeColumnDocument, SeriesValueColumnDocument } from './column-documents';
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
    if (column.type === 'seriesValue') {
      checkEntity(columns, whereOf(c), column.reference);
      const time = columns.find((other) => other.name === column.time);
      if (time === undefined) fail(`${whereOf(c)}.time`, column.time, `no column of this table has that name; its columns are ${columns.map((other) => other.name).join(', ')}`);
      if (time.type === 'derived' || time.type === 'seriesValue' || isTimestamp(time) === false) {
        throw new InvalidInputError(`${whereOf(c)}.time is "${column.time}", a ${time.type} column: a series' values follow a timestamp of the row; `
          + 'name its seriesTime column');
      }
      return;
    }
    if (column.type !== 'seriesTime') return;
    const at = whereOf(c);
    checkEntity(columns, at, column.reference);
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

/** Validates a `seriesValue` column's own options (its entity and time are checked with the table: checkSeriesColumns). */
export function validateSeriesValueColumn(
  at: string, raw: Record<string, unknown>, base: { name: string; nullPercent?: number; omit?: boolean },
): SeriesValueColumnDocument {
  if (base.nullPercent !== undefined) {
    throw new InvalidInputError(`${at}: nullPercent is ${base.nullPercent} on a seriesValue: a series has a value at every instant; remove nullPercent`);
  }
  if (typeof raw.reference !== 'string') fail(`${at}.reference`, raw.reference, 'expected the name of this table\'s reference with children (the entity)');
  if (typeof raw.time !== 'string') fail(`${at}.time`, raw.time, 'expected the name of this table\'s timestamp column the values follow (a seriesTime)');
  const number = (name: string, value: unknown, least: number, most: number, above = false): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < least || value > most || (above && value === least)) {
      fail(`${at}.${name}`, value, `a number ${above ? 'above' : 'from'} ${least}${Number.isFinite(most) ? ` ${above ? 'and at most' : 'to'} ${most}` : ''}`);
    }
    return value;
  };
  const record = (name: string, value: unknown, fields: readonly string[]): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${at}.${name}`, value, `expected an object with ${fields.join(', ')}`);
    for (const key of Object.keys(value)) {
      if (!fields.includes(key)) fail(`${at}.${name}.${key}`, (value as Record<string, unknown>)[key], `not a field of ${name}; its fields are ${fields.join(', ')}`);
    }
    return value as Record<string, unknown>;
  };
  const huge = 1e12;
  const level = record('level', raw.level, ['min', 'max']);
  const levelMin = number('level.min', level.min, -huge, huge);
  const levelMax = number('level.max', level.max, -huge, huge);
  if (levelMin > levelMax) throw new InvalidInputError(`${at}.level: min (${levelMin}) is greater than max (${levelMax}); set min <= max`);
  const document: { -readonly [K in keyof SeriesValueColumnDocument]: SeriesValueColumnDocument[K] } = {
    ...base,
    type: 'seriesValue',
    reference: raw.reference,
    time: raw.time,
    level: { min: levelMin, max: levelMax },
    fractionDigits: raw.fractionDigits === undefined ? 2 : number('fractionDigits', raw.fractionDigits, 0, 6),
  };
  if (!Number.isInteger(document.fractionDigits)) fail(`${at}.fractionDigits`, document.fractionDigits, 'a whole number from 0 to 6');
  if (raw.drift !== undefined) {
    const drift = record('drift', raw.drift, ['standardDeviation', 'reversionDays']);
    document.drift = {
      standardDeviation: number('drift.standardDeviation', drift.standardDeviation, 0, huge),
      reversionDays: number('drift.reversionDays', drift.reversionDays, 0, 36_525, true),
    };
  }
  if (raw.daily !== undefined) {
    const daily = record('daily', raw.daily, ['amplitude', 'peakHour']);
    document.daily = { amplitude: number('daily.amplitude', daily.amplitude, 0, huge), peakHour: number('daily.peakHour', daily.peakHour ?? 0, 0, 24) };
  }
  if (raw.weekly !== undefined) {
    const weekly = record('weekly', raw.weekly, ['amplitude', 'peakDay']);
    document.weekly = { amplitude: number('weekly.amplitude', weekly.amplitude, 0, huge), peakDay: number('weekly.peakDay', weekly.peakDay ?? 0, 0, 7) };
  }
  if (raw.noise !== undefined) document.noise = number('noise', raw.noise, 0, huge);
  return document;
}

/** A series' entity: this table's reference with children. */
function checkEntity(columns: readonly ColumnDocument[], at: string, name: string): void {
  const reference = columns.find((other) => other.name === name);
  if (reference?.type !== 'reference' || reference.children === undefined) {
    const withChildren = columns.filter((other) => other.type === 'reference' && other.children !== undefined).map((other) => other.name);
    fail(`${at}.reference`, name, 'a series orders each parent\'s children in time, so it needs this table\'s reference with children; '
      + (withChildren.length === 0 ? 'this table has none: give a reference children ({"min": 10, "max": 500} or a law of counts)'
        : `this table's is ${withChildren[0]}`));
  }
}

/**
 * Timestamps as ISO-8601 UTC text (2024-03-05T07:08:09.010Z), written digit by digit: for the text formats.
 */
import { writePadded, writeThreeDigits, writeTwoDigits } from '../../engine/ascii';
import { CIVIL, civilDate } from '../../engine/calendar';
import { viewOf } from '../../engine/output-view';

const MS_PER_DAY = 86_400_000;
/** Up to this many days (about 270 years) a range's dates are written from a table made once. */
const MAX_TABLED_DAYS = 100_000;
const DATE_BYTES = 10;
const DASH = 45;

/** The bytes of an ISO-8601 UTC timestamp with milliseconds. */
export const TIMESTAMP_BYTES = 24;

/**
 * A writer of epoch milliseconds as YYYY-MM-DDTHH:MM:SS.mmmZ. Given the range the values lie in, each date is
 * copied from a table of the range's days instead of computed; a range of centuries computes it.
 */
export function isoTimestampWriter(bounds?: { readonly min: number; readonly max: number }): (buf: Uint8Array, pos: number, ms: number) => number {
  const firstDay = bounds === undefined ? 0 : Math.floor(bounds.min / MS_PER_DAY);
  const dayCount = bounds === undefined ? Infinity : Math.floor(bounds.max / MS_PER_DAY) - firstDay + 1;
  if (dayCount > MAX_TABLED_DAYS) return writeIsoTimestamp;
  const dates = new Uint8Array(dayCount * DATE_BYTES);
  for (let d = 0; d < dayCount; d++) writeIsoDate(dates, d * DATE_BYTES, firstDay + d);
  const dateWords = new DataView(dates.buffer);
  return (buf, pos, ms) => {
    const day = Math.floor(ms / MS_PER_DAY);
    // Ten bytes as three 4-byte copies, the last overlapping the second.
    const at = (day - firstDay) * DATE_BYTES;
    const out = viewOf(buf);
    out.setUint32(pos, dateWords.getUint32(at));
    out.setUint32(pos + 4, dateWords.getUint32(at + 4));
    out.setUint32(pos + 6, dateWords.getUint32(at + 6));
    return writeTimeOfDay(buf, pos + DATE_BYTES, ms - day * MS_PER_DAY);
  };
}

/** Writes epoch milliseconds (years 0000-9999) as YYYY-MM-DDTHH:MM:SS.mmmZ, as Date.toISOString does. */
export function writeIsoTimestamp(buf: Uint8Array, pos: number, ms: number): number {
  const day = Math.floor(ms / MS_PER_DAY);
  return writeTimeOfDay(buf, writeIsoDate(buf, pos, day), ms - day * MS_PER_DAY);
}

/** "THH:MM:" of every minute of a day (7 bytes, padded to 8), so that a time of day takes two divisions, not five. */
const HOURS_MINUTES = new Uint8Array(1440 * 8);
for (let minute = 0; minute < 1440; minute++) {
  HOURS_MINUTES[minute * 8] = 84; // 'T'
  const at = writeTwoDigits(HOURS_MINUTES, minute * 8 + 1, Math.floor(minute / 60));
  HOURS_MINUTES[at] = 58; // ':'
  HOURS_MINUTES[writeTwoDigits(HOURS_MINUTES, at + 1, minute % 60)] = 58;
}
const HOURS_MINUTES_WORDS = new DataView(HOURS_MINUTES.buffer);

/** Writes "THH:MM:SS.mmmZ" for milliseconds since midnight. */
function writeTimeOfDay(buf: Uint8Array, pos: number, ms: number): number {
  // ms < 86,400,000 < 2^31: truncating integer division is exact here.
  const minute = (ms / 60_000) | 0;
  ms -= minute * 60_000;
  const seconds = (ms / 1000) | 0;
  const out = viewOf(buf);
  out.setUint32(pos, HOURS_MINUTES_WORDS.getUint32(minute * 8));
  out.setUint32(pos + 3, HOURS_MINUTES_WORDS.getUint32(minute * 8 + 3));
  pos = writeTwoDigits(buf, pos + 7, seconds);
  buf[pos++] = 46; // '.'
  pos = writeThreeDigits(buf, pos, ms - seconds * 1000);
  buf[pos++] = 90; // 'Z'
  return pos;
}

/** Writes "YYYY-MM-DD" for days since 1970-01-01 (proleptic Gregorian calendar, as Date). */
function writeIsoDate(buf: Uint8Array, pos: number, days: number): number {
  civilDate(days);
  const [year, month, day] = CIVIL;
  pos = writePadded(buf, pos, year, 4);
  buf[pos++] = DASH;
  pos = writeTwoDigits(buf, pos, month);
  buf[pos++] = DASH;
  return writeTwoDigits(buf, pos, day);
}

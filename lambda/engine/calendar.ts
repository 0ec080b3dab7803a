/**
 * The civil calendar of epoch days, without a Date per value: what the timestamp writers and the date functions of
 * derived columns both count with.
 */

/** Where civilDate leaves its result: year, month (1-12), day (1-31). One shared slot costs no allocation per cell. */
export const CIVIL = new Int32Array(3);

/**
 * The proleptic Gregorian date (as Date's) of `days` since 1970-01-01, into CIVIL: counted in 400-year eras that
 * start on March 1st.
 */
export function civilDate(days: number): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  CIVIL[0] = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  CIVIL[1] = month;
  CIVIL[2] = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
}

/**
 * The expressions of an EventBridge Scheduler schedule (prop `schedule`), checked at synth time, so that a schedule
 * CloudFormation would refuse at deploy (or, worse, one that never fires as meant) fails `cdk synth` with the expression
 * and what to write instead. The rules are Scheduler's ("Schedule types on EventBridge Scheduler"):
 * - `rate(value unit)`: a positive whole number and `minute`, `hour` or `day`, singular for 1 and plural otherwise;
 * - `cron(minutes hours day-of-month month day-of-week year)`: six fields, each within its range, with `?` in exactly
 *   one of day-of-month and day-of-week;
 * - `at(yyyy-mm-ddThh:mm:ss)`: one time, in the schedule's time zone;
 * - the time zone, an IANA name such as `Europe/Paris`.
 */
import { fail } from './errors';

const RATE_UNITS = ['minute', 'hour', 'day'] as const;

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names that stand for numbers (JAN = 1, SUN = 1), upper case. */
  readonly names?: readonly string[];
  /** The special characters this field allows beyond `, - * /`. */
  readonly special: 'day-of-month' | 'day-of-week' | 'none';
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59, special: 'none' },
  { name: 'hours', min: 0, max: 23, special: 'none' },
  { name: 'day-of-month', min: 1, max: 31, special: 'day-of-month' },
  { name: 'month', min: 1, max: 12, names: MONTHS, special: 'none' },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, special: 'day-of-week' },
  { name: 'year', min: 1970, max: 2199, special: 'none' },
];
const DAY_OF_MONTH = 2;
const DAY_OF_WEEK = 4;

const CRON_EXAMPLE = 'cron(0 3 * * ? *) for 03:00 every day, cron(0/15 9-17 ? * MON-FRI *) for every 15 minutes of working hours';

/**
 * Checks a schedule expression and its time zone; throws InvalidInputError naming `where`, the expression and what to
 * write instead. An expression that is not yet known (a CDK token) is for the caller to leave out.
 */
export function validateScheduleExpression(where: string, expression: string, timeZone?: string): void {
  const match = /^(rate|cron|at)\((.*)\)$/s.exec(expression);
  if (!match) {
    fail(where, expression, 'expected rate(value unit), cron(minutes hours day-of-month month day-of-week year) or '
      + 'at(yyyy-mm-ddThh:mm:ss), e.g. rate(1 day), cron(0 3 * * ? *) or at(2027-01-01T03:00:00)');
  }
  const [, kind, body] = match!;
  if (kind === 'rate') validateRate(where, expression, body);
  else if (kind === 'cron') validateCron(where, expression, body);
  else validateAt(where, expression, body);
  if (timeZone !== undefined) validateTimeZone(`${where}'s time zone`, timeZone);
}

function validateRate(where: string, expression: string, body: string): void {
  const match = /^(\S+) (\S+)$/.exec(body);
  const value = match?.[1] ?? '';
  const unit = match?.[2] ?? '';
  if (!/^[1-9]\d*$/.test(value)) {
    fail(where, expression, 'a rate is a positive whole number and a unit, one space between, e.g. rate(5 minutes), rate(1 hour) or rate(2 days)');
  }
  const count = Number(value);
  const singular = unit.replace(/s$/, '');
  if (!(RATE_UNITS as readonly string[]).includes(singular)) {
    fail(where, expression, `the unit ${JSON.stringify(unit)} is not one of minute, hour or day (minutes, hours, days for more than one); `
      + `e.g. rate(${count} ${count === 1 ? 'day' : 'days'})`);
  }
  const expected = count === 1 ? singular : `${singular}s`;
  if (unit !== expected) {
    fail(where, expression, `the unit is singular for 1 and plural for more: write rate(${count} ${expected})`);
  }
}

function validateCron(where: string, expression: string, body: string): void {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== CRON_FIELDS.length) {
    const hint = fields.length === 5 ? `; Scheduler's cron has a year and ? in day-of-month or day-of-week: write ${asSixFields(fields)}` : '';
    fail(where, expression, `a cron expression has six fields (minutes hours day-of-month month day-of-week year), this has ${fields.length}`
      + `${hint || `, e.g. ${CRON_EXAMPLE}`}`);
  }
  fields.forEach((field, i) => validateCronField(where, expression, CRON_FIELDS[i], field));
  const dayOfMonth = fields[DAY_OF_MONTH];
  const dayOfWeek = fields[DAY_OF_WEEK];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    const instead = [...fields];
    if (dayOfMonth === '?') instead[DAY_OF_WEEK] = '*'; // both ?: keep every day of the month
    else if (dayOfWeek === '*') instead[DAY_OF_WEEK] = '?';
    else instead[DAY_OF_MONTH] = '?';
    fail(where, expression, 'one of day-of-month and day-of-week must be ?, and only one (Scheduler cannot combine both): '
      + `write cron(${instead.join(' ')})`);
  }
}

/** A five-field (Unix) cron as Scheduler writes it: the year added, and ? in place of the `*` day field. */
function asSixFields(fields: readonly string[]): string {
  const [minutes, hours, dayOfMonth, month, dayOfWeek] = fields;
  const days = dayOfWeek === '*' ? [dayOfMonth, '?'] : dayOfMonth === '*' ? ['?', dayOfWeek] : [dayOfMonth, '?'];
  return `cron(${[minutes, hours, days[0], month, days[1], '*'].join(' ')})`;
}

function validateCronField(where: string, expression: string, field: CronField, text: string): void {
  const refuse = (why: string): never =>
    fail(where, expression, `its ${field.name} field ${JSON.stringify(text)} ${why}; e.g. ${CRON_EXAMPLE}`);
  if (text === '?') {
    if (field.special === 'none') refuse('has ?, which only day-of-month and day-of-week allow');
    return;
  }
  const range = `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}`;
  const number = (part: string): number => {
    const upper = part.toUpperCase();
    const named = field.names?.indexOf(upper) ?? -1;
    const value = named >= 0 ? named + 1 : /^\d+$/.test(part) ? Number(part) : NaN;
    if (!(value >= field.min && value <= field.max)) refuse(`has ${JSON.stringify(part)}, which is not within ${range}`);
    return value;
  };
  for (const element of text.split(',')) {
    if (element === '') refuse('has an empty element between commas');
    if (field.special === 'day-of-month' && /^(L|LW|\d+W)$/i.test(element)) {
      if (/^\d+W$/i.test(element)) number(element.slice(0, -1));
      continue;
    }
    if (field.special === 'day-of-week' && /^(L|\w+L|\w+#\d+)$/i.test(element)) {
      if (element.includes('#')) {
        const [day, nth] = element.split('#');
        number(day);
        if (!/^[1-5]$/.test(nth)) refuse(`has ${JSON.stringify(element)}: the week after # is 1 to 5`);
      } else if (element.length > 1) {
        number(element.slice(0, -1));
      }
      continue;
    }
    const [base, step, extra] = element.split('/');
    if (extra !== undefined) refuse(`has ${JSON.stringify(element)}, with more than one /`);
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) refuse(`has ${JSON.stringify(element)}: the increment after / is a positive whole number`);
    if (base === '*') continue;
    const bounds = base.split('-');
    if (bounds.length > 2) refuse(`has ${JSON.stringify(element)}, which is not a value, a range a-b or *`);
    bounds.forEach(number);
  }
}

function validateAt(where: string, expression: string, body: string): void {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  const fields = match?.slice(1).map(Number);
  const valid = fields !== undefined && (() => {
    const [year, month, day, hour, minute, second] = fields;
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
      && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  })();
  if (!valid) {
    fail(where, expression, 'a one-time schedule is at(yyyy-mm-ddThh:mm:ss), a date and time that exist, without a zone or fraction '
      + '(the schedule\'s time zone applies), e.g. at(2027-01-01T03:00:00)');
  }
}

function validateTimeZone(where: string, timeZone: string): void {
  let known: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    known = /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timeZone);
  } catch {
    known = false;
  }
  if (!known) fail(where, timeZone, 'expected an IANA time zone name, such as UTC, Europe/Paris or America/New_York (TimeZone.of(name))');
}

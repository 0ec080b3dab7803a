/**
 * Schedules checked at synth (src/contract/schedule-expression.ts): every expression EventBridge Scheduler accepts
 * synthesizes, and each one it would refuse at deploy fails `cdk synth` with the expression and what to write instead.
 */
import { App, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { Column, Schema, SyntheticDataGenerator } from '../../src';
import { validateScheduleExpression } from '../../src/contract/schedule-expression';

const check = (expression: string, timeZone?: string) => () => validateScheduleExpression('prop schedule', expression, timeZone);

describe('schedule expressions Scheduler accepts pass', () => {
  test.each([
    'rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(30 days)',
    'cron(0 3 * * ? *)', 'cron(0/15 9-17 ? * MON-FRI *)', 'cron(0 2 1 * ? *)', 'cron(15 10 ? * 6L 2027-2030)',
    'cron(0 8 ? JAN,jul 2#1 *)', 'cron(0 0 L * ? *)', 'cron(0 0 15W * ? *)', 'cron(0 0 LW * ? *)', 'cron(59 23 31 12 ? 2199)',
    'cron(*/5 * ? * * *)', 'cron(0 12 ? * SUN-SAT 1970)', 'at(2027-01-01T03:00:00)', 'at(2028-02-29T23:59:59)',
  ])('%s', (expression) => {
    expect(check(expression)).not.toThrow();
  });

  test('with an IANA time zone', () => {
    expect(check('cron(0 3 * * ? *)', 'Europe/Paris')).not.toThrow();
    expect(check('rate(1 day)', 'UTC')).not.toThrow();
  });

  test('every expression aws-cdk-lib builds', () => {
    for (const expression of [
      ScheduleExpression.rate(Duration.minutes(1)), ScheduleExpression.rate(Duration.hours(6)), ScheduleExpression.rate(Duration.days(2)),
      ScheduleExpression.cron({ minute: '0', hour: '2', timeZone: TimeZone.EUROPE_PARIS }),
      ScheduleExpression.cron({ minute: '30', hour: '8', weekDay: 'MON-FRI' }),
      ScheduleExpression.cron({ day: '1', month: '1', year: '2030' }),
      ScheduleExpression.at(new Date(Date.UTC(2027, 0, 1, 3)), TimeZone.ASIA_TOKYO),
    ]) {
      expect(check(expression.expressionString, expression.timeZone?.timezoneName)).not.toThrow();
    }
  });
});

describe('schedule expressions Scheduler refuses fail, saying what to write instead', () => {
  test.each([
    ['a five-field (Unix) cron', 'cron(0 3 * * *)',
      'prop schedule is "cron(0 3 * * *)": a cron expression has six fields (minutes hours day-of-month month day-of-week year), this has 5; '
      + 'Scheduler\'s cron has a year and ? in day-of-month or day-of-week: write cron(0 3 * * ? *)'],
    ['a five-field cron on weekdays', 'cron(30 8 * * MON-FRI)', /this has 5; .*write cron\(30 8 \? \* MON-FRI \*\)$/],
    ['a cron of seven fields', 'cron(0 0 3 * * ? *)', /this has 7, e\.g\. cron\(0 3 \* \* \? \*\) for 03:00 every day/],
    ['an hour of 25', 'cron(0 25 * * ? *)', /prop schedule is "cron\(0 25 \* \* \? \*\)": its hours field "25" has "25", which is not within 0-23; e\.g\. cron/],
    ['a minute of 60', 'cron(60 3 * * ? *)', /its minutes field "60" has "60", which is not within 0-59/],
    ['a month of 13', 'cron(0 3 1 13 ? *)', /its month field "13" has "13", which is not within 1-12 or JAN-DEC/],
    ['an unknown month name', 'cron(0 3 1 JANUARY ? *)', /its month field "JANUARY" has "JANUARY", which is not within 1-12 or JAN-DEC/],
    ['a weekday of 8', 'cron(0 3 ? * 8 *)', /its day-of-week field "8" has "8", which is not within 1-7 or SUN-SAT/],
    ['a year before 1970', 'cron(0 3 * * ? 1969)', /its year field "1969" has "1969", which is not within 1970-2199/],
    ['? in the hours', 'cron(0 ? * * ? *)', /its hours field "\?" has \?, which only day-of-month and day-of-week allow/],
    ['an increment of 0', 'cron(0/0 3 * * ? *)', /its minutes field "0\/0" has "0\/0": the increment after \/ is a positive whole number/],
    ['the sixth week', 'cron(0 3 ? * MON#6 *)', /the week after # is 1 to 5/],
    ['an empty list element', 'cron(0 3,,4 * * ? *)', /its hours field "3,,4" has an empty element between commas/],
    ['* in both day fields', 'cron(0 3 * * * *)',
      /one of day-of-month and day-of-week must be \?, and only one \(Scheduler cannot combine both\): write cron\(0 3 \* \* \? \*\)$/],
    ['values in both day fields', 'cron(0 3 1 * MON *)', /write cron\(0 3 \? \* MON \*\)$/],
    ['? in both day fields', 'cron(0 3 ? * ? *)', /write cron\(0 3 \? \* \* \*\)$/],
    ['a misspelt rate unit', 'rate(1 dya)',
      'prop schedule is "rate(1 dya)": the unit "dya" is not one of minute, hour or day (minutes, hours, days for more than one); e.g. rate(1 day)'],
    ['a plural unit for 1', 'rate(1 days)', 'prop schedule is "rate(1 days)": the unit is singular for 1 and plural for more: write rate(1 day)'],
    ['a singular unit for more', 'rate(5 minute)', /write rate\(5 minutes\)$/],
    ['seconds', 'rate(30 seconds)', /the unit "seconds" is not one of minute, hour or day/],
    ['a rate of 0', 'rate(0 hours)', /a rate is a positive whole number and a unit, one space between, e\.g\. rate\(5 minutes\)/],
    ['a fractional rate', 'rate(1.5 hours)', /a rate is a positive whole number/],
    ['a day that does not exist', 'at(2027-02-29T03:00:00)', /a one-time schedule is at\(yyyy-mm-ddThh:mm:ss\), a date and time that exist/],
    ['a time with a zone', 'at(2027-01-01T03:00:00Z)', /without a zone or fraction/],
    ['no kind at all', '0 3 * * ?', /expected rate\(value unit\), cron\(minutes hours day-of-month month day-of-week year\) or at\(yyyy-mm-ddThh:mm:ss\)/],
  ])('%s: %s', (_name, expression, message) => {
    expect(check(expression)).toThrow(message);
  });

  test('an unknown time zone', () => {
    expect(check('cron(0 3 * * ? *)', 'Europe/Pariss')).toThrow(
      'prop schedule\'s time zone is "Europe/Pariss": expected an IANA time zone name, such as UTC, Europe/Paris or America/New_York (TimeZone.of(name))');
  });
});

describe('the construct checks prop schedule at synth', () => {
  const build = (schedule: ScheduleExpression) => () => {
    const stack = new Stack(new App(), 'TestStack');
    new SyntheticDataGenerator(stack, 'Generator', { schema: Schema.fromColumns([Column.uuid('id')]), schedule });
  };

  test('a five-field cron fails synth, naming the construct, the expression and the six-field form', () => {
    expect(build(ScheduleExpression.expression('cron(0 3 * * *)'))).toThrow(
      'SyntheticDataGenerator TestStack/Generator: prop schedule is "cron(0 3 * * *)": a cron expression has six fields '
      + '(minutes hours day-of-month month day-of-week year), this has 5; Scheduler\'s cron has a year and ? in day-of-month or day-of-week: '
      + 'write cron(0 3 * * ? *)');
  });

  test('a misspelt rate and an hour of 25 fail synth', () => {
    expect(build(ScheduleExpression.expression('rate(1 dya)'))).toThrow(/^SyntheticDataGenerator TestStack\/Generator: prop schedule is "rate\(1 dya\)"/);
    expect(build(ScheduleExpression.expression('cron(0 25 * * ? *)'))).toThrow(/prop schedule is "cron\(0 25 \* \* \? \*\)": its hours field/);
  });

  test('an unknown time zone fails synth', () => {
    expect(build(ScheduleExpression.expression('cron(0 3 * * ? *)', TimeZone.of('Mars/Olympus')))).toThrow(
      /^SyntheticDataGenerator TestStack\/Generator: prop schedule's time zone is "Mars\/Olympus": expected an IANA time zone name/);
  });

  test('a valid schedule synthesizes', () => {
    expect(build(ScheduleExpression.expression('cron(0 3 * * ? *)', TimeZone.EUROPE_PARIS))).not.toThrow();
  });
});

/**
 * The one validator of a schema's JSON form (the document types are in column-documents.ts).
 *
 * The construct validates with this code at synth time and the handler validates with it again at run time (the
 * environment can be edited outside CDK), so a schema that synthesizes is a schema that runs. It is compiled by jsii
 * into the library and bundled by esbuild into the handler; it depends on the contract's own modules and, through
 * the expression checker, on the expression parser (jsep).
 */
import { validateChildCountLaw } from './child-counts';
import type {
  Cardinality, ColumnDocument, ColumnType, LookupColumnDocument, ReferenceColumnDocument, SchemaDocument,
} from './column-documents';
import { decimalSteps } from './decimal';
import { typeDerivedColumns } from './derived-typing';
import { validateDistinctValues } from './distinct-values';
import { validateDistribution, validateTimeLayout } from './distributions';
import { validateEntities, validateEntity } from './entities';
import { describeValue, fail, InvalidInputError, oneLine, unwritableText } from './errors';
import { FAKER_METHODS } from './faker-methods';
import { checkLaggedColumns, validateLaggedColumn } from './lags';
import { MAX_ROWS_CEILING, REFERENCE_LIMITS, SCHEMA_LIMITS } from './limits';
import { logicalTypeOf } from './logical-types';
import { withoutNegativeZero } from './negative-zero';
import { checkSeriesColumns, validateSeriesTimeColumn, validateSeriesValueColumn } from './series';

/** What a column option is when the schema does not say: the one place these values live. */
export const COLUMN_DEFAULTS = {
  integer: { min: 0, max: 1000 },
  decimal: { min: 0, max: 1000, fractionDigits: 2 },
  timestamp: { from: '2024-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z' },
  sequence: { start: 1, step: 1 },
} as const;

const COLUMN_TYPES: readonly ColumnType[] = ['uuid', 'faker', 'integer', 'decimal', 'timestamp', 'oneOf', 'sequence', 'reference', 'lookup', 'timestampAfter', 'seriesTime', 'seriesValue', 'derived'];
const FAKER_METHOD_SET = new Set(FAKER_METHODS);
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})(T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,3})?)?Z)?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireFiniteNumber(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, value, 'expected a finite number');
  return value;
}

function requireInteger(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(where, value, 'expected a whole number');
  return value;
}

function requireString(where: string, value: unknown): string {
  if (typeof value !== 'string') fail(where, value, 'expected a string');
  return value;
}

function rejectUnknownKeys(where: string, record: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) {
      throw new InvalidInputError(`${where} has an unknown field ${describeValue(key)}: allowed fields are ${known.join(', ')}`);
    }
  }
}

function validateRange(where: string, min: number, max: number): void {
  if (min > max) throw new InvalidInputError(`${where}: min (${min}) is greater than max (${max}); set min <= max`);
}

function validateTimestamp(where: string, value: unknown): string {
  const text = requireString(where, value);
  const parts = ISO_UTC.exec(text);
  // Date.parse rolls impossible dates over (2024-02-30 becomes March 1st): compare the fields back.
  const [year, month, day, hour, minute, second] = [1, 2, 3, 5, 6, 8].map((i) => Number(parts?.[i] ?? 0));
  // Date.UTC reads the years 0 to 99 as 1900 to 1999: set the full year on its own.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second);
  const exact = parts !== null && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  if (!exact) {
    fail(where, value, 'expected a real calendar date or UTC timestamp in ISO-8601, such as "2024-01-01" or "2024-12-31T23:59:59Z"');
  }
  return text;
}


function withDistinct(distinctValues: number | undefined): Cardinality {
  return distinctValues === undefined ? {} : { distinctValues };
}

/** Validates one column and returns it with its defaults applied. */
function validateColumn(where: string, raw: unknown): ColumnDocument {
  if (!isRecord(raw)) fail(where, raw, 'expected an object such as {"name": "order_id", "type": "uuid"}');
  const name = requireString(`${where}.name`, raw.name);
  if (!SCHEMA_LIMITS.columnNamePattern.test(name)) {
    fail(`${where}.name`, name, 'a column name starts with a letter or _, then letters, digits or _, at most 128 characters (names Athena and Glue accept)');
  }
  const at = `${where} (${name})`;
  const type = raw.type;
  if (typeof type !== 'string' || !COLUMN_TYPES.includes(type as ColumnType)) {
    fail(`${at}.type`, type, `allowed types are ${COLUMN_TYPES.join(', ')}`);
  }
  let nullPercent: number | undefined;
  if (raw.nullPercent !== undefined) {
    nullPercent = requireFiniteNumber(`${at}.nullPercent`, raw.nullPercent);
    if (nullPercent < 0 || nullPercent > 100) fail(`${at}.nullPercent`, nullPercent, 'a percentage from 0 to 100');
  }
  if (raw.omit !== undefined && typeof raw.omit !== 'boolean') fail(`${at}.omit`, raw.omit, 'true (a helper column, made but not written) or false');
  const base = { name, ...(nullPercent === undefined ? {} : { nullPercent }), ...(raw.omit === true ? { omit: true } : {}) };
  const common = ['name', 'type', 'nullPercent', 'omit'];

  switch (type as ColumnType) {
    case 'uuid':
      rejectUnknownKeys(at, raw, common);
      return { ...base, type: 'uuid' };
    case 'faker': {
      rejectUnknownKeys(at, raw, [...common, 'method', 'entity', 'distinctValues']);
      const method = requireString(`${at}.method`, raw.method);
      if (!FAKER_METHOD_SET.has(method)) {
        const module = method.split('.')[0];
        const sameModule = FAKER_METHODS.filter((m) => m.startsWith(`${module}.`)).slice(0, 12);
        const hint = sameModule.length > 0
          ? `methods of "${module}" include ${sameModule.join(', ')}`
          : 'use "module.method" as in the faker docs, e.g. person.fullName, internet.email, commerce.productName, location.state';
        fail(`${at}.method`, method, `not a faker method that takes no arguments and returns a cell value; ${hint}`);
      }
      const entity = validateEntity(at, raw, method);
      const distinctValues = validateDistinctValues(at, raw, { method });
      return { ...base, type: 'faker', method, ...(entity === undefined ? {} : { entity }), ...withDistinct(distinctValues) };
    }
    case 'integer': {
      rejectUnknownKeys(at, raw, [...common, 'min', 'max', 'distribution', 'distinctValues']);
      const min = raw.min === undefined ? COLUMN_DEFAULTS.integer.min : requireInteger(`${at}.min`, raw.min);
      const max = raw.max === undefined ? COLUMN_DEFAULTS.integer.max : requireInteger(`${at}.max`, raw.max);
      validateRange(at, min, max);
      const distinctValues = withDistinct(validateDistinctValues(at, raw, { values: max - min + 1 }));
      if (raw.distribution === undefined) return { ...base, type: 'integer', min, max, ...distinctValues };
      const distribution = validateDistribution(fail, `${at}.distribution`, raw.distribution, { min, low: min, high: max, step: 1 });
      return { ...base, type: 'integer', min, max, distribution };
    }
    case 'decimal': {
      rejectUnknownKeys(at, raw, [...common, 'min', 'max', 'fractionDigits', 'distribution', 'distinctValues']);
      const defaults = COLUMN_DEFAULTS.decimal;
      const fractionDigits = raw.fractionDigits === undefined ? defaults.fractionDigits : requireInteger(`${at}.fractionDigits`, raw.fractionDigits);
      if (fractionDigits < 0 || fractionDigits > SCHEMA_LIMITS.maxFractionDigits) {
        fail(`${at}.fractionDigits`, fractionDigits, `a whole number from 0 to ${SCHEMA_LIMITS.maxFractionDigits}`);
      }
      // Values are drawn as whole multiples of 10^-fractionDigits: past the exact integers of a double,
      // the last digits written would be noise.
      const scale = 10 ** fractionDigits;
      const largest = Math.floor(Number.MAX_SAFE_INTEGER / scale);
      const bounded = (option: string, value: unknown) => {
        const n = requireFiniteNumber(`${at}.${option}`, value);
        if (Math.abs(n) > largest) {
          fail(`${at}.${option}`, n, `with ${fractionDigits} fraction digits a decimal keeps every digit only up to ${largest} in absolute value; `
            + 'use a smaller range or fewer fractionDigits');
        }
        return n;
      };
      const min = raw.min === undefined ? defaults.min : bounded('min', raw.min);
      const max = raw.max === undefined ? defaults.max : bounded('max', raw.max);
      validateRange(at, min, max);
      const { low, high } = decimalSteps(min, max, fractionDigits);
      if (low > high) {
        throw new InvalidInputError(`${at}: no value with ${fractionDigits} fraction digits lies between min (${min}) and max (${max}); `
          + 'widen the range or allow more fractionDigits');
      }
      const distinctValues = withDistinct(validateDistinctValues(at, raw, { values: high - low + 1 }));
      if (raw.distribution === undefined) return { ...base, type: 'decimal', min, max, fractionDigits, ...distinctValues };
      const distribution = validateDistribution(fail, `${at}.distribution`, raw.distribution, { min, low, high, step: 1 / scale });
      return { ...base, type: 'decimal', min, max, fractionDigits, distribution };
    }
    case 'timestamp': {
      rejectUnknownKeys(at, raw, [...common, 'from', 'to', 'order', 'hourWeights', 'dayWeights', 'distinctValues']);
      const from = raw.from === undefined ? COLUMN_DEFAULTS.timestamp.from : validateTimestamp(`${at}.from`, raw.from);
      const to = raw.to === undefined ? COLUMN_DEFAULTS.timestamp.to : validateTimestamp(`${at}.to`, raw.to);
      if (Date.parse(from) > Date.parse(to)) {
        throw new InvalidInputError(`${at}: from (${from}) is later than to (${to}); set from <= to`);
      }
      const instants = Date.parse(to) - Date.parse(from) + 1;
      const distinctValues = withDistinct(validateDistinctValues(at, raw, { values: instants }));
      return { ...base, type: 'timestamp', from, to, ...validateTimeLayout(fail, at, raw, Date.parse(from), Date.parse(to)), ...distinctValues };
    }
    case 'oneOf': {
      rejectUnknownKeys(at, raw, [...common, 'values', 'weights']);
      const values = raw.values;
      if (!Array.isArray(values) || values.length === 0 || values.length > SCHEMA_LIMITS.maxOneOfValues) {
        fail(`${at}.values`, values, `expected a list of 1 to ${SCHEMA_LIMITS.maxOneOfValues} strings`);
      }
      values.forEach((v, i) => {
        const problem = unwritableText(requireString(`${at}.values[${i}]`, v));
        if (problem !== undefined) fail(`${at}.values[${i}]`, v, problem);
      });
      if (raw.weights === undefined) return { ...base, type: 'oneOf', values: values as string[] };
      const weights = raw.weights;
      if (!Array.isArray(weights) || weights.length !== values.length) {
        fail(`${at}.weights`, weights, `expected one weight per value (${values.length} numbers)`);
      }
      weights.forEach((w, i) => {
        const weight = requireFiniteNumber(`${at}.weights[${i}]`, w);
        if (weight < 0) fail(`${at}.weights[${i}]`, weight, 'weights are zero or positive');
      });
      const total = (weights as number[]).reduce((a, b) => a + b, 0);
      if (total <= 0) fail(`${at}.weights`, weights, 'at least one weight must be positive');
      // Values are picked in proportion to weight / total: an infinite total would pick only the last one.
      if (!Number.isFinite(total)) {
        fail(`${at}.weights`, weights, `the weights add up to more than ${Number.MAX_VALUE}; use smaller weights, such as percentages`);
      }
      return { ...base, type: 'oneOf', values: values as string[], weights: weights as number[] };
    }
    case 'sequence': {
      rejectUnknownKeys(at, raw, [...common, 'start', 'step']);
      const start = raw.start === undefined ? COLUMN_DEFAULTS.sequence.start : requireInteger(`${at}.start`, raw.start);
      const step = raw.step === undefined ? COLUMN_DEFAULTS.sequence.step : requireInteger(`${at}.step`, raw.step);
      if (step === 0) fail(`${at}.step`, step, 'a non-zero whole number');
      // Every value a run can reach must be an exact integer, or neighbouring rows would repeat a value.
      // Counted in BigInt (a double's span can round back into range), and the span itself must be exact
      // too, so that start + i × step is exact in doubles for every row i.
      const span = BigInt(step) * BigInt(MAX_ROWS_CEILING - 1);
      const exact = (n: bigint) => n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER);
      if (!exact(span) || !exact(BigInt(start) + span)) {
        throw new InvalidInputError(`${at}: start (${start}) + step (${step}) × ${MAX_ROWS_CEILING - 1} rows leaves the exact integer range `
          + `(±${Number.MAX_SAFE_INTEGER}); use a smaller start or step`);
      }
      return { ...base, type: 'sequence', start, step };
    }
    case 'reference':
      return validateReferenceColumn(at, raw, base, common);
    case 'lookup':
      return validateLookupColumn(at, raw, base, common);
    case 'timestampAfter':
      rejectUnknownKeys(at, raw, [...common, 'after', 'minLag', 'maxLag', 'unit', 'distribution']);
      return validateLaggedColumn(at, raw, base);
    case 'seriesTime':
      rejectUnknownKeys(at, raw, [...common, 'reference', 'start', 'from', 'to']);
      return validateSeriesTimeColumn(at, raw, base, validateTimestamp);
    case 'seriesValue':
      rejectUnknownKeys(at, raw, [...common, 'reference', 'time', 'level', 'drift', 'daily', 'weekly', 'noise', 'fractionDigits']);
      return validateSeriesValueColumn(at, raw, base);
    case 'derived': {
      // The expression is type-checked with the whole table (validateSchemaDocument): it names other columns.
      rejectUnknownKeys(at, raw, [...common, 'expression']);
      return { ...base, type: 'derived', expression: requireString(`${at}.expression`, raw.expression) };
    }
  }
}

const TABLE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** A table's name: a folder in the bucket and a Glue table, so lower case, digits and "_" (names Athena accepts as they are). */
export function validateTableName(where: string, value: unknown): string {
  if (typeof value !== 'string' || !TABLE_NAME.test(value)) {
    fail(where, value, 'a table name is 1 to 64 lower-case letters, digits or "_", starting with a letter (such as "order_items")');
  }
  return value;
}

/** The options of a reference column; whether its table and column exist is the dataset's check (dataset-document.ts). */
function validateReferenceColumn(
  at: string, raw: Record<string, unknown>, base: { name: string; nullPercent?: number; omit?: boolean }, common: string[],
): ReferenceColumnDocument {
  rejectUnknownKeys(at, raw, [...common, 'table', 'column', 'skew', 'children']);
  const table = validateTableName(`${at}.table`, raw.table);
  const column = requireString(`${at}.column`, raw.column);
  const document: { -readonly [K in keyof ReferenceColumnDocument]: ReferenceColumnDocument[K] } = { ...base, type: 'reference', table, column };
  if (raw.skew !== undefined) {
    const skew = requireFiniteNumber(`${at}.skew`, raw.skew);
    if (skew <= 0 || skew > REFERENCE_LIMITS.maxSkew) {
      fail(`${at}.skew`, skew, `a Zipf exponent above 0 and at most ${REFERENCE_LIMITS.maxSkew} (1 is classic Zipf; leave it out for a uniform choice)`);
    }
    document.skew = skew;
  }
  if (raw.children !== undefined) {
    if (!isRecord(raw.children)) fail(`${at}.children`, raw.children, 'expected {"min": 1, "max": 5}: how many rows each parent has');
    rejectUnknownKeys(`${at}.children`, raw.children, ['min', 'max', 'distribution']);
    const min = requireInteger(`${at}.children.min`, raw.children.min);
    const max = requireInteger(`${at}.children.max`, raw.children.max);
    // Counts drawn from a law may be zero; the paired layout's may not (a pair's counts add up to min + max).
    const paired = isRecord(raw.children.distribution) && raw.children.distribution.kind === 'paired';
    const least = paired ? 1 : 0;
    if (min < least || max > REFERENCE_LIMITS.maxChildren || min > max) {
      fail(`${at}.children`, raw.children, `min and max are whole numbers with ${least} <= min <= max <= ${REFERENCE_LIMITS.maxChildren}`
        + (least === 1 ? ' (0 children is allowed with a distribution of counts other than the paired layout, {"kind": "poisson", "mean": 2} for instance)' : ''));
    }
    const distribution = raw.children.distribution === undefined ? undefined
      : validateChildCountLaw(`${at}.children.distribution`, raw.children.distribution, min, max);
    if (document.skew !== undefined) {
      throw new InvalidInputError(`${at}: skew and children are both set: with children, each parent has its own rows in turn, so there is no parent to choose; remove skew`);
    }
    if (base.nullPercent !== undefined && base.nullPercent > 0) {
      throw new InvalidInputError(`${at}: nullPercent is ${base.nullPercent} with children: every child row belongs to a parent; remove nullPercent`);
    }
    document.children = distribution === undefined ? { min, max } : { min, max, distribution };
  }
  return document;
}

/** The options of a lookup column; whether its path and column exist is the dataset's check (dataset-document.ts, resolveLookup). */
function validateLookupColumn(
  at: string, raw: Record<string, unknown>, base: { name: string; nullPercent?: number; omit?: boolean }, common: string[],
): LookupColumnDocument {
  rejectUnknownKeys(at, raw, [...common, 'through', 'column']);
  if (base.nullPercent !== undefined) {
    throw new InvalidInputError(`${at}: nullPercent is ${base.nullPercent} on a lookup: a looked-up cell is null exactly where the parent's `
      + 'cell (or an optional reference on the way) is null; remove nullPercent, or set it on the parent column');
  }
  const through = typeof raw.through === 'string' ? [raw.through] : raw.through;
  const { maxLookupDepth } = REFERENCE_LIMITS;
  if (!Array.isArray(through) || through.length === 0 || through.length > maxLookupDepth) {
    fail(`${at}.through`, raw.through, `expected the reference column to follow ("order_id"), or a list of 1 to ${maxLookupDepth} of them, `
      + 'each in the table the one before points at (["order_id", "customer_id"])');
  }
  through.forEach((step, i) => requireString(`${at}.through[${i}]`, step));
  const column = requireString(`${at}.column`, raw.column);
  return { ...base, type: 'lookup', through: through as string[], column };
}

/**
 * Validates a schema document (already parsed from JSON) and returns it with every default made explicit.
 * @param where how the caller names the document in messages, e.g. `schema` or `environment SYNTHETIC_DATA_SCHEMA`
 */
export function validateSchemaDocument(raw: unknown, where = 'schema', references: 'allowed' | 'refused' = 'refused'): SchemaDocument {
  if (!isRecord(raw)) fail(where, raw, 'expected an object {"columns": [...]}');
  rejectUnknownKeys(where, raw, ['columns']);
  const columns = raw.columns;
  if (!Array.isArray(columns) || columns.length === 0) {
    fail(`${where}.columns`, columns, 'a schema needs at least one column, e.g. [{"name": "order_id", "type": "uuid"}]');
  }
  if (columns.length > SCHEMA_LIMITS.maxColumns) {
    throw new InvalidInputError(`${where}.columns has ${columns.length} columns: at most ${SCHEMA_LIMITS.maxColumns} are allowed`);
  }
  const validated = columns.map((column, i) => validateColumn(`${where}.columns[${i}]`, column));
  // Athena and Glue fold column names to lower case: "Id" and "id" would be the same column there.
  const seen = new Map<string, number>();
  validated.forEach((column, i) => {
    const folded = column.name.toLowerCase();
    const first = seen.get(folded);
    if (first !== undefined) {
      const other = validated[first].name;
      const same = other === column.name ? '' : ` ("${other}" when case is ignored, as Athena and Glue do)`;
      throw new InvalidInputError(`${where}.columns[${i}].name is "${column.name}", already used by columns[${first}]${same}: column names must be unique`);
    }
    seen.set(folded, i);
  });
  validateEntities(where, validated);
  // A lag follows a timestamp of the row; what a lookup is, only the dataset knows (dataset-document.ts checks it then).
  const isTimestamp = (column: ColumnDocument) => (column.type === 'lookup' ? undefined : column.type !== 'reference' && logicalTypeOf(column).kind === 'timestamp');
  checkLaggedColumns(validated, (i) => `${where}.columns[${i}] (${validated[i].name})`, isTimestamp);
  checkSeriesColumns(validated, (i) => `${where}.columns[${i}] (${validated[i].name})`, isTimestamp);
  const reference = validated.findIndex((column) => column.type === 'reference' || column.type === 'lookup');
  if (references === 'refused' && reference >= 0) {
    const column = validated[reference];
    const what = column.type === 'reference' ? `a reference to table "${column.table}"` : `a lookup through ${describeValue((column as LookupColumnDocument).through.join('.'))}`;
    throw new InvalidInputError(`${where}.columns[${reference}] (${column.name}) is ${what}, but this schema is a single table: declare the dataset's tables `
      + '(the construct\'s prop tables, {"tables": [...]}) to relate them');
  }
  if (validated.every((column) => column.omit === true)) {
    throw new InvalidInputError(`${where}.columns: every column has omit: true, so nothing would be written; write at least one column`);
  }
  // With references, the key types are the dataset's: it types the derived columns then (dataset-document.ts).
  if (reference < 0) typeDerivedColumns(validated, { whereOf: (i) => `${where}.columns[${i}] (${validated[i].name}).expression` });
  return withoutNegativeZero({ columns: validated });
}

/** Parses and validates a schema from JSON text. */
export function parseSchemaDocument(json: string, where = 'schema', references: 'allowed' | 'refused' = 'refused'): SchemaDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    // The parser's message quotes the text around the error, which may hold raw newlines or controls.
    throw new InvalidInputError(`${where} is not valid JSON (${oneLine((e as Error).message, 200)}): expected {"columns": [...]}`);
  }
  return validateSchemaDocument(raw, where, references);
}

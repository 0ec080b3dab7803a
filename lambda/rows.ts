/**
 * Row generation: turns a validated schema, a seed and a row count into rows of CSV cells.
 *
 * Kept apart from files, S3 and logging so it can be tested on its own and replaced by a faster
 * engine without touching the handler: the contract is "same (schema, seed, rows) → same cells".
 */
import { base, en, Faker } from '@faker-js/faker';
import { decimalSteps, type ColumnDocument, type SchemaDocument } from '../src/contract/schema-document';

/** One row: one string per column, in schema order. An empty string is a null cell. */
export type Row = string[];

/**
 * The "now" that faker's relative-date methods (date.past, date.recent, date.birthdate, ...) count from.
 * Fixed rather than the wall clock, so a seed reproduces the same file on any day.
 */
export const REFERENCE_DATE = '2025-01-01T00:00:00.000Z';

type CellMaker = (rowIndex: number) => string;

/** The header row: the schema's column names in order. */
export function columnNames(schema: SchemaDocument): string[] {
  return schema.columns.map((column) => column.name);
}

/**
 * Yields `rows` rows for `schema`, drawn from a faker seeded with `seed`.
 * Lazy, so a caller streaming to a file holds one row at a time whatever the row count.
 */
export function* generateRows(schema: SchemaDocument, seed: number, rows: number): Generator<Row, void, undefined> {
  // A private instance: the seed and reference date of one run cannot leak into another.
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  faker.setDefaultRefDate(REFERENCE_DATE);
  const makers = schema.columns.map((column) => withNulls(faker, column, cellMaker(faker, column)));
  for (let rowIndex = 0; rowIndex < rows; rowIndex++) {
    const row: Row = new Array<string>(makers.length);
    for (let c = 0; c < makers.length; c++) row[c] = makers[c](rowIndex);
    yield row;
  }
}

function withNulls(faker: Faker, column: ColumnDocument, make: CellMaker): CellMaker {
  const percent = column.nullPercent ?? 0;
  // No draw from the RNG when a column has no nulls, so adding `nullPercent: 0` changes nothing.
  if (percent <= 0) return make;
  if (percent >= 100) return () => '';
  const probability = percent / 100;
  return (rowIndex) => (faker.datatype.boolean({ probability }) ? '' : make(rowIndex));
}

/** Resolves a column to a function making its cells, once per run rather than once per cell. */
function cellMaker(faker: Faker, column: ColumnDocument): CellMaker {
  switch (column.type) {
    case 'uuid':
      return () => faker.string.uuid();
    case 'faker':
      return fakerMethodCell(faker, column.method);
    case 'integer': {
      const range = { min: column.min, max: column.max };
      return () => String(faker.number.int(range));
    }
    case 'decimal': {
      // Whole steps of 10^-fractionDigits, counted as the validator does (faker's float misses a bound such as 0.07).
      const { low, high } = decimalSteps(column.min, column.max, column.fractionDigits);
      const scale = 10 ** column.fractionDigits;
      // toFixed keeps trailing zeros (12.50, not 12.5), so every cell of a column has the same scale.
      return () => (faker.number.int({ min: low, max: high }) / scale).toFixed(column.fractionDigits);
    }
    case 'timestamp': {
      const range = { from: column.from, to: column.to };
      return () => faker.date.between(range).toISOString();
    }
    case 'oneOf':
      return oneOfCell(faker, column.values, column.weights);
    case 'sequence': {
      const { start, step } = column;
      return (rowIndex) => String(start + rowIndex * step);
    }
  }
}

function fakerMethodCell(faker: Faker, method: string): CellMaker {
  // The schema validator only lets through names from FAKER_METHODS, all of them `module.method`
  // functions that take no arguments; this lookup still fails loudly if the bundled faker disagrees.
  const [moduleName, methodName] = method.split('.');
  const module = (faker as unknown as Record<string, Record<string, unknown> | undefined>)[moduleName];
  const fn = module?.[methodName];
  if (typeof fn !== 'function') {
    throw new Error(`faker method "${method}" does not exist in the bundled @faker-js/faker; the schema validator and the bundle disagree`);
  }
  const call = fn.bind(module) as () => unknown;
  return () => {
    const value = call();
    return value instanceof Date ? value.toISOString() : String(value);
  };
}

function oneOfCell(faker: Faker, values: readonly string[], weights: readonly number[] | undefined): CellMaker {
  if (weights === undefined) return () => faker.helpers.arrayElement(values);
  // The schema allows a weight of 0 (a value that never appears); faker rejects it, so drop those values.
  const weighted = values.map((value, i) => ({ value, weight: weights[i] })).filter((entry) => entry.weight > 0);
  return () => faker.helpers.weightedArrayElement(weighted);
}

/**
 * Schemas that suites of two layers share: the unit suites make small runs of them, and
 * test/statistical/worker-threads.test.ts makes runs of 10^5 rows of the same ones on worker threads.
 */
import { schemaOf } from './engine-output';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { COMPRESSIONS, type OutputFormatDocument } from '../../src/contract/output-format';

/** Every column type, nulls, a pooled faker method and text that needs quoting: rows whose bytes vary in length. */
export const VARIED_LENGTH_ROWS = schemaOf(
  { name: 'id', type: 'uuid' },
  { name: 'n', type: 'sequence', start: 10, step: 3 },
  { name: 'name', type: 'faker', method: 'person.fullName', nullPercent: 10 },
  { name: 'city', type: 'faker', method: 'location.city' },
  { name: 'qty', type: 'integer', min: -5, max: 5, nullPercent: 30 },
  { name: 'price', type: 'decimal', min: 0, max: 10, fractionDigits: 3 },
  { name: 'at', type: 'timestamp', from: '1999-12-31T23:59:59Z', to: '2000-01-01T00:00:01Z' },
  { name: 'note', type: 'oneOf', values: ['plain', 'with, comma', 'two\nlines', '=SUM(A1)', 'say "hi"'], weights: [5, 1, 1, 1, 0] },
);

/** Order items with a line total, and derived values of every result type; quantity has nulls, which propagate. */
export const ORDER_ITEMS = schemaOf(
  { name: 'product', type: 'faker', method: 'commerce.productName' },
  { name: 'quantity', type: 'integer', min: 1, max: 10, nullPercent: 20 },
  { name: 'unit_price', type: 'decimal', min: 0.5, max: 500, fractionDigits: 2 },
  { name: 'ordered_at', type: 'timestamp', from: '2025-01-01T00:00:00Z', to: '2025-12-31T23:59:59Z' },
  { name: 'line_total', type: 'derived', expression: 'quantity * unit_price' },
  { name: 'big_order', type: 'derived', expression: 'coalesce(line_total, 0) > 1000' },
  { name: 'ship_date', type: 'derived', expression: 'addDays(ordered_at, if(big_order, 1, 5))', nullPercent: 10 },
  { name: 'label', type: 'derived', expression: 'upper(`${product} x${quantity}`)' },
  { name: 'per_unit', type: 'derived', expression: 'unit_price / coalesce(quantity, 1)' },
);

/** Every output format with every compression it takes. */
export const OUTPUTS: OutputFormatDocument[] = (['csv', 'jsonl', 'parquet'] as const).flatMap((format) => COMPRESSIONS[format].map((compression) => ({ format, compression })));
/** The outputs as `[name, output]`, for `describe.each` and `test.each`. */
export const NAMED_OUTPUTS = OUTPUTS.map((output) => [`${output.format}, ${output.compression}`, output] as const);

/** Every value type a format writes (faker numbers, dates and booleans too), nulls, and text that needs quoting. */
export const EVERY_VALUE_TYPE: SchemaDocument = schemaOf(
  { name: 'id', type: 'uuid' },
  { name: 'n', type: 'sequence', start: 10, step: 3 },
  { name: 'name', type: 'faker', method: 'person.fullName', nullPercent: 10 },
  { name: 'city', type: 'faker', method: 'location.city' },
  { name: 'lat', type: 'faker', method: 'location.latitude', nullPercent: 10 },
  { name: 'past', type: 'faker', method: 'date.past' },
  { name: 'flag', type: 'faker', method: 'datatype.boolean', nullPercent: 10 },
  { name: 'qty', type: 'integer', min: -5, max: 5, nullPercent: 30 },
  { name: 'price', type: 'decimal', min: 0, max: 10, fractionDigits: 3 },
  { name: 'at', type: 'timestamp', from: '1999-12-31T23:59:59Z', to: '2000-01-01T00:00:01Z' },
  { name: 'note', type: 'oneOf', values: ['plain', 'with, comma', 'two\nlines', '=SUM(A1)', 'say "hi"', 'tab\there'], weights: [5, 1, 1, 1, 1, 1] },
);

/** One column of each kind that takes `distinctValues`, each with its own N. */
export const DISTINCT_KINDS = [
  { name: 'store_id', type: 'integer', min: 1, max: 100_000, distinctValues: 500 },
  { name: 'price', type: 'decimal', min: 0, max: 20, fractionDigits: 2, distinctValues: 37 },
  { name: 'at', type: 'timestamp', from: '2024-01-01', to: '2024-01-02', distinctValues: 1000 },
  { name: 'company', type: 'faker', method: 'company.name', distinctValues: 300 },
  { name: 'product', type: 'faker', method: 'commerce.productName', distinctValues: 250 },
];

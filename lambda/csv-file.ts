/**
 * The CSV text of a run, in chunks, so that the caller can stream it with memory flat for any row count.
 */
import { stringify } from 'csv-stringify/sync';
import type { Row } from './rows';

/** Rows turned into text at a time: big enough to amortise per-write costs, small enough to stay flat. */
const ROWS_PER_CHUNK = 500;

// RFC 4180 with LF line ends. csv-stringify quotes fields holding the separator, a quote or LF, but
// not a lone CR, which RFC 4180 also requires to be quoted.
const CSV_OPTIONS = { delimiter: ',', record_delimiter: 'unix', quoted_match: '\r' } as const;

/** CSV text in chunks of ROWS_PER_CHUNK rows, the header first. `counted.rows` follows the rows yielded. */
export function* csvChunks(header: readonly string[], rows: Iterable<Row>, counted = { rows: 0 }): Generator<string, void, undefined> {
  yield stringify([header as string[]], CSV_OPTIONS);
  let batch: Row[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === ROWS_PER_CHUNK) {
      yield stringify(batch, CSV_OPTIONS);
      counted.rows += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) {
    yield stringify(batch, CSV_OPTIONS);
    counted.rows += batch.length;
  }
}

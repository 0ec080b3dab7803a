/**
 * DuckDB's side of `npm run bench`: DuckDB (@duckdb/node-api) on ONE thread makes a table of the sales table's shape
 * (uuid, two person-like strings, a product, an integer 1..20, a DECIMAL(9,2) 1..500, a timestamp in 2024, a US
 * state) with its own random values, and writes it with SQL `COPY` in one output format and compression.
 *
 *   node duckdb-copy.js --rows N --format csv|jsonl|parquet --compression none|gzip|zstd|snappy --out FILE
 *
 * Prints one JSON line in the format of the engine CLI and ../shared/bench/naive-baseline.mjs (engine, rows,
 * seconds, rows_per_s, mb_per_s, bytes, peak_rss_mb). The time is the COPY alone (not DuckDB's start).
 *
 * The strings are picked from short lists (low cardinality), so DuckDB's work per row is, if anything, lighter than
 * the engine's (faker's templates, unique uuids from the row's own hash): a ratio above 1 is not flattered.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';

const FIRST_NAMES = ['Ann', 'Bob', 'Carla', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jamal', 'Kofi', 'Lena', 'Marco', 'Nadia', 'Omar', 'Priya'];
const LAST_NAMES = ['Smith', 'Garcia', 'Nguyen', 'Okafor', 'Kowalski', 'Haddad', 'Tanaka', 'Silva', 'Muller', 'Rossi', 'Cohen', 'Patel', 'Larsen', 'Dubois'];
const PRODUCTS = ['Ergonomic Steel Chair', 'Rustic Cotton Shirt', 'Handmade Wooden Table', 'Sleek Granite Keyboard', 'Generic Rubber Shoes',
  'Practical Bronze Lamp', 'Small Frozen Pizza', 'Licensed Plastic Bike', 'Gorgeous Concrete Mouse', 'Tasty Metal Soap'];
const STATES = ['Alabama', 'Alaska', 'Arizona', 'California', 'Colorado', 'Florida', 'Georgia', 'Illinois', 'Maine', 'Nevada',
  'New York', 'Ohio', 'Oregon', 'Texas', 'Utah', 'Vermont', 'Washington', 'Wyoming'];

const FORMAT_OPTIONS: Record<string, (compression: string) => string> = {
  csv: (compression) => `FORMAT csv, HEADER true, COMPRESSION ${compression === 'none' ? 'uncompressed' : compression}`,
  jsonl: (compression) => `FORMAT json, COMPRESSION ${compression === 'none' ? 'uncompressed' : compression}`,
  parquet: (compression) => `FORMAT parquet, COMPRESSION ${compression === 'none' ? 'uncompressed' : compression}`,
};

const list = (values: readonly string[]) => `[${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ')}]`;
/** A uniform pick from a list literal (DuckDB lists count from 1). */
const pick = (values: readonly string[]) => `${list(values)}[1 + floor(random() * ${values.length})::INTEGER]`;

/** The SELECT of `rows` rows of the sales table's shape. */
function salesShapeSql(rows: number): string {
  return `SELECT
    gen_random_uuid() AS order_id,
    ${pick(FIRST_NAMES)} || ' ' || ${pick(LAST_NAMES)} AS customer,
    lower(${pick(FIRST_NAMES)}) || '.' || lower(${pick(LAST_NAMES)}) || '@example.com' AS email,
    ${pick(PRODUCTS)} AS product,
    (1 + floor(random() * 20))::INTEGER AS quantity,
    (1 + random() * 499)::DECIMAL(9,2) AS unit_price,
    TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_microseconds((random() * 31622399000000)::BIGINT) AS order_date,
    ${pick(STATES)} AS region
  FROM range(${rows})`;
}

function option(args: readonly string[], name: string, fallback: string): string {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
}

async function main(args: readonly string[]): Promise<void> {
  const rows = Number(option(args, 'rows', '1000000'));
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`--rows is ${JSON.stringify(option(args, 'rows', ''))}: expected a whole number >= 1`);
  const format = option(args, 'format', 'csv');
  const compression = option(args, 'compression', 'none');
  const options = FORMAT_OPTIONS[format];
  if (options === undefined) throw new Error(`--format is ${JSON.stringify(format)}: expected csv, jsonl or parquet`);
  const out = option(args, 'out', '');
  if (out === '') throw new Error('--out FILE is required: the file DuckDB writes');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const startedAt = performance.now();
    await connection.run(`COPY (${salesShapeSql(rows)}) TO '${out.replace(/'/g, "''")}' (${options(compression)})`);
    const seconds = (performance.now() - startedAt) / 1000;
    const bytes = fs.statSync(out).size;
    console.log(JSON.stringify({
      engine: `duckdb-1-thread-${format}${compression === 'none' ? '' : `-${compression}`}`,
      rows,
      seconds: Number(seconds.toFixed(3)),
      rows_per_s: Math.round(rows / seconds),
      mb_per_s: Number((bytes / 1e6 / seconds).toFixed(1)),
      bytes,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

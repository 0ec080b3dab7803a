/**
 * The demo's command line: `[--example E] [--rows N] [--seed S] [--format F [--compression C]] [--download DIR] [--shards K [--run-id ID]]`
 * (also `--rows=N`), validated.
 */
import { InvalidInputError } from '../src/contract/errors';
import { COMPRESSIONS, validateOutputFormat, type CompressionName, type FormatName, type OutputFormatDocument } from '../src/contract/output-format';
import { MAX_SHARDS, validateRunId } from '../src/contract/runs';
import { runIdOfScheduledTime } from '../src/contract/schedule';
import { MAX_SEED } from '../src/contract/settings';

export const USAGE = `usage: npm run demo -- [--example E] [--rows N] [--seed S] [--format F [--compression C]] [--download DIR] [--shards K [--run-id ID | --schedule-fire TIME]]
  --example E       sales (default): one table, examples/sales-app.ts; retail: a dataset of five related tables
                    (customers, products, orders, order_items, shipments), examples/retail-app.ts; iot: device
                    models, devices and their readings, examples/iot-app.ts. A dataset's conformance report,
                    foreign keys, lookups, times between tables, count laws and series are checked by DuckDB
                    from the files (not with --rows or --shards: each table has its rows)
  --rows N          rows to generate: a positive integer (default: the rows the example app configures)
  --seed S          seed of the generator: an integer from 0 to ${MAX_SEED} (default: a fresh seed, logged;
                    with --shards, one derived from the run id)
  --format F        the example's output format: csv (default), jsonl or parquet
  --compression C   its compression: for csv and jsonl ${COMPRESSIONS.csv.join(', ')} (default none);
                    for parquet ${COMPRESSIONS.parquet.join(', ')} (default zstd)
  --download DIR    copy the object (with --shards: the run's parts, manifest and _SUCCESS; with --example retail or iot:
                    each table's object into DIR/<table>/ and the dataset's manifest) into DIR
  --shards K        make the rows as one dataset of K parts (1 to ${MAX_SHARDS}), written in parallel by the
                    construct's Step Functions state machine, run by a local interpreter
  --run-id ID       with --shards: the run id (default: a fresh one); the run's objects are under <prefix>sales/ID/
  --schedule-fire TIME
                    with --shards: give the example a nightly schedule and completion events, fire the schedule
                    twice for the slot TIME (UTC, e.g. 2026-01-01T02:00:00Z), show that it made one dataset
                    (run scheduled-<TIME>) and print the completion event a rule received`;

/** A command line the demo does not accept; the message says what is wrong. */
export class UsageError extends Error {}

export const EXAMPLES = ['sales', 'retail', 'iot'] as const;
export type ExampleName = typeof EXAMPLES[number];

export interface DemoArgs {
  /** The example app: sales (one table, the default), retail or iot (datasets of related tables). */
  readonly example: ExampleName;
  readonly rows?: number;
  readonly seed?: number;
  readonly shards?: number;
  readonly runId?: string;
  /** The scheduled time to fire the example's schedule for (--schedule-fire). */
  readonly scheduleFire?: Date;
  readonly download?: string;
  /** The example's output format, when the command line names one. */
  readonly output?: OutputFormatDocument;
}

const NUMBERS = ['rows', 'seed', 'shards'];
const TEXTS = ['run-id', 'download', 'format', 'compression', 'schedule-fire', 'example'];

/** The demo's settings, or 'help'; throws UsageError. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs | 'help' {
  const numbers: Record<string, number> = {};
  const texts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--') continue; // `npx projen demo -- --rows N` passes the separator on
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || ![...NUMBERS, ...TEXTS].includes(match[1])) throw new UsageError(`unknown argument: ${arg}`);
    const [, name, inline] = match;
    const raw = inline ?? argv[++i];
    if (raw === undefined || raw === '') throw new UsageError(`--${name} needs a value`);
    if (name in numbers || name in texts) throw new UsageError(`--${name} given twice`);
    if (TEXTS.includes(name)) {
      texts[name] = raw;
      continue;
    }
    if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, not ${JSON.stringify(raw)}`);
    const value = Number(raw);
    if (name === 'rows' && (value < 1 || !Number.isSafeInteger(value))) throw new UsageError(`--rows must be at least 1, not ${raw}`);
    if (name === 'seed' && value > MAX_SEED) throw new UsageError(`--seed must be at most ${MAX_SEED}, not ${raw}`);
    if (name === 'shards' && (value < 1 || value > MAX_SHARDS)) throw new UsageError(`--shards must be from 1 to ${MAX_SHARDS}, not ${raw}`);
    numbers[name] = value;
  }
  if (numbers.shards === undefined) {
    if ('run-id' in texts) throw new UsageError('--run-id needs --shards');
    if ('schedule-fire' in texts) throw new UsageError('--schedule-fire needs --shards (the local cloud fires the schedule of a sharded run)');
  } else if (numbers.rows !== undefined && numbers.rows < numbers.shards) {
    throw new UsageError(`--rows (${numbers.rows}) must be at least --shards (${numbers.shards}): every part needs a row`);
  }
  const example = (texts.example ?? 'sales') as ExampleName;
  if (!EXAMPLES.includes(example)) throw new UsageError(`--example must be ${EXAMPLES.slice(0, -1).join(', ')} or ${EXAMPLES[EXAMPLES.length - 1]}, not ${JSON.stringify(texts.example)}`);
  if (example !== 'sales' && (numbers.rows !== undefined || numbers.shards !== undefined)) {
    throw new UsageError(`--example ${example} takes neither --rows nor --shards: each table of the dataset has its own rows, made by one invocation`);
  }
  if (texts['run-id'] !== undefined) usable(() => validateRunId('--run-id', texts['run-id']));
  if (texts['run-id'] !== undefined && texts['schedule-fire'] !== undefined) {
    throw new UsageError('--run-id and --schedule-fire exclude each other: a scheduled run is named after its scheduled time');
  }
  if (texts['schedule-fire'] !== undefined) usable(() => runIdOfScheduledTime('--schedule-fire', texts['schedule-fire']));
  if (texts.compression !== undefined && texts.format === undefined) throw new UsageError('--compression needs --format');
  const formats = Object.keys(COMPRESSIONS) as FormatName[];
  const format = texts.format as FormatName | undefined;
  if (format !== undefined && !formats.includes(format)) throw new UsageError(`--format must be ${formats.join(', ')}, not ${JSON.stringify(format)}`);
  if (format !== undefined && texts.compression !== undefined && !COMPRESSIONS[format].includes(texts.compression as CompressionName)) {
    throw new UsageError(`--compression of ${format} must be ${COMPRESSIONS[format].join(', ')}, not ${JSON.stringify(texts.compression)}`);
  }
  const output = format === undefined ? undefined : validateOutputFormat('--format', { format, compression: texts.compression ?? COMPRESSIONS[format][0] });
  return {
    example,
    ...numbers,
    ...texts['run-id'] !== undefined ? { runId: texts['run-id'] } : {},
    ...texts['schedule-fire'] !== undefined ? { scheduleFire: new Date(texts['schedule-fire']) } : {},
    ...texts.download !== undefined ? { download: texts.download } : {},
    ...output !== undefined ? { output } : {},
  };
}

/** A contract check's verdict on a command line value, as a usage error. */
function usable<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof InvalidInputError) throw new UsageError(e.message);
    throw e;
  }
}

/** The demo's command line: `[--rows N] [--seed S] [--shards K [--run-id ID] [--download DIR]]` (also `--rows=N`), validated. */
import { MAX_SHARDS, validateRunId } from '../src/contract/runs';
import { InvalidInputError } from '../src/contract/schema-document';
import { MAX_SEED } from '../src/contract/settings';

export const USAGE = `usage: npm run demo -- [--rows N] [--seed S] [--shards K [--run-id ID] [--download DIR]]
  --rows N       rows to generate: a positive integer (default: the rows the example app configures)
  --seed S       seed of the generator: an integer from 0 to ${MAX_SEED} (default: a fresh seed, logged;
                 with --shards, one derived from the run id)
  --shards K     make the rows as one dataset of K parts (1 to ${MAX_SHARDS}), written in parallel by the
                 construct's Step Functions state machine, run by a local interpreter
  --run-id ID    with --shards: the run id (default: a fresh one); the run's objects are under <prefix>sales/ID/
  --download DIR with --shards: copy the run's objects (parts, manifest, _SUCCESS) into DIR`;

/** A command line the demo does not accept; the message says what is wrong. */
export class UsageError extends Error {}

export interface DemoArgs {
  readonly rows?: number;
  readonly seed?: number;
  readonly shards?: number;
  readonly runId?: string;
  readonly download?: string;
}

const NUMBERS = ['rows', 'seed', 'shards'];
const TEXTS = ['run-id', 'download'];

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
    const onlySharded = TEXTS.filter((name) => name in texts);
    if (onlySharded.length) throw new UsageError(`${onlySharded.map((n) => `--${n}`).join(' and ')} ${onlySharded.length > 1 ? 'need' : 'needs'} --shards`);
  } else if (numbers.rows !== undefined && numbers.rows < numbers.shards) {
    throw new UsageError(`--rows (${numbers.rows}) must be at least --shards (${numbers.shards}): every part needs a row`);
  }
  if (texts['run-id'] !== undefined) {
    try {
      validateRunId('--run-id', texts['run-id']);
    } catch (e) {
      if (e instanceof InvalidInputError) throw new UsageError(e.message);
      throw e;
    }
  }
  return {
    ...numbers,
    ...texts['run-id'] !== undefined ? { runId: texts['run-id'] } : {},
    ...texts.download !== undefined ? { download: texts.download } : {},
  };
}

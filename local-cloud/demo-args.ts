/** The demo's command line: `[--rows N] [--seed S]` (also `--rows=N`), validated. */
import { MAX_SEED } from '../src/contract/settings';

export const USAGE = `usage: npm run demo -- [--rows N] [--seed S]
  --rows N   rows to generate: a positive integer (default: the rows the example app configures)
  --seed S   seed of the generator: an integer from 0 to ${MAX_SEED} (default: a fresh seed, logged)`;

/** A command line the demo does not accept; the message says what is wrong. */
export class UsageError extends Error {}

export interface DemoArgs {
  readonly rows?: number;
  readonly seed?: number;
}

/** The event's overrides, or 'help'; throws UsageError. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs | 'help' {
  const values: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--') continue; // `npx projen demo -- --rows N` passes the separator on
    const match = /^--(rows|seed)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unknown argument: ${arg}`);
    const [, name, inline] = match;
    const raw = inline ?? argv[++i];
    if (raw === undefined || raw === '') throw new UsageError(`--${name} needs a value`);
    if (name in values) throw new UsageError(`--${name} given twice`);
    if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, not ${JSON.stringify(raw)}`);
    const value = Number(raw);
    if (name === 'rows' && (value < 1 || !Number.isSafeInteger(value))) throw new UsageError(`--rows must be at least 1, not ${raw}`);
    if (name === 'seed' && value > MAX_SEED) throw new UsageError(`--seed must be at most ${MAX_SEED}, not ${raw}`);
    values[name] = value;
  }
  return values;
}

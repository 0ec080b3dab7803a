/**
 * What every command of the command line shares: how it declares its options and help, how its arguments are read, and
 * the exit codes (0 done, 1 the input is invalid or the data fails a check, 2 the command line itself is wrong).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** The program's name, as users type it (`npx cdk-synthetic-data ...`). */
export const PROGRAM = 'cdk-synthetic-data';

/** The command line is wrong (an unknown option, a missing file): exit 2, and say what to type instead. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  readonly name: string;
  /** One line, for the list of commands. */
  readonly summary: string;
  /** The whole `--help` text: usage line, what it does, every option. */
  readonly help: string;
  readonly options: Options;
  /** How many positional arguments it takes at most. */
  readonly positionals: number;
  run(values: Values, positionals: readonly string[]): Promise<number>;
}

/** Reads a command's arguments; an unknown option or a missing value is a UsageError naming it. */
export function parseCommandLine(command: Command, args: readonly string[]): { values: Values; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0], command.name);
  }
  if (parsed.positionals.length > command.positionals) {
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[command.positionals])}`, command.name);
  }
  return { values: parsed.values as Values, positionals: parsed.positionals };
}

export function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole number option (rows, seed, workers): within [min, max], or a UsageError that says what was given. */
export function wholeNumberOption(values: Values, name: string, range: { min: number; max: number }, command: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = Number(text.replace(/_/g, ''));
  if (!/^\d[\d_]*$/.test(text) || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(`--${name} is ${JSON.stringify(text)}: expected a whole number from ${range.min} to ${range.max}`, command);
  }
  return value;
}

export function requireOption(values: Values, name: string, what: string, command: string): string {
  const value = stringOption(values, name);
  if (value === undefined) throw new UsageError(`--${name} ${what} is required`, command);
  return value;
}

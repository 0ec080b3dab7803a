/**
 * The package's command line, `npx cdk-synthetic-data <command>`: the generator on the user's own machine, with the
 * function's own engine, contract, writers and manifests (bundled by esbuild into assets/cli/, so it adds no runtime
 * dependency to a CDK app). This file only routes a command line to its command (cli/commands/) and turns what went
 * wrong into a message and an exit code.
 */
import { isMainThread } from 'node:worker_threads';
import { EXIT, parseCommandLine, PROGRAM, UsageError, type Command } from './command';
import { version } from '../package.json';
import { generateCommand } from './commands/generate';
import { inferCommand } from './commands/infer';
import { profileCommand } from './commands/profile';
import { validateCommand } from './commands/validate';
import { InvalidInputError } from '../src/contract/errors';

export const COMMANDS: readonly Command[] = [generateCommand, validateCommand, inferCommand, profileCommand];

export function overallHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: ${PROGRAM} <command> [options]

The synthetic data generator of the cdk-synthetic-data construct, on your machine: the same rows, files and
manifests the deployed function writes to S3, without deploying.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Run \`${PROGRAM} <command> --help\` for a command's options. \`${PROGRAM} --version\` prints the version (${version}).
Exit codes: 0 done, 1 invalid input (a schema, dataset or sample), 2 usage (the command line itself).`;
}

/** Runs one command line; returns the exit code. Messages go to standard error, results to standard output. */
export async function runCommandLine(args: readonly string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${overallHelp()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  try {
    if (command === undefined) {
      throw new UsageError(`unknown command ${JSON.stringify(name)}: the commands are ${COMMANDS.map((candidate) => candidate.name).join(', ')}`);
    }
    const { values, positionals } = parseCommandLine(command, rest);
    if (values.help === true) {
      process.stdout.write(`${command.help}\n`);
      return EXIT.ok;
    }
    return await command.run(values, positionals);
  } catch (e) {
    return report(e);
  }
}

function report(e: unknown): number {
  if (e instanceof UsageError) {
    const help = e.command === undefined ? `${PROGRAM} --help` : `${PROGRAM} ${e.command} --help`;
    process.stderr.write(`${PROGRAM}: ${e.message}\n(see \`${help}\`)\n`);
    return EXIT.usage;
  }
  if (e instanceof InvalidInputError) {
    process.stderr.write(`${PROGRAM}: ${e.message}\n`);
    return EXIT.invalid;
  }
  // Not the input's fault: say what failed, and where to report it.
  const error = e as Error;
  process.stderr.write(`${PROGRAM}: ${error?.message ?? String(e)}\n${error?.stack?.split('\n').slice(1, 4).join('\n') ?? ''}\n`
    + 'This is a fault of the command line, not of your input: please report it with the command you ran.\n');
  return EXIT.invalid;
}

// The same bundled file runs in the engine's worker threads, where the driver starts the worker loop instead.
if (isMainThread && require.main === module) {
  runCommandLine(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exitCode = EXIT.invalid;
  });
}

/**
 * Runs the package's command line in the test's process (its TypeScript sources, as the bundle would run them) and
 * collects what it prints: the exit code, standard output and standard error.
 */
import { runCommandLine } from '../../cli/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => { stdout += String(chunk); return true; }) as typeof process.stdout.write);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown) => { stderr += String(chunk); return true; }) as typeof process.stderr.write);
  try {
    const code = await runCommandLine(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

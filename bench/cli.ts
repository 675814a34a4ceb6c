/** What the benchmark's command-line runners share: progress lines and how a run ends in failure. */
import { killAllChildren } from './children';
import { UsageError } from './options';

/** A timestamped line on stderr, so stdout stays the report. */
export function progress(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

/** Runs `main`; on failure prints the stack, kills every child process and exits 1. */
export function runMain(main: () => Promise<void>, what: string): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${what} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    killAllChildren();
    process.exit(1);
  });
}

/** The runner's options from its flags; on a usage error, the usage on stderr and exit 2 (0 for `--help`). */
export function optionsOrExit<Options>(parse: () => Options, usage: string): Options {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message ? `${error.message}\n` : ''}${usage}\n`);
    process.exit(error.message ? 2 : 0);
  }
}

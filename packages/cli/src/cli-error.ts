/** Exit code: bad usage (unknown option, bad value, no terminal for `live`). */
export const EXIT_USAGE = 2;
/** Exit code: the tracker cannot be reached. */
export const EXIT_UNREACHABLE = 1;

/** An error the command reports as one line on stderr and turns into its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }

  /** Whether error is a CliError, also one of another copy of this package (`otel-top web` loads its own). */
  static is(error: unknown): error is CliError {
    return error instanceof Error && error.name === 'CliError' && typeof (error as { exitCode?: unknown }).exitCode === 'number';
  }
}

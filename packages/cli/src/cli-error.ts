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
}

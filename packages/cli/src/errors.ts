/**
 * Failures the CLI reports on purpose. A usage error (exit 2) is a mistake in the command line;
 * `main` adds "see weft <command> --help". A runtime failure (exit 1) is everything else:
 * a missing document, bad data in a file, a storage problem.
 */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string, code = 'usage') {
    super(code, message, 2);
  }
}

export function notFound(message: string): CliError {
  return new CliError('not-found', message);
}

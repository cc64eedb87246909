import { WeftError } from '@weft/core';
import { CliError } from './errors.js';

/** Anything the CLI writes text to (process.stdout, process.stderr). */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * JSON for output: bytes (Uint8Array values, which JSON cannot hold) become
 * `{ "$base64": "…" }`.
 */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) =>
      v instanceof Uint8Array ? { $base64: Buffer.from(v).toString('base64') } : v,
    indent,
  );
}

/**
 * Where results and errors go. A command produces one result: human text on stdout, or with
 * `--json` one JSON document on stdout. Notes for people go to stderr, never into the result.
 */
export class Output {
  constructor(
    readonly json: boolean,
    readonly stdout: TextSink = process.stdout,
    readonly stderr: TextSink = process.stderr,
  ) {}

  /** Prints the command's result: `data` with --json, else the lines `human()` returns. */
  result(data: unknown, human: () => string | readonly string[]): void {
    if (this.json) {
      this.stdout.write(`${toJson(data)}\n`);
      return;
    }
    const text = human();
    const lines = typeof text === 'string' ? [text] : text;
    if (lines.length > 0) this.stdout.write(`${lines.join('\n')}\n`);
  }

  /** A note for people on stderr (never part of the result). */
  note(line: string): void {
    this.stderr.write(`${line}\n`);
  }

  /**
   * Reports a failure: `weft: <message>` on stderr and, with --json, `{"error": {code,
   * message}}` on stdout. Returns the exit code: 2 for usage errors, 1 for the rest.
   */
  error(error: unknown, helpHint: string | undefined): number {
    const { code, message, exitCode } = describe(error);
    const text =
      exitCode === 2 && helpHint ? `${message.replace(/[.\s]+$/, '')}; see ${helpHint}` : message;
    this.stderr.write(`weft: ${text}\n`);
    if (this.json) this.stdout.write(`${toJson({ error: { code, message: text } })}\n`);
    return exitCode;
  }
}

function describe(error: unknown): { code: string; message: string; exitCode: 1 | 2 } {
  if (error instanceof CliError)
    return { code: error.code, message: error.message, exitCode: error.exitCode };
  if (error instanceof WeftError) return { code: error.code, message: error.message, exitCode: 1 };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'error', message: error.message, exitCode: 1 };
  }
  return { code: 'error', message: String(error), exitCode: 1 };
}

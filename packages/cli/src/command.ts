import type { Output } from './output.js';

/** One option a command takes, beside the global ones. */
export interface OptionSpec {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** How the value is written in help: `JSON`, `N`, `FILE`. */
  readonly placeholder?: string;
  readonly description: string;
}

/** What a command gets to run with. */
export interface CommandContext {
  /** The positional arguments, in order (their count is already checked). */
  readonly args: readonly string[];
  /** Option values by name (global and the command's own). */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly out: Output;
  /** The data directory: `--data`, else WEFT_DATA_DIR, else the OS default (absolute). */
  readonly dataDir: string;
}

/** A `weft <name>` command: its help and its action. One per file in src/commands. */
export interface Command {
  readonly name: string;
  /** Positional arguments as written in usage; `[<x>]` marks an optional one (last only). */
  readonly args: readonly string[];
  /** One line for `weft --help`. */
  readonly summary: string;
  /** Paragraphs for `weft <name> --help`. */
  readonly description: string;
  readonly options?: readonly OptionSpec[];
  readonly examples?: readonly string[];
  run(ctx: CommandContext): Promise<void>;
}

/** A string option's value, or undefined. */
export function flag(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A positional argument the command declared as required (checked by main). */
export function arg(ctx: CommandContext, index: number): string {
  const value = ctx.args[index];
  if (value === undefined) throw new Error(`Weft CLI internal error: argument ${index} missing`);
  return value;
}

import { resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { defaultDataDir } from '@weft/sqlite';
import type { Command, OptionSpec } from './command.js';
import { COMMANDS, findCommand } from './commands/index.js';
import { UsageError } from './errors.js';
import { commandHelp, GLOBAL_OPTIONS, generalHelp } from './help.js';
import { Output, type TextSink } from './output.js';

export interface MainIo {
  readonly stdout?: TextSink;
  readonly stderr?: TextSink;
}

/** Runs `weft <argv…>` and returns the exit code (0 done, 1 failed, 2 usage error). */
export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const commandAt = findCommandIndex(argv);
  const wantsJson = beforeTerminator(argv).includes('--json');
  const out = new Output(wantsJson, stdout, stderr);
  const name = commandAt < 0 ? undefined : argv[commandAt];
  const rest = argv.filter((_, i) => i !== commandAt);

  if (name === undefined) {
    if (beforeTerminator(argv).some((a) => a === '--help' || a === '-h')) {
      stdout.write(generalHelp(COMMANDS));
      return 0;
    }
    const names = COMMANDS.map((c) => c.name).join(', ');
    return out.error(new UsageError(`expected a command (${names})`), 'weft --help');
  }
  if (name === 'help') return help(rest, out);
  const command = findCommand(name);
  if (!command) {
    return out.error(new UsageError(`unknown command ${JSON.stringify(name)}`), 'weft --help');
  }
  const hint = `weft ${command.name} --help`;
  try {
    const { values, positionals } = parse(command, rest);
    if (values.help === true) {
      stdout.write(commandHelp(command));
      return 0;
    }
    checkArity(command, positionals);
    const data = values.data;
    if (data === '') throw new UsageError('--data takes a directory, got an empty string');
    const dataDir = resolve(typeof data === 'string' ? data : defaultDataDir());
    await command.run({ args: positionals, flags: values, out, dataDir });
    return 0;
  } catch (error) {
    return out.error(error, hint);
  }
}

/** `weft help [command]`. */
function help(rest: readonly string[], out: Output): number {
  const topic = rest.find((a) => !a.startsWith('-'));
  if (topic === undefined) {
    out.stdout.write(generalHelp(COMMANDS));
    return 0;
  }
  const command = findCommand(topic);
  if (!command)
    return out.error(new UsageError(`unknown command ${JSON.stringify(topic)}`), 'weft --help');
  out.stdout.write(commandHelp(command));
  return 0;
}

/** The index of the command name: the first argument that is neither an option nor its value. */
function findCommandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (a === '--data')
      i++; // its value
    else if (a === '-' || !a.startsWith('-')) return i;
  }
  return -1;
}

function beforeTerminator(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end < 0 ? argv : argv.slice(0, end);
}

type Values = Record<string, string | boolean | undefined>;

function parse(command: Command, args: string[]): { values: Values; positionals: string[] } {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const o of [...GLOBAL_OPTIONS, ...(command.options ?? [])] as OptionSpec[])
    options[o.name] = { type: o.type };
  options.help = { type: 'boolean', short: 'h' };
  try {
    const { values, positionals } = parseArgs({
      args: joinValues(args, options),
      options,
      allowPositionals: true,
    });
    return { values: values as Values, positionals };
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
}

/**
 * `--order -due` → `--order=-due`: an option that takes a value takes the next argument even
 * if it starts with `-` (parseArgs would call it ambiguous), unless that is one of the options.
 */
function joinValues(
  args: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    const takesValue = a.startsWith('--') && options[a.slice(2)]?.type === 'string';
    const nextIsOption = next !== undefined && isOption(next, options);
    if (takesValue && next !== undefined && !nextIsOption) out.push(`${a}=${args[++i]}`);
    else out.push(a);
  }
  return out;
}

function isOption(arg: string, options: NonNullable<ParseArgsConfig['options']>): boolean {
  if (arg === '-h') return true;
  if (!arg.startsWith('--')) return false;
  return Object.hasOwn(options, arg.slice(2).split('=')[0]!);
}

/** parseArgs' errors, shortened to one line that names the option. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const option = /'([^']*)'/.exec(message)?.[1]?.split(' ')[0] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return message.includes('does not take')
      ? `${option} does not take a value`
      : `${option} needs a value`;
  }
  return message.split('\n')[0]!;
}

function checkArity(command: Command, positionals: readonly string[]): void {
  const required = command.args.filter((a) => !a.startsWith('['));
  if (positionals.length < required.length) {
    const missing = required.slice(positionals.length).join(' and ');
    throw new UsageError(`missing ${missing}`);
  }
  if (positionals.length > command.args.length) {
    const extra = positionals[command.args.length]!;
    throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  }
}

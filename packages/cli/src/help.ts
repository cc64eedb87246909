import type { Command, OptionSpec } from './command.js';

/** Options every command takes. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'data',
    type: 'string',
    placeholder: 'DIR',
    description:
      'the data directory (default: $WEFT_DATA_DIR, else the OS data directory, e.g. ~/.local/share/weft)',
  },
  {
    name: 'json',
    type: 'boolean',
    description: 'machine-readable output: one JSON document on stdout',
  },
  { name: 'help', type: 'boolean', description: 'show this help' },
];

const EXIT_CODES = 'Exit codes: 0 done, 1 failed (not found, bad data, storage), 2 usage error.';

function optionLines(options: readonly OptionSpec[]): string[] {
  const cells = options.map((o) => [
    `--${o.name}${o.placeholder ? ` ${o.placeholder}` : ''}`,
    o.description,
  ]);
  const width = Math.max(...cells.map(([left]) => left!.length));
  return cells.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`);
}

export function usageLine(command: Command): string {
  const options = command.options?.length ? ' [options]' : '';
  return `weft ${[command.name, ...command.args].join(' ')}${options}`;
}

/** `weft <command> --help`. */
export function commandHelp(command: Command): string {
  const lines = [`Usage: ${usageLine(command)}`, '', command.description];
  if (command.options?.length) lines.push('', 'Options:', ...optionLines(command.options));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  if (command.examples?.length)
    lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  lines.push('', EXIT_CODES);
  return `${lines.join('\n')}\n`;
}

/** `weft --help`. */
export function generalHelp(commands: readonly Command[]): string {
  const usages = commands.map((c) => [[c.name, ...c.args].join(' '), c.summary] as const);
  const width = Math.max(...usages.map(([u]) => u.length));
  const lines = [
    'weft: the command line for Weft, a local-first database.',
    '',
    'Usage: weft <command> [arguments] [options]',
    '',
    'Commands:',
    ...usages.map(([u, s]) => `  ${u.padEnd(width)}  ${s}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Run `weft <command> --help` for a command’s arguments, options and examples.',
    EXIT_CODES,
  ];
  return `${lines.join('\n')}\n`;
}

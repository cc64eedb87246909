import type { Command } from '../command.js';
import { del } from './delete.js';
import { exportCommand } from './export.js';
import { find } from './find.js';
import { get } from './get.js';
import { importCommand } from './import.js';
import { init } from './init.js';
import { inspect } from './inspect.js';
import { put } from './put.js';
import { serve } from './serve.js';
import { status } from './status.js';

/** Every command, in the order `weft --help` lists them. */
export const COMMANDS: readonly Command[] = [
  init,
  put,
  get,
  find,
  del,
  status,
  inspect,
  exportCommand,
  importCommand,
  serve,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

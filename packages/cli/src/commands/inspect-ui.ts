import { existsSync } from 'node:fs';
import { startInspector } from '@weft/server';
import { parseTarget } from '../args.js';
import { type CommandContext, flag } from '../command.js';
import { databaseFile } from '../db.js';
import { CliError } from '../errors.js';
import { parsePort, untilStopped } from '../listen.js';

/** `weft inspect --ui [target]`: serves the inspector for the data directory until stopped. */
export async function openInspector(ctx: CommandContext): Promise<void> {
  const raw = ctx.args[0];
  const target = raw === undefined ? undefined : parseTarget(raw, 'document');
  const port = parsePort(flag(ctx, 'port') ?? '0');
  const host = flag(ctx, 'host') ?? '127.0.0.1';
  if (!existsSync(databaseFile(ctx.dataDir))) {
    throw new CliError(
      'no-database',
      `no Weft database in ${ctx.dataDir}; run \`weft init\` first, or point --data (or WEFT_DATA_DIR) at the right directory`,
    );
  }
  const inspector = await startInspector({ dataDir: ctx.dataDir, port, host });
  const at = target
    ? `#/spaces/${[target.space, 'collections', target.collection!, 'docs', target.id!].map(encodeURIComponent).join('/')}`
    : '';
  const url = inspector.url + at;
  // Listening for the signals before saying where: a supervisor may stop it right after.
  const stopped = untilStopped();
  ctx.out.result({ url, port: inspector.port, dataDir: ctx.dataDir }, () => [
    `weft inspect: the inspector is at ${url}`,
    `data dir ${ctx.dataDir} (read-only; Ctrl-C stops it)`,
  ]);
  const signal = await stopped;
  ctx.out.note(`weft inspect: ${signal}: closing`);
  await inspector.close();
}

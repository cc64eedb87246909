import { startServer } from '@weft/server';
import { type Command, flag } from '../command.js';
import { UsageError } from '../errors.js';

export const serve: Command = {
  name: 'serve',
  args: [],
  summary: 'run a sync server over WebSocket for this data directory',
  description:
    'Serves every space of the data directory to Weft clients over WebSocket: each client\n' +
    'gets the changes it lacks, then live changes; what clients send is stored durably\n' +
    'before it is acknowledged and relayed to the other clients of the space.\n' +
    'Runs until SIGTERM or SIGINT (Ctrl-C), then finishes pending writes and exits 0.',
  options: [
    {
      name: 'port',
      type: 'string',
      placeholder: 'N',
      description: 'port (default 4321; 0 picks a free one)',
    },
    {
      name: 'host',
      type: 'string',
      placeholder: 'HOST',
      description: 'interface (default 127.0.0.1)',
    },
  ],
  examples: [
    'weft serve',
    'weft serve --port 8080 --data ./server-data',
    'weft serve --host 0.0.0.0',
  ],
  async run(ctx) {
    const port = parsePort(flag(ctx, 'port') ?? '4321');
    const host = flag(ctx, 'host') ?? '127.0.0.1';
    const server = await startServer({ port, host, dataDir: ctx.dataDir });
    ctx.out.result({ url: server.url, port: server.port, dataDir: ctx.dataDir }, () => [
      `weft serve: listening on ${server.url}`,
      `data dir ${ctx.dataDir}`,
    ]);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    ctx.out.note(`weft serve: ${signal}: closing`);
    await server.close();
  },
};

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`--port takes a port number 0-65535, got "${text}"`);
  return port;
}

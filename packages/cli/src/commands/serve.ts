import { startServer } from '@weft/server';
import { type Command, flag } from '../command.js';
import { parsePort, untilStopped } from '../listen.js';

export const serve: Command = {
  name: 'serve',
  args: [],
  summary: 'run a sync server over WebSocket for this data directory',
  description:
    'Serves every space of the data directory to Weft clients over WebSocket: each client\n' +
    'gets the changes it lacks, then live changes; what clients send is stored durably\n' +
    'before it is acknowledged and relayed to the other clients of the space.\n' +
    'The inspector (read-only: spaces, documents and conflicts, the change DAG, clients and\n' +
    'their lag, presence, storage) is at /inspect; --app serves a built web app at /.\n' +
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
    {
      name: 'app',
      type: 'string',
      placeholder: 'DIR',
      description: 'serve the built web app in DIR (with its index.html) at /',
    },
    {
      name: 'no-inspect',
      type: 'boolean',
      description: 'do not serve the inspector at /inspect',
    },
  ],
  examples: [
    'weft serve',
    'weft serve --port 8080 --data ./server-data',
    'weft serve --app ./dist   # the app at http://127.0.0.1:4321/, the inspector at /inspect',
    'weft serve --host 0.0.0.0',
  ],
  async run(ctx) {
    const port = parsePort(flag(ctx, 'port') ?? '4321');
    const host = flag(ctx, 'host') ?? '127.0.0.1';
    const app = flag(ctx, 'app');
    const inspect = ctx.flags['no-inspect'] !== true;
    const server = await startServer({
      port,
      host,
      dataDir: ctx.dataDir,
      inspect,
      ...(app === undefined ? {} : { app }),
    });
    // Listening for the signals before saying where: a supervisor may stop it right after.
    const stopped = untilStopped();
    const inspectUrl = inspect ? `${server.httpUrl}/inspect` : null;
    const appUrl = app === undefined ? null : `${server.httpUrl}/`;
    ctx.out.result(
      {
        url: server.url,
        httpUrl: server.httpUrl,
        inspectUrl,
        appUrl,
        port: server.port,
        dataDir: ctx.dataDir,
      },
      () => [
        `weft serve: listening on ${server.url}`,
        ...(appUrl ? [`app       ${appUrl}`] : []),
        ...(inspectUrl ? [`inspector ${inspectUrl}`] : []),
        `data dir  ${ctx.dataDir}`,
      ],
    );
    const signal = await stopped;
    ctx.out.note(`weft serve: ${signal}: closing`);
    await server.close();
  },
};

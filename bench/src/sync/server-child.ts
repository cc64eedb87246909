// A sync server in its own process: `node server-child.js weft <dataDir>` (Weft's startServer
// on SQLite) or `node server-child.js yjs` (the y-websocket server, in memory). It sends
// { type: 'ready', url } when listening, answers { type: 'cpu' } with its CPU time so far (and its longest event-loop delay since the last such question), and
// closes on { type: 'stop' }.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '@weft/server';
import { toParent } from './child.js';

interface Running {
  readonly url: string;
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const [system, dataDir] = process.argv.slice(2);
  let server: Running;
  if (system === 'weft') {
    if (!dataDir) throw new Error('server-child weft needs a data directory');
    server = await startServer({ dataDir, port: 0 });
  } else if (system === 'yjs') {
    const { startYjsServer } = await import('./yjs-peer.js');
    server = await startYjsServer();
  } else throw new Error(`server-child: unknown system "${system}"`);

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  process.on('message', (message: { type: string; id?: number }) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      // The longest event-loop delay since the last question (then reset).
      const loopDelayMaxMs = loop.max / 1e6;
      loop.reset();
      toParent({
        type: 'cpu',
        id: message.id,
        cpuMs: (usage.user + usage.system) / 1000,
        wallMs: performance.now(),
        heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
        loopDelayMaxMs,
      });
    } else if (message.type === 'stop') {
      void server.close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
  toParent({ type: 'ready', url: server.url });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  const text = error instanceof Error ? error.message : String(error);
  toParent({ type: 'error', message: text }, () => process.exit(1));
});

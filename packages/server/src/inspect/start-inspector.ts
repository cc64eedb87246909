import { createServer } from 'node:http';
import { inspectHandler } from './handler.js';
import { LocalSource } from './local-source.js';

export interface InspectorOptions {
  /** The data directory whose database to show (it must exist; it is never written). */
  readonly dataDir: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default '127.0.0.1': this machine only. */
  readonly host?: string;
}

export interface WeftInspector {
  /** The page: `http://host:port/inspect`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the inspector (read-only) for a data directory, without a sync server: what
 * `weft inspect --ui` runs. There are no clients or presence to show, only the data.
 */
export async function startInspector(options: InspectorOptions): Promise<WeftInspector> {
  const source = await LocalSource.open(options.dataDir);
  const inspect = inspectHandler(source);
  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/inspect' || path.startsWith('/inspect/')) return inspect(req, res);
    res.statusCode = path === '/' ? 302 : 404;
    if (path === '/') res.setHeader('location', '/inspect');
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end('the inspector is at /inspect');
  });
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await source.close();
    throw error;
  }
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/inspect`,
    port,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await source.close();
    },
  };
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
};

/** The page every entry runs in: it imports `/<entry>.js` named by `?entry=`. */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>weft test</title></head>
<body><script type="module">
const entry = new URLSearchParams(location.search).get('entry');
import('/' + entry + '.js').catch((e) => { globalThis.__weftLoadError = String(e && e.stack || e); });
</script></body></html>`;

export interface StaticServer {
  /** `http://127.0.0.1:<port>`: a secure context (Web Locks, BroadcastChannel, IndexedDB). */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves files from memory on loopback; `/` (any query) is the test page. */
export async function serveFiles(files: ReadonlyMap<string, Uint8Array>): Promise<StaticServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' });
      res.end(PAGE);
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const body = files.get(path);
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    const ext = path.slice(path.lastIndexOf('.'));
    res.writeHead(200, {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

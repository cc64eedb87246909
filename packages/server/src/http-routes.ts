import type { IncomingMessage, ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Which handler answers a plain HTTP request: `/inspect…` the inspector (when on), `/spaces/…`
 * HTTP sync, `/sync…` nothing (WebSocket upgrades are not plain requests), anything else the
 * app (when one is served), else HTTP sync's 404.
 */
export function routeHttp(routes: {
  readonly sync: Handler;
  readonly inspect: Handler | undefined;
  readonly app: Handler | undefined;
}): Handler {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (under(path, '/inspect')) {
      if (routes.inspect) return routes.inspect(req, res);
      return notFound(res, 'the inspector is off on this server');
    }
    if (under(path, '/spaces')) return routes.sync(req, res);
    if (under(path, '/sync')) {
      res.statusCode = 426;
      res.setHeader('upgrade', 'websocket');
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      return res.end('connect a WebSocket here');
    }
    return (routes.app ?? routes.sync)(req, res);
  };
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

function notFound(res: ServerResponse, message: string): void {
  res.statusCode = 404;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(message);
}

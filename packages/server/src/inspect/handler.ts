import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Value } from '@weft/core';
import { clientsJson } from './api-clients.js';
import { documentJson, documentsJson, historyJson } from './api-documents.js';
import { dagJson, spaceJson, spacesJson, statusJson } from './api-space.js';
import { sendAsset, sendPage } from './assets.js';
import { ApiError, replyError, replyJson } from './reply.js';
import type { ApiRequest } from './request.js';
import type { InspectSource } from './source.js';

/**
 * The inspector: `/inspect` (the page), `/inspect/assets/…` (its script and styles) and the
 * read-only JSON API under `/inspect/api/…` that the page polls. Only GET and HEAD: nothing
 * here changes anything.
 */
export function inspectHandler(
  source: InspectSource,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const head = req.method === 'HEAD';
    handle(source, req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      const failure =
        error instanceof ApiError
          ? error
          : new ApiError(500, 'internal', error instanceof Error ? error.message : String(error));
      replyError(res, failure, head);
    });
  };
}

async function handle(source: InspectSource, req: IncomingMessage, res: ServerResponse) {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD');
    throw new ApiError(405, 'method-not-allowed', 'the inspector is read-only: use GET');
  }
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://localhost');
  if (pathname === '/inspect' || pathname === '/inspect/') return sendPage(req, res);
  if (pathname.startsWith('/inspect/assets/'))
    return sendAsset(req, res, pathname.slice('/inspect/assets/'.length));
  if (!pathname.startsWith('/inspect/api/'))
    throw new ApiError(404, 'not-found', `no inspector page ${pathname}; open /inspect`);
  let segments: string[];
  try {
    segments = pathname.slice('/inspect/api/'.length).split('/').map(decodeURIComponent);
  } catch {
    throw new ApiError(400, 'bad-request', 'malformed percent-encoding in the path');
  }
  const canRead = await source.reader(credentialsOf(req));
  if (!canRead) {
    throw new ApiError(
      401,
      'unauthorized',
      'the credentials were not accepted: send what the server\'s authenticate hook takes as "Authorization: Bearer <token>" (in a browser, open /inspect#token=<token>)',
    );
  }
  const body = await source.use((db) =>
    route({ source, db, canRead, params: searchParams }, segments),
  );
  replyJson(res, 200, body, head);
}

/** `Authorization: Bearer <token>` becomes `{ token }`, as for HTTP sync; else null. */
function credentialsOf(req: IncomingMessage): Value {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  return bearer ? { token: bearer[1]! } : null;
}

function route(r: ApiRequest, s: readonly string[]): Promise<unknown> {
  const [a, space, b, collection, c, id, d] = s;
  if (s.some((part) => part === '')) return notFound(s);
  if (s.length === 1 && a === 'status') return statusJson(r);
  if (s.length === 1 && a === 'spaces') return spacesJson(r);
  if (s.length === 1 && a === 'clients') return clientsJson(r);
  if (a !== 'spaces' || space === undefined) return notFound(s);
  if (s.length === 2) return spaceJson(r, space);
  if (s.length === 3 && b === 'dag') return dagJson(r, space);
  if (s.length === 3 && b === 'clients') return clientsJson(r, space);
  if (b !== 'collections' || collection === undefined) return notFound(s);
  if (s.length === 4) return documentsJson(r, space, collection);
  if (c !== 'docs' || id === undefined) return notFound(s);
  if (s.length === 6) return documentJson(r, space, collection, id);
  if (s.length === 7 && d === 'history') return historyJson(r, space, collection, id);
  return notFound(s);
}

function notFound(segments: readonly string[]): Promise<never> {
  return Promise.reject(
    new ApiError(
      404,
      'not-found',
      `no inspector API /${segments.join('/')}: see /inspect/api/status, /spaces, /clients, /spaces/<space>[/dag|/clients|/collections/<name>[/docs/<id>[/history]]]`,
    ),
  );
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Database,
  decodeRuns,
  decodeVersionVector,
  encodeRuns,
  encodeVersionVector,
  type Value,
  WeftError,
} from '@weft/core';

/** What the HTTP routes need from the server: its database and its access checks. */
export interface HttpSyncContext {
  readonly db: Database;
  readonly maxBodyBytes: number;
  /** Who the request is (from its credentials), and whether it may do `access` on `space`. */
  allowed(credentials: Value, space: string, access: 'read' | 'write'): Promise<boolean>;
}

const ROUTE = /^\/spaces\/([^/]+)\/changes$/;

/**
 * Plain HTTP sync, for clients that cannot hold a socket (serverless functions, scripts):
 * - `POST /spaces/<space>/changes`: the body is runs (`encodeRuns`); they are stored durably,
 *   then the answer is the space's version vector (`encodeVersionVector`);
 * - `GET /spaces/<space>/changes?since=<base64url of encodeVersionVector>`: the runs a replica
 *   with that vector lacks (all of them without `since`), as `encodeRuns` bytes.
 * Credentials: `Authorization: Bearer <token>` becomes `{ token }`, else null.
 */
export async function handleHttp(
  ctx: HttpSyncContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = ROUTE.exec(url.pathname);
  if (!match) return reply(res, 404, 'not found: use /spaces/<space>/changes');
  const space = decodeURIComponent(match[1]!);
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  const credentials: Value = bearer ? { token: bearer[1]! } : null;
  try {
    if (req.method === 'POST') {
      if (!(await ctx.allowed(credentials, space, 'write')))
        return reply(res, 403, `not allowed to write space "${space}"`);
      const body = await readBody(req, ctx.maxBodyBytes);
      if (body === undefined) {
        res.setHeader('connection', 'close');
        return reply(res, 413, `the body exceeds ${ctx.maxBodyBytes} bytes`);
      }
      const target = await ctx.db.space(space);
      await target.receive(decodeRuns(body));
      return reply(res, 200, encodeVersionVector(target.versionVector()));
    }
    if (req.method === 'GET') {
      if (!(await ctx.allowed(credentials, space, 'read')))
        return reply(res, 403, `not allowed to read space "${space}"`);
      const since = url.searchParams.get('since');
      const vector = since
        ? decodeVersionVector(new Uint8Array(Buffer.from(since, 'base64url')))
        : new Map();
      const target = await ctx.db.space(space);
      return reply(res, 200, encodeRuns(await target.changesSinceStored(vector)));
    }
    res.setHeader('allow', 'GET, POST');
    return reply(res, 405, 'use GET to pull changes or POST to push them');
  } catch (error) {
    if (error instanceof WeftError) return reply(res, 400, `${error.code}: ${error.message}`);
    return reply(res, 500, (error as Error).message);
  }
}

function reply(res: ServerResponse, status: number, body: string | Uint8Array): void {
  res.statusCode = status;
  res.setHeader(
    'content-type',
    typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream',
  );
  res.end(body);
}

/** The whole body, or undefined once it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return; // drained and dropped, so the 413 answer can be read
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    req.on('error', reject);
  });
}

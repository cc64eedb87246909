import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { NotFoundError } from '@weft/core';
import { resolveStatic, sendFile } from './static-files.js';

/**
 * Serves a built single-page web app from `dir`: its files with their content types, and
 * index.html for any other path without a file extension (the app routes it in the browser).
 * A missing file with an extension (a stale `/assets/x.js`) is a 404, not the page.
 */
export function appSite(dir: string): (req: IncomingMessage, res: ServerResponse) => void {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    throw new NotFoundError(
      `the app directory ${root} has no index.html; build the app first, or point \`app\` (--app) at its output directory`,
    );
  }
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return text(res, 405, 'the app is served with GET and HEAD only');
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let file: string | undefined;
    try {
      file = resolveStatic(root, path);
    } catch {
      return text(res, 400, 'malformed percent-encoding in the path');
    }
    if (file) return sendFile(req, res, file);
    const last = path.split('/').at(-1) ?? '';
    if (/\.[^.]+$/.test(last)) return text(res, 404, `not found: ${path}`);
    return sendFile(req, res, index);
  };
}

function text(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(body);
}

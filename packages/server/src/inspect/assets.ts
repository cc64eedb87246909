import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { sendFile } from '../static-files.js';
import { ApiError } from './reply.js';

// The page and its stylesheet live in packages/server/ui; its scripts are compiled from
// ui/src into dist/ui (`npm run build`). The same paths hold from src/inspect and dist/inspect.
const UI_DIR = fileURLToPath(new URL('../../ui/', import.meta.url));
const SCRIPTS_DIR = fileURLToPath(new URL('../../dist/ui/', import.meta.url));

/** The inspector's page (it holds no data: its script reads the API). */
export function sendPage(req: IncomingMessage, res: ServerResponse): void {
  sendFile(req, res, `${UI_DIR}index.html`);
}

/** `/inspect/assets/<name>`: only plain names of the inspector's own files, so never a path. */
export function sendAsset(req: IncomingMessage, res: ServerResponse, name: string): void {
  const match = /^[a-z0-9-]+\.(js|css|js\.map)$/.exec(name);
  const file = match && (match[1] === 'css' ? UI_DIR : SCRIPTS_DIR) + name;
  if (!file || !existsSync(file)) {
    const hint = match?.[1] === 'js' ? ' (are the inspector scripts built? npm run build)' : '';
    throw new ApiError(404, 'not-found', `no inspector asset "${name}"${hint}`);
  }
  sendFile(req, res, file);
}

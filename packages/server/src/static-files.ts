import { createReadStream, realpathSync, type Stats, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { contentType } from './content-types.js';

/**
 * The file under `root` that a URL path names, or undefined when it names none or would leave
 * `root`. The path is decoded once; a `.`/`..` segment (encoded or not), a backslash, a NUL or
 * a dot-file anywhere refuses it, and the real path (symlinks followed) must stay under the
 * real root. Throws URIError on malformed percent-encoding.
 */
export function resolveStatic(root: string, urlPath: string): string | undefined {
  const segments = urlPath.split('/').filter((s) => s !== '');
  const decoded = segments.map((s) => decodeURIComponent(s));
  for (const segment of decoded) {
    if (segment.startsWith('.') || /[\\/\0]/.test(segment)) return undefined;
  }
  let file = join(root, ...decoded);
  let stats = statOrUndefined(file);
  if (stats?.isDirectory()) {
    file = join(file, 'index.html');
    stats = statOrUndefined(file);
  }
  if (!stats?.isFile()) return undefined;
  const real = realpathSync(file);
  const realRoot = realpathSync(root);
  return real.startsWith(realRoot + sep) ? real : undefined;
}

/** Answers GET or HEAD with a file: its content type, an ETag, and revalidation on each use. */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: string): void {
  const stats = statSync(file);
  const etag = `W/"${stats.size.toString(36)}-${Math.floor(stats.mtimeMs).toString(36)}"`;
  res.setHeader('content-type', contentType(file));
  res.setHeader('etag', etag);
  // Builds change under the same names (index.html always does): ask each time, cheaply.
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('x-content-type-options', 'nosniff');
  if (req.headers['if-none-match'] === etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('content-length', stats.size);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '@weft/core';
import { afterEach, expect, test } from 'vitest';
import { startServer } from '../src/server.js';
import { rawGet, runCleanups, server, tempDir } from './helpers/inspect.js';

afterEach(runCleanups);

const SECRET = 'top-secret-content';
const INDEX =
  '<!doctype html><title>app</title><script type="module" src="/assets/app.js"></script>';

/** A built app in <dir>/app, with a secret file beside it (outside the app). */
async function builtApp(): Promise<string> {
  const dir = await tempDir('weft-app-');
  const app = join(dir, 'app');
  await mkdir(join(app, 'assets'), { recursive: true });
  await writeFile(join(app, 'index.html'), INDEX);
  await writeFile(join(app, 'assets', 'app.js'), 'console.log("app");');
  await writeFile(join(app, 'assets', 'app.css'), 'body{}');
  await writeFile(join(app, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(app, 'assets', 'data.wasm'), new Uint8Array([0, 97, 115, 109]));
  await writeFile(join(app, 'assets', 'blob.bin'), 'bytes');
  await writeFile(join(app, '.env'), SECRET);
  await writeFile(join(dir, 'secret.txt'), SECRET);
  await symlink(join(dir, 'secret.txt'), join(app, 'assets', 'link.txt'));
  return app;
}

test('an app is served at / with content types, and index.html for client-side routes', async () => {
  const s = await server({ app: await builtApp() });
  const get = (path: string, init?: RequestInit) => fetch(`${s.httpUrl}${path}`, init);

  const cases: [string, string][] = [
    ['/', 'text/html; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/assets/app.js', 'text/javascript; charset=utf-8'],
    ['/assets/app.css', 'text/css; charset=utf-8'],
    ['/assets/logo.svg', 'image/svg+xml'],
    ['/assets/data.wasm', 'application/wasm'],
    ['/assets/blob.bin', 'application/octet-stream'],
  ];
  for (const [path, type] of cases) {
    const r = await get(path);
    expect([path, r.status, r.headers.get('content-type')]).toEqual([path, 200, type]);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  }
  // Client-side routes get the page; a missing file is a 404, not the page.
  for (const path of ['/board', '/board/42', '/cards/a%20b?x=1']) {
    const r = await get(path);
    expect([path, r.status, await r.text()]).toEqual([path, 200, INDEX]);
  }
  for (const path of ['/assets/missing.js', '/favicon.ico']) {
    expect([path, (await get(path)).status]).toEqual([path, 404]);
  }
  // Revalidation: the ETag answers 304; HEAD has the headers only.
  const first = await get('/assets/app.js');
  const etag = first.headers.get('etag')!;
  expect(first.headers.get('cache-control')).toBe('no-cache');
  expect((await get('/assets/app.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
  const head = await get('/assets/app.js', { method: 'HEAD' });
  expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([
    200,
    '19',
    '',
  ]);
  expect((await get('/assets/app.js', { method: 'POST' })).status).toBe(405);

  // The server's own routes are never the app's.
  const inspector = await get('/inspect');
  expect(await inspector.text()).toContain('Weft inspector');
  expect((await get('/inspect/api/spaces')).headers.get('content-type')).toContain('json');
  expect((await get('/inspect/nothing')).status).toBe(404);
  expect((await get('/spaces/team/changes')).status).toBe(200);
  expect((await get('/sync')).status).toBe(426);
});

test('paths cannot leave the app directory, however they are written', async () => {
  const s = await server({ app: await builtApp() });
  const attempts = [
    '/../secret.txt',
    '/../../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/..%5csecret.txt',
    '/%252e%252e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/link.txt',
    '/.env',
    '/%2eenv',
    '/assets/app.js%00.html',
    '//secret.txt',
    '/%2fsecret.txt',
  ];
  for (const path of attempts) {
    const r = await rawGet(s.port, path);
    expect(r.body, path).not.toContain(SECRET);
    // A refused path is a 404, or, with no file extension, the app's page.
    if (r.status === 200) expect([path, r.body]).toEqual([path, INDEX]);
    else expect([path, r.status]).toEqual([path, 404]);
  }
  const malformed = await rawGet(s.port, '/assets/%E0%A4%A.js');
  expect(malformed.status).toBe(400);
});

test('an app directory without index.html is refused at start, saying what to do', async () => {
  const dataDir = await tempDir();
  const empty = await tempDir('weft-app-');
  await expect(startServer({ dataDir, app: empty })).rejects.toThrow(NotFoundError);
  await expect(startServer({ dataDir, app: empty })).rejects.toThrow(/has no index.html; build/);
});

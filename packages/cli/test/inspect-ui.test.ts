import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { BIN, cleanup, fixture, tempDir, weft } from './helpers.js';

afterAll(cleanup);

const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts a long-running `weft …` with --json and resolves with what it prints first. */
async function start<T>(args: readonly string[]): Promise<{ child: ChildProcess; info: T }> {
  const child = spawn(process.execPath, [BIN, ...args, '--json'], { stdio: 'pipe' });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    err += s;
  });
  const info = await new Promise<T>((resolve, reject) => {
    child.stdout!.on('data', (s: string) => {
      out += s;
      try {
        resolve(JSON.parse(out) as T);
      } catch {
        // not all of it yet
      }
    });
    child.once('exit', (code) => reject(new Error(`weft ${args[0]} exited with ${code}: ${err}`)));
  });
  return { child, info };
}

async function stop(child: ChildProcess): Promise<number | null> {
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  return code as number | null;
}

function fileHash(dir: string): string {
  return createHash('sha256')
    .update(readFileSync(join(dir, 'weft.sqlite')))
    .digest('hex');
}

async function json<T>(url: string): Promise<T> {
  const r = await fetch(url);
  expect(r.status).toBe(200);
  return (await r.json()) as T;
}

test('weft inspect --ui serves the inspector for a data directory, read-only, and follows other writers', async () => {
  const dir = await fixture();
  const before = fileHash(dir);
  const { child, info } = await start<{ url: string; port: number }>([
    'inspect',
    '--ui',
    '--port',
    '0',
    '--data',
    dir,
  ]);
  expect(info.url).toBe(`http://127.0.0.1:${info.port}/inspect`);
  const page = await fetch(info.url);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(await page.text()).toContain('data-testid="space-list"');
  const origin = info.url.replace(/\/inspect$/, '');
  expect((await fetch(`${origin}/inspect/assets/main.js`)).status).toBe(200);

  const api = `${origin}/inspect/api`;
  const status = await json<{ mode: string; spaces: number; clients: number }>(`${api}/status`);
  expect(status).toMatchObject({ mode: 'local', spaces: 1, clients: 0 });
  const docs = await json<{ total: number; docs: { id: string }[] }>(
    `${api}/spaces/notes/collections/todos?limit=2`,
  );
  expect(docs.total).toBe(3);
  expect(docs.docs.map((d) => d.id)).toEqual(['t1', 't2']);
  const t1 = await json<{ doc: unknown; conflicts: object }>(
    `${api}/spaces/notes/collections/todos/docs/t1`,
  );
  expect(t1).toMatchObject({ doc: { id: 't1', title: 'milk' }, conflicts: {} });
  const summary = await json<{ storage: { log: number } }>(`${api}/spaces/notes`);
  expect(summary.storage.log).toBeGreaterThan(0);
  expect((await fetch(`${api}/spaces`, { method: 'DELETE' })).status).toBe(405);
  expect(await stop(child)).toBe(0);
  // It wrote nothing (no snapshot on close either).
  expect(fileHash(dir)).toBe(before);

  // Started again: a write by another process shows up without a restart.
  const again = await start<{ url: string }>(['inspect', '--ui', '--data', dir]);
  const api2 = `${again.info.url}/api`;
  const put = await weft(['put', 'notes/todos', '{"id":"t9","title":"jam"}', '--data', dir]);
  expect(put.code).toBe(0);
  const after = await json<{ total: number }>(`${api2}/spaces/notes/collections/todos`);
  expect(after.total).toBe(4);
  const t9 = await json<{ doc: unknown }>(`${api2}/spaces/notes/collections/todos/docs/t9`);
  expect(t9.doc).toEqual({ id: 't9', title: 'jam' });
  expect(await stop(again.child)).toBe(0);
});

test('weft inspect --ui opens at a document; mistakes are usage errors', async () => {
  const dir = await fixture();
  const { child, info } = await start<{ url: string }>([
    'inspect',
    '--ui',
    'notes/todos/t 1',
    '--data',
    dir,
  ]);
  expect(info.url).toMatch(/\/inspect#\/spaces\/notes\/collections\/todos\/docs\/t%201$/);
  expect(await stop(child)).toBe(0);

  const missing = await weft(['inspect', '--data', dir]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/missing <space>\/<collection>\/<id> \(or --ui/);
  const port = await weft(['inspect', 'notes/todos/t1', '--port', '3', '--data', dir]);
  expect(port.code).toBe(2);
  expect(port.stderr).toContain('--port and --host go with --ui');
  const badPort = await weft(['inspect', '--ui', '--port', 'x', '--data', dir]);
  expect(badPort.code).toBe(2);
  const empty = await weft(['inspect', '--ui', '--data', tempDir()]);
  expect(empty.code).toBe(1);
  expect(empty.stderr).toMatch(/no Weft database in .*weft init/);
});

test('weft serve --app serves the app at / beside the inspector; --no-inspect turns it off', async () => {
  const app = join(tempDir(), 'dist');
  mkdirSync(join(app, 'assets'), { recursive: true });
  writeFileSync(join(app, 'index.html'), '<!doctype html><title>demo</title>');
  writeFileSync(join(app, 'assets', 'main.js'), 'export {};');
  const data = tempDir();
  const { child, info } = await start<{
    url: string;
    httpUrl: string;
    inspectUrl: string | null;
    appUrl: string | null;
  }>(['serve', '--port', '0', '--app', app, '--data', data]);
  expect(info.appUrl).toBe(`${info.httpUrl}/`);
  expect(info.inspectUrl).toBe(`${info.httpUrl}/inspect`);
  expect(await (await fetch(`${info.httpUrl}/board/7`)).text()).toContain('<title>demo</title>');
  const js = await fetch(`${info.httpUrl}/assets/main.js`);
  expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(await (await fetch(info.inspectUrl!)).text()).toContain('Weft inspector');
  expect(await stop(child)).toBe(0);

  const off = await start<{ httpUrl: string; inspectUrl: string | null }>([
    'serve',
    '--port',
    '0',
    '--no-inspect',
    '--data',
    data,
  ]);
  expect(off.info.inspectUrl).toBeNull();
  expect((await fetch(`${off.info.httpUrl}/inspect`)).status).toBe(404);
  expect(await stop(off.child)).toBe(0);

  const noIndex = await weft(['serve', '--port', '0', '--app', tempDir(), '--data', data]);
  expect(noIndex.code).toBe(1);
  expect(noIndex.stderr).toMatch(/has no index.html; build the app first/);
});

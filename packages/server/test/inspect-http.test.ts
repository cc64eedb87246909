import { Prng } from '@weft/core';
import { openSqliteDatabase } from '@weft/sqlite';
import { afterEach, expect, test } from 'vitest';
import { api, rawGet, runCleanups, server, tempDir } from './helpers/inspect.js';

afterEach(runCleanups);

interface Page {
  total: number;
  limit: number;
  docs: { id: string; preview: string; chars: number }[];
  nextCursor: string | null;
}

const N = 1234;

/** A server whose data directory already holds `N` documents in team/docs. */
async function serverWithDocs(options: Parameters<typeof server>[0] = {}) {
  const dataDir = await tempDir();
  const db = await openSqliteDatabase({ dataDir });
  const docs = (await db.space('team')).collection('docs');
  await docs.insertMany(
    Array.from({ length: N }, (_, i) => ({
      id: `d${String(i).padStart(5, '0')}`,
      n: i,
      tag: i % 10 === 0 ? 'Ten' : 'other',
      body: 'x'.repeat(i === 7 ? 5000 : 10),
    })),
  );
  await (await db.space('public')).collection('notes').insert({ id: 'p1', text: 'hi' });
  await db.close();
  return server({ ...options, dataDir });
}

async function pageThrough(base: string, query: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let after = '';
  for (let pages = 0; pages < 1000; pages++) {
    const r = await api<Page>(
      base,
      `/inspect/api/spaces/team/collections/docs?limit=${limit}&after=${encodeURIComponent(after)}${query}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.docs.length).toBeLessThanOrEqual(limit);
    ids.push(...r.body.docs.map((d) => d.id));
    if (r.body.nextCursor === null) return ids;
    expect(r.body.docs).toHaveLength(limit);
    after = r.body.nextCursor;
  }
  throw new Error('the pages never ended');
}

test('documents come a page at a time, by id, with search and filters', async () => {
  const s = await serverWithDocs();
  const all = Array.from({ length: N }, (_, i) => `d${String(i).padStart(5, '0')}`);
  expect(await pageThrough(s.httpUrl, '', 100)).toEqual(all);
  expect(await pageThrough(s.httpUrl, '', 500)).toEqual(all);

  const first = await api<Page>(s.httpUrl, '/inspect/api/spaces/team/collections/docs');
  expect(first.body).toMatchObject({ total: N, limit: 50, nextCursor: 'd00049' });
  expect(first.body.docs).toHaveLength(50);
  // A large document is previewed, not sent whole.
  const big = first.body.docs.find((d) => d.id === 'd00007')!;
  expect(big.chars).toBeGreaterThan(5000);
  expect(big.preview.length).toBeLessThanOrEqual(241);

  const tens = all.filter((_, i) => i % 10 === 0);
  // Text search ignores case and looks at ids and values.
  expect(await pageThrough(s.httpUrl, '&q=tEN', 7)).toEqual(tens);
  expect(await pageThrough(s.httpUrl, '&q=d0123', 50)).toEqual(all.slice(1230, 1234));
  const where = encodeURIComponent(JSON.stringify({ tag: 'Ten', n: { gte: 600 } }));
  expect(await pageThrough(s.httpUrl, `&where=${where}`, 9)).toEqual(
    tens.filter((id) => Number(id.slice(1)) >= 600),
  );
  const both = await api<Page>(
    s.httpUrl,
    `/inspect/api/spaces/team/collections/docs?where=${where}&q=d011&limit=4`,
  );
  expect(both.body.docs.map((d) => d.id)).toEqual(['d01100', 'd01110', 'd01120', 'd01130']);
  expect(both.body.total).toBe(10);

  for (const bad of [
    '?limit=0',
    '?limit=501',
    '?limit=ten',
    '?where=%7B%22n%22%3A',
    '?where=%5B1%5D',
    `?where=${encodeURIComponent('{"n":{"near":3}}')}`,
  ]) {
    const r = await api<{ error: { code: string; message: string } }>(
      s.httpUrl,
      `/inspect/api/spaces/team/collections/docs${bad}`,
    );
    expect([bad, r.status]).toEqual([bad, 400]);
    expect(['bad-request', 'invalid-query']).toContain(r.body.error.code);
    expect(r.body.error.message.length).toBeGreaterThan(10);
  }
  const runs = await api(s.httpUrl, '/inspect/api/spaces/team/dag?runs=0');
  expect(runs.status).toBe(400);
});

test('the inspector is read-only: other methods get 405 and change nothing', async () => {
  const s = await serverWithDocs();
  const before = await api(s.httpUrl, '/inspect/api/spaces/team/dag');
  const paths = [
    '/inspect',
    '/inspect/',
    '/inspect/assets/main.js',
    '/inspect/api/status',
    '/inspect/api/spaces',
    '/inspect/api/spaces/team',
    '/inspect/api/spaces/team/collections/docs',
    '/inspect/api/spaces/team/collections/docs/docs/d00001',
    '/inspect/api/spaces/fresh/collections/docs/docs/d1',
  ];
  for (const path of paths) {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await fetch(`${s.httpUrl}${path}`, { method, body: '{"id":"d00001","n":-1}' });
      expect([method, path, r.status, r.headers.get('allow')]).toEqual([
        method,
        path,
        405,
        'GET, HEAD',
      ]);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe(
        'method-not-allowed',
      );
    }
  }
  const head = await fetch(`${s.httpUrl}/inspect/api/spaces`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
  expect((await api(s.httpUrl, '/inspect/api/spaces/team/dag')).body).toEqual(before.body);
  const doc = await api<{ doc: unknown }>(
    s.httpUrl,
    '/inspect/api/spaces/team/collections/docs/docs/d00001',
  );
  expect(doc.body.doc).toMatchObject({ id: 'd00001', n: 1 });
  const spaces = await api<{ spaces: { name: string }[] }>(s.httpUrl, '/inspect/api/spaces');
  expect(spaces.body.spaces.map((x) => x.name)).toEqual(['public', 'team']);
});

test('authenticate and authorize guard the API; inspect: false turns it off', async () => {
  const s = await serverWithDocs({
    authenticate: (c) => {
      const token = (c as { token?: string } | null)?.token;
      return token === 'admin-token' ? 'admin' : token === 'guest-token' ? 'guest' : undefined;
    },
    authorize: (who, space) => who === 'admin' || space === 'public',
  });
  const page = await fetch(`${s.httpUrl}/inspect`);
  expect(page.status).toBe(200); // the page holds no data
  const refused = await api<{ error: { code: string; message: string } }>(
    s.httpUrl,
    '/inspect/api/spaces',
  );
  expect(refused.status).toBe(401);
  expect(refused.body.error.code).toBe('unauthorized');
  expect(refused.body.error.message).toContain('Authorization: Bearer');
  const wrong = await api(s.httpUrl, '/inspect/api/spaces', {
    headers: { authorization: 'Bearer nope' },
  });
  expect(wrong.status).toBe(401);

  const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
  const admin = await api<{ spaces: { name: string }[] }>(
    s.httpUrl,
    '/inspect/api/spaces',
    as('admin-token'),
  );
  expect(admin.body.spaces.map((x) => x.name)).toEqual(['public', 'team']);
  const guest = await api<{ spaces: { name: string }[] }>(
    s.httpUrl,
    '/inspect/api/spaces',
    as('guest-token'),
  );
  expect(guest.body.spaces.map((x) => x.name)).toEqual(['public']);
  for (const path of ['/inspect/api/spaces/team', '/inspect/api/spaces/team/dag']) {
    const r = await api<{ error: { code: string } }>(s.httpUrl, path, as('guest-token'));
    expect([path, r.status, r.body.error.code]).toEqual([path, 403, 'forbidden']);
  }
  const status = await api<{ spaces: number }>(s.httpUrl, '/inspect/api/status', as('guest-token'));
  expect(status.body.spaces).toBe(1);

  const off = await serverWithDocs({ inspect: false });
  for (const path of ['/inspect', '/inspect/api/status', '/inspect/assets/main.js']) {
    expect((await fetch(`${off.httpUrl}${path}`)).status).toBe(404);
  }
  // HTTP sync is still there.
  expect((await fetch(`${off.httpUrl}/spaces/team/changes`)).status).toBe(200);
});

test('the page is served with its own assets only: nothing from another origin', async () => {
  const s = await server();
  const page = await fetch(`${s.httpUrl}/inspect`);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const html = await page.text();
  expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
  const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
  expect(refs.length).toBeGreaterThanOrEqual(3);
  const assets = refs.filter((r) => !r.startsWith('#') && !r.startsWith('data:'));
  for (const ref of assets) expect(ref).toMatch(/^\/inspect\/assets\/[a-z0-9-]+\.(js|css)$/);

  // Every script, and every module it imports, is served here with a JavaScript type.
  const seen = new Set<string>();
  const queue = [...assets];
  while (queue.length > 0) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const r = await fetch(`${s.httpUrl}${path}`);
    expect([path, r.status]).toEqual([path, 200]);
    const type = r.headers.get('content-type');
    const text = await r.text();
    if (path.endsWith('.css')) {
      expect(type).toBe('text/css; charset=utf-8');
      expect(text).not.toMatch(/@import|url\(/);
      continue;
    }
    expect(type).toBe('text/javascript; charset=utf-8');
    expect(text).not.toMatch(/https?:\/\//);
    for (const m of text.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      expect(m[1]).toMatch(/^\.\/[a-z0-9-]+\.js$/);
      queue.push(`/inspect/assets/${m[1]!.slice(2)}`);
    }
  }
  expect([...seen].filter((p) => p.endsWith('.js')).length).toBeGreaterThan(3);

  // Only the inspector's own files: never a path out of its folders.
  for (const path of [
    '/inspect/assets/..%2F..%2Fpackage.json',
    '/inspect/assets/%2e%2e%2fserver.js',
    '/inspect/assets/main.d.ts',
    '/inspect/assets/nope.js',
    '/inspect/nope',
  ]) {
    const r = await rawGet(s.port, path);
    expect([path, r.status]).toEqual([path, 404]);
    expect(r.body).not.toContain('@weft/server');
  }
});

test('random API paths and parameters get a JSON answer, never a failure of the server (seeded)', async () => {
  const seed = process.env.WEFT_SEED ? Number(process.env.WEFT_SEED) : Date.now() % 2 ** 31;
  const rng = new Prng(seed);
  const s = await serverWithDocs();
  const pieces = [
    ...['spaces', 'team', 'public', 'collections', 'docs', 'notes', 'd00001', 'p1'],
    ...['history', 'dag', 'clients', 'status', '', '%', '%2F', '%E0%A4', '..', '.', '%00'],
    ...['%C3%BC', '__proto__', 'constructor', 'x'.repeat(300), '%2e%2e', 'nope'],
  ];
  const names = ['limit', 'after', 'q', 'where', 'runs'];
  const values = [
    ...['', '0', '1', '-1', '1e3', '500', '501', 'abc', '%ZZ', 'null', '[]', '{'],
    ...['{"n":1}', '{"n":{"gt":5}}', '{"$or":[]}', '{"id":{"startsWith":"d0"}}', '{"n":{"in":3}}'],
  ].map(encodeURIComponent);
  try {
    for (let i = 0; i < 300; i++) {
      const path = Array.from({ length: 1 + rng.int(7) }, () => rng.pick(pieces)).join('/');
      const params = Array.from(
        { length: rng.int(4) },
        () => `${rng.pick(names)}=${rng.pick(values)}`,
      );
      const url = `/inspect/api/${path}${params.length ? `?${params.join('&')}` : ''}`;
      const r = await rawGet(s.port, url);
      expect([url, [200, 400, 403, 404].includes(r.status)]).toEqual([url, true]);
      if (!String(r.headers['content-type']).startsWith('application/json')) {
        // Dot segments resolve as in any URL: `/inspect/api/..` is the page.
        expect([url, /(^|\/)(\.|\.\.|%2e%2e)(\/|$|\?)/.test(url)]).toEqual([url, true]);
        continue;
      }
      const body = JSON.parse(r.body) as { error?: { code: string; message: string } };
      if (r.status !== 200) expect(body.error?.message, url).toMatch(/\S/);
    }
  } catch (error) {
    const rerun = `WEFT_SEED=${seed} npx vitest run packages/server/test/inspect-http.test.ts -t "random API"`;
    throw new Error(`${(error as Error).message}\n  seed: ${seed}\n  rerun: ${rerun}`, {
      cause: error,
    });
  }
  // Still answering, and nothing was created.
  const spaces = await api<{ spaces: { name: string }[] }>(s.httpUrl, '/inspect/api/spaces');
  expect(spaces.body.spaces.map((x) => x.name)).toEqual(['public', 'team']);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BrowserHarness,
  bundle,
  call,
  chromiumAvailable,
  reload,
  startBrowserHarness,
} from '@weft/browser-test';
import { openDatabase, type Space } from '@weft/core';
import { type SyncClient, startServer, syncSpace, type WeftServer } from '@weft/server';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

test('the browser packages bundle as ESM for browsers with no Node built-ins', async () => {
  const entries = Object.fromEntries(
    ['core', 'client', 'indexeddb', 'browser'].map((p) => [
      p,
      resolve(here, `../../${p}/src/index.ts`),
    ]),
  );
  // platform 'browser' without polyfills: an import of a Node built-in fails the build.
  const { files } = await bundle(entries);
  const code = [...files.values()].map((b) => Buffer.from(b).toString()).join('\n');
  expect(code).toContain('openBrowserDatabase');
  expect(code).not.toMatch(/\brequire\(|from ["']node:|process\.env|\bBuffer\./);
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 800 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!chromiumAvailable())('the client in Chromium, with a real server', () => {
  let harness: BrowserHarness;
  let server: WeftServer;
  let context: BrowserContext;
  let page: Page;
  let node: Space;
  let nodeClient: SyncClient;
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-browser-client-'));
  const connection = { minDelayMs: 20, maxDelayMs: 300, heartbeatMs: 1_000 };

  beforeAll(async () => {
    harness = await startBrowserHarness({ app: resolve(here, 'pages/app.ts') });
    server = await startServer({ dataDir });
    node = await (await openDatabase({ actor: 'node' })).space('board');
    nodeClient = syncSpace(node, { url: server.url, replica: 'node', ...connection });
    context = await harness.newContext();
    page = await harness.openPage(context, 'app');
  });
  afterAll(async () => {
    nodeClient?.close();
    await harness?.close();
    await server?.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ids = () =>
    node
      .collection('notes')
      .find()
      .map((d) => d.id)
      .sort();

  test('a page syncs with a Node client, offline and back, and reloads without the server', async () => {
    const opened = await call<{ isHub: boolean }>(page, 'open', {
      name: 'board',
      server: server.url,
      connection,
    });
    expect(opened.isHub).toBe(true);
    await call(page, 'waitForStatus', 'board', 'online');

    // Both ways, live.
    await call(page, 'insert', 'board', ['from-page']);
    await until(() => ids().includes('from-page'), 'the page write in Node');
    await node.collection('notes').insert({ id: 'from-node' });
    await call(page, 'waitForIds', 'board', ['from-node']);

    // Offline: the page notices, writes anyway (durable in IndexedDB), Node writes too.
    await context.setOffline(true);
    await call(page, 'waitForStatus', 'board', 'offline');
    await call(page, 'insert', 'board', ['page-offline-1', 'page-offline-2']);
    await node.collection('notes').insert({ id: 'node-while-page-offline' });
    await new Promise((r) => setTimeout(r, 300));
    expect(ids()).not.toContain('page-offline-1');

    // Back online: both converge.
    await context.setOffline(false);
    await call(page, 'waitForStatus', 'board', 'online');
    const all = [
      'from-node',
      'from-page',
      'node-while-page-offline',
      'page-offline-1',
      'page-offline-2',
    ];
    await until(() => ids().length === all.length, 'Node to have every note');
    await call(page, 'waitForIds', 'board', all);
    expect(ids()).toEqual(all);
    expect(await call(page, 'ids', 'board')).toEqual(all);

    // The server stops; a reload still shows everything, read from IndexedDB.
    nodeClient.close();
    await server.close();
    await reload(page);
    await call(page, 'open', { name: 'board', server: server.url, connection });
    expect(await call(page, 'ids', 'board')).toEqual(all);
    expect(await call(page, 'status', 'board')).not.toBe('online');
    await call(page, 'close');
  });
});

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BrowserHarness,
  call,
  chromiumAvailable,
  startBrowserHarness,
} from '@weft/browser-test';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

const range = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

async function until(condition: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out waiting for a new hub');
}

describe.skipIf(!chromiumAvailable())('tabs of one profile share one replica', () => {
  let harness: BrowserHarness;
  let context: BrowserContext;

  beforeAll(async () => {
    harness = await startBrowserHarness({ app: resolve(here, 'pages/app.ts') });
    context = await harness.newContext();
  });
  afterAll(() => harness?.close());

  /** A new tab of the profile with the database open. */
  async function tab(name: string): Promise<{ page: Page; replica: string; isHub: boolean }> {
    const page = await harness.openPage(context, 'app');
    const opened = await call<{ replica: string; isHub: boolean }>(page, 'open', { name });
    return { page, ...opened };
  }

  test('two tabs write at once: no write lost, both see all, a new tab reads them all', async () => {
    const a = await tab('shared');
    const b = await tab('shared');
    expect([a.isHub, b.isHub]).toEqual([true, false]);
    expect(a.replica).not.toBe(b.replica); // two actors: neither equivocates

    // Many writes each, interleaved one per macrotask; each resolves once durable.
    await Promise.all([
      call(a.page, 'writeMany', 'notes', 'a', 150),
      call(b.page, 'writeMany', 'notes', 'b', 150),
    ]);
    const all = [...range('a', 150), ...range('b', 150)];
    await call(a.page, 'waitForCount', 'notes', 300);
    await call(b.page, 'waitForCount', 'notes', 300);
    expect(await call(a.page, 'ids', 'notes')).toEqual(all);
    expect(await call(b.page, 'ids', 'notes')).toEqual(all);

    // Both tabs go away at once, right after their writes resolved: all of it is in IndexedDB.
    await Promise.all([a.page.close(), b.page.close()]);
    const c = await tab('shared');
    expect(c.isHub).toBe(true);
    expect(await call(c.page, 'ids', 'notes')).toEqual(all);
    await c.page.close();
  });

  test("a tab's write resolves only once the hub has stored it", async () => {
    const a = await tab('confirm');
    const b = await tab('confirm');
    await call(b.page, 'insert', 'notes', ['warm-up']);
    const blocked = call(a.page, 'block', 1_500); // the hub cannot store anything for a while
    await new Promise((r) => setTimeout(r, 200));
    await call(b.page, 'startWrites', 'notes', 'x', 1, 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await call(b.page, 'isSettled')).toBe(false); // in b's replica, not yet stored
    expect(await call(b.page, 'ids', 'notes')).toContain('x-0');
    await blocked;
    await call(b.page, 'settled');
    expect(await call(a.page, 'ids', 'notes')).toEqual(['warm-up', 'x-0']);
    await Promise.all([a.page.close(), b.page.close()]);
  });

  test('presence between tabs', async () => {
    const a = await tab('presence');
    const b = await tab('presence');
    await call(b.page, 'setPresence', 'board', { cursor: 3 });
    await call(a.page, 'waitForPresence', 'board', b.replica, '{"cursor":3}');
    await call(a.page, 'setPresence', 'board', { cursor: 7 });
    await call(b.page, 'waitForPresence', 'board', a.replica, '{"cursor":7}');
    // A tab that closes leaves no presence behind.
    await b.page.close();
    await call(a.page, 'waitForPresence', 'board', b.replica, 'null');
    await a.page.close();
  });

  test('closing the hub tab hands over to another tab without losing writes', async () => {
    const a = await tab('handover');
    const b = await tab('handover');
    const c = await tab('handover');
    await call(b.page, 'insert', 'notes', ['before']);
    // b writes while a, the hub, goes away: the writes resolve once the next hub stores them.
    await call(b.page, 'startWrites', 'notes', 'during', 100, 5);
    await a.page.close();
    await call(b.page, 'settled');
    await until(async () => (await call(b.page, 'isHub')) || (await call(c.page, 'isHub')));
    const hubs = await Promise.all([call(b.page, 'isHub'), call(c.page, 'isHub')]);
    expect(hubs.filter(Boolean)).toHaveLength(1);
    await call(c.page, 'insert', 'notes', ['after']);
    const want = [
      'after',
      'before',
      ...Array.from({ length: 100 }, (_, i) => `during-${i}`),
    ].sort();
    await call(b.page, 'waitForCount', 'notes', want.length);
    await call(c.page, 'waitForCount', 'notes', want.length);
    expect(await call(b.page, 'ids', 'notes')).toEqual(want);
    expect(await call(c.page, 'ids', 'notes')).toEqual(want);
    await Promise.all([b.page.close(), c.page.close()]);
    const d = await tab('handover');
    expect(await call(d.page, 'ids', 'notes')).toEqual(want);
    await d.page.close();
  });
});

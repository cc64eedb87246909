import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BrowserHarness,
  call,
  chromiumAvailable,
  inPageTests,
  reload,
  startBrowserHarness,
} from '@weft/browser-test';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerAcceptance } from './pages/acceptance-suite.js';

const here = dirname(fileURLToPath(import.meta.url));

describe.skipIf(!chromiumAvailable())('IndexedDbStorage in Chromium', () => {
  let harness: BrowserHarness;
  let page: Page;

  beforeAll(async () => {
    harness = await startBrowserHarness({ acceptance: resolve(here, 'pages/acceptance.ts') });
    page = await harness.openPage(await harness.newContext(), 'acceptance');
  });
  afterAll(() => harness?.close());

  // Every case of the shared suite runs in the page, on the browser's IndexedDB.
  inPageTests(
    (t) => registerAcceptance(t),
    { describe, test },
    () => page,
  );

  test('a database survives a page reload, with the same replica id', async () => {
    const replica = await call<string>(page, 'write', 'reload', ['b', 'a', 'c']);
    await call(page, 'rawPut', 'raw-reload', ['k', 'ü'], [1, 2, 255]);
    await reload(page);
    const got = await call<{ replica: string; titles: string[] }>(page, 'read', 'reload');
    expect(got).toEqual({ replica, titles: ['a', 'b', 'c'] });
    expect(await call(page, 'rawGet', 'raw-reload', ['k', 'ü'])).toEqual([1, 2, 255]);
  });

  test('a database written by a newer version is refused with a typed error', async () => {
    const got = await call<{ isTyped: boolean; code: string; message: string }>(
      page,
      'newerVersion',
      'from-the-future',
    );
    expect(got).toMatchObject({ isTyped: true, code: 'failed' });
    expect(got.message).toMatch(/newer version of this app: reload the page/);
  });
});

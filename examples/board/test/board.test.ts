// The demo board end to end, as a user meets it: the real main job (start.mjs: seed, then a
// `weft serve` process with the app and the inspector), Debian's Chromium driven by
// playwright-core, two browser profiles editing one board. Screenshots go to
// test-artifacts/board/ at the repository root.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '@weft/browser-test';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildDemo, type DemoServer, startDemo } from './demo-process.js';

const artifacts = fileURLToPath(new URL('../../../test-artifacts/board/', import.meta.url));
const SEEDED = 'Open this board in two windows and type here in both at once.';

describe.skipIf(!chromiumAvailable())('the demo board in Chromium, through weft serve', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-board-e2e-'));
  let server: DemoServer;
  let chromium: LaunchedChromium;
  let a: Page;
  let b: Page;
  let contextB: BrowserContext;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    buildDemo();
    server = await startDemo(dataDir);
    chromium = await launchChromium();
    a = await openBoard(await chromium.newContext(), 'Ann');
    contextB = await chromium.newContext();
    b = await openBoard(contextB, 'Bob');
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function openBoard(context: BrowserContext, name: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[${name}] ${error.message}`));
    await page.goto(server.url);
    await page.getByTestId('card').nth(3).waitFor({ timeout: 15_000 }); // the seeded board
    await page.getByTestId('my-name').fill(name);
    // The service worker has cached the app: it can open without the server.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    return page;
  }

  const card = (page: Page, id: string) => page.locator(`[data-card-id="${id}"]`);
  const description = (page: Page, id: string) =>
    card(page, id).getByTestId('card-description').inputValue();
  const same = async (read: (page: Page) => Promise<string>) => {
    const [x, y] = await Promise.all([read(a), read(b)]);
    return x === y ? x : `differs: ${x} | ${y}`;
  };

  test('two people edit one board at once and converge, seeing each other', async () => {
    await expect.poll(() => a.getByTestId('status').textContent()).toBe('online');
    await expect.poll(() => b.getByTestId('status').textContent()).toBe('online');
    // Presence: each sees the other by name.
    await expect.poll(() => a.getByTestId('person').allTextContents()).toContain('Bob');
    await expect.poll(() => b.getByTestId('person').allTextContents()).toContain('Ann');

    // The same description, typed into by both at once: Ann at the end, Bob at the start.
    const editA = card(a, 'seed-1').getByTestId('card-description');
    const editB = card(b, 'seed-1').getByTestId('card-description');
    await editA.click();
    await editA.press('Control+End');
    await editB.click();
    await editB.press('Control+Home');
    await Promise.all([
      editA.pressSequentially(' [alpha]', { delay: 25 }),
      editB.pressSequentially('[beta] ', { delay: 25 }),
    ]);
    await expect
      .poll(() => same((p) => description(p, 'seed-1')), { timeout: 10_000 })
      .toBe(`[beta] ${SEEDED} [alpha]`);
    // Bob's caret shows in Ann's copy of the card (he is still in its description).
    await expect.poll(() => card(a, 'seed-1').getByTestId('remote-caret').count()).toBe(1);

    // Both type at the same place at once: the two runs never interleave.
    await editB.press('Control+End');
    await Promise.all([
      editA.pressSequentially(' one', { delay: 25 }),
      editB.pressSequentially(' two', { delay: 25 }),
    ]);
    await expect
      .poll(() => same((p) => description(p, 'seed-1')), { timeout: 10_000 })
      .toMatch(/\[alpha\]( one two| two one)$/);

    // Counter, set, register and list fields, all at once.
    await Promise.all([
      card(a, 'seed-3').getByTestId('card-vote').click(),
      card(b, 'seed-3').getByTestId('card-vote').click(),
    ]);
    await card(a, 'seed-3').getByTestId('card-vote').click();
    // (One action at a time per page: two at once would fight over its focus.)
    await Promise.all([addTag(a, 'seed-2', 'alpha'), addTag(b, 'seed-2', 'beta')]);
    await b.getByTestId('column-name-input').fill('Review');
    await b.getByTestId('column-name-input').press('Enter');
    await expect
      .poll(() =>
        same((p) =>
          card(p, 'seed-3')
            .getByTestId('card-votes')
            .textContent()
            .then((t) => t ?? ''),
        ),
      )
      .toBe('6'); // 3 seeded + 3 votes
    await expect
      .poll(() => same(async (p) => (await tags(p, 'seed-2')).sort().join(',')))
      .toBe('alpha,beta,demo');
    await expect.poll(() => a.locator('[data-column="Review"]').count()).toBe(1);
    await a.screenshot({ path: join(artifacts, '1-ann.png') });
    await b.screenshot({ path: join(artifacts, '1-bob.png') });
  });

  test('one goes offline, both keep editing, and they converge when it is back', async () => {
    await contextB.setOffline(true);
    await expect
      .poll(() => b.getByTestId('status').textContent(), { timeout: 20_000 })
      .not.toBe('online');
    const offline = card(b, 'seed-4').getByTestId('card-description');
    await offline.click();
    await offline.press('Control+End');
    await offline.pressSequentially(' (edited offline)');
    await b.locator('[data-column="Review"]').getByTestId('new-card-input').fill('Made offline');
    await b.keyboard.press('Enter');
    const online = card(a, 'seed-4').getByTestId('card-description');
    await online.click();
    await online.press('Control+Home');
    await online.pressSequentially('Meanwhile: ');
    await b.waitForTimeout(300);
    expect(await a.getByText('Made offline').count()).toBe(0); // not before B is back
    await b.screenshot({ path: join(artifacts, '2-bob-offline.png') });

    await contextB.setOffline(false);
    await expect
      .poll(() => same((p) => description(p, 'seed-4')), { timeout: 30_000 })
      .toBe(
        'Meanwhile: npm start runs weft serve with this app and the inspector. (edited offline)',
      );
    await expect.poll(() => a.getByTestId('card').count()).toBe(5);
  });

  test('a reload with the server stopped still shows the board, from IndexedDB', async () => {
    await a.waitForTimeout(500); // let Ann's last writes land in IndexedDB
    await server.stop();
    await a.reload();
    await expect.poll(() => a.getByTestId('card').count(), { timeout: 15_000 }).toBe(5);
    expect(await description(a, 'seed-1')).toMatch(/^\[beta\] .*\[alpha\]/);
    expect(await a.getByTestId('status').textContent()).not.toBe('online');
    await a.screenshot({ path: join(artifacts, '3-ann-reloaded-without-server.png') });
  });

  test('the inspector shows the documents and the connected clients', async () => {
    server = await startDemo(dataDir, server.port); // the same address: the pages reconnect
    await expect
      .poll(() => a.getByTestId('status').textContent(), { timeout: 30_000 })
      .toBe('online');
    await expect
      .poll(() => b.getByTestId('status').textContent(), { timeout: 30_000 })
      .toBe('online');
    const inspector = await (await chromium.newContext()).newPage();
    await inspector.goto(`${server.url}inspect#/spaces/board/collections/cards`);
    await expect.poll(() => inspector.getByTestId('doc-row').count(), { timeout: 15_000 }).toBe(5);
    await expect
      .poll(() => inspector.getByTestId('doc-results').textContent())
      .toContain('Made offline');
    await inspector.screenshot({
      path: join(artifacts, '4-inspector-documents.png'),
      fullPage: true,
    });
    await inspector.goto(`${server.url}inspect#/spaces/board/clients`);
    await expect
      .poll(() => inspector.getByTestId('client-row').count(), { timeout: 15_000 })
      .toBe(2);
    await expect
      .poll(() => inspector.getByTestId('presence-row').allInnerTexts())
      .toEqual(
        expect.arrayContaining([expect.stringContaining('Ann'), expect.stringContaining('Bob')]),
      );
    await inspector.screenshot({
      path: join(artifacts, '5-inspector-clients.png'),
      fullPage: true,
    });
  });

  async function addTag(page: Page, id: string, tag: string): Promise<void> {
    await card(page, id).getByTestId('card-tag-input').fill(tag);
    await card(page, id).getByTestId('card-tag-input').press('Enter');
  }

  async function tags(page: Page, id: string): Promise<string[]> {
    const texts = await card(page, id).getByTestId('card-tag').allInnerTexts();
    return texts.map((t) => t.replace('×', '').trim());
  }
});

import type { TestHarness } from '@weft/core';
import type { BrowserContext, Page } from 'playwright-core';
import { bundle } from './bundle.js';
import { type LaunchedChromium, launchChromium } from './chromium.js';
import { collectTests } from './page/collect.js';
import type { PageTestResult } from './page/expose.js';
import { type StaticServer, serveFiles } from './static-server.js';

export interface BrowserHarness {
  readonly chromium: LaunchedChromium;
  /** Where the bundles are served. */
  readonly server: StaticServer;
  /** A fresh profile (see LaunchedChromium.newContext). */
  newContext(): Promise<BrowserContext>;
  /** Opens a page of `context` running `entry`, once the entry has called `expose`. */
  openPage(context: BrowserContext, entry: string): Promise<Page>;
  /** Closes the browser and the server. */
  close(): Promise<void>;
}

/**
 * Bundles `entries` (name -> file) for the browser, serves them on loopback and launches
 * Chromium: one per test file, in `beforeAll`. Entries call `expose` (from
 * `@weft/browser-test/page`) with the functions tests then `call`.
 */
export async function startBrowserHarness(
  entries: Record<string, string>,
): Promise<BrowserHarness> {
  const { files } = await bundle(entries);
  const server = await serveFiles(files);
  let chromium: LaunchedChromium;
  try {
    chromium = await launchChromium();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    chromium,
    server,
    newContext: () => chromium.newContext(),
    async openPage(context, entry) {
      if (!(entry in entries)) throw new Error(`no entry "${entry}" was bundled`);
      const page = await context.newPage();
      watch(page, entry);
      await page.goto(`${server.url}/?entry=${encodeURIComponent(entry)}`);
      await waitReady(page);
      return page;
    },
    async close() {
      await chromium.close();
      await server.close();
    },
  };
}

/** Reloads a page and waits until its entry is ready again. */
export async function reload(page: Page): Promise<void> {
  await page.reload();
  await waitReady(page);
}

async function waitReady(page: Page): Promise<void> {
  const handle = await page.waitForFunction(
    () => {
      const g = globalThis as { __weftReady?: boolean; __weftLoadError?: string };
      return g.__weftReady ? 'ready' : g.__weftLoadError;
    },
    undefined,
    { timeout: 30_000 },
  );
  const state = await handle.jsonValue();
  if (state !== 'ready') throw new Error(`the page failed to load its entry: ${state}`);
}

/** Page errors and console errors go to the test's output, so a failure explains itself. */
function watch(page: Page, entry: string): void {
  page.on('pageerror', (error) => console.error(`[page ${entry}] uncaught: ${error.stack}`));
  page.on('console', (message) => {
    // Failed WebSocket connects are what offline and server-down tests are about.
    if (/WebSocket connection to .* failed/.test(message.text())) return;
    if (message.type() === 'error' || message.type() === 'warning')
      console.error(`[page ${entry}] ${message.type()}: ${message.text()}`);
  });
}

/**
 * Calls a function the page exposed, with JSON-like arguments, and returns its result (a
 * promise is awaited). An exception in the page rejects with its message.
 */
export async function call<T = unknown>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return (await page.evaluate(
    ([fn, params]) => {
      // biome-ignore lint/suspicious/noExplicitAny: the page's exposed functions
      const exposed = (globalThis as any).__weft ?? {};
      if (typeof exposed[fn] !== 'function') throw new Error(`the page exposes no "${fn}"`);
      return exposed[fn](...params);
    },
    [name, args] as [string, unknown[]],
  )) as T;
}

/**
 * Registers, in Node, one test per test of a suite that runs in the page (`exposeTests` there,
 * with the same `register`): each runs its case in the page and fails with the page's error.
 */
export function inPageTests(
  register: (t: TestHarness) => void,
  t: TestHarness,
  page: () => Page,
): void {
  for (const name of collectTests(register).keys()) {
    t.test(name, async () => {
      const result = await call<PageTestResult>(page(), '__runTest', name);
      if (!result.ok) throw new Error(`in the page: ${result.error}`);
    });
  }
}

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); WEFT_CHROMIUM points elsewhere. */
export const CHROMIUM_PATH = process.env.WEFT_CHROMIUM ?? '/usr/bin/chromium';

/** Quiet, hermetic, headless: nothing phones home, nothing updates, no GPU needed. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

const INSTALL_HINT = `Chromium is not at ${CHROMIUM_PATH}. Install Debian's: sudo apt-get install -y chromium (or set WEFT_CHROMIUM to a Chromium binary). Never a browser download.`;

/**
 * Whether the browser tests can run. Locally a missing Chromium skips them with a loud
 * message; under CI=true it is an error (CI installs Chromium: see .ci/run).
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) throw new Error(`browser tests must run in CI: ${INSTALL_HINT}`);
  console.warn(`\n!!! SKIPPING BROWSER TESTS !!!\n${INSTALL_HINT}\n`);
  return false;
}

export interface LaunchedChromium {
  readonly browser: Browser;
  /** A fresh context: its own profile storage (IndexedDB, locks, channels), like a new user. */
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Launches Chromium (one per test file: launching takes a second or two). Contexts are
 * independent profiles; pages of one context share storage, Web Locks and BroadcastChannels.
 */
export async function launchChromium(): Promise<LaunchedChromium> {
  // Playwright gives a launched browser a fresh temporary profile; TMPDIR keeps it ours.
  const dir = mkdtempSync(join(tmpdir(), 'weft-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, TMPDIR: dir, HOME: dir },
  });
  return {
    browser,
    newContext: () => browser.newContext(),
    async close() {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

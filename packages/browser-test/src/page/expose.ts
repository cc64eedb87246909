import type { TestHarness } from '@weft/core';
import { collectTests } from './collect.js';

// biome-ignore lint/suspicious/noExplicitAny: functions called from Node with JSON arguments
type Exposed = Record<string, (...args: any[]) => unknown>;

interface PageGlobals {
  __weft?: Exposed;
  __weftReady?: boolean;
}

/**
 * Makes functions callable from Node (`call(page, name, ...args)`; arguments and results
 * cross as JSON-like values) and marks the page ready. Call once the page is set up.
 */
export function expose(functions: Exposed): void {
  const g = globalThis as PageGlobals;
  g.__weft = Object.assign(g.__weft ?? {}, functions);
  g.__weftReady = true;
}

export interface PageTestResult {
  readonly ok: boolean;
  readonly error?: string;
}

/** Exposes a suite's tests to run one by one from Node (see `inPageTests`). */
export function exposeTests(register: (t: TestHarness) => void): void {
  const tests = collectTests(register);
  expose({
    __runTest: async (name: string): Promise<PageTestResult> => {
      const body = tests.get(name);
      if (!body) return { ok: false, error: `the page has no test named "${name}"` };
      try {
        await body();
        return { ok: true };
      } catch (error) {
        return { ok: false, error: (error as Error)?.stack ?? String(error) };
      }
    },
  });
}

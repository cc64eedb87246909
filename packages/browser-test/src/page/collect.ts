import type { TestHarness } from '@weft/core';

/** A test registered by a suite, under its full name ("describe > test"). */
export type CollectedTests = Map<string, () => Promise<void>>;

/**
 * Runs a suite's registration (`runStorageAcceptance(name, t, setup)`-style) with a tiny
 * describe/test collector: the same names come out in Node and in the page, so Node can turn
 * each test run in the page into a test of its own.
 */
export function collectTests(register: (t: TestHarness) => void): CollectedTests {
  const tests: CollectedTests = new Map();
  const path: string[] = [];
  register({
    describe(name, body) {
      path.push(name);
      try {
        body();
      } finally {
        path.pop();
      }
    },
    test(name, body) {
      const full = [...path, name].join(' > ');
      if (tests.has(full)) throw new Error(`two tests are named "${full}"`);
      tests.set(full, body);
    },
  });
  return tests;
}

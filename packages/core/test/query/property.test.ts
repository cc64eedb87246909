// Random docs, random index specs, random upserts/removes and random queries: every result,
// page and count must equal the oracle's (full scan + filter + sort + offset/limit).
//   WEFT_SEED=n  replay;  WEFT_LONG=1 or WEFT_RUNS=n  more cases.
import { describe, expect, test } from 'vitest';
import { compareValues, type QuerySpec, valueEquals } from '../../src/index.js';
import type { Doc } from '../../src/query/index.js';
import { iterations, type Prng, testSeed, withSeed } from '../helpers/prng.js';
import { oracleCount, oracleQuery } from './oracle.js';
import { randomDoc, randomId, randomIndexSpecs, randomSpec, randomValue, show } from './random.js';
import { TestStore } from './store.js';

const FILE = 'packages/core/test/query/property.test.ts';
const CASES = iterations(1000, 50_000);
const SEED = testSeed();

/** What the planner chose, over all cases: the index paths must actually be exercised. */
const stats = { queries: 0, indexScans: 0, sortedByIndex: 0, cursorPages: 0 };

function mutate(rng: Prng, store: TestStore): void {
  const ids = [...store.docs.keys()];
  if (ids.length > 0 && rng.chance(0.3)) store.delete(rng.pick(ids));
  else store.put(randomDoc(rng, ids.length > 0 && rng.chance(0.5) ? rng.pick(ids) : randomId(rng)));
}

function ids(docs: readonly Doc[]): string[] {
  return docs.map((d) => d.id as string);
}

function checkQuery(rng: Prng, store: TestStore, spec: QuerySpec, context: () => string): void {
  const result = store.query(spec);
  const expected = oracleQuery(store.values(), spec);
  expect(ids(result.docs), context()).toEqual(ids(expected.rows));
  expect(result.nextCursor !== undefined, context()).toBe(expected.more);
  expect(store.count(spec), context()).toBe(oracleCount(store.values(), spec));
  stats.queries++;
  if (result.plan.kind === 'index-scan') stats.indexScans++;
  if (result.plan.sortedBy === 'index') stats.sortedByIndex++;

  // Follow the cursors, sometimes changing the docs between pages: each page is the oracle's
  // rows strictly after the previous page's last row, in the docs as they are now.
  let page = result;
  for (let n = 0; page.nextCursor !== undefined && n < 6; n++) {
    const last = page.docs.at(-1)!;
    const mutated = rng.chance(0.4);
    if (mutated) for (let k = rng.int(4); k >= 0; k--) mutate(rng, store);
    const next = { ...spec, after: page.nextCursor };
    page = store.query(next);
    const want = oracleQuery(store.values(), spec, last);
    const where = () => `${context()}\npage ${n + 2}${mutated ? ' (docs changed)' : ''}`;
    expect(ids(page.docs), where()).toEqual(ids(want.rows));
    expect(page.nextCursor !== undefined, where()).toBe(want.more);
    stats.cursorPages++;
  }
}

describe(`queries equal the full-scan oracle (seed ${SEED})`, () => {
  test(`${CASES} random collections, indexes, edits and queries`, () => {
    for (let i = 0; i < CASES; i++) {
      withSeed(
        FILE,
        'random collections',
        (rng) => {
          const indexSpecs = randomIndexSpecs(rng);
          const initial = new Map<string, Doc>();
          for (let n = rng.int(30); n > 0; n--) {
            const id = randomId(rng);
            initial.set(id, randomDoc(rng, id));
          }
          // Half the time the indexes are bulk-loaded, half the time built by upserts.
          const bulk = rng.chance(0.5);
          const store = new TestStore(indexSpecs, bulk ? [...initial.values()] : []);
          if (!bulk) for (const doc of initial.values()) store.put(doc);
          for (let n = rng.int(15); n > 0; n--) mutate(rng, store);
          for (let q = 0; q < 4; q++) {
            const spec = randomSpec(rng);
            const context = () =>
              `indexes ${show(indexSpecs)}\nquery ${show(spec)}\ndocs ${show([...store.values()])}`;
            checkQuery(rng, store, spec, context);
            if (rng.chance(0.3)) mutate(rng, store);
          }
          for (const info of store.indexes.list()) expect(info.size).toBe(store.size);
        },
        SEED + i,
      );
    }
    // The generators must keep reaching the index paths, or this test proves little.
    expect(stats.indexScans / stats.queries).toBeGreaterThan(0.1);
    expect(stats.sortedByIndex / stats.queries).toBeGreaterThan(0.02);
    expect(stats.cursorPages).toBeGreaterThan(CASES / 4);
  });

  test('compareValues is 0 exactly when valueEquals (index equality bounds rely on it)', () => {
    withSeed(
      FILE,
      'compareValues',
      (rng) => {
        for (let i = 0; i < 20 * CASES; i++) {
          const a = randomValue(rng);
          const b = rng.chance(0.3) ? structuredClone(a) : randomValue(rng);
          expect(compareValues(a, b) === 0, show([a, b])).toBe(valueEquals(a, b));
        }
      },
      SEED,
    );
  });
});

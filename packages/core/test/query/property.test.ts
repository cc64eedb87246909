// Random docs, random index specs, random upserts/removes and random queries: every result,
// page and count must equal the oracle's (full scan + filter + sort + offset/limit).
//   WEFT_SEED=n  replay;  WEFT_LONG=1 or WEFT_RUNS=n  more cases.
import { describe, expect, test } from 'vitest';
import { compareValues, type QuerySpec, type Value, valueEquals } from '../../src/index.js';
import type { Doc } from '../../src/query/index.js';
import { iterations, type Prng, testSeed, withSeed } from '../helpers/prng.js';
import { oracleCount, oracleQuery, resolve } from './oracle.js';
import {
  chooseDomain,
  randomDoc,
  randomId,
  randomIndexSpecs,
  randomSpec,
  randomValue,
  show,
} from './random.js';
import { TestStore } from './store.js';

const FILE = 'packages/core/test/query/property.test.ts';
const CASES = iterations(1000, 50_000);
const SEED = testSeed();

/** What the planner chose, over all cases: the index paths must actually be exercised. */
const stats = {
  queries: 0,
  indexScans: 0,
  sortedByIndex: 0,
  cursorPages: 0,
  indexOrderedPages: 0,
};

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
          chooseDomain(rng);
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
            const spec = randomSpec(rng, indexSpecs, [...store.values()]);
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

  test(`${CASES / 4} walks through index-ordered pages`, () => {
    for (let i = 0; i < CASES / 4; i++) {
      withSeed(FILE, 'index-ordered pages', (rng) => checkIndexPages(rng), SEED + i);
    }
    expect(stats.indexOrderedPages).toBeGreaterThan(CASES / 4);
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

/**
 * One compound index, a tiny value domain (many ties), equalities on some index fields, an
 * order over some of them, small pages: every page, with edits in between, must be the
 * oracle's rows after the previous page. This is where a cursor is looked up inside an index
 * run, and where the run may hold non-matching rows out of the query's order.
 */
function checkIndexPages(rng: Prng): void {
  chooseDomain(rng, true);
  const fields = rng.shuffle(['a', 'b', 'c', 'n.x']).slice(0, 2 + rng.int(2));
  const store = new TestStore([fields]);
  for (let n = 10 + rng.int(50); n > 0; n--) store.put(randomDoc(rng, `d${rng.int(80)}`));
  const anchor = rng.pick([...store.values()]);
  const where: { [field: string]: Value } = {};
  for (const field of fields) {
    const v = resolve(anchor, field);
    if (v.present && !isObject(v.value) && rng.chance(0.4)) where[field] = v.value;
  }
  const desc = rng.chance(0.5);
  const orderBy = fields.filter(() => rng.chance(0.6)).map((f) => (desc ? `-${f}` : f));
  const spec: QuerySpec = { where, orderBy, limit: 1 + rng.int(4) };
  const context = () =>
    `index ${show(fields)}\nquery ${show(spec)}\ndocs ${show([...store.values()])}`;
  let page = store.query(spec);
  expect(ids(page.docs), context()).toEqual(ids(oracleQuery(store.values(), spec).rows));
  for (let n = 0; page.nextCursor !== undefined; n++) {
    expect(n, context()).toBeLessThan(100);
    const last = page.docs.at(-1)!;
    if (rng.chance(0.3)) mutate(rng, store);
    page = store.query({ ...spec, after: page.nextCursor });
    const want = oracleQuery(store.values(), spec, last);
    expect(ids(page.docs), `${context()}\npage ${n + 2}`).toEqual(ids(want.rows));
    expect(page.nextCursor !== undefined, `${context()}\npage ${n + 2}`).toBe(want.more);
    if (page.plan.sortedBy === 'index') stats.indexOrderedPages++;
  }
}

function isObject(v: Value): boolean {
  return typeof v === 'object' && v !== null;
}

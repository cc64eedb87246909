import { describe, expect, test } from 'vitest';
import { compileQuery, QueryError, type QuerySpec } from '../../src/index.js';
import type { Doc } from '../../src/query/index.js';
import { TestStore } from './store.js';

function tasks(n: number): Doc[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `t${String(i).padStart(3, '0')}`,
    status: ['open', 'done', 'blocked'][i % 3]!,
    priority: i % 5,
    ...(i % 7 === 0 ? {} : { due: i % 4 === 0 ? null : 100 - (i % 11) }),
  }));
}

/** Every page of `spec`, following nextCursor. */
function allPages(store: TestStore, spec: QuerySpec): string[][] {
  const pages: string[][] = [];
  let after: string | undefined;
  for (;;) {
    const result = store.query({ ...spec, ...(after === undefined ? {} : { after }) });
    pages.push(result.docs.map((d) => d.id as string));
    if (result.nextCursor === undefined) return pages;
    if (pages.length > 1000) throw new Error('pagination does not advance');
    expect(result.docs).toHaveLength(spec.limit!);
    after = result.nextCursor;
  }
}

const specs: QuerySpec[] = [
  { limit: 7 },
  { orderBy: 'priority', limit: 4 },
  { orderBy: ['-priority', 'due'], limit: 5 },
  { orderBy: '-due', limit: 3 }, // missing due last in desc, then null
  { where: { status: 'open' }, orderBy: 'priority', limit: 2 },
  { where: { status: { ne: 'done' } }, orderBy: [{ field: 'due', direction: 'desc' }], limit: 6 },
];

describe('cursor pagination', () => {
  for (const indexSpecs of [[], [['priority'], ['status', 'priority'], ['due']]]) {
    for (const spec of specs) {
      test(`pages concatenate to the full result: ${JSON.stringify(spec)}, indexes ${JSON.stringify(indexSpecs)}`, () => {
        const store = new TestStore(indexSpecs, tasks(40));
        const { limit: _, ...all } = spec;
        const full = store.ids(all);
        const pages = allPages(store, spec);
        expect(pages.flat()).toEqual(full);
        expect(pages.length).toBe(Math.max(1, Math.ceil(full.length / spec.limit!)));
      });
    }
  }

  test('missing sorts before null, ascending; after everything descending', () => {
    const store = new TestStore(
      [],
      [{ id: 'a', v: 1 }, { id: 'b', v: null }, { id: 'c' }, { id: 'd', v: false }],
    );
    expect(store.ids({ orderBy: 'v' })).toEqual(['c', 'b', 'd', 'a']);
    expect(store.ids({ orderBy: '-v' })).toEqual(['a', 'd', 'b', 'c']);
  });

  test('the next page starts strictly after the cursor, even after inserts and deletes', () => {
    for (const indexSpecs of [[], [['priority']]]) {
      const store = new TestStore(indexSpecs, tasks(20));
      const spec: QuerySpec = { orderBy: 'priority', limit: 3 };
      const first = store.query(spec);
      const seen = first.docs.map((d) => d.id);
      const last = first.docs.at(-1)!;
      expect(last.priority).toBe(0);
      // Before the cursor: never shows up. At the cursor's key, after its id: shows up next.
      store.put({ id: 'a-new', priority: 0 });
      store.put({ id: 'z-new', priority: 0 });
      store.delete(first.docs[0]!.id as string);
      store.delete(last.id as string); // the cursor's own row may go away
      const second = store.query({ ...spec, after: first.nextCursor! });
      expect(second.docs.map((d) => d.id).slice(0, 2)).toEqual(['t015', 'z-new']);
      const rest = allPages(store, { ...spec, after: first.nextCursor! }).flat();
      expect(rest).not.toContain('a-new');
      expect(rest.filter((id) => seen.includes(id))).toEqual([]);
      const full = store.ids({ orderBy: 'priority' });
      expect(rest).toEqual(full.slice(full.indexOf('t015')));
    }
  });

  test('regression: an index whose run holds non-matching rows out of query order', () => {
    // Index a+b, where b = 1, orderBy a: matching rows are in (a, id) order, but the rows
    // with b = 0 interleave, so the run is not sorted by the query's order as a whole.
    const docs: Doc[] = [
      { id: 'z', a: 1, b: 0 },
      { id: 'a', a: 1, b: 1 },
      { id: 'm', a: 1, b: 1 },
      { id: 'q', a: 1, b: 1 },
      { id: 'y', a: 1, b: 0 },
      { id: 'c', a: 2, b: 1 },
    ];
    const spec: QuerySpec = { where: { b: 1 }, orderBy: 'a', limit: 1 };
    const indexed = allPages(new TestStore([['a', 'b']], docs), spec).flat();
    expect(indexed).toEqual(['a', 'm', 'q', 'c']);
    expect(indexed).toEqual(allPages(new TestStore([], docs), spec).flat());
  });

  test('a cursor is opaque and url-safe', () => {
    const store = new TestStore([], tasks(10));
    const cursor = store.query({ orderBy: ['-due', 'status'], limit: 3 }).nextCursor!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test('a cursor from a different ordering is refused', () => {
    const store = new TestStore([], tasks(10));
    const cursor = store.query({ orderBy: 'priority', limit: 3 }).nextCursor!;
    expect(() => compileQuery({ orderBy: 'priority', after: cursor })).not.toThrow();
    expect(() => compileQuery({ orderBy: '-priority', after: cursor })).toThrow(QueryError);
    expect(() => compileQuery({ after: cursor })).toThrow(
      'after: this cursor continues a query ordered by [priority, id], but this query is ordered by [id]; pass a cursor only to the query that produced it',
    );
  });

  test('a tampered cursor is refused', () => {
    const store = new TestStore([], tasks(10));
    const cursor = store.query({ orderBy: 'priority', limit: 3 }).nextCursor!;
    for (const bad of [cursor.slice(0, -2), `${cursor}A`, `x${cursor}`, cursor.replace(/./, '*')]) {
      expect(() => compileQuery({ orderBy: 'priority', after: bad })).toThrow(QueryError);
    }
  });

  test('offset applies after the cursor; no cursor when the result was not cut', () => {
    const store = new TestStore([], tasks(10));
    const first = store.query({ limit: 3 });
    expect(store.ids({ limit: 2, offset: 1, after: first.nextCursor! })).toEqual(['t004', 't005']);
    expect(store.query({ limit: 10 }).nextCursor).toBeUndefined();
    expect(store.query({ limit: 9 }).nextCursor).toBeDefined();
    expect(store.query({ offset: 20, limit: 5 })).toMatchObject({
      docs: [],
      nextCursor: undefined,
    });
  });
});

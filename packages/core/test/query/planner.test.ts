import { describe, expect, test } from 'vitest';
import {
  CollectionIndexes,
  compileQuery,
  planQuery,
  QueryError,
  type QuerySpec,
} from '../../src/index.js';
import type { Doc } from '../../src/query/index.js';
import { TestStore } from './store.js';

const docs: Doc[] = Array.from({ length: 30 }, (_, i) => ({
  id: `d${String(i).padStart(2, '0')}`,
  status: i % 3 === 0 ? 'open' : 'done',
  priority: i % 6,
  title: `task ${i}`,
  owner: { name: i % 2 ? 'Ada' : 'Bob' },
  created: 1000 + i,
}));

const store = new TestStore(
  [['status'], ['status', 'priority'], ['owner.name'], ['created'], ['title']],
  docs,
);

/** The explain text, after checking the indexed result against a full scan. */
function explain(spec: QuerySpec): string {
  const result = store.query(spec);
  const plain = new TestStore([], docs).query(spec);
  expect(result.docs).toEqual(plain.docs);
  expect(result.nextCursor).toEqual(plain.nextCursor);
  return store.explain(spec);
}

describe('planner', () => {
  test('equality prefix plus a range, residual filter, sorted by index', () => {
    expect(
      explain({
        where: { status: 'open', priority: { gt: 3 }, title: { startsWith: 'task 1' } },
        orderBy: 'priority',
        limit: 10,
      }),
    ).toBe(
      'index scan on status+priority (status = "open", priority > 3), residual filter on title, sorted by index, limit 10',
    );
  });

  test('the index that fixes the most fields wins; a tie goes to fewer fields', () => {
    // Equality on every field of an index: its entries come out in id order.
    expect(explain({ where: { status: 'open', priority: 3 } })).toBe(
      'index scan on status+priority (status = "open", priority = 3), sorted by index',
    );
    expect(explain({ where: { status: 'open' }, orderBy: 'title' })).toBe(
      'index scan on status (status = "open"), sorted in memory by title, id',
    );
    // The order decides between two indexes that fix as much.
    expect(explain({ where: { status: 'open' }, orderBy: '-priority', limit: 3 })).toBe(
      'index scan on status+priority backward (status = "open"), sorted by index, limit 3',
    );
  });

  test('ranges: several conditions on one field, startsWith, dot paths', () => {
    expect(explain({ where: { created: { gte: 1005, lt: 1010 } }, orderBy: '-created' })).toBe(
      'index scan on created backward (created >= 1005, created < 1010), sorted by index',
    );
    expect(explain({ where: { title: { startsWith: 'task 2' } }, orderBy: 'created' })).toBe(
      'index scan on title (title starts with "task 2"), sorted in memory by created, id',
    );
    expect(explain({ where: { 'owner.name': 'Ada', $and: [{ priority: { ne: 2 } }] } })).toBe(
      'index scan on owner.name (owner.name = "Ada"), residual filter on priority, sorted by index',
    );
  });

  test('an index serves orderBy alone when a limit lets the scan stop early', () => {
    expect(explain({ orderBy: '-created', limit: 5 })).toBe(
      'index scan on created backward, sorted by index, limit 5',
    );
    expect(
      explain({ where: { priority: { lt: 2 } }, orderBy: 'created', limit: 5, offset: 2 }),
    ).toBe(
      'index scan on created, residual filter on priority, sorted by index, offset 2, limit 5',
    );
    expect(explain({ orderBy: '-created' })).toBe(
      'full scan of 30 docs, sorted in memory by created desc, id desc',
    );
    // created then id ascending is the index's order; created desc then id asc is not.
    expect(
      explain({ orderBy: [{ field: 'created', direction: 'desc' }, { field: 'id' }], limit: 5 }),
    ).toBe('full scan of 30 docs, sorted in memory by created desc, id, limit 5');
  });

  test('order terms on fields fixed by equality do not matter', () => {
    expect(explain({ where: { status: 'done' }, orderBy: ['status', 'priority'], limit: 4 })).toBe(
      'index scan on status+priority (status = "done"), sorted by index, limit 4',
    );
    expect(explain({ where: { priority: 1 }, orderBy: ['priority', 'created'], limit: 4 })).toBe(
      'index scan on created, residual filter on priority, sorted by index, limit 4',
    );
  });

  test('full scans: no index fits, $or, $not, in, ne', () => {
    expect(explain({ where: { $or: [{ status: 'open' }, { priority: 1 }] } })).toBe(
      'full scan of 30 docs, filter on status, priority, sorted in memory by id',
    );
    expect(explain({ where: { priority: { in: [1, 2] } }, orderBy: 'title', limit: 2 })).toBe(
      'index scan on title, residual filter on priority, sorted by index, limit 2',
    );
    expect(explain({ where: { $not: { status: 'open' } } })).toBe(
      'full scan of 30 docs, filter on status, sorted in memory by id',
    );
    expect(explain({})).toBe('full scan of 30 docs, sorted in memory by id');
  });

  test('a cursor continues an index scan', () => {
    const first = store.query({ where: { status: 'done' }, orderBy: 'priority', limit: 4 });
    const spec = {
      where: { status: 'done' },
      orderBy: 'priority',
      limit: 4,
      after: first.nextCursor!,
    };
    expect(explain(spec)).toBe(
      'index scan on status+priority (status = "done"), after cursor, sorted by index, limit 4',
    );
  });

  test('plans are frozen data with exact candidate counts', () => {
    const plan = planQuery(
      compileQuery({ where: { status: 'open', priority: { gte: 3 } } }),
      store.indexes,
      store.size,
    );
    expect(plan).toMatchObject({
      kind: 'index-scan',
      index: 'status+priority',
      bounds: {
        equal: [{ field: 'status', value: 'open' }],
        range: { field: 'priority', conditions: [{ op: 'gte', value: 3 }] },
      },
      residual: false,
      sortedBy: 'memory',
      candidates: 5,
    });
    expect(Object.isFrozen(plan)).toBe(true);
    expect(JSON.parse(JSON.stringify(plan))).toMatchObject({ kind: 'index-scan' });
  });

  test('countQuery ignores limit, offset, order and cursor; uses bounds without touching docs', () => {
    expect(store.count({ where: { status: 'open' }, limit: 1, offset: 3 })).toBe(10);
    expect(store.count({ where: { status: 'open', priority: { gt: 2 } } })).toBe(5);
    expect(store.count({ where: { title: { startsWith: 'task 1' }, priority: 1 } })).toBe(3);
    expect(store.count({})).toBe(30);
  });
});

describe('CollectionIndexes', () => {
  test('list, names and sizes follow upserts and removes', () => {
    const s = new TestStore([['a'], ['a', 'b.c']]);
    expect(s.indexes.list()).toEqual([
      { name: 'a', fields: ['a'], size: 0 },
      { name: 'a+b.c', fields: ['a', 'b.c'], size: 0 },
    ]);
    s.put({ id: 'x', a: 1 });
    s.put({ id: 'y', a: 2, b: { c: 3 } });
    s.put({ id: 'x', a: 3 });
    expect(s.indexes.list().map((i) => i.size)).toEqual([2, 2]);
    expect(s.ids({ where: { a: { gt: 1 } } })).toEqual(['x', 'y']);
    expect(s.ids({ where: { a: { gt: 1 } }, orderBy: 'a' })).toEqual(['y', 'x']);
    s.delete('y');
    expect(s.indexes.list().map((i) => i.size)).toEqual([1, 1]);
    expect(s.ids({ where: { a: { gt: 1 } } })).toEqual(['x']);
  });

  test('bad specs are refused', () => {
    expect(() => new CollectionIndexes([[]])).toThrow(QueryError);
    expect(() => new CollectionIndexes([['a', 'a']])).toThrow(
      'index 0 names a field twice: [a, a]',
    );
    expect(() => new CollectionIndexes([['a'], ['a']])).toThrow('index a is declared twice');
    expect(() => new CollectionIndexes([['a..b']])).toThrow('invalid field path "a..b"');
  });

  test('an index out of step with its docs is an internal error, not a wrong result', () => {
    const s = new TestStore([['a']], [{ id: 'x', a: 1 }]);
    expect(() => s.indexes.remove('x', { id: 'x', a: 2 })).toThrow(/no entry for doc "x"/);
    s.docs.delete('x');
    expect(() => s.query({ where: { a: 1 } })).toThrow(/keep indexes in step/);
  });
});

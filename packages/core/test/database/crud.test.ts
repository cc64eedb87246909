import { describe, expect, test } from 'vitest';
import { AlreadyExistsError, InvalidValueError, NotFoundError } from '../../src/index.js';
import { memoryDb } from './helpers.js';

interface Task {
  title: string;
  done: boolean;
  meta?: { owner?: string; priority?: number };
  tags?: string[];
}

async function setup() {
  const db = await memoryDb('alice');
  const space = await db.space('work');
  return { db, space, tasks: space.collection<Task>('tasks') };
}

describe('documents', () => {
  test('insert, get, update with a patch or a function, delete', async () => {
    const { tasks } = await setup();
    const t = await tasks.insert({
      title: 'write docs',
      done: false,
      meta: { owner: 'ann', priority: 2 },
    });
    expect(t.id).toMatch(/^[0-9a-z]{20}$/);
    expect(tasks.get(t.id)).toEqual({
      id: t.id,
      title: 'write docs',
      done: false,
      meta: { owner: 'ann', priority: 2 },
    });
    await tasks.update(t.id, { done: true, meta: { priority: 1 } });
    expect(tasks.get(t.id)).toEqual({
      id: t.id,
      title: 'write docs',
      done: true,
      meta: { owner: 'ann', priority: 1 },
    });
    await tasks.update(t.id, (d) => {
      d.title = 'write more docs';
      delete d.meta;
    });
    expect(tasks.get(t.id)).toEqual({ id: t.id, title: 'write more docs', done: true });
    await tasks.update(t.id, { done: undefined });
    expect(tasks.get(t.id)).toEqual({ id: t.id, title: 'write more docs' });
    expect(await tasks.delete(t.id)).toBe(true);
    expect(tasks.get(t.id)).toBeUndefined();
    expect(await tasks.delete(t.id)).toBe(false);
  });

  test('insertMany writes all documents in one change, or none of them', async () => {
    const { space, tasks } = await setup();
    const docs = await tasks.insertMany([
      { title: 'a', done: false },
      { id: 'b', title: 'b', done: true },
    ]);
    expect(docs.map((d) => d.title)).toEqual(['a', 'b']);
    expect(space.stats().changes).toBe(1);
    await expect(
      tasks.insertMany([
        { title: 'c', done: false },
        { id: 'b', title: 'dup', done: false },
      ]),
    ).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(
      tasks.insertMany([
        { title: 'd', done: false },
        { title: 'e', done: false, at: new Date() } as unknown as Task,
      ]),
    ).rejects.toBeInstanceOf(InvalidValueError);
    expect(tasks.count()).toBe(2);
    expect(space.stats().changes).toBe(1);
  });

  test('put creates or replaces a whole document', async () => {
    const { tasks } = await setup();
    await tasks.put({ id: 'a', title: 'one', done: false, tags: ['x'] });
    await tasks.put({ id: 'a', title: 'two', done: true });
    expect(tasks.get('a')).toEqual({ id: 'a', title: 'two', done: true });
  });

  test('a document can be inserted again after it was deleted', async () => {
    const { tasks } = await setup();
    await tasks.insert({ id: 'x', title: 'first', done: false });
    await tasks.delete('x');
    await tasks.insert({ id: 'x', title: 'second', done: true });
    expect(tasks.get('x')).toEqual({ id: 'x', title: 'second', done: true });
  });

  test('bad writes throw typed errors and write nothing', async () => {
    const { space, tasks } = await setup();
    await tasks.insert({ id: 'a', title: 'one', done: false });
    const before = space.stats();
    await expect(tasks.insert({ id: 'a', title: 'dup', done: false })).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    await expect(tasks.update('missing', { done: true })).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      tasks.insert({ title: 'when', done: false, at: new Date() } as unknown as Task),
    ).rejects.toThrow(/field "at".*plain objects/);
    await expect(
      tasks.insert({ title: 'hole', done: false, tags: [undefined] } as unknown as Task),
    ).rejects.toBeInstanceOf(InvalidValueError);
    await expect(tasks.insert({ id: '', title: 'x', done: false })).rejects.toBeInstanceOf(
      InvalidValueError,
    );
    await expect(tasks.update('a', { id: 'b' } as unknown as Task)).rejects.toThrow(
      /id of a document cannot change/,
    );
    expect(space.stats()).toEqual(before);
    expect(tasks.get('a')).toEqual({ id: 'a', title: 'one', done: false });
  });

  test('documents nested too deep are refused; odd field names are plain data', async () => {
    const { space, tasks } = await setup();
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) deep = { nested: deep };
    await expect(
      tasks.insert({ title: 'deep', done: false, ...deep } as unknown as Task),
    ).rejects.toThrow(/deeper than 32/);
    expect(space.stats().changes).toBe(0);
    const odd = JSON.parse(
      '{"id":"odd","title":"t","done":false,"__proto__":{"polluted":true},"constructor":1}',
    );
    await tasks.insert(odd);
    const got = tasks.get('odd') as unknown as Record<string, unknown>;
    expect(Object.keys(got).sort()).toEqual(['__proto__', 'constructor', 'done', 'id', 'title']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    // A patch with a __proto__ key merges it as a field too.
    await tasks.update('odd', JSON.parse('{"meta":{"__proto__":"x","b":2}}'));
    const meta = (tasks.get('odd') as unknown as { meta: Record<string, unknown> }).meta;
    expect(Object.keys(meta).sort()).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
  });

  test('find, count, order, limit and pagination', async () => {
    const { tasks } = await setup();
    for (let i = 0; i < 25; i++) {
      await tasks.insert({
        id: `t${String(i).padStart(2, '0')}`,
        title: `task ${i}`,
        done: i % 3 === 0,
        meta: { priority: i % 5 },
      });
    }
    expect(tasks.count()).toBe(25);
    expect(tasks.count({ done: true })).toBe(9);
    const top = tasks.find({
      where: { done: false },
      orderBy: ['-meta.priority', 'title'],
      limit: 3,
    });
    expect(top.map((t) => t.meta?.priority)).toEqual([4, 4, 4]);
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = tasks.findPage({
        orderBy: 'title',
        limit: 10,
        ...(cursor ? { after: cursor } : {}),
      });
      pages.push(...page.docs.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(tasks.find({ orderBy: 'title' }).map((d) => d.id));
  });
});

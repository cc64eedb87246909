import { describe, expect, test } from 'vitest';
import { memoryDb, sync } from './helpers.js';

describe('live queries', () => {
  test('get the result now, then after each change that affects it', async () => {
    const db = await memoryDb('me');
    const todos = (await db.space('s')).collection<{ title: string; done: boolean }>('todos');
    await todos.insert({ id: 'a', title: 'a', done: false });
    const calls: { ids: string[]; added: string[]; removed: string[]; updated: string[] }[] = [];
    const stop = todos.subscribe({ where: { done: false }, orderBy: 'title' }, (docs, change) => {
      calls.push({
        ids: docs.map((d) => d.id),
        added: change.added.map((d) => d.id as string),
        removed: change.removed.map((d) => d.id as string),
        updated: change.updated.map((d) => d.id as string),
      });
    });
    await todos.insert({ id: 'b', title: 'b', done: false });
    await todos.update('a', { title: 'z' });
    await todos.update('b', { done: true });
    await todos.insert({ id: 'c', title: 'c', done: true }); // does not match: no call
    stop();
    await todos.insert({ id: 'd', title: 'd', done: false }); // unsubscribed: no call
    expect(calls).toEqual([
      { ids: ['a'], added: ['a'], removed: [], updated: [] },
      { ids: ['a', 'b'], added: ['b'], removed: [], updated: [] },
      { ids: ['b', 'a'], added: [], removed: [], updated: ['a'] },
      { ids: ['a'], added: [], removed: ['b'], updated: [] },
    ]);
  });

  test('remote changes reach live queries; unrelated queries do not run', async () => {
    const a = await (await memoryDb('alice')).space('s');
    const b = await (await memoryDb('bob')).space('s');
    const items = b.collection<{ kind: string }>('items');
    const fruit: number[] = [];
    const tools: number[] = [];
    items.subscribe({ where: { kind: 'fruit' } }, (docs) => fruit.push(docs.length));
    items.subscribe({ where: { kind: 'tool' } }, (docs) => tools.push(docs.length));
    await a.collection('items').insert({ kind: 'fruit' });
    await a.collection('items').insert({ kind: 'fruit' });
    await sync(a, b);
    expect(fruit).toEqual([0, 2]);
    expect(tools).toEqual([0]);
  });
});

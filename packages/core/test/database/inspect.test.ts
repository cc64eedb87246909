import { describe, expect, test } from 'vitest';
import {
  documentConflicts,
  MemoryStorage,
  openDatabase,
  type Space,
  type StorageEntry,
  type StorageKey,
  spaceSummary,
  storageKeys,
} from '../../src/index.js';

/** Counts the log entries read back from storage. */
class CountingStorage extends MemoryStorage {
  logEntriesRead = 0;
  override async range(prefix: StorageKey, from?: StorageKey, before?: StorageKey) {
    const entries: StorageEntry[] = await super.range(prefix, from, before);
    if (prefix[2] === 'log') this.logEntriesRead += entries.length;
    return entries;
  }
}

/** What storage holds for a space, summed from every entry: the reference for storageSize. */
async function storedBytes(storage: MemoryStorage, space: string) {
  let log = 0;
  for (const e of await storage.range(storageKeys.log(space))) log += e.data.length;
  const snapshot = (await storage.get(storageKeys.snapshot(space)))?.length ?? 0;
  return { log, snapshot };
}

async function pair(): Promise<[Space, Space]> {
  const a = await (await openDatabase({ actor: 'alice' })).space('s');
  const b = await (await openDatabase({ actor: 'bob' })).space('s');
  return [a, b];
}

async function exchange(a: Space, b: Space): Promise<void> {
  await b.receive(a.changesSince(b.versionVector()));
  await a.receive(b.changesSince(a.versionVector()));
}

describe('inspection', () => {
  test('storageSize reads only new log entries, and equals what storage holds', async () => {
    const storage = new CountingStorage();
    const db = await openDatabase({ storage, actor: 'me', persist: { snapshotMinBytes: 4096 } });
    const space = await db.space('s');
    const notes = space.collection('notes');
    expect(await space.storageSize()).toEqual({ log: 0, snapshot: 0 });
    let measured = 0;
    for (let i = 0; i < 40; i++) {
      await notes.insert({ id: `n${i}`, text: 'x'.repeat(200) });
      if (i % 7 === 0) {
        const before = storage.logEntriesRead;
        const size = await space.storageSize();
        measured += storage.logEntriesRead - before;
        expect(size).toEqual(await storedBytes(storage, 's'));
      }
    }
    // Each measurement read only the entries written since the one before.
    expect(measured).toBe(36);
    await new Promise((r) => setTimeout(r, 10)); // a snapshot is written shortly after
    const size = await space.storageSize();
    expect(size).toEqual(await storedBytes(storage, 's'));
    expect(size.snapshot).toBeGreaterThan(0);

    // Measuring twice at once counts each entry once.
    await notes.insert({ id: 'late', text: 'y' });
    const [x, y] = await Promise.all([space.storageSize(), space.storageSize()]);
    expect(x).toEqual(await storedBytes(storage, 's'));
    expect(y).toEqual(x);

    // A space opened from a copy of the storage measures the same.
    await notes.insert({ id: 'after-snapshot', text: 'z' });
    await space.flush();
    const copy = new MemoryStorage();
    const entries = await storage.range([]);
    await copy.batch(entries.map((e) => ({ op: 'put' as const, key: e.key, data: e.data })));
    const again = await (await openDatabase({ storage: copy, actor: 'me' })).space('s');
    expect(await again.storageSize()).toEqual(await storedBytes(copy, 's'));
    expect(await again.storageSize()).toEqual(await space.storageSize());
    await db.close();
  });

  test('recentRuns: the newest runs with their deps, in causal order', async () => {
    const [a, b] = await pair();
    await a.collection('c').insert({ id: 'x', v: 1 });
    await b.collection('c').insert({ id: 'y', v: 1 });
    await exchange(a, b);
    await a.collection('c').update('x', { v: 2 });
    const runs = a.recentRuns(100);
    expect(runs.map((r) => r.actor)).toEqual(['alice', 'bob', 'alice']);
    expect(runs.at(-1)!.deps.slice().sort()).toEqual([runs[0]!.hash, runs[1]!.hash].sort());
    expect(a.heads()).toEqual([runs.at(-1)!.hash]);
    expect(a.recentRuns(1)).toEqual([runs.at(-1)]);
    expect(a.recentRuns(0)).toEqual([]);
  });

  test('documentConflicts finds concurrent values at any depth, and none in a packed document', async () => {
    const [a, b] = await pair();
    await a.collection('c').put({ id: 'd', title: 'A', meta: { owner: 'ann', tag: 't' } });
    await b.collection('c').put({ id: 'd', title: 'B', meta: { owner: 'bob', tag: 't' } });
    await a.collection('c').insert({ id: 'plain', title: 'only one' });
    await exchange(a, b);
    const conflicts = documentConflicts(a, 'c', 'd');
    expect(Object.keys(conflicts).sort()).toEqual(['meta.owner', 'meta.tag', 'title']);
    expect(conflicts.title).toEqual(a.collection('c').conflicts('d', 'title'));
    expect(conflicts['meta.owner']!.map((c) => c.value).sort()).toEqual(['ann', 'bob']);
    expect(conflicts.title!.filter((c) => c.winner)).toHaveLength(1);
    expect(documentConflicts(b, 'c', 'd')).toEqual(conflicts);
    expect(documentConflicts(a, 'c', 'plain')).toEqual({});
    expect(documentConflicts(a, 'c', 'missing')).toEqual({});
    // A later update settles the fields it writes, and only those.
    await a.collection('c').update('d', { title: 'settled' });
    expect(Object.keys(documentConflicts(a, 'c', 'd')).sort()).toEqual(['meta.owner', 'meta.tag']);
    await a.collection('c').update('d', { meta: { owner: 'ann', tag: 't' } });
    expect(documentConflicts(a, 'c', 'd')).toEqual({});
  });

  test('spaceSummary counts what status shows', async () => {
    const [a, b] = await pair();
    await a.collection('c').insertMany([{ id: '1' }, { id: '2' }]);
    await b.collection('d').insert({ id: '3' });
    await exchange(a, b);
    const summary = await spaceSummary(a);
    expect(summary).toMatchObject({
      name: 's',
      collections: [
        { name: 'c', documents: 2 },
        { name: 'd', documents: 1 },
      ],
      documents: 3,
      changes: 2,
      runs: 2,
      pending: 0,
      heads: 2,
    });
    expect(summary.storage.log).toBeGreaterThan(0);
  });
});

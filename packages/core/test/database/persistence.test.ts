import { describe, expect, test } from 'vitest';
import {
  MemoryStorage,
  openDatabase,
  type StorageAdapter,
  StorageFailedError,
  type StorageOp,
  storageKeys,
} from '../../src/index.js';

/** A storage whose batches wait until released: acknowledgements must wait with them. */
class GatedStorage extends MemoryStorage {
  gate: Promise<void> = Promise.resolve();
  fail = false;
  batches = 0;
  override async batch(ops: readonly StorageOp[]): Promise<void> {
    await this.gate;
    if (this.fail) throw new Error('disk on fire');
    this.batches += 1;
    return super.batch(ops);
  }
}

/** `count` runs of another replica, one note each. */
async function authorRuns(count: number) {
  const author = await (await openDatabase({ actor: 'author' })).space('s');
  for (let i = 0; i < count; i++) {
    await author.collection('notes').insert({ id: `n${i}` });
    await author.flush();
  }
  return author.changesSince(new Map());
}

async function reopen(storage: StorageAdapter, actor = 'me') {
  return openDatabase({ storage, actor });
}

describe('persistence', () => {
  test('data survives closing and reopening the database', async () => {
    const storage = new MemoryStorage();
    const db = await openDatabase({ storage, actor: 'me' });
    const notes = (await db.space('s')).collection('notes');
    await notes.insert({ id: 'n1', text: 'hello' });
    await notes.update('n1', { text: 'hello, world' });
    await notes.insert({ id: 'n2', text: 'bye' });
    await notes.delete('n2');
    const kept = new Map((await storage.range([])).map((e) => [e.key.join('/'), e.data]));
    await db.close();
    const copy = new MemoryStorage();
    await copy.batch(
      [...kept].map(([k, data]) => ({ op: 'put', key: k.split('/'), data }) as StorageOp),
    );
    const again = await reopen(copy);
    expect(again.replicaId).toBe('me');
    const space = await again.space('s');
    expect(space.collection('notes').find()).toEqual([{ id: 'n1', text: 'hello, world' }]);
    expect(await again.spaceNames()).toEqual(['s']);
    // New writes continue the same history.
    await space.collection('notes').insert({ id: 'n3', text: 'more' });
    expect(space.versionVector().get('me')).toBe(5);
  });

  test('a write resolves only after storage has it', async () => {
    const storage = new GatedStorage();
    const db = await openDatabase({ storage, actor: 'me' });
    const notes = (await db.space('s')).collection('notes');
    let release!: () => void;
    storage.gate = new Promise((r) => {
      release = r;
    });
    let acked = false;
    const write = notes.insert({ id: 'n1', text: 'x' }).then(() => {
      acked = true;
    });
    expect(notes.get('n1')).toEqual({ id: 'n1', text: 'x' }); // visible at once
    await new Promise((r) => setTimeout(r, 20));
    expect(acked).toBe(false);
    expect((await storage.range(storageKeys.log('s'))).length).toBe(0);
    release();
    await write;
    expect(acked).toBe(true);
    expect((await storage.range(storageKeys.log('s'))).length).toBe(1);
  });

  test('the durable version vector covers only what storage has, across reopening', async () => {
    const storage = new GatedStorage();
    const db = await openDatabase({ storage, actor: 'me' });
    const space = await db.space('s');
    const notes = space.collection('notes');
    await notes.insert({ id: 'n1', text: 'x' });
    expect(space.durableVersionVector()).toEqual(new Map([['me', 1]]));
    let release!: () => void;
    storage.gate = new Promise((r) => {
      release = r;
    });
    const write = notes.insert({ id: 'n2', text: 'y' });
    await new Promise((r) => setTimeout(r, 10));
    expect(space.versionVector()).toEqual(new Map([['me', 2]]));
    expect(space.durableVersionVector()).toEqual(new Map([['me', 1]])); // the batch waits
    release();
    await write;
    expect(space.durableVersionVector()).toEqual(new Map([['me', 2]]));
    const again = await (await reopen(storage)).space('s');
    expect(again.durableVersionVector()).toEqual(new Map([['me', 2]]));
  });

  test('writes in one tick share one storage batch', async () => {
    const storage = new GatedStorage();
    const db = await openDatabase({ storage, actor: 'me' });
    const notes = (await db.space('s')).collection('notes');
    const before = storage.batches;
    await Promise.all(Array.from({ length: 100 }, (_, i) => notes.insert({ id: `n${i}`, i })));
    expect(storage.batches - before).toBe(1);
    expect(notes.count()).toBe(100);
  });

  test('changes received in one turn are written in one batch, on the next turn', async () => {
    const runs = await authorRuns(3);
    const storage = new GatedStorage();
    const space = await (await openDatabase({ storage, actor: 'me' })).space('s');
    const before = storage.batches;
    for (const run of runs) space.receiveSoon([run]); // as if each came in its own message
    for (let i = 0; i < 10; i++) await Promise.resolve(); // microtasks: still in this turn
    expect(space.collection('notes').count()).toBe(3); // applied at once
    expect(space.isDurable()).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    await space.flush();
    expect(storage.batches - before).toBe(1);
    expect(space.isDurable()).toBe(true);
  });

  test("an own write does not wait for the next turn behind received changes' write", async () => {
    const [run] = await authorRuns(1);
    const storage = new GatedStorage();
    const space = await (await openDatabase({ storage, actor: 'me' })).space('s');
    let turned = false;
    setImmediate(() => {
      turned = true; // runs before the received run's write, scheduled for the next turn below
    });
    space.receiveSoon([run!]);
    await space.collection('notes').insert({ id: 'mine' });
    expect(turned).toBe(false);
    expect(space.isDurable()).toBe(true); // the received run went in the same batch
  });

  test('opening reads the snapshot plus the runs after it, not all of history', async () => {
    const storage = new MemoryStorage();
    const db = await openDatabase({ storage, actor: 'me', persist: { snapshotMinBytes: 2_000 } });
    const space = await db.space('s');
    const notes = space.collection('notes');
    for (let i = 0; i < 200; i++)
      await notes.put({ id: `n${i % 20}`, text: `version ${i}`, pad: 'x'.repeat(50) });
    const snapshot = await storage.get(storageKeys.snapshot('s'));
    expect(snapshot).toBeDefined();
    const log = await storage.range(storageKeys.log('s'));
    expect(log.length).toBe(200);
    // Reading through a storage that counts what it returns.
    let loaded = 0;
    const counting: StorageAdapter = {
      get: (k) => storage.get(k),
      range: async (p, from) => {
        const out = await storage.range(p, from);
        loaded += out.length;
        return out;
      },
      batch: (ops) => storage.batch(ops),
      close: async () => {},
    };
    const again = await openDatabase({ storage: counting, actor: 'me' });
    const reopened = await again.space('s');
    expect(loaded).toBeLessThan(50);
    expect(reopened.collection('notes').find({ orderBy: 'id' })).toEqual(
      notes.find({ orderBy: 'id' }),
    );
    expect(reopened.heads()).toEqual(space.heads());
    expect(reopened.versionVector()).toEqual(space.versionVector());
  });

  test('a storage failure rejects the write and every later one, with what to do', async () => {
    const storage = new GatedStorage();
    const db = await openDatabase({ storage, actor: 'me' });
    const notes = (await db.space('s')).collection('notes');
    storage.fail = true;
    await expect(notes.insert({ id: 'a' })).rejects.toBeInstanceOf(StorageFailedError);
    await expect(notes.insert({ id: 'b' })).rejects.toThrow(/reopen the database/);
  });
});

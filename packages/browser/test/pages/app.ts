// A page holding a BrowserDatabase, driven from Node by the browser tests.

import {
  type BrowserDatabase,
  type BrowserDatabaseOptions,
  openBrowserDatabase,
} from '@weft/browser';
import { expose } from '@weft/browser-test/page';
import type { Value } from '@weft/core';

let db: BrowserDatabase | undefined;
const open = () => {
  if (!db) throw new Error('call open first');
  return db;
};
const notes = async (space: string) => (await open().space(space)).collection('notes');

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

expose({
  async open(options: BrowserDatabaseOptions) {
    db = await openBrowserDatabase(options);
    return { replica: db.replicaId, isHub: db.isHub };
  },
  isHub: () => open().isHub,
  replica: () => open().replicaId,
  /** Inserts notes with these ids; resolves once every write is durable. */
  async insert(space: string, ids: string[]) {
    const c = await notes(space);
    await Promise.all(ids.map((id) => c.insert({ id, by: open().replicaId })));
  },
  /**
   * Inserts `count` notes `<prefix>-<n>`, one per macrotask without waiting for each (so two
   * tabs doing this at once interleave), then waits until all are durable.
   */
  async writeMany(space: string, prefix: string, count: number) {
    const c = await notes(space);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      writes.push(c.insert({ id: `${prefix}-${String(i).padStart(4, '0')}`, n: i }));
      await new Promise((r) => setTimeout(r, 0));
    }
    await Promise.all(writes);
  },
  /** Starts `count` writes, one every `everyMs`, and returns at once; `settled` waits for them. */
  async startWrites(space: string, prefix: string, count: number, everyMs: number) {
    const c = await notes(space);
    const writes: Promise<unknown>[] = [];
    const done = (async () => {
      for (let i = 0; i < count; i++) {
        writes.push(c.insert({ id: `${prefix}-${i}` }));
        await new Promise((r) => setTimeout(r, everyMs));
      }
      await Promise.all(writes);
    })();
    const g = globalThis as { pending?: Promise<unknown>; isSettled?: boolean };
    g.pending = done;
    g.isSettled = false;
    void done.then(() => {
      if (g.pending === done) g.isSettled = true;
    });
  },
  isSettled: () => (globalThis as { isSettled?: boolean }).isSettled === true,
  /** Keeps this tab's main thread busy for `ms` (a hub that cannot answer for a while). */
  block(ms: number) {
    const end = Date.now() + ms;
    while (Date.now() < end) {}
  },
  async settled() {
    await (globalThis as { pending?: Promise<unknown> }).pending;
  },
  async ids(space: string) {
    return (await notes(space))
      .find()
      .map((d) => d.id)
      .sort();
  },
  async waitForCount(space: string, count: number) {
    const c = await notes(space);
    await until(() => c.count() >= count, `${count} notes (have ${c.count()})`);
    return c.count();
  },
  async waitForIds(space: string, ids: string[]) {
    const c = await notes(space);
    await until(() => ids.every((id) => c.get(id) !== undefined), `notes ${ids.join(', ')}`);
  },
  status: (space: string) => open().sync(space).status,
  async waitForStatus(space: string, status: string) {
    await open().space(space);
    await until(() => open().sync(space).status === status, `status ${status}`);
  },
  async setPresence(space: string, state: Value) {
    await open().space(space);
    open().sync(space).setPresence(state);
  },
  presence: (space: string) => Object.fromEntries(open().sync(space).presence()),
  async waitForPresence(space: string, client: string, json: string) {
    await open().space(space);
    await until(
      () => JSON.stringify(open().sync(space).presence().get(client) ?? null) === json,
      `presence ${json} of ${client}`,
    );
  },
  waitForHub: () => until(() => open().isHub, 'this tab to become the hub'),
  async close() {
    await db?.close();
    db = undefined;
  },
});

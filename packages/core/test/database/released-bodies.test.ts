// Once durable, all but the newest runs let go of their bodies: memory does not grow with
// history, and what a peer lacks is read back from storage.
import { expect, test } from 'vitest';
import {
  HistoryNotLoadedError,
  memoryTransportPair,
  openDatabase,
  type Space,
  SyncSession,
} from '../../src/index.js';

async function fiftyRuns(): Promise<Space> {
  const db = await openDatabase({ actor: 'alice', persist: { runsKeptInMemory: 10 } });
  const space = await db.space('shared');
  const notes = space.collection('notes');
  for (let i = 0; i < 50; i++) {
    await notes.put({ id: `n${i % 7}`, text: `version ${i}` });
    await space.flush(); // each change its own run
  }
  return space;
}

test('old runs are read back from storage; the newest stay in memory', async () => {
  const space = await fiftyRuns();
  expect(space.stats().runs).toBe(50);
  expect(() => space.changesSince(new Map())).toThrow(HistoryNotLoadedError);
  const recent = space.changesSince(new Map([['alice', 40]]));
  expect(recent.map((r) => r.seq)).toEqual([41, 42, 43, 44, 45, 46, 47, 48, 49, 50]);
  const all = await space.changesSinceStored(new Map());
  expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  expect(all.at(-1)!.hash).toBe(space.heads()[0]);
});

test('a peer that lacks released runs gets them all, and converges', async () => {
  const space = await fiftyRuns();
  const peer = await (await openDatabase({ actor: 'bob' })).space('shared');
  const [a, b] = memoryTransportPair();
  const sa = new SyncSession(space, a, 'alice');
  const sb = new SyncSession(peer, b, 'bob', { requestSnapshot: false });
  sa.start();
  sb.start();
  for (let i = 0; i < 20 && peer.versionVector().get('alice') !== 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(peer.versionVector()).toEqual(space.versionVector());
  expect(peer.heads()).toEqual(space.heads());
  expect(peer.collection('notes').find({ orderBy: 'id' })).toEqual(
    space.collection('notes').find({ orderBy: 'id' }),
  );
  sa.close();
});

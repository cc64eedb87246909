// Reconnect after divergence: two replicas share N documents; one makes k changes while
// offline, then they meet again over an in-memory link that records every byte.
import {
  encodeRuns,
  MemoryStorage,
  openDatabase,
  type Space,
  type StorageEntry,
  SyncSession,
  vvEquals,
} from '@weft/core';
import { makeIds, makeTasks, type Task } from '../db/data.js';
import { fullGc } from '../lib/gc.js';
import { randomInt, seededRandom } from '../lib/random.js';
import { now } from '../lib/stats.js';
import {
  COLLECTION,
  dumpStorage,
  insertTasks,
  keepOpen,
  nextTurn,
  restoreStorage,
  SPACE,
  within,
} from './common.js';
import { describeKinds, RecordedLink } from './wire.js';

/** Two replicas that share `docs` documents, saved as storage entries to copy for each rep. */
export interface ReconnectFixture {
  readonly docs: number;
  readonly ids: readonly string[];
  readonly entriesA: readonly StorageEntry[];
  readonly entriesB: readonly StorageEntry[];
  /** A inserting the documents (batches of 1,000 per transaction). */
  readonly insertMs: number;
  /** B's first sync from A over the in-memory link (empty B): time and bytes. */
  readonly seedSyncMs: number;
  readonly seedSyncBytes: number;
}

/** One reconnect, measured. */
export interface ReconnectRun {
  readonly docs: number;
  readonly k: number;
  /** `encodeRuns` of the runs B made offline (what the k changes weigh, encoded). */
  readonly encodedChangesBytes: number;
  /** The k changes' payloads alone (the encoded edits, without run headers). */
  readonly payloadBytes: number;
  readonly runs: number;
  /** The two hellos. */
  readonly handshakeBytes: number;
  /** Everything else but acks: the changes (and any part headers). */
  readonly changesBytes: number;
  readonly ackBytes: number;
  readonly totalBytes: number;
  readonly messages: number;
  readonly messageKinds: string;
  /** Message flights until A held B's changes (2 flights = 1 round trip). */
  readonly flightsToConverge: number;
  /** Sessions started -> A has applied every change B made (its version vector equals B's). */
  readonly convergeMs: number;
  /** Sessions started -> the last message (the ack) was received. */
  readonly settleMs: number;
}

async function openReplica(storage: MemoryStorage) {
  const db = await openDatabase({ storage: keepOpen(storage) });
  const space = await db.space(SPACE);
  return { db, space };
}

/**
 * Resolves when `space`'s version vector equals `target` (checked after every change), with
 * the highest flight that `end` (the space's end of the link) had received by then.
 */
function whenEqual(
  space: Space,
  target: ReturnType<Space['versionVector']>,
  end: { readonly depth: number },
) {
  return new Promise<{ at: number; flights: number }>((resolve) => {
    const check = () => {
      if (!vvEquals(space.versionVector(), target)) return;
      unsubscribe();
      resolve({ at: now(), flights: end.depth });
    };
    const unsubscribe = space.onChange(check);
    check();
  });
}

/** Waits until both sessions are idle and every message sent has been received. */
async function settle(link: RecordedLink, sessions: readonly SyncSession[]): Promise<void> {
  for (let quiet = 0; quiet < 3; ) {
    const before = link.messages.length;
    await Promise.all(sessions.map((s) => s.idle()));
    await nextTurn();
    const all = link.messages.every((m) => m.receivedAt !== undefined);
    quiet = all && link.messages.length === before ? quiet + 1 : 0;
  }
}

export async function buildReconnectFixture(docs: number): Promise<ReconnectFixture> {
  const ids = makeIds(docs);
  const tasks = makeTasks(docs, 7);
  const storageA = new MemoryStorage();
  const storageB = new MemoryStorage();
  const a = await openReplica(storageA);
  const b = await openReplica(storageB);
  let t0 = now();
  await insertTasks(a.space.collection<Task>(COLLECTION), ids, tasks);
  const insertMs = now() - t0;
  const link = new RecordedLink();
  const target = a.space.versionVector();
  const synced = whenEqual(b.space, target, link.b);
  const sA = new SyncSession(a.space, link.a, a.db.replicaId);
  const sB = new SyncSession(b.space, link.b, b.db.replicaId);
  t0 = now();
  sA.start();
  sB.start();
  await within(synced, 300_000, `the first sync of ${docs} docs`);
  const seedSyncMs = now() - t0;
  await settle(link, [sA, sB]);
  sA.close();
  await b.space.flush();
  if (b.space.collection(COLLECTION).count() !== docs)
    throw new Error(`replica B has ${b.space.collection(COLLECTION).count()} docs, not ${docs}`);
  // Closing leaves a snapshot behind, so every rep opens its copy quickly.
  await a.db.close();
  await b.db.close();
  return {
    docs,
    ids,
    entriesA: await dumpStorage(storageA),
    entriesB: await dumpStorage(storageB),
    insertMs,
    seedSyncMs,
    seedSyncBytes: link.bytes(),
  };
}

/** Copies the fixture, has B make `k` changes offline, then reconnects A and B. */
export async function reconnectOnce(
  fixture: ReconnectFixture,
  k: number,
  seed: number,
): Promise<ReconnectRun> {
  const a = await openReplica(await restoreStorage(fixture.entriesA));
  const b = await openReplica(await restoreStorage(fixture.entriesB));
  try {
    // Offline, B edits k random documents, one transaction (one change) each, each awaited.
    const tasks = b.space.collection<Task>(COLLECTION);
    const before = b.space.versionVector();
    const random = seededRandom(seed);
    for (let i = 0; i < k; i++) {
      const id = fixture.ids[randomInt(random, fixture.ids.length)]!;
      await tasks.update(id, { title: `edited offline ${i}`, n: -1 - i });
    }
    await b.space.flush();
    const made = await b.space.changesSinceStored(before); // (older runs live in storage only)
    const encodedChangesBytes = encodeRuns(made).length;
    const payloadBytes = made.reduce(
      (n, run) => n + run.changes.reduce((m, c) => m + c.payload.length, 0),
      0,
    );
    const changeCount = made.reduce((n, run) => n + run.changes.length, 0);
    if (changeCount !== k) throw new Error(`B made ${changeCount} changes, expected ${k}`);

    fullGc();
    const link = new RecordedLink();
    const converged = whenEqual(a.space, b.space.versionVector(), link.a);
    const sA = new SyncSession(a.space, link.a, a.db.replicaId);
    const sB = new SyncSession(b.space, link.b, b.db.replicaId);
    const t0 = now();
    sA.start();
    sB.start();
    const done = await within(converged, 120_000, `reconnect with k = ${k}`);
    await settle(link, [sA, sB]);
    const lastReceived = Math.max(...link.messages.map((m) => m.receivedAt ?? 0));
    sA.close();

    const kinds = link.kinds();
    const bytesOf = (kind: string) =>
      (kinds.a.get(kind)?.bytes ?? 0) + (kinds.b.get(kind)?.bytes ?? 0);
    const handshakeBytes = bytesOf('hello');
    const ackBytes = bytesOf('ack');
    const totalBytes = link.bytes();
    return {
      docs: fixture.docs,
      k,
      encodedChangesBytes,
      payloadBytes,
      runs: made.length,
      handshakeBytes,
      changesBytes: totalBytes - handshakeBytes - ackBytes,
      ackBytes,
      totalBytes,
      messages: link.messages.length,
      messageKinds: [...describeKinds(kinds.a, 'A->B '), ...describeKinds(kinds.b, 'B->A ')].join(
        ', ',
      ),
      flightsToConverge: done.flights,
      convergeMs: done.at - t0,
      settleMs: lastReceived - t0,
    };
  } finally {
    await a.db.close();
    await b.db.close();
  }
}

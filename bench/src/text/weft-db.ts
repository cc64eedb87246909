import {
  type Collection,
  type Database,
  MemoryStorage,
  openDatabase,
  type Run,
  type Space,
  type VersionVector,
} from '@weft/core';
import type { TextLibrary } from './library.js';
import { type Patch, replayConcurrent, type Txn } from './traces.js';

// The full database path: the text is the `body` field of one document in a space on memory
// storage. Every transaction of a trace is a database transaction (a `spliceText`, or several
// in one `transact`) that goes into the change log; replay ends when storage has it all.
// Peers exchange change-log runs as sync does (`changesSince` / `receive`).

interface Replica {
  readonly db: Database;
  readonly space: Space;
  readonly docs: Collection<{ body: string }>;
}

const ID = 'doc';

async function open(actor: string): Promise<Replica> {
  const db = await openDatabase({ storage: new MemoryStorage(), actor });
  const space = await db.space('bench');
  const docs = space.collection<{ body: string }>('docs', { fields: { body: 'text' } });
  return { db, space, docs };
}

/** A replica holding the empty document, made by `origin` (so peers share its text field). */
async function withDocument(actor: string, origin?: Replica): Promise<Replica> {
  const r = await open(actor);
  if (origin) await r.space.receive(origin.space.changesSince(r.space.versionVector()));
  else await r.docs.insert({ id: ID, body: '' });
  return r;
}

/** One trace transaction as one database transaction. */
function transact(r: Replica, patches: readonly Patch[]): void {
  if (patches.length === 1) {
    const [pos, del, ins] = patches[0]!;
    void r.docs.spliceText(ID, 'body', pos, del, ins);
    return;
  }
  void r.space.transact(() => {
    for (const [pos, del, ins] of patches) void r.docs.spliceText(ID, 'body', pos, del, ins);
  });
}

async function type(r: Replica, txns: readonly Txn[]): Promise<Replica> {
  for (const txn of txns) transact(r, txn.patches);
  await r.space.flush();
  return r;
}

const text = (r: Replica) => r.docs.get(ID)!.body;

export const weftDb: TextLibrary<Replica> = {
  name: 'weft (full database path)',
  version: '0.1.0',
  replay: async (txns) => type(await withDocument('weft-a'), txns),
  text,
  // A snapshot as a new replica gets it: the document (the text with its full history of ids
  // and origins) and the summaries of the change log's runs.
  encode: (r) => r.space.snapshotForPeer().snapshot,
  async load(bytes) {
    const r = await open('weft-loader');
    await r.space.adoptSnapshot(bytes);
    return r;
  },
  async mergeFixture(txns) {
    const origin = await withDocument('origin');
    const a = await type(await withDocument('peer-a', origin), txns);
    const b = await type(await withDocument('peer-b', origin), txns);
    const runsA = a.space.changesSince(new Map() as VersionVector);
    const runsB = b.space.changesSince(new Map() as VersionVector);
    const copy = async (actor: string, runs: readonly Run[]) => {
      const r = await open(actor);
      await r.space.receive(runs);
      return r;
    };
    return {
      fresh: async () => [await copy('copy-a', runsA), await copy('copy-b', runsB)],
      async exchange(x, y) {
        const toX = y.space.changesSince(x.space.versionVector());
        const toY = x.space.changesSince(y.space.versionVector());
        await Promise.all([x.space.receive(toX), y.space.receive(toY)]);
        return [text(x), text(y)];
      },
    };
  },
  async concurrent(trace) {
    const replicas: Replica[] = [];
    const origin = await withDocument('origin');
    for (let agent = 0; agent < trace.numAgents; agent++)
      replicas.push(await withDocument(`agent-${agent}`, origin));
    const result = replayConcurrent(trace, {
      replica: (agent) => replicas[agent]!,
      transact(r, patches) {
        const before = r.space.versionVector();
        transact(r, patches);
        return r.space.changesSince(before);
      },
      apply(r, runs) {
        void r.space.receive(runs);
      },
      text,
    });
    await Promise.all(replicas.map((r) => r.space.flush()));
    return result;
  },
};

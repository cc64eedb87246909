// Weft's fan-out clients: every receiver is a real replica (an in-memory database, one space)
// with a SyncSession over its own WebSocket; it decodes, verifies and applies each change and
// acknowledges it, like any app. The writer is one more such replica.
import { type Collection, newDocId, openDatabase, type Space, SyncSession } from '@weft/core';
import { connectWebSocket } from '@weft/server';
import { nextTurn, within } from './common.js';
import { type FanoutPeers, openAll, type PeerOptions, payloadOf } from './peers.js';
import { CountingTransport } from './wire.js';

const SPACE = 'fanout';
const COLLECTION = 'docs';

interface Doc {
  text: string;
}

interface Replica {
  readonly close: () => Promise<void>;
  readonly space: Space;
}

async function replica(url: string, errors: string[]) {
  const db = await openDatabase();
  const space = await db.space(SPACE);
  const transport = new CountingTransport(await connectWebSocket(url));
  let closing = false;
  const session = new SyncSession(space, transport, db.replicaId, {
    onClose: (reason) => {
      if (!closing) errors.push(`a Weft session closed: ${reason}`);
    },
  });
  return {
    db,
    space,
    transport,
    session,
    close: async () => {
      closing = true;
      session.close('done');
      await db.close();
    },
  };
}

export async function connectWeftPeers(options: PeerOptions): Promise<FanoutPeers> {
  const errors: string[] = [];
  const writer = await replica(options.url, errors);
  const docs: Collection<Doc> = writer.space.collection<Doc>(COLLECTION);
  const ids = Array.from({ length: options.pool }, () => newDocId());
  await docs.insertMany(ids.map((id) => ({ id, text: payloadOf(0, options.payloadBytes) })));
  const writerId = writer.db.replicaId;
  // Write n is the writer's change base + n: every update is one transaction, one change.
  const base = writer.space.versionVector().get(writerId) ?? 0;
  writer.session.start();

  let synced = 0;
  let allSynced: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    allSynced = resolve;
  });
  const receivers: (Replica & { transport: CountingTransport })[] = await openAll(
    options.receivers,
    options.connectConcurrency,
    async (i) => {
      const r = await replica(options.url, errors);
      let last = -1;
      r.space.onChange(() => {
        const upTo = r.space.latestSeq(writerId) - base;
        if (upTo <= last) return;
        if (last < 0 && upTo >= 0 && ++synced === options.receivers) allSynced();
        last = upTo;
        if (upTo > 0) options.seen(i, upTo);
      });
      r.session.start();
      return r;
    },
  );
  await within(ready, 120_000, `${options.receivers} Weft receivers getting the initial documents`);
  await nextTurn();

  return {
    write(n: number) {
      docs
        .update(ids[n % ids.length]!, { text: payloadOf(n, options.payloadBytes) })
        .catch((error: unknown) => errors.push(`a write failed: ${(error as Error).message}`));
    },
    received() {
      let bytes = 0;
      let messages = 0;
      for (const r of receivers) {
        bytes += r.transport.bytesIn;
        messages += r.transport.messagesIn;
      }
      return { bytes, messages };
    },
    errors: () => errors,
    async close() {
      await writer.close();
      await Promise.all(receivers.map((r) => r.close()));
    },
  };
}

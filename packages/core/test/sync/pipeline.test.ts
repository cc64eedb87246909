// A session applies the batches it receives at once, while earlier ones are still being
// written (they share the next storage batch), and acknowledges only what is durable.
import { expect, test } from 'vitest';
import {
  decodeMessage,
  MemoryStorage,
  memoryTransportPair,
  openDatabase,
  type StorageOp,
  SyncSession,
  type Transport,
} from '../../src/index.js';

/** Memory storage whose writes wait until `open()` is called. */
class GatedStorage extends MemoryStorage {
  private gate: Promise<void> | undefined;
  private release: () => void = () => {};
  writes = 0;

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  open(): void {
    this.gate = undefined;
    this.release();
  }

  override async batch(ops: readonly StorageOp[]): Promise<void> {
    this.writes += 1;
    await this.gate;
    return super.batch(ops);
  }
}

function acksOf(transport: Transport, vectors: Map<string, number>[]): Transport {
  return {
    send(message) {
      const m = decodeMessage(message);
      if (m.kind === 'ack') vectors.push(new Map(m.vector));
      transport.send(message);
    },
    onMessage: (receive) => transport.onMessage(receive),
    onClose: (closed) => transport.onClose(closed),
    close: (reason) => transport.close(reason),
  };
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 1));
};

test('batches are applied while earlier ones are written; the ack waits for storage', async () => {
  const a = await (await openDatabase({ actor: 'alice' })).space('shared');
  for (let i = 0; i < 5; i++) await a.collection('notes').insert({ id: `n${i}` });
  const storage = new GatedStorage();
  const b = await (await openDatabase({ actor: 'bob', storage })).space('shared');
  storage.hold();
  const [ta, tb] = memoryTransportPair();
  const acks: Map<string, number>[] = [];
  const sa = new SyncSession(a, ta, 'a', { batchRuns: 1 });
  const sb = new SyncSession(b, acksOf(tb, acks), 'b', { requestSnapshot: false });
  sa.start();
  sb.start();
  await turns(20);
  // Every batch applied, though not one is durable: no ack yet.
  expect(b.versionVector()).toEqual(a.versionVector());
  expect(b.collection('notes').get('n4')).toBeDefined();
  expect(b.durableVersionVector().size).toBe(0);
  expect(acks).toEqual([]);
  storage.open();
  await turns(20);
  await Promise.all([sa.idle(), sb.idle()]);
  // Fewer writes than batches (those that arrived during a write shared the next), one ack,
  // and it claims what is durable: everything.
  expect(storage.writes).toBeLessThan(5);
  expect(acks).toEqual([a.versionVector()]);
  expect(b.durableVersionVector()).toEqual(a.versionVector());
});

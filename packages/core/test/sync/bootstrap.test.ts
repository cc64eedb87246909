import { describe, expect, test } from 'vitest';
import {
  decodeMessage,
  MemoryStorage,
  memoryTransportPair,
  openDatabase,
  type Space,
  type StorageKey,
  SyncSession,
  type SyncSessionOptions,
  type Transport,
} from '../../src/index.js';

/** Records the kinds of the messages that cross a transport, in order. */
function spy(transport: Transport, kinds: string[], sizes: number[] = []): Transport {
  return {
    send(message) {
      kinds.push(decodeMessage(message).kind);
      sizes.push(message.length);
      transport.send(message);
    },
    onMessage: (receive) => transport.onMessage(receive),
    onClose: (closed) => transport.onClose(closed),
    close: (reason) => transport.close(reason),
  };
}

function connect(
  a: Space,
  b: Space,
  options: { a?: SyncSessionOptions; b?: SyncSessionOptions } = {},
) {
  const [ta, tb] = memoryTransportPair();
  const sentByA: string[] = [];
  const sentByB: string[] = [];
  const sa = new SyncSession(a, spy(ta, sentByA), 'a', options.a);
  const sb = new SyncSession(b, spy(tb, sentByB), 'b', options.b);
  sa.start();
  sb.start();
  return { sa, sb, sentByA, sentByB };
}

async function settle(...sessions: SyncSession[]): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 1));
    await Promise.all(sessions.map((s) => s.idle()));
  }
}

async function seeded(actor: string, docs: number): Promise<Space> {
  const space = await (await openDatabase({ actor })).space('shared');
  const notes = space.collection('notes', { indexes: [['n']] });
  for (let i = 0; i < docs; i += 50) {
    await notes.insertMany(
      Array.from({ length: 50 }, (_, k) => ({ id: `n${i + k}`, n: i + k, text: 'x'.repeat(20) })),
    );
  }
  for (let i = 0; i < 20; i++) await notes.update(`n${i}`, { text: `edited ${i}` });
  return space;
}

function contents(space: Space) {
  return {
    docs: space.collection('notes').find({ orderBy: 'id' }),
    heads: space.heads(),
    vector: [...space.versionVector()].sort(),
  };
}

describe('snapshot bootstrap', () => {
  test('an empty replica starts from a snapshot, not from all history, and goes on syncing', async () => {
    const a = await seeded('alice', 500);
    const storage = new MemoryStorage();
    const b = await (await openDatabase({ actor: 'bob', storage })).space('shared');
    const seen: number[] = [];
    b.collection('notes', { indexes: [['n']] }).subscribe({ where: { n: { lt: 10 } } }, (docs) =>
      seen.push(docs.length),
    );
    const { sa, sb, sentByA, sentByB } = connect(a, b);
    await settle(sa, sb);
    expect(sentByB[0]).toBe('hello');
    expect(sentByA).toContain('snapshot');
    expect(sentByA).not.toContain('changes');
    expect(contents(b)).toEqual(contents(a));
    expect(seen.at(-1)).toBe(10); // live queries see the adopted documents
    expect(b.collection('notes').find({ where: { n: { gte: 495 } } })).toHaveLength(5);

    // Live sync goes on both ways, on top of the snapshot.
    await b.collection('notes').update('n1', { text: 'from bob' });
    await a.collection('notes').insert({ id: 'new', n: -1 });
    await settle(sa, sb);
    expect(contents(b)).toEqual(contents(a));
    expect(a.collection('notes').get('n1')).toMatchObject({ text: 'from bob' });

    // Reopened from its storage, the bootstrapped replica is the same.
    sa.close();
    await settle(sa, sb);
    await b.flush();
    const reopened = await (await openDatabase({ actor: 'bob', storage })).space('shared');
    expect(contents(reopened)).toEqual(contents(b));
  });

  test('a replica that wrote before the snapshot arrived asks for the history instead', async () => {
    const a = await seeded('alice', 100);
    const b = await (await openDatabase({ actor: 'bob' })).space('shared');
    const { sa, sb, sentByA, sentByB } = connect(a, b);
    // The hello (asking for a snapshot) has gone; this write lands before the snapshot does.
    void b.collection('notes').insert({ id: 'mine', n: 1000 });
    await settle(sa, sb);
    expect(sentByA).toContain('snapshot');
    expect(sentByA).toContain('changes');
    expect(sentByB.filter((k) => k === 'hello')).toHaveLength(2);
    expect(contents(b)).toEqual(contents(a));
  });

  test('a replica started from a snapshot refuses old history it does not hold, with a clear error', async () => {
    const a = await seeded('alice', 100);
    const stale = await (await openDatabase({ actor: 'carol' })).space('shared');
    // carol has the first run of alice's history only.
    await stale.receive(a.changesSince(new Map()).slice(0, 1));
    const b = await (await openDatabase({ actor: 'bob' })).space('shared');
    const first = connect(a, b);
    await settle(first.sa, first.sb);
    expect(first.sentByA).toContain('snapshot');
    let closedWith = '';
    const second = connect(b, stale, { a: { onClose: (why) => (closedWith = why) } });
    await settle(second.sa, second.sb);
    expect(closedWith).toMatch(/^history-unavailable: space "shared" started from a snapshot/);
  });

  test('an empty replica that does not ask for a snapshot gets the history', async () => {
    const a = await seeded('alice', 100);
    const b = await (await openDatabase({ actor: 'bob' })).space('shared');
    const { sa, sb, sentByA } = connect(a, b, { b: { requestSnapshot: false } });
    await settle(sa, sb);
    expect(sentByA).not.toContain('snapshot');
    expect(contents(b)).toEqual(contents(a));
  });

  test('a malformed snapshot closes the session and changes nothing', async () => {
    const b = await (await openDatabase({ actor: 'bob' })).space('shared');
    const [ta, tb] = memoryTransportPair();
    let closedWith = '';
    new SyncSession(b, ta, 'b', { onClose: (why) => (closedWith = why) }).start();
    const { encodeMessage } = await import('../../src/index.js');
    tb.onMessage(() => {});
    tb.send(encodeMessage({ kind: 'snapshot', snapshot: new Uint8Array([1, 42, 0, 5]) }));
    await new Promise((r) => setTimeout(r, 5));
    expect(closedWith).toMatch(/^decode: /);
    expect(b.isEmpty()).toBe(true);
  });
});

describe('handshake', () => {
  test('replicas with equal heads exchange their hellos and nothing more', async () => {
    const a = await seeded('alice', 100);
    const b = await (await openDatabase({ actor: 'bob' })).space('shared');
    const first = connect(a, b);
    await settle(first.sa, first.sb);
    first.sa.close();
    await settle(first.sa, first.sb);
    const again = connect(a, b);
    await settle(again.sa, again.sb);
    expect(again.sentByA).toEqual(['hello']);
    expect(again.sentByB).toEqual(['hello']);
  });
});

describe('acks', () => {
  test('one ack answers a burst of batches; a peer that asks for none gets none', async () => {
    const a = await (await openDatabase({ actor: 'alice' })).space('shared');
    for (let i = 0; i < 5; i++) await a.collection('notes').insert({ id: `n${i}` });
    const b = await (await openDatabase({ actor: 'bob' })).space('shared');
    const { sa, sb, sentByA, sentByB } = connect(a, b, {
      a: { batchRuns: 1 },
      b: { requestSnapshot: false, requestAcks: false },
    });
    await settle(sa, sb);
    expect(sentByA.filter((k) => k === 'changes')).toHaveLength(5);
    expect(sentByB.filter((k) => k === 'ack')).toHaveLength(1);
    expect(b.versionVector()).toEqual(a.versionVector());
    // b asked for no acks: its own changes are not acknowledged.
    await b.collection('notes').insert({ id: 'from-b' });
    await settle(sa, sb);
    expect(a.collection('notes').get('from-b')).toBeDefined();
    expect(sentByA).not.toContain('ack');
  });
});

describe('large messages and limits', () => {
  test('messages larger than a frame go in parts and arrive whole', async () => {
    const a = await seeded('alice', 200);
    const b = await (await openDatabase({ actor: 'bob' })).space('shared');
    const sizes: number[] = [];
    const kinds: string[] = [];
    const [ta, tb] = memoryTransportPair();
    const sa = new SyncSession(a, spy(ta, kinds, sizes), 'a', { maxFrameBytes: 300 });
    const sb = new SyncSession(b, tb, 'b', { requestSnapshot: false });
    sa.start();
    sb.start();
    await settle(sa, sb);
    expect(kinds.filter((k) => k === 'part').length).toBeGreaterThan(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(300);
    expect(contents(b)).toEqual(contents(a));
  });

  test('a message in parts larger than the limit closes the session', async () => {
    const a = await seeded('alice', 200);
    const b = await (await openDatabase({ actor: 'bob' })).space('shared');
    let closedWith = '';
    const { sa, sb } = connect(a, b, {
      a: { maxFrameBytes: 300 },
      b: { maxMessageBytes: 2000, requestSnapshot: false, onClose: (why) => (closedWith = why) },
    });
    await settle(sa, sb);
    expect(closedWith).toMatch(/larger than the 2000 bytes this peer accepts/);
    expect(b.versionVector().size).toBe(0);
  });

  test('a peer that floods a session past its queue limit is cut off', async () => {
    const a = await (await openDatabase({ actor: 'alice' })).space('shared');
    await a.collection('notes').insert({ id: 'n1', text: 'hello' });
    const [ta, tb] = memoryTransportPair();
    let closedWith = '';
    new SyncSession(a, ta, 'a', {
      maxQueuedMessages: 5,
      onClose: (why) => (closedWith = why),
    }).start();
    const { encodeMessage, PROTOCOL_VERSION } = await import('../../src/index.js');
    tb.onMessage(() => {});
    // Messages wait only behind one whose handling awaits: here a hello asking for a snapshot
    // (which waits for the space to be durable). The burst arrives meanwhile.
    tb.send(
      encodeMessage({
        kind: 'hello',
        protocol: PROTOCOL_VERSION,
        replica: 'b',
        space: 'shared',
        heads: [],
        vector: new Map(),
        credentials: null,
        wantsSnapshot: true,
        wantsAcks: false,
      }),
    );
    for (let i = 0; i < 20; i++)
      tb.send(encodeMessage({ kind: 'presence', client: 'x', state: i }));
    await new Promise((r) => setTimeout(r, 5));
    expect(closedWith).toMatch(/^overloaded: more than 5 messages/);
  });
});

describe('old history from storage', () => {
  test('a reopened space reads only the stored runs a peer lacks, in one bounded range', async () => {
    const storage = new MemoryStorage();
    const ranges: { from: StorageKey | undefined; before: StorageKey | undefined }[] = [];
    const counting = Object.assign(Object.create(storage), {
      range(prefix: StorageKey, from?: StorageKey, before?: StorageKey) {
        ranges.push({ from, before });
        return storage.range(prefix, from, before);
      },
    }) as MemoryStorage;
    const db = await openDatabase({ actor: 'alice', storage: counting });
    const space = await db.space('shared');
    const notes = space.collection('notes');
    for (let i = 0; i < 30; i++) await notes.insert({ id: `n${i}`, i });
    const vectorAt20 = new Map(space.versionVector());
    vectorAt20.set('alice', 20);
    const expected = space.changesSince(vectorAt20);
    await space.close(); // leaves a snapshot: history now lives in storage only
    const reopened = await (await openDatabase({ actor: 'alice', storage: counting })).space(
      'shared',
    );
    ranges.length = 0;
    const runs = await reopened.changesSinceStored(vectorAt20);
    expect(runs.map((r) => r.hash)).toEqual(expected.map((r) => r.hash));
    expect(ranges).toHaveLength(1);
    expect(ranges[0]!.from?.at(-1)).toBe((20).toString(36).padStart(11, '0'));
    expect(ranges[0]!.before?.at(-1)).toBe((30).toString(36).padStart(11, '0'));
  });
});

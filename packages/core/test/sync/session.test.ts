import { describe, expect, test } from 'vitest';
import {
  decodeMessage,
  encodeMessage,
  memoryTransportPair,
  openDatabase,
  PROTOCOL_VERSION,
  type Space,
  SyncSession,
  type Transport,
} from '../../src/index.js';

async function space(actor: string): Promise<Space> {
  return (await openDatabase({ actor })).space('shared');
}

function connect(a: Space, b: Space): { sa: SyncSession; sb: SyncSession; close: () => void } {
  const [ta, tb] = memoryTransportPair();
  const sa = new SyncSession(a, ta, 'a');
  const sb = new SyncSession(b, tb, 'b');
  sa.start();
  sb.start();
  return { sa, sb, close: () => sa.close() };
}

/** Waits until both sides are idle twice in a row (messages cross in flight). */
async function settle(...sessions: SyncSession[]): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 1));
    await Promise.all(sessions.map((s) => s.idle()));
  }
}

describe('sync sessions', () => {
  test('two spaces converge, then stay in sync live', async () => {
    const a = await space('alice');
    const b = await space('bob');
    await a.collection('notes').insert({ id: 'n1', text: 'from alice' });
    await b.collection('notes').insert({ id: 'n2', text: 'from bob' });
    const { sa, sb } = connect(a, b);
    await settle(sa, sb);
    expect(b.collection('notes').find({ orderBy: 'id' })).toEqual(
      a.collection('notes').find({ orderBy: 'id' }),
    );
    expect(a.heads()).toEqual(b.heads());
    const seen: number[] = [];
    b.collection('notes').subscribe({}, (docs) => seen.push(docs.length));
    await a.collection('notes').insert({ id: 'n3', text: 'live' });
    await settle(sa, sb);
    expect(b.collection('notes').get('n3')).toEqual({ id: 'n3', text: 'live' });
    expect(seen).toEqual([2, 3]);
  });

  test('writes made while disconnected sync on reconnect', async () => {
    const a = await space('alice');
    const b = await space('bob');
    const first = connect(a, b);
    await a.collection('notes').insert({ id: 'n1', text: 'v1' });
    await settle(first.sa, first.sb);
    first.close();
    await a.collection('notes').update('n1', { text: 'offline edit' });
    await b.collection('notes').insert({ id: 'n2', text: 'bob offline' });
    const second = connect(a, b);
    await settle(second.sa, second.sb);
    expect(b.collection('notes').get('n1')).toEqual({ id: 'n1', text: 'offline edit' });
    expect(a.collection('notes').get('n2')).toEqual({ id: 'n2', text: 'bob offline' });
    expect(a.heads()).toEqual(b.heads());
  });

  test('malformed or unknown-version messages get a protocol error and close the session', async () => {
    const a = await space('alice');
    const [ta, tb] = memoryTransportPair();
    let closedWith = '';
    const session = new SyncSession(a, ta, 'a', { onClose: (why) => (closedWith = why) });
    session.start();
    const received: Uint8Array[] = [];
    (tb as Transport).onMessage((m) => received.push(m));
    tb.send(new Uint8Array([1, 50, 0, 9, 9, 9]));
    await new Promise((r) => setTimeout(r, 5));
    expect(closedWith).toMatch(/^protocol: malformed message: unknown sync message kind/);
    const error = received.map(decodeMessage).find((m) => m.kind === 'error');
    expect(error).toMatchObject({ kind: 'error', code: 'protocol' });

    const hello = encodeMessage({
      kind: 'hello',
      protocol: PROTOCOL_VERSION,
      replica: 'x',
      space: 'shared',
      heads: [],
      vector: new Map(),
      credentials: null,
      wantsSnapshot: false,
      wantsAcks: true,
    });
    hello[4] = 99; // the protocol version: after format version, tag, empty actor table, kind
    expect(() => decodeMessage(hello)).toThrow(/protocol version 99 is not supported/);
  });

  test('a hello for another space is refused', async () => {
    const a = await space('alice');
    const other = await (await openDatabase({ actor: 'bob' })).space('elsewhere');
    let closedWith = '';
    const [ta, tb] = memoryTransportPair();
    new SyncSession(a, ta, 'a', { onClose: (why) => (closedWith = why) }).start();
    new SyncSession(other, tb, 'b').start();
    await new Promise((r) => setTimeout(r, 10));
    // Whichever side reads the other's hello first refuses it; both end closed.
    expect(closedWith).toMatch(/syncs space "(shared|elsewhere)", not "(elsewhere|shared)"/);
  });

  test('a session that does not accept changes refuses them with a forbidden error', async () => {
    const a = await space('alice');
    const b = await space('bob');
    await b.collection('notes').insert({ id: 'n1', text: 'from bob' });
    const [ta, tb] = memoryTransportPair();
    let closedWith = '';
    let peerClosedWith = '';
    const sa = new SyncSession(a, ta, 'a', {
      acceptChanges: false,
      onClose: (why) => (closedWith = why),
    });
    const sb = new SyncSession(b, tb, 'b', { onClose: (why) => (peerClosedWith = why) });
    sa.start();
    sb.start();
    await settle(sa, sb);
    expect(closedWith).toMatch(/^forbidden: /);
    expect(peerClosedWith).toMatch(/forbidden/);
    expect(a.collection('notes').get('n1')).toBeUndefined();
    expect(a.versionVector().size).toBe(0);
  });
});

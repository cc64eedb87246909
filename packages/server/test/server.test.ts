import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeMessage,
  encodeMessage,
  HistoryUnavailableError,
  openDatabase,
  PROTOCOL_VERSION,
  type Space,
  type SyncMessage,
  SyncSession,
  type Value,
} from '@weft/core';
import { openSqliteDatabase } from '@weft/sqlite';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { connectWebSocket } from '../src/client.js';
import { type ServerOptions, startServer, type WeftServer } from '../src/server.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-server-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function server(options: Partial<ServerOptions<string>> = {}): Promise<WeftServer> {
  const dataDir = options.dataDir ?? (await tempDir());
  const started = await startServer<string>({ ...options, dataDir });
  cleanups.push(() => started.close());
  return started;
}

interface Client {
  space: Space;
  session: SyncSession;
  /** Why the session ended, once it has. */
  closedWith: () => string | undefined;
}

async function client(
  url: string,
  actor: string,
  credentials: Value = null,
  space?: Space,
): Promise<Client> {
  const local = space ?? (await (await openDatabase({ actor })).space('shared'));
  const transport = await connectWebSocket(url);
  let closedWith: string | undefined;
  const session = new SyncSession(local, transport, actor, {
    credentials,
    onClose: (why) => (closedWith = why),
  });
  session.start();
  cleanups.push(() => session.close());
  return { space: local, session, closedWith: () => closedWith };
}

async function emptySpace(actor: string, name: string): Promise<Space> {
  return (await openDatabase({ actor })).space(name);
}

async function waitFor(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function ids(space: Space): string[] {
  return space
    .collection('notes')
    .find({ orderBy: 'id' })
    .map((doc) => (doc as { id: string }).id);
}

/** A raw WebSocket: what a misbehaving client sends and receives. */
async function rawSocket(
  url: string,
): Promise<{ socket: WebSocket; received: SyncMessage[]; closed: Promise<number> }> {
  const socket = new WebSocket(url);
  const received: SyncMessage[] = [];
  socket.on('message', (data) => received.push(decodeMessage(new Uint8Array(data as Buffer))));
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  cleanups.push(() => socket.terminate());
  return { socket, received, closed };
}

describe('the sync server', () => {
  test('two clients converge through the server, then stay in sync live', async () => {
    const srv = await server();
    const a = await client(srv.url, 'alice');
    const b = await client(srv.url, 'bob');
    await a.space.collection('notes').insert({ id: 'a1', text: 'from alice' });
    await b.space.collection('notes').insert({ id: 'b1', text: 'from bob' });
    await waitFor(() => ids(a.space).length === 2 && ids(b.space).length === 2, 'convergence');
    expect(ids(a.space)).toEqual(['a1', 'b1']);
    expect(b.space.collection('notes').get('a1')).toEqual({ id: 'a1', text: 'from alice' });

    await a.space.collection('notes').update('b1', { text: 'edited by alice' });
    await waitFor(
      () =>
        (b.space.collection('notes').get('b1') as { text?: string })?.text === 'edited by alice',
      'the live edit on b',
    );
    await waitFor(() => a.space.heads().join() === b.space.heads().join(), 'equal heads');
    expect(a.closedWith()).toBeUndefined();
    expect(b.closedWith()).toBeUndefined();
  });

  test('a refused client gets an unauthorized error and none of the space', async () => {
    const srv = await server({
      authenticate: (credentials) => (typeof credentials === 'string' ? credentials : undefined),
      authorize: (identity, space) => identity === 'alice' && space === 'shared',
    });
    const a = await client(srv.url, 'alice', 'alice');
    await a.space.collection('notes').insert({ id: 'secret', text: 'for alice only' });
    await waitFor(() => a.space.versionVector().size > 0, 'alice writing');
    await a.session.idle();

    const mallory = await client(srv.url, 'mallory', 'mallory');
    await waitFor(() => mallory.closedWith() !== undefined, 'mallory refused');
    expect(mallory.closedWith()).toMatch(/unauthorized: not allowed to read space "shared"/);
    const anonymous = await client(srv.url, 'anon', null);
    await waitFor(() => anonymous.closedWith() !== undefined, 'anonymous refused');
    expect(anonymous.closedWith()).toMatch(/unauthorized: the credentials were not accepted/);

    // On the wire: exactly one message, the error, then the socket closes.
    const raw = await rawSocket(srv.url);
    raw.socket.send(hello('eve', 'shared', 'eve'));
    await raw.closed;
    expect(raw.received).toEqual([
      { kind: 'error', code: 'unauthorized', message: 'not allowed to read space "shared"' },
    ]);
    expect(ids(mallory.space)).toEqual([]);
    expect(mallory.space.versionVector().size).toBe(0);
  });

  test("a read-only client's changes are refused and not relayed", async () => {
    const srv = await server({
      authenticate: (credentials) => (typeof credentials === 'string' ? credentials : undefined),
      authorize: (identity, _space, access) => access === 'read' || identity !== 'reader',
    });
    const a = await client(srv.url, 'alice', 'alice');
    await a.space.collection('notes').insert({ id: 'a1', text: 'from alice' });
    const reader = await (await openDatabase({ actor: 'reader' })).space('shared');
    await reader.collection('notes').insert({ id: 'r1', text: 'should not spread' });
    const r = await client(srv.url, 'reader', 'reader', reader);
    await waitFor(() => r.closedWith() !== undefined, 'the reader refused');
    expect(r.closedWith()).toMatch(/forbidden/);

    // A new writer gets alice's note, and nobody got the reader's.
    const c = await client(srv.url, 'carol', 'carol');
    await waitFor(() => ids(c.space).includes('a1'), 'carol syncing');
    await a.space.collection('notes').insert({ id: 'a2', text: 'later' });
    await waitFor(() => ids(c.space).includes('a2'), 'carol live');
    expect(ids(c.space)).toEqual(['a1', 'a2']);
    expect(ids(a.space)).toEqual(['a1', 'a2']);

    // A reader that writes nothing stays connected and receives live changes.
    const quiet = await client(srv.url, 'reader2', 'reader');
    await waitFor(() => ids(quiet.space).length === 2, 'the quiet reader syncing');
    await a.space.collection('notes').insert({ id: 'a3', text: 'for readers too' });
    await waitFor(() => ids(quiet.space).includes('a3'), 'the quiet reader live');
    expect(quiet.closedWith()).toBeUndefined();
  });

  test('a malformed first message or an oversized message closes only that connection', async () => {
    const srv = await server({ maxMessageBytes: 64 * 1024 });
    const a = await client(srv.url, 'alice');
    const b = await client(srv.url, 'bob');
    await a.space.collection('notes').insert({ id: 'a1', text: 'one' });
    await waitFor(() => ids(b.space).includes('a1'), 'b syncing');

    const garbage = await rawSocket(srv.url);
    garbage.socket.send(new Uint8Array([1, 50, 0, 9, 9, 9]));
    await garbage.closed;
    expect(garbage.received).toHaveLength(1);
    expect(garbage.received[0]).toMatchObject({ kind: 'error', code: 'protocol' });

    const notHello = await rawSocket(srv.url);
    notHello.socket.send(encodeMessage({ kind: 'ack', vector: new Map() }));
    await notHello.closed;
    expect(notHello.received).toEqual([
      { kind: 'error', code: 'protocol', message: 'a session starts with a hello, not "ack"' },
    ]);

    const big = await rawSocket(srv.url);
    big.socket.send(hello('big', 'shared', null));
    big.socket.send(new Uint8Array(100 * 1024));
    expect(await big.closed).toBe(1009); // "message too big"

    await a.space.collection('notes').insert({ id: 'a2', text: 'still syncing' });
    await waitFor(() => ids(b.space).includes('a2'), 'b still syncing');
    expect(a.closedWith()).toBeUndefined();
    expect(b.closedWith()).toBeUndefined();
  });

  test('a transaction larger than the message limit travels in parts; a new client starts from a snapshot', async () => {
    const srv = await server(); // the default limit: 1 MiB per message
    const a = await client(srv.url, 'alice');
    const docs = Array.from({ length: 40_000 }, (_, i) => ({ id: `n${i}`, i, text: 'abcdefgh' }));
    await a.space.collection('notes').insertMany(docs);
    const run = a.space.changesSince(new Map())[0]!;
    expect(run.changes[0]!.payload.length).toBeGreaterThan(1024 * 1024);
    const b = await client(srv.url, 'bob');
    await waitFor(
      () => ids(b.space).length === 40_000,
      'b receiving the large transaction',
      20_000,
    );
    expect(b.space.heads()).toEqual(a.space.heads());
    expect(a.closedWith()).toBeUndefined();
    // b holds the state, not the history: it started from the server's snapshot.
    await expect(b.space.changesSinceStored(new Map())).rejects.toThrow(HistoryUnavailableError);
  });

  test('a connection with too many messages queued is closed; the server serves the others', async () => {
    const dataDir = await tempDir();
    const seed = await openSqliteDatabase({ dataDir });
    await (await seed.space('big'))
      .collection('notes')
      .insertMany(Array.from({ length: 300 }, (_, i) => ({ id: `n${i}`, text: 'x'.repeat(40) })));
    await seed.close();
    // Frames of at most 2,000 bytes: the snapshot for a new client is many parts in one go.
    const srv = await server({ dataDir, maxMessageBytes: 2000, maxQueuedMessages: 3 });
    const slow = await client(srv.url, 'slow', null, await emptySpace('slow', 'big'));
    await waitFor(() => slow.closedWith() !== undefined, 'the overloaded connection closing');
    expect(slow.closedWith()).toMatch(/overloaded: more than 3 messages queued/);
    expect(ids(slow.space)).toEqual([]);

    const a = await client(srv.url, 'alice');
    const b = await client(srv.url, 'bob');
    await a.space.collection('notes').insert({ id: 'a1', text: 'still served' });
    await waitFor(() => ids(b.space).includes('a1'), 'b syncing');
  });

  test('a client that stops answering pings is dropped, and its presence goes', async () => {
    const srv = await server({ heartbeatMs: 50, presenceTimeoutMs: 10 });
    const watcher = await client(srv.url, 'watcher');
    const present = new Map<string, unknown>();
    const transport = await connectWebSocket(srv.url);
    const watching = new SyncSession(watcher.space, transport, 'watcher-2', {
      onPresence: (who, state) => (state === null ? present.delete(who) : present.set(who, state)),
    });
    watching.start();
    cleanups.push(() => watching.close());
    // A raw socket that never answers pings (autoPong off) but says hello and shows itself.
    const socket = new WebSocket(srv.url, { autoPong: false });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('open', resolve));
    cleanups.push(() => socket.terminate());
    socket.send(hello('mute', 'shared', null));
    socket.send(encodeMessage({ kind: 'presence', client: 'mute', state: { name: 'Mute' } }));
    await waitFor(() => present.has('mute'), 'the mute client to be present');
    expect(await closed).toBe(1006); // terminated, without a close handshake
    await waitFor(() => !present.has('mute'), 'its presence to go');
    expect(watcher.closedWith()).toBeUndefined();
  });

  test('the server stores durably: after a restart a new client receives everything', async () => {
    const dataDir = await tempDir();
    const first = await startServer({ dataDir });
    let firstOpen = true;
    cleanups.push(() => (firstOpen ? first.close() : undefined));
    const a = await client(first.url, 'alice');
    for (let i = 0; i < 20; i++) {
      await a.space.collection('notes').insert({ id: `n${String(i).padStart(2, '0')}`, i });
    }
    const b = await client(first.url, 'bob');
    await waitFor(() => ids(b.space).length === 20, 'b receiving through the first server');
    a.session.close();
    b.session.close();
    await first.close();
    firstOpen = false;

    const second = await server({ dataDir });
    const c = await client(second.url, 'carol');
    await waitFor(() => ids(c.space).length === 20, 'c receiving after the restart');
    expect(c.space.collection('notes').get('n07')).toEqual({ id: 'n07', i: 7 });
    expect(c.space.heads()).toEqual(a.space.heads());
  });
});

function hello(replica: string, space: string, credentials: Value): Uint8Array {
  return encodeMessage({
    kind: 'hello',
    protocol: PROTOCOL_VERSION,
    replica,
    space,
    heads: [],
    vector: new Map(),
    credentials,
    wantsSnapshot: false,
    wantsAcks: true,
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Space } from '@weft/core';
import { afterAll, expect, test } from 'vitest';
import { WebSocketServer } from 'ws';
import { type SyncStatus, startServer, syncSpace } from '../src/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function replica(actor: string): Promise<Space> {
  return (await openDatabase({ actor })).space('team');
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

test('clients reconnect after the server goes away, and writes made offline sync then', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-sync-client-'));
  dirs.push(dataDir);
  let server = await startServer({ dataDir });
  const port = server.port;
  const a = await replica('alice');
  const b = await replica('bob');
  const statuses: SyncStatus[] = [];
  const options = { url: server.url, minDelayMs: 20, maxDelayMs: 200, heartbeatMs: 1_000 };
  const ca = syncSpace(a, { ...options, replica: 'alice', onStatus: (s) => statuses.push(s) });
  const cb = syncSpace(b, { ...options, replica: 'bob' });
  await until(() => ca.current === 'online' && cb.current === 'online', 'both online');
  await a.collection('notes').insert({ id: 'n1', text: 'online' });
  await until(() => b.collection('notes').get('n1') !== undefined, 'n1 on bob');

  await server.close();
  await until(() => ca.current !== 'online', 'alice to notice');
  await a.collection('notes').insert({ id: 'n2', text: 'written offline' });
  await a.collection('notes').update('n1', { text: 'edited offline' });

  server = await startServer({ dataDir, port });
  await until(() => b.collection('notes').get('n2') !== undefined, 'n2 on bob');
  await until(
    () => b.collection('notes').get('n1')?.text === 'edited offline',
    'the offline edit on bob',
  );
  expect(a.heads()).toEqual(b.heads());
  expect(statuses).toEqual(expect.arrayContaining(['online', 'offline', 'connecting']));
  ca.close();
  cb.close();
  await server.close();
});

test('a link that stops answering heartbeats is dropped and retried', async () => {
  // A server that accepts the connection but never answers pings (nor anything else).
  const silent = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
  await new Promise((r) => silent.once('listening', r));
  const { port } = silent.address() as { port: number };
  const statuses: string[] = [];
  const client = syncSpace(await replica('alice'), {
    url: `ws://127.0.0.1:${port}`,
    replica: 'alice',
    heartbeatMs: 100,
    minDelayMs: 50,
    onStatus: (s) => statuses.push(s),
  });
  await until(() => statuses.length >= 3, 'the dead link to be noticed and retried');
  expect(statuses.slice(0, 3)).toEqual(['online', 'offline', 'connecting']);
  client.close();
  for (const socket of silent.clients) socket.terminate();
  await new Promise((r) => silent.close(r));
});

test('presence: others see a client at once, and see it go after the timeout once it leaves', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-presence-'));
  dirs.push(dataDir);
  const server = await startServer({ dataDir, presenceTimeoutMs: 150 });
  const seen: [string, unknown][] = [];
  const a = syncSpace(await replica('alice'), { url: server.url, replica: 'alice' });
  const b = syncSpace(await replica('bob'), {
    url: server.url,
    replica: 'bob',
    onPresence: (c, s) => seen.push([c, s]),
  });
  await until(() => a.current === 'online' && b.current === 'online', 'both online');
  a.setPresence({ name: 'Alice', cursor: 3 });
  await until(() => b.presence().get('alice') !== undefined, 'alice present for bob');
  expect(b.presence().get('alice')).toEqual({ name: 'Alice', cursor: 3 });
  // A client that joins later hears who is there.
  const c = syncSpace(await replica('carol'), { url: server.url, replica: 'carol' });
  await until(() => c.presence().get('alice') !== undefined, 'alice present for carol');
  expect(c.presence().has('carol')).toBe(false);
  a.close();
  await until(() => !b.presence().has('alice'), 'alice gone for bob');
  expect(seen.at(-1)).toEqual(['alice', null]);
  b.close();
  c.close();
  await server.close();
});

test('presence listeners hear every change; a client that loses its server forgets the others', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-presence-'));
  dirs.push(dataDir);
  let server = await startServer({ dataDir });
  const port = server.port;
  const options = { minDelayMs: 20, maxDelayMs: 100 };
  const a = syncSpace(await replica('alice'), { url: server.url, replica: 'alice', ...options });
  const b = syncSpace(await replica('bob'), { url: server.url, replica: 'bob', ...options });
  const heard: [string, unknown][] = [];
  const stop = b.subscribePresence((client, state) => heard.push([client, state]));
  await until(() => a.current === 'online' && b.current === 'online', 'both online');
  a.setPresence({ name: 'Alice' });
  await until(() => heard.length === 1, 'alice heard');
  expect(heard).toEqual([['alice', { name: 'Alice' }]]);

  await server.close();
  await until(() => b.current !== 'online', 'bob to notice');
  expect(b.presence().size).toBe(0);
  expect(heard.at(-1)).toEqual(['alice', null]);

  // Back online, the server tells bob who is present again (alice resends hers).
  server = await startServer({ dataDir, port });
  await until(() => b.presence().has('alice'), 'alice present again');
  stop();
  const count = heard.length;
  a.setPresence({ name: 'Alice', typing: true });
  await until(() => (b.presence().get('alice') as { typing?: boolean }).typing === true, 'typing');
  expect(heard.length).toBe(count); // unsubscribed
  a.close();
  b.close();
  await server.close();
});

test("the browser's offline and online events drop the link at once and reconnect at once", async () => {
  // As in a browser window: the global object is an event target with offline/online events.
  const network = new EventTarget();
  const g = globalThis as { addEventListener?: unknown; removeEventListener?: unknown };
  g.addEventListener = network.addEventListener.bind(network);
  g.removeEventListener = network.removeEventListener.bind(network);
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-network-'));
  dirs.push(dataDir);
  const server = await startServer({ dataDir });
  try {
    const statuses: SyncStatus[] = [];
    // Heartbeats and backoff far longer than the test: only the events can explain what happens.
    const client = syncSpace(await replica('alice'), {
      url: server.url,
      replica: 'alice',
      heartbeatMs: 60_000,
      minDelayMs: 60_000,
      onStatus: (s) => statuses.push(s),
    });
    await until(() => client.current === 'online', 'online');
    network.dispatchEvent(new Event('offline'));
    await until(() => client.current === 'offline', 'offline at once');
    network.dispatchEvent(new Event('online'));
    await until(() => client.current === 'online', 'online again at once');
    client.close();
    // A closed client no longer listens.
    network.dispatchEvent(new Event('online'));
    expect(client.current).toBe('closed');
    expect(statuses).toEqual(['online', 'offline', 'connecting', 'online', 'closed']);
  } finally {
    delete g.addEventListener;
    delete g.removeEventListener;
    await server.close();
  }
});

test('without a WebSocket of its own (Node 20), SyncClient says what to pass', async () => {
  const { SyncClient } = await import('@weft/client');
  const global = globalThis as { WebSocket?: unknown };
  const platform = global.WebSocket;
  delete global.WebSocket; // as on Node 20 (Node 22 and browsers have one)
  try {
    expect(() => new SyncClient(undefined as never, { url: 'ws://x', replica: 'r' })).toThrow(
      /this platform has no WebSocket: pass one/,
    );
  } finally {
    if (platform !== undefined) global.WebSocket = platform;
  }
});

import { openDatabase, type Space } from '@weft/core';
import { afterEach, expect, test } from 'vitest';
import { syncSpace } from '../src/sync-client.js';
import { api, cleanups, runCleanups, server, waitFor } from './helpers/inspect.js';

afterEach(runCleanups);

interface Conflict {
  value: unknown;
  actor: string;
  winner: boolean;
}
interface ClientRow {
  client: string;
  space: string;
  behind: number;
  upToDate: boolean;
  known: { actor: string; seq: number }[];
  canWrite: boolean;
}

async function replica(actor: string): Promise<Space> {
  return (await openDatabase({ actor })).space('team');
}

function vector(space: Space): string {
  return JSON.stringify([...space.versionVector()].sort());
}

test('the API shows spaces, documents and their conflicts, the DAG, clients, presence and storage', async () => {
  const s = await server({ presenceTimeoutMs: 60_000 });
  const base = s.httpUrl;
  // Two replicas write the same card before they ever meet: concurrent values.
  const alice = await replica('alice');
  const bob = await replica('bob');
  await alice.collection('cards').put({ id: 'c1', title: 'Ship it', meta: { owner: 'ann' } });
  await bob.collection('cards').put({ id: 'c1', title: 'Ship it now', meta: { owner: 'bob' } });
  await bob.collection('notes').insert({ id: 'n1', text: 'hello' });
  const a = syncSpace(alice, { url: s.url, replica: 'alice' });
  const b = syncSpace(bob, { url: s.url, replica: 'bob' });
  cleanups.push(
    () => a.close(),
    () => b.close(),
  );
  a.setPresence({ name: 'Ann', cursor: 4 });
  await waitFor(
    () => vector(alice) === vector(bob) && alice.versionVector().size === 2,
    'the replicas to converge',
  );

  const spaces = await api<{ spaces: { name: string; clients: number; presence: number }[] }>(
    base,
    '/inspect/api/spaces',
  );
  expect(spaces.status).toBe(200);
  await waitFor(async () => {
    const now = await api<{ spaces: { presence: number }[] }>(base, '/inspect/api/spaces');
    return now.body.spaces[0]?.presence === 1;
  }, 'presence to reach the server');
  expect(spaces.body.spaces.map((x) => [x.name, x.clients])).toEqual([['team', 2]]);

  const overview = await api<{
    collections: { name: string; documents: number }[];
    documents: number;
    changes: number;
    heads: number;
    storage: { log: number; snapshot: number };
    clients: number;
  }>(base, '/inspect/api/spaces/team');
  expect(overview.body).toMatchObject({
    collections: [
      { name: 'cards', documents: 1 },
      { name: 'notes', documents: 1 },
    ],
    documents: 2,
    changes: alice.stats().changes,
    heads: bob.heads().length,
    clients: 2,
  });
  expect(overview.body.storage.log).toBeGreaterThan(0);

  // The document, its value as every replica reads it, and its concurrent values.
  const doc = await api<{ doc: unknown; deleted: boolean; conflicts: Record<string, Conflict[]> }>(
    base,
    '/inspect/api/spaces/team/collections/cards/docs/c1',
  );
  expect(doc.status).toBe(200);
  expect(doc.body.deleted).toBe(false);
  expect(doc.body.doc).toEqual(alice.collection('cards').get('c1'));
  expect(Object.keys(doc.body.conflicts).sort()).toEqual(['meta.owner', 'title']);
  expect(doc.body.conflicts.title).toEqual(alice.collection('cards').conflicts('c1', 'title'));
  expect(doc.body.conflicts['meta.owner']).toEqual(
    bob.collection('cards').conflicts('c1', 'meta.owner'),
  );
  const title = doc.body.conflicts.title!;
  expect(title.map((c) => c.actor).sort()).toEqual(['alice', 'bob']);
  expect(title.filter((c) => c.winner).map((c) => c.value)).toEqual([
    alice.collection('cards').get('c1')?.title,
  ]);

  const history = await api<{ history: { actor: string; seq: number; ops: string[] }[] }>(
    base,
    '/inspect/api/spaces/team/collections/cards/docs/c1/history',
  );
  expect(history.body.history.map((h) => `${h.actor}#${h.seq}`).sort()).toEqual([
    'alice#1',
    'bob#1',
  ]);
  expect(history.body.history[0]!.ops).toContain('insert');

  // The change DAG: the same heads and vector as the replicas'.
  const dag = await api<{
    heads: string[];
    vector: { actor: string; seq: number }[];
    recentRuns: { hash: string; actor: string; deps: string[] }[];
  }>(base, '/inspect/api/spaces/team/dag');
  expect(dag.body.heads).toEqual(alice.heads());
  expect(dag.body.vector).toEqual([
    { actor: 'alice', seq: alice.versionVector().get('alice') },
    { actor: 'bob', seq: alice.versionVector().get('bob') },
  ]);
  const runs = new Set(dag.body.recentRuns.map((r) => r.hash));
  for (const head of dag.body.heads) expect(runs.has(head)).toBe(true);
  for (const run of dag.body.recentRuns)
    for (const dep of run.deps) expect(runs.has(dep)).toBe(true);

  // Clients, up to date, and presence.
  let clients = await api<{ clients: ClientRow[]; presence: unknown[] }>(
    base,
    '/inspect/api/spaces/team/clients',
  );
  expect(clients.body.clients.map((c) => c.client).sort()).toEqual(['alice', 'bob']);
  for (const c of clients.body.clients) {
    expect(c).toMatchObject({ space: 'team', behind: 0, canWrite: true });
    expect(c.known).toEqual(dag.body.vector);
  }
  expect(clients.body.presence).toEqual([
    { client: 'alice', state: { name: 'Ann', cursor: 4 }, connected: true },
  ]);
  const all = await api<{ clients: ClientRow[] }>(base, '/inspect/api/clients');
  expect(all.body.clients).toHaveLength(2);

  // Alice leaves: her connection goes; her presence stays, marked gone, until it times out.
  a.close();
  await waitFor(async () => {
    clients = await api(base, '/inspect/api/spaces/team/clients');
    return clients.body.clients.length === 1;
  }, 'the closed client to disappear');
  expect(clients.body.clients[0]!.client).toBe('bob');
  expect(clients.body.presence).toEqual([
    expect.objectContaining({ client: 'alice', connected: false, expiresAt: expect.any(Number) }),
  ]);
  const status = await api<{ clients: number; spaces: number; replicaId: string }>(
    base,
    '/inspect/api/status',
  );
  expect(status.body).toMatchObject({ mode: 'server', clients: 1, spaces: 1 });
  expect(status.body.replicaId).toMatch(/\S/);
});

test('a deleted document shows as deleted with its history; unknown names are 404 and create nothing', async () => {
  const s = await server();
  const alice = await replica('alice');
  const a = syncSpace(alice, { url: s.url, replica: 'alice' });
  cleanups.push(() => a.close());
  await alice.collection('cards').put({ id: 'c/1', title: 'slash in the id' });
  await alice.collection('cards').delete('c/1');
  await alice.collection('cards').put({ id: 'c2', title: 'kept' });
  const path = '/inspect/api/spaces/team/collections/cards/docs/';
  await waitFor(async () => (await api(s.httpUrl, `${path}c2`)).status === 200, 'the sync');
  const deleted = await api<{ deleted: boolean; doc: unknown }>(s.httpUrl, `${path}c%2F1`);
  expect(deleted.body).toMatchObject({ deleted: true, doc: null });
  const history = await api<{ history: { ops: string[] }[] }>(s.httpUrl, `${path}c%2F1/history`);
  expect(history.body.history.map((h) => h.ops)).toEqual([['insert', 'set title'], ['delete']]);

  for (const missing of [
    '/inspect/api/spaces/nope',
    '/inspect/api/spaces/nope/dag',
    '/inspect/api/spaces/team/collections/nope',
    `${path}nope`,
    `${path}nope/history`,
    '/inspect/api/spaces/team/whatever',
    '/inspect/api/spaces/',
  ]) {
    const r = await api<{ error: { code: string; message: string } }>(s.httpUrl, missing);
    expect([missing, r.status, r.body.error.code]).toEqual([missing, 404, 'not-found']);
  }
  const spaces = await api<{ spaces: { name: string }[] }>(s.httpUrl, '/inspect/api/spaces');
  expect(spaces.body.spaces.map((x) => x.name)).toEqual(['team']);
  const overview = await api<{ collections: { name: string }[] }>(
    s.httpUrl,
    '/inspect/api/spaces/team',
  );
  expect(overview.body.collections.map((c) => c.name)).toEqual(['cards']);
});

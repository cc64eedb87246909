import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeRuns,
  decodeVersionVector,
  encodeRuns,
  encodeVersionVector,
  openDatabase,
} from '@weft/core';
import { afterAll, expect, test } from 'vitest';
import { startServer } from '../src/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('plain HTTP: push changes, pull what a vector lacks, with access checks and clear errors', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-http-'));
  dirs.push(dataDir);
  const server = await startServer({
    dataDir,
    authenticate: (c) =>
      (c as { token?: string } | null)?.token === 'secret' ? 'script' : undefined,
    maxMessageBytes: 64 * 1024,
  });
  const base = server.url.replace('ws://', 'http://');
  const auth = { authorization: 'Bearer secret' };

  // A script pushes two notes.
  const writer = await (await openDatabase({ actor: 'script' })).space('notes');
  await writer.collection('notes').insertMany([
    { id: 'a', text: 'one' },
    { id: 'b', text: 'two' },
  ]);
  const push = await fetch(`${base}/spaces/notes/changes`, {
    method: 'POST',
    headers: auth,
    body: encodeRuns(writer.changesSince(new Map())),
  });
  expect(push.status).toBe(200);
  expect(decodeVersionVector(new Uint8Array(await push.arrayBuffer())).get('script')).toBe(1);

  // Another replica pulls everything, then only what its vector lacks.
  const reader = await (await openDatabase({ actor: 'reader' })).space('notes');
  const all = await fetch(`${base}/spaces/notes/changes`, { headers: auth });
  await reader.receive(decodeRuns(new Uint8Array(await all.arrayBuffer())));
  expect(reader.collection('notes').find({ orderBy: 'id' })).toEqual(
    writer.collection('notes').find({ orderBy: 'id' }),
  );
  const since = Buffer.from(encodeVersionVector(reader.versionVector())).toString('base64url');
  const none = await fetch(`${base}/spaces/notes/changes?since=${since}`, { headers: auth });
  expect(decodeRuns(new Uint8Array(await none.arrayBuffer()))).toEqual([]);

  // Refusals and bad input.
  expect((await fetch(`${base}/spaces/notes/changes`)).status).toBe(403);
  const garbage = await fetch(`${base}/spaces/notes/changes`, {
    method: 'POST',
    headers: auth,
    body: new Uint8Array([1, 2, 3]),
  });
  expect(garbage.status).toBe(400);
  expect(await garbage.text()).toMatch(/^decode: /);
  const huge = await fetch(`${base}/spaces/notes/changes`, {
    method: 'POST',
    headers: auth,
    body: new Uint8Array(100 * 1024),
  });
  expect(huge.status).toBe(413);
  expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  expect(
    (await fetch(`${base}/spaces/notes/changes`, { method: 'PUT', headers: auth })).status,
  ).toBe(405);
  await server.close();
});

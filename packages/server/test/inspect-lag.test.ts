import { encodeMessage, PROTOCOL_VERSION } from '@weft/core';
import { openSqliteDatabase } from '@weft/sqlite';
import { afterEach, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { changesBehind } from '../src/inspect/lag.js';
import { api, cleanups, runCleanups, server, tempDir, waitFor } from './helpers/inspect.js';

afterEach(runCleanups);

interface ClientRow {
  client: string;
  behind: number;
  queuedMessages: number;
  bufferedBytes: number;
  upToDate: boolean;
}

test('changesBehind counts the changes one vector has beyond another', () => {
  const have = new Map([
    ['a', 10],
    ['b', 3],
  ]);
  expect(changesBehind(have, new Map())).toBe(13);
  expect(changesBehind(have, new Map([['a', 4]]))).toBe(9);
  expect(
    changesBehind(
      have,
      new Map([
        ['a', 12],
        ['b', 3],
        ['c', 5],
      ]),
    ),
  ).toBe(0);
});

test('a client that stops reading shows lag until it reads again', async () => {
  // 12 MiB of history: more than the socket buffers of a loopback connection hold.
  const dataDir = await tempDir();
  const db = await openSqliteDatabase({ dataDir });
  const docs = (await db.space('team')).collection('docs');
  for (let batch = 0; batch < 12; batch++) {
    await docs.insertMany(
      Array.from({ length: 64 }, (_, i) => ({ id: `b${batch}-${i}`, text: 'x'.repeat(16 * 1024) })),
    );
  }
  await db.close();
  const s = await server({ dataDir });

  // A raw client: says hello with nothing, then stops reading its socket.
  const socket = new WebSocket(s.url);
  cleanups.push(() => socket.terminate());
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.pause();
  socket.send(
    encodeMessage({
      kind: 'hello',
      protocol: PROTOCOL_VERSION,
      replica: 'slow-reader',
      space: 'team',
      heads: [],
      vector: new Map(),
      credentials: null,
      wantsSnapshot: false,
      wantsAcks: false,
    }),
  );
  const path = '/inspect/api/spaces/team/clients';
  let row: ClientRow | undefined;
  await waitFor(async () => {
    row = (await api<{ clients: ClientRow[] }>(s.httpUrl, path)).body.clients[0];
    return row !== undefined && row.behind === 0 && row.bufferedBytes + row.queuedMessages > 0;
  }, 'everything to be sent, and to wait in the connection');
  expect(row).toMatchObject({ client: 'slow-reader', upToDate: false });

  socket.resume();
  await waitFor(async () => {
    row = (await api<{ clients: ClientRow[] }>(s.httpUrl, path)).body.clients[0];
    return row?.upToDate === true;
  }, 'the client to catch up once it reads');
  expect(row).toMatchObject({ behind: 0, queuedMessages: 0, bufferedBytes: 0 });
});

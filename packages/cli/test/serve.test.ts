import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { openDatabase, type Space, SyncSession } from '@weft/core';
import { connectWebSocket } from '@weft/server';
import { afterAll, expect, test } from 'vitest';
import { BIN, cleanup, tempDir, weft } from './helpers.js';

afterAll(cleanup);

/** Starts `weft serve --port 0` and resolves with the process and the URL it prints. */
async function serve(data: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', '--data', data], {
    stdio: 'pipe',
  });
  let out = '';
  child.stdout!.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (s: string) => {
      out += s;
      try {
        resolve((JSON.parse(out) as { url: string }).url);
      } catch {
        // not all of it yet
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`weft serve exited with ${code} before listening`)),
    );
  });
  return { child, url };
}

async function client(actor: string, url: string): Promise<{ space: Space; session: SyncSession }> {
  const space = await (await openDatabase({ actor })).space('team');
  const session = new SyncSession(space, await connectWebSocket(url), actor);
  session.start();
  return { space, session };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(condition()).toBe(true);
}

test('weft serve relays between clients, stops on SIGTERM with exit 0, and keeps what it stored', async () => {
  const data = tempDir();
  const first = await serve(data);
  const a = await client('alice', first.url);
  const b = await client('bob', first.url);
  await a.space.collection('notes').insert({ id: 'n1', text: 'hello through the server' });
  await until(() => b.space.collection('notes').get('n1') !== undefined);
  expect(b.space.collection('notes').get('n1')).toEqual({
    id: 'n1',
    text: 'hello through the server',
  });
  a.session.close();
  b.session.close();

  first.child.kill('SIGTERM');
  const [code] = await once(first.child, 'exit');
  expect(code).toBe(0);

  const second = await serve(data);
  const c = await client('carol', second.url);
  await until(() => c.space.collection('notes').get('n1') !== undefined);
  c.session.close();
  second.child.kill('SIGTERM');
  expect((await once(second.child, 'exit'))[0]).toBe(0);
});

test('weft serve refuses a bad port', async () => {
  const r = await weft(['serve', '--port', 'x', '--data', tempDir()]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--port takes a port number/);
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Space } from '@weft/core';
import { afterEach, expect, test } from 'vitest';
import { startServer } from '../src/server.js';
import { syncSpace } from '../src/sync-client.js';

// Collaborative text through a real server: clients on real WebSockets type into one text
// field at once, keystroke by keystroke, live; a latecomer starts from the server's snapshot.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const FIELDS = { fields: { body: 'text' } } as const;

async function app(url: string, actor: string) {
  const space = await (await openDatabase({ actor })).space('docs');
  const notes = space.collection<{ body: string }>('notes', FIELDS);
  const sync = syncSpace(space, { url, replica: actor, minDelayMs: 20 });
  cleanups.push(() => sync.close());
  return { space, notes, sync };
}

async function waitFor(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const bodyOf = (space: Space) =>
  (space.collection('notes', FIELDS).get('n') as { body?: string } | undefined)?.body;

test('two clients type into one text at once through the server; a third joins from a snapshot', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'weft-text-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const server = await startServer({ dataDir });
  cleanups.push(() => server.close());

  const alice = await app(server.url, 'alice');
  const bob = await app(server.url, 'bob');
  await alice.notes.insert({ id: 'n', body: 'Hello []' });
  await waitFor(() => bodyOf(bob.space) === 'Hello []', 'the document on bob');

  // Both type inside the brackets at once, one keystroke per transaction, with pauses so that
  // the other's keystrokes arrive in between.
  const type = async (who: typeof alice, word: string) => {
    for (const ch of word) {
      const at = who.notes.get('n')!.body.indexOf(']');
      await who.notes.spliceText('n', 'body', at, 0, ch);
      await new Promise((r) => setTimeout(r, 3));
    }
  };
  await Promise.all([type(alice, 'apples'), type(bob, 'bananas')]);
  await waitFor(
    () => bodyOf(alice.space) === bodyOf(bob.space) && bodyOf(alice.space)!.length === 21,
    'both texts to converge',
  );
  // Each typed before "]", so each word grows in place: letters may interleave only at the
  // granularity of whole keystroke-runs the other had already seen, never within a word typed
  // without seeing the other's letters. The merged text holds every letter of both words.
  const merged = bodyOf(alice.space)!;
  expect(merged.startsWith('Hello [')).toBe(true);
  expect(merged.endsWith(']')).toBe(true);
  expect([...merged.slice(7, -1)].sort().join('')).toBe([...'applesbananas'].sort().join(''));

  // Concurrent edits at different places, and a cursor that follows its character.
  const cursor = alice.notes.cursor('n', 'body', 6); // before "["
  await Promise.all([
    alice.notes.spliceText('n', 'body', 0, 5, 'Hi'),
    bob.notes.spliceText('n', 'body', merged.length, 0, '!'),
  ]);
  await waitFor(
    () => bodyOf(alice.space) === bodyOf(bob.space) && bodyOf(bob.space)!.endsWith(']!'),
    'the second round',
  );
  const text = bodyOf(alice.space)!;
  expect(text.startsWith('Hi [')).toBe(true);
  expect(text[bob.notes.position('n', 'body', cursor)]).toBe('[');

  // A new client starts from the server's snapshot and edits on.
  const carol = await app(server.url, 'carol');
  await waitFor(() => bodyOf(carol.space) === text, 'the text on carol');
  await carol.notes.spliceText('n', 'body', 0, 0, '> ');
  await waitFor(
    () => bodyOf(alice.space) === `> ${text}` && bodyOf(bob.space) === `> ${text}`,
    "carol's edit everywhere",
  );
});

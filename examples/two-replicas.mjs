// Two apps share a task list through a real Weft sync server: live, then offline, then merged.
// Run: npm start
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@weft/core';
import { startServer, syncSpace } from '@weft/server';

const dataDir = mkdtempSync(join(tmpdir(), 'weft-example-'));
const server = await startServer({ dataDir });
console.log(`sync server       ${server.url}`);

async function app(name) {
  const db = await openDatabase({ actor: name });
  const space = await db.space('team');
  const tasks = space.collection('tasks', { fields: { votes: 'counter', tags: 'set' } });
  const sync = syncSpace(space, { url: server.url, replica: name, minDelayMs: 50 });
  return { name, space, tasks, sync };
}

const until = async (condition) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
};
const show = (who) =>
  who.tasks
    .find({ orderBy: 'title' })
    .map((t) => `${t.title} (${t.votes} votes${t.tags.length ? `, ${t.tags.join(' ')}` : ''})`)
    .join('; ');

const alice = await app('alice');
const bob = await app('bob');
await until(() => alice.sync.current === 'online' && bob.sync.current === 'online');

await alice.tasks.insert({ id: 't1', title: 'Write docs', votes: 0, tags: ['docs'] });
await until(() => bob.tasks.get('t1'));
console.log('bob sees, live    ', show(bob));

// Offline, at the same time: both vote for t1, alice tags it, bob adds a task.
alice.sync.close();
bob.sync.close();
await alice.tasks.update('t1', (t) => {
  t.votes += 1;
  t.tags.push('urgent');
});
await bob.tasks.update('t1', (t) => {
  t.votes += 2;
});
await bob.tasks.insert({ id: 't2', title: 'Fix the build', votes: 1, tags: [] });
console.log('alice, offline    ', show(alice));
console.log('bob, offline      ', show(bob));

// Back online: each side sends only what the other lacks; counters add up, sets merge.
alice.sync = syncSpace(alice.space, { url: server.url, replica: 'alice' });
bob.sync = syncSpace(bob.space, { url: server.url, replica: 'bob' });
const same = () => alice.space.heads().join() === bob.space.heads().join();
await until(() => same() && alice.tasks.count() === 2);
console.log('both, after sync  ', show(alice));
console.log('same heads        ', same());

alice.sync.close();
bob.sync.close();
await server.close();
rmSync(dataDir, { recursive: true, force: true });

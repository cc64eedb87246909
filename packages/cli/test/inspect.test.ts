import { openSqliteDatabase } from '@weft/sqlite';
import { afterAll, expect, test } from 'vitest';
import { cleanup, fixture, tempDir, weft, weftJson } from './helpers.js';

// Tests run concurrently (each spawns processes and waits); every one has its own directories.
afterAll(cleanup);

interface Inspection {
  doc: Record<string, unknown> | null;
  deleted: boolean;
  conflicts: Record<string, { value: unknown; actor: string; winner: boolean }[]>;
  history: { actor: string; seq: number; wall: number; logical: number; ops: string[] }[];
}

test.concurrent('inspect shows fields, no conflicts, and the changes that made a document', async () => {
  const dir = await fixture();
  await weft(['put', 'notes/todos', '{"id":"t1","title":"oat milk","done":true}', '--data', dir]);
  const data = (await weftJson(dir, ['inspect', 'notes/todos/t1'])) as Inspection;
  expect(data.doc).toEqual({ id: 't1', title: 'oat milk', done: true });
  expect(data.conflicts).toEqual({});
  expect(data.history).toHaveLength(2);
  expect(data.history[0]!.ops).toEqual(['insert', 'set done', 'set priority', 'set title']);
  expect(data.history[1]!.ops).toEqual(expect.arrayContaining(['set title', 'set done']));
  expect(data.history[1]!.seq).toBeGreaterThan(data.history[0]!.seq);

  const human = await weft(['inspect', 'notes/todos/t1', '--data', dir]);
  expect(human.code).toBe(0);
  expect(human.stdout).toMatch(/^notes\/todos\/t1\n\nfields\n {2}done: +true\n/);
  expect(human.stdout).toMatch(/\n {2}title: +"oat milk"\n/);
  expect(human.stdout).toContain('conflicts: none');
  expect(human.stdout).toMatch(
    /history \(2 changes\)\n {2}\S+ +#\d+ +\d{4}-\d\d-\d\dT[\d:.]+Z\+\d+ +insert, set done/,
  );

  // A deleted document still shows its history.
  await weft(['delete', 'notes/todos/t1', '--data', dir]);
  const deleted = (await weftJson(dir, ['inspect', 'notes/todos/t1'])) as Inspection;
  expect(deleted).toMatchObject({ deleted: true, doc: null });
  expect(deleted.history.at(-1)!.ops).toEqual(['delete']);
});

test.concurrent('inspect shows a conflict made by two replicas writing the same field concurrently', async () => {
  const dirA = tempDir();
  const dirB = tempDir();
  const alice = await openSqliteDatabase({ dataDir: dirA, actor: 'alice' });
  const bob = await openSqliteDatabase({ dataDir: dirB, actor: 'bob' });
  const a = await alice.space('notes');
  const b = await bob.space('notes');
  await a.collection('todos').put({ id: 't1', title: 'milk', done: false });
  await b.receive(a.changesSince(b.versionVector()));
  // Offline, concurrently: both rename the todo; only bob ticks it off.
  await a.collection('todos').update('t1', { title: 'oat milk' });
  await b.collection('todos').update('t1', { title: 'almond milk', done: true });
  await a.receive(b.changesSince(a.versionVector()));
  await b.receive(a.changesSince(b.versionVector()));
  const winner = a.collection('todos').get('t1')!.title;
  expect(b.collection('todos').get('t1')!.title).toBe(winner);
  await alice.close();
  await bob.close();

  for (const dir of [dirA, dirB]) {
    const data = (await weftJson(dir, ['inspect', 'notes/todos/t1'])) as Inspection;
    expect(data.doc).toEqual({ id: 't1', title: winner, done: true });
    expect(Object.keys(data.conflicts)).toEqual(['title']); // done was written once
    const title = data.conflicts.title!;
    expect(title.map((c) => c.actor).sort()).toEqual(['alice', 'bob']);
    expect(title.map((c) => c.value).sort()).toEqual(['almond milk', 'oat milk']);
    expect(title.filter((c) => c.winner)).toEqual([expect.objectContaining({ value: winner })]);
    expect(data.history.map((h) => `${h.actor}#${h.seq}`).sort()).toEqual([
      'alice#1',
      'alice#2',
      'bob#1',
    ]);
  }

  const human = await weft(['inspect', 'notes/todos/t1', '--data', dirA]);
  expect(human.code).toBe(0);
  expect(human.stdout).toMatch(/title: +"(oat|almond) milk" +\(2 concurrent values\)/);
  expect(human.stdout).toMatch(/conflicts\n {2}title\n {4}\* +"(oat|almond) milk" +(alice|bob) /);
  expect(human.stdout).toContain('"oat milk"');
  expect(human.stdout).toContain('"almond milk"');
  expect(human.stdout).toMatch(/history \(3 changes\)/);
  expect(human.stdout).toMatch(/\n {2}bob +#1 +\S+ +set done, set title/);
});

import { describe, expect, test } from 'vitest';
import { memoryDb, sync } from './helpers.js';

interface Card {
  title?: string;
  votes?: number;
  tags?: string[];
  meta?: { color?: string; size?: number };
}

async function pair() {
  const a = await (await memoryDb('alice', 1_000)).space('board');
  const b = await (await memoryDb('bob', 2_000)).space('board');
  const options = { fields: { votes: 'counter', tags: 'set' } } as const;
  return {
    a,
    b,
    ca: a.collection<Card>('cards', options),
    cb: b.collection<Card>('cards', options),
  };
}

describe('documents merge', () => {
  test("latestSeq: how far a space has one actor's changes, as its version vector says", async () => {
    const { a, b, ca } = await pair();
    expect(b.latestSeq(a.actor)).toBe(0);
    await ca.insert({ id: 'c1', title: 'one' });
    await ca.update('c1', { title: 'two' });
    expect(a.latestSeq(a.actor)).toBe(2);
    expect(b.latestSeq(a.actor)).toBe(0);
    await sync(a, b);
    expect(b.latestSeq(a.actor)).toBe(2);
    expect(b.latestSeq(a.actor)).toBe(b.versionVector().get(a.actor));
    expect(a.latestSeq('nobody')).toBe(0);
  });

  test('concurrent writes to one field: the later stamp wins, the other stays readable', async () => {
    const { a, b, ca, cb } = await pair();
    await ca.insert({ id: 'c1', title: 'draft' });
    await sync(a, b);
    await ca.update('c1', { title: 'from alice' });
    await cb.update('c1', { title: 'from bob' }); // bob's clock is ahead: his stamp is later
    await sync(a, b);
    expect(ca.get('c1')?.title).toBe('from bob');
    expect(cb.get('c1')).toEqual(ca.get('c1'));
    const conflicts = ca.conflicts('c1', 'title');
    expect(conflicts.map((c) => [c.value, c.actor, c.winner])).toEqual([
      ['from bob', 'bob', true],
      ['from alice', 'alice', false],
    ]);
    // A later write settles it.
    await ca.update('c1', { title: 'agreed' });
    await sync(a, b);
    expect(cb.conflicts('c1', 'title')).toHaveLength(1);
    expect(cb.get('c1')?.title).toBe('agreed');
  });

  test('an update leaves the conflicts of fields it does not write; a patch naming a field settles it', async () => {
    const { a, b, ca, cb } = await pair();
    await ca.insert({ id: 'c1', title: 'draft', meta: { color: 'red', size: 1 } });
    await sync(a, b);
    await ca.update('c1', { title: 'A', meta: { color: 'green' } });
    await cb.update('c1', { title: 'B', meta: { color: 'blue' } });
    await sync(a, b);
    expect(ca.conflicts('c1', 'title')).toHaveLength(2);
    expect(ca.conflicts('c1', 'meta.color')).toHaveLength(2);
    // A patch of another field, and a draft that changes another field: both conflicts stay.
    await ca.update('c1', { meta: { size: 2 } });
    await ca.update('c1', (d) => {
      d.meta = { ...d.meta, size: 3 };
    });
    expect(ca.conflicts('c1', 'title')).toHaveLength(2);
    expect(ca.conflicts('c1', 'meta.color')).toHaveLength(2);
    // Naming a field in a patch settles it, even with the value readers already see.
    await ca.update('c1', { title: ca.get('c1')!.title });
    await sync(a, b);
    expect(cb.conflicts('c1', 'title')).toHaveLength(1);
    expect(cb.conflicts('c1', 'meta.color')).toHaveLength(2);
    expect(cb.get('c1')).toEqual(ca.get('c1'));
  });

  test('nested objects merge key by key', async () => {
    const { a, b, ca, cb } = await pair();
    await ca.insert({ id: 'c1', meta: { color: 'red', size: 1 } });
    await sync(a, b);
    await ca.update('c1', { meta: { color: 'blue' } });
    await cb.update('c1', { meta: { size: 3 } });
    await sync(a, b);
    expect(ca.get('c1')?.meta).toEqual({ color: 'blue', size: 3 });
    expect(cb.get('c1')).toEqual(ca.get('c1'));
  });

  test('counter fields add up concurrent increments', async () => {
    const { a, b, ca, cb } = await pair();
    await ca.insert({ id: 'c1', votes: 0 });
    await sync(a, b);
    await ca.update('c1', (d) => {
      d.votes = (d.votes ?? 0) + 2;
    });
    await cb.update('c1', (d) => {
      d.votes = (d.votes ?? 0) + 5;
    });
    await cb.update('c1', (d) => {
      d.votes = (d.votes ?? 0) - 1;
    });
    await sync(a, b);
    expect(ca.get('c1')?.votes).toBe(6);
    expect(cb.get('c1')?.votes).toBe(6);
  });

  test('a counter at zero and an empty set exist and read as 0 and []', async () => {
    const { a, b, ca, cb } = await pair();
    await ca.insert({ id: 'c1', votes: 0, tags: [] });
    await sync(a, b);
    expect(cb.get('c1')).toEqual({ id: 'c1', votes: 0, tags: [] });
    await cb.update('c1', { tags: ['x'] });
    await cb.update('c1', { tags: [] });
    await sync(a, b);
    expect(ca.get('c1')).toEqual({ id: 'c1', votes: 0, tags: [] });
  });

  test('set fields: a concurrent add wins over a remove', async () => {
    const { a, b, ca, cb } = await pair();
    await ca.insert({ id: 'c1', tags: ['urgent', 'ui'] });
    await sync(a, b);
    await ca.update('c1', { tags: ['ui'] }); // alice removes urgent
    // Bob removes urgent too, then adds it back with api: his new add is one alice never saw.
    await cb.update('c1', { tags: ['ui'] });
    await cb.update('c1', (d) => {
      d.tags = [...(d.tags ?? []), 'urgent', 'api'];
    });
    await sync(a, b);
    expect(ca.get('c1')?.tags).toEqual(['api', 'ui', 'urgent']);
    expect(cb.get('c1')).toEqual(ca.get('c1'));
  });

  test('delete concurrent with update: delete wins, on every replica', async () => {
    const { a, b, ca, cb } = await pair();
    await ca.insert({ id: 'c1', title: 'doomed', votes: 1 });
    await sync(a, b);
    await ca.delete('c1');
    await cb.update('c1', { title: 'edited meanwhile' });
    await sync(a, b);
    expect(ca.get('c1')).toBeUndefined();
    expect(cb.get('c1')).toBeUndefined();
    // A later insert (that has seen the delete) brings the document back, fresh.
    await cb.insert({ id: 'c1', title: 'reborn' });
    await sync(a, b);
    expect(ca.get('c1')).toEqual({ id: 'c1', title: 'reborn' });
  });

  test('concurrent inserts of one id merge field by field', async () => {
    const { a, b, ca, cb } = await pair();
    await ca.insert({ id: 'c1', title: 'alice', meta: { color: 'red' } });
    await cb.insert({ id: 'c1', title: 'bob', votes: 1 });
    await sync(a, b);
    expect(ca.get('c1')).toEqual({ id: 'c1', title: 'bob', votes: 1, meta: { color: 'red' } });
    expect(cb.get('c1')).toEqual(ca.get('c1'));
  });

  test('a transaction arrives whole: one change, all its writes', async () => {
    const { a, b, ca, cb } = await pair();
    await a.transact(() => {
      ca.insert({ id: 'x', title: 'x' });
      ca.insert({ id: 'y', title: 'y' });
      ca.update('x', { votes: 3 });
    });
    const runs = a.changesSince(b.versionVector());
    expect(runs.flatMap((r) => r.changes)).toHaveLength(1);
    const seen: number[] = [];
    cb.subscribe({}, (docs) => seen.push(docs.length));
    await b.receive(runs);
    expect(seen).toEqual([0, 2]); // never a state with only part of the transaction
    expect(cb.get('x')).toEqual({ id: 'x', title: 'x', votes: 3 });
  });

  test('runs received together: each live query hears once, each document once', async () => {
    const { a, b, ca, cb } = await pair();
    const notesA = a.collection<{ text: string }>('notes');
    const notesB = b.collection<{ text: string }>('notes', { indexes: [['text']] });
    await ca.insert({ id: 'x', title: 'x' });
    await notesA.insert({ id: 'n', text: 'one' });
    await sync(a, b);
    await ca.update('x', { title: 'x2' });
    await ca.update('x', { title: 'x3' });
    await notesA.update('n', { text: 'two' });
    await ca.insert({ id: 'y', title: 'y' });
    const runs = a.changesSince(b.versionVector());
    expect(runs.length).toBeGreaterThan(1);
    const cards: { ids: string[]; updated: string[]; added: string[] }[] = [];
    const notes: string[][] = [];
    cb.subscribe({}, (docs, change) =>
      cards.push({
        ids: docs.map((d) => d.id).sort(),
        updated: change.updated.map((d) => String(d.id)),
        added: change.added.map((d) => String(d.id)),
      }),
    );
    notesB.subscribe({ where: { text: 'two' } }, (docs) => notes.push(docs.map((d) => d.text)));
    await b.receive(runs);
    expect(cards).toEqual([
      { ids: ['x'], updated: [], added: ['x'] },
      { ids: ['x', 'y'], updated: ['x'], added: ['y'] },
    ]);
    expect(notes).toEqual([[], ['two']]);
    expect(cb.get('x')?.title).toBe('x3');
    expect(notesB.find({ where: { text: 'two' } }).map((d) => d.id)).toEqual(['n']);
  });

  test('a transaction that throws writes nothing', async () => {
    const { a, ca } = await pair();
    await expect(
      a.transact(() => {
        ca.insert({ id: 'x', title: 'x' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(ca.get('x')).toBeUndefined();
    expect(a.stats().changes).toBe(0);
  });
});

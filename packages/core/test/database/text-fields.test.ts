import { describe, expect, test } from 'vitest';
import {
  InvalidPositionError,
  InvalidValueError,
  MemoryStorage,
  NotFoundError,
  openDatabase,
  type Space,
  type StorageOp,
} from '../../src/index.js';
import { memoryDb, sync } from './helpers.js';

interface Note {
  title?: string;
  body: string;
  items?: unknown[];
  meta?: { draft?: string };
}

const FIELDS = { fields: { body: 'text', items: 'list', 'meta.draft': 'text' } } as const;

async function notesOf(actor: string) {
  const db = await memoryDb(actor);
  const space = await db.space('s');
  return { space, notes: space.collection<Note>('notes', FIELDS) };
}

/** Types `text` one character at a time, each a transaction, starting at `from`. */
async function typeForward(space: Space, from: number, text: string): Promise<void> {
  const notes = space.collection<Note>('notes', FIELDS);
  for (let i = 0; i < text.length; i++) await notes.spliceText('n', 'body', from + i, 0, text[i]);
}

/** Types `text` backwards: each character goes in at `at`, in front of the one typed before. */
async function typeBackward(space: Space, at: number, text: string): Promise<void> {
  const notes = space.collection<Note>('notes', FIELDS);
  for (let i = text.length - 1; i >= 0; i--) await notes.spliceText('n', 'body', at, 0, text[i]);
}

describe('text and list fields', () => {
  test('read as a string and an array; splices edit them in place', async () => {
    const { notes } = await notesOf('alice');
    await notes.insert({ id: 'n', body: 'Hello', items: ['a'], meta: { draft: 'x' } });
    expect(notes.get('n')).toEqual({ id: 'n', body: 'Hello', items: ['a'], meta: { draft: 'x' } });
    await notes.spliceText('n', 'body', 5, 0, ' world');
    await notes.spliceText('n', 'body', 0, 1, 'J');
    await notes.spliceText('n', 'meta.draft', 1, 0, 'yz');
    await notes.spliceList('n', 'items', 1, 0, [{ k: 1 }, 'c']);
    await notes.spliceList('n', 'items', 0, 1);
    expect(notes.get('n')).toEqual({
      id: 'n',
      body: 'Jello world',
      items: [{ k: 1 }, 'c'],
      meta: { draft: 'xyz' },
    });
    expect(Object.isFrozen(notes.get('n')!.items)).toBe(true);
  });

  test('an update that sets a new string or array edits only the span that changed', async () => {
    const a = await notesOf('alice');
    const b = await notesOf('bob');
    await a.notes.insert({ id: 'n', body: 'the cat sat', items: [1, 2, 3] });
    await sync(a.space, b.space);
    // Concurrently: alice rewrites a word through update(), bob edits elsewhere.
    await a.notes.update('n', { body: 'the dog sat', items: [1, 2, 3, 4] });
    await b.notes.spliceText('n', 'body', 11, 0, ' down');
    await b.notes.spliceList('n', 'items', 0, 0, [0]);
    await sync(a.space, b.space);
    for (const side of [a, b]) {
      expect(side.notes.get('n')).toEqual({
        id: 'n',
        body: 'the dog sat down',
        items: [0, 1, 2, 3, 4],
      });
    }
  });

  test('update diffs never cut a surrogate pair', async () => {
    const { notes } = await notesOf('alice');
    await notes.insert({ id: 'n', body: 'a😀b' });
    // 😀 and 😁 share their high surrogate: a naive prefix would split the pair.
    await notes.update('n', { body: 'a😁b' });
    expect(notes.get('n')!.body).toBe('a😁b');
    await notes.spliceText('n', 'body', 1, 2, '🎉');
    expect(notes.get('n')!.body).toBe('a🎉b');
  });

  test('bad edits are refused with typed errors and change nothing', async () => {
    const { space, notes } = await notesOf('alice');
    await notes.insert({ id: 'n', title: 't', body: 'a😀b' });
    const before = notes.get('n');
    await expect(notes.spliceText('n', 'body', 9, 0, 'x')).rejects.toThrow(InvalidPositionError);
    await expect(notes.spliceText('n', 'body', 2, 0, 'x')).rejects.toThrow(/surrogate pair/);
    await expect(notes.spliceText('n', 'body', 0, 2)).rejects.toThrow(/surrogate pair/);
    await expect(notes.spliceText('n', 'body', 0, 0, '\ud800')).rejects.toThrow(InvalidValueError);
    await expect(notes.spliceText('n', 'title', 0, 0, 'x')).rejects.toThrow(/not a text field/);
    await expect(notes.spliceList('n', 'body', 0, 0, [1])).rejects.toThrow(/not a list field/);
    await expect(notes.spliceText('missing', 'body', 0, 0, 'x')).rejects.toThrow(NotFoundError);
    await expect(notes.update('n', { body: 42 as unknown as string })).rejects.toThrow(
      /needs a string/,
    );
    await expect(
      notes.spliceList('n', 'items', 0, 0, [() => 1] as unknown as unknown[] as never),
    ).rejects.toThrow();
    expect(notes.get('n')).toBe(before);
    expect(space.versionVector().get('alice')).toBe(1);
  });

  test('a transaction that aborts after text edits leaves the text as it was', async () => {
    const { space, notes } = await notesOf('alice');
    await notes.insert({ id: 'n', body: 'keep this', items: [1] });
    await expect(
      space.transact(() => {
        notes.spliceText('n', 'body', 0, 5);
        notes.spliceText('n', 'body', 0, 0, 'lose ');
        notes.spliceList('n', 'items', 0, 1, [2, 3]);
        expect(notes.get('n')).toMatchObject({ body: 'lose this', items: [2, 3] });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(notes.get('n')).toMatchObject({ body: 'keep this', items: [1] });
    // And the text still takes edits, at the positions of the text as it was.
    await notes.spliceText('n', 'body', 4, 0, 'ing');
    expect(notes.get('n')!.body).toBe('keeping this');
    await space.transact(() => {
      notes.spliceText('n', 'body', 0, 0, '1');
      notes.spliceText('n', 'body', 1, 0, '2');
    });
    expect(notes.get('n')!.body).toBe('12keeping this');
  });

  test('concurrent typing at one place never interleaves (forward, backward, mixed)', async () => {
    const cases: [string, (s: Space) => Promise<void>, (s: Space) => Promise<void>][] = [
      ['forward', (s) => typeForward(s, 2, 'abc'), (s) => typeForward(s, 2, 'XYZ')],
      ['backward', (s) => typeBackward(s, 2, 'abc'), (s) => typeBackward(s, 2, 'XYZ')],
      ['mixed', (s) => typeForward(s, 2, 'abc'), (s) => typeBackward(s, 2, 'XYZ')],
    ];
    for (const [name, typeA, typeB] of cases) {
      const a = await notesOf('alice');
      const b = await notesOf('bob');
      await a.notes.insert({ id: 'n', body: '[[]]' });
      await sync(a.space, b.space);
      await typeA(a.space);
      await typeB(b.space);
      await sync(a.space, b.space);
      const merged = a.notes.get('n')!.body;
      expect(b.notes.get('n')!.body, name).toBe(merged);
      expect(['[[abcXYZ]]', '[[XYZabc]]'], `${name}: ${merged}`).toContain(merged);
    }
  });

  test('a cursor stays with its character through concurrent edits', async () => {
    const a = await notesOf('alice');
    const b = await notesOf('bob');
    await a.notes.insert({ id: 'n', body: 'hello world' });
    await sync(a.space, b.space);
    const cursor = a.notes.cursor('n', 'body', 6); // before "world"
    const end = a.notes.cursor('n', 'body', 11, 'left'); // after "d"
    await b.notes.spliceText('n', 'body', 0, 0, 'oh, ');
    await b.notes.spliceText('n', 'body', 9, 1); // the space before "world"
    await sync(a.space, b.space);
    const body = a.notes.get('n')!.body;
    expect(body).toBe('oh, helloworld');
    expect(body.slice(a.notes.position('n', 'body', cursor))).toBe('world');
    expect(a.notes.position('n', 'body', end)).toBe(body.length);
    // The cursor is plain data: it works on the other replica too.
    expect(b.notes.position('n', 'body', JSON.parse(JSON.stringify(cursor)))).toBe(9);
  });

  test('two replicas that make the field concurrently agree on one; deletes win over edits', async () => {
    const a = await notesOf('alice');
    const b = await notesOf('bob');
    await a.notes.put({ id: 'n', body: 'from alice' });
    await b.notes.put({ id: 'n', body: 'from bob' });
    await a.notes.spliceText('n', 'body', 0, 0, '> ');
    await sync(a.space, b.space);
    expect(a.notes.get('n')).toEqual(b.notes.get('n'));
    // Edits go to the text readers see, and sync.
    await a.notes.spliceText('n', 'body', 0, 0, '!');
    await sync(a.space, b.space);
    expect(a.notes.get('n')).toEqual(b.notes.get('n'));
    expect(a.notes.get('n')!.body.startsWith('!')).toBe(true);

    await a.notes.delete('n');
    await b.notes.spliceText('n', 'body', 0, 0, 'late edit ');
    await sync(a.space, b.space);
    expect(a.notes.get('n')).toBeUndefined();
    expect(b.notes.get('n')).toBeUndefined();
  });

  test('replacing the field with a new value drops edits made concurrently to the old one', async () => {
    const a = await notesOf('alice');
    const b = await notesOf('bob');
    await a.notes.insert({ id: 'n', body: 'old', items: [1] });
    await sync(a.space, b.space);
    await a.notes.put({ id: 'n', body: 'new', items: [] });
    await b.notes.spliceText('n', 'body', 3, 0, 'er');
    await b.notes.spliceList('n', 'items', 1, 0, [2]);
    await sync(a.space, b.space);
    for (const side of [a, b])
      expect(side.notes.get('n')).toEqual({ id: 'n', body: 'new', items: [] });
  });

  test('live queries see text edits, local and remote', async () => {
    const a = await notesOf('alice');
    const b = await notesOf('bob');
    await a.notes.insert({ id: 'n', body: 'x' });
    await sync(a.space, b.space);
    const seen: string[] = [];
    const stop = b.notes.subscribe({}, (docs) => seen.push(docs[0]?.body ?? '-'));
    await b.notes.spliceText('n', 'body', 1, 0, 'y');
    await a.notes.spliceText('n', 'body', 0, 0, 'w');
    await sync(a.space, b.space);
    stop();
    expect(seen).toEqual(['x', 'xy', 'wxy']);
  });

  test('text survives a reopen from storage, history included', async () => {
    const storage = new MemoryStorage();
    let time = 1_000;
    const open = () => openDatabase({ storage, actor: 'alice', now: () => (time += 1) });
    const db = await open();
    const notes = (await db.space('s')).collection<Note>('notes', FIELDS);
    await notes.insert({ id: 'n', body: '' });
    await typeForward(await db.space('s'), 0, 'typed one key at a time');
    await notes.spliceText('n', 'body', 0, 5, 'TYPED');
    const cursor = notes.cursor('n', 'body', 10);
    const kept = await storage.range([]);
    await db.close();

    const copy = new MemoryStorage();
    await copy.batch(kept.map((e) => ({ op: 'put', key: [...e.key], data: e.data }) as StorageOp));
    const again = await openDatabase({ storage: copy, actor: 'alice', now: () => (time += 1) });
    const reopened = (await again.space('s')).collection<Note>('notes', FIELDS);
    expect(reopened.get('n')!.body).toBe('TYPED one key at a time');
    expect(reopened.position('n', 'body', cursor)).toBe(10);
    await reopened.spliceText('n', 'body', 0, 0, '> ');
    expect(reopened.get('n')!.body).toBe('> TYPED one key at a time');
    await again.close();
  });

  test('a replica started from a snapshot holds the text and its history, and edits on', async () => {
    const a = await notesOf('alice');
    await a.notes.insert({ id: 'n', body: 'draft', items: ['x', { y: [1] }] });
    await typeForward(a.space, 5, ' one');
    await a.notes.spliceText('n', 'body', 0, 1, 'D');
    await a.space.flush();
    const { snapshot } = a.space.snapshotForPeer();
    const c = await notesOf('carol');
    expect(await c.space.adoptSnapshot(snapshot)).toBeDefined();
    expect(c.notes.get('n')).toEqual(a.notes.get('n'));
    const cursor = a.notes.cursor('n', 'body', 5);
    expect(c.notes.position('n', 'body', cursor)).toBe(5);
    // Both edit at once; the snapshot kept the ids their edits name.
    await c.notes.spliceText('n', 'body', 5, 0, '!');
    await c.notes.spliceList('n', 'items', 2, 0, ['z']);
    await a.notes.spliceText('n', 'body', 0, 0, '# ');
    await sync(a.space, c.space);
    expect(c.notes.get('n')).toEqual({
      id: 'n',
      body: '# Draft! one',
      items: ['x', { y: [1] }, 'z'],
    });
    expect(a.notes.get('n')).toEqual(c.notes.get('n'));
  });
});

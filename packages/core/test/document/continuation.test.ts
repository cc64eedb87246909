import { describe, expect, test } from 'vitest';
import { EditContext } from '../../src/document/edit-context.js';
import { readNextEdits } from '../../src/document/next-edit-codec.js';
import { RunEditsReader } from '../../src/document/run-edits.js';
import { SpaceState } from '../../src/document/space-state.js';
import { Tag } from '../../src/encoding/envelope.js';
import {
  type Collection,
  DecodeError,
  decodeRuns,
  encodeRuns,
  InvalidPositionError,
  MemoryStorage,
  openDatabase,
  type Run,
  type Space,
  sealRun,
} from '../../src/index.js';
import { iterations, type Prng, withSeedAsync } from '../helpers/prng.js';

// Typing: a change that edits the same field as the change before it in its run is written as
// a continuation (Tag.docChangeNext). Every replica must read such runs back to the same text,
// a run must start in full, and a continuation out of place must be refused.

const FILE = 'packages/core/test/document/continuation.test.ts';
const FIELDS = { fields: { body: 'text', items: 'list' } } as const;

interface Note {
  body: string;
  items: unknown[];
}

async function replica(actor: string, storage = new MemoryStorage()) {
  let time = 1_000_000;
  const db = await openDatabase({ storage, actor, now: () => (time += 1) });
  const space = await db.space('s');
  return { storage, space, notes: space.collection<Note>('notes', FIELDS) };
}

const tagOf = (payload: Uint8Array) => payload[1];
const changesOf = (runs: readonly Run[]) => runs.flatMap((r) => r.changes);
const PIECES = ['a', 'b', ' ', 'xyz', '😀', 'é', 'end of a sentence. '];

/** Edits typed in one tick (no await between them), checked against the plain string. */
function burst(rng: Prng, notes: Collection<Note>, n: number): Promise<void>[] {
  const done: Promise<void>[] = [];
  let body = notes.get('n')!.body;
  let cursor = body.length;
  for (let i = 0; i < n; i++) {
    const r = rng.int(10);
    let pos = cursor;
    let del = 0;
    let ins = '';
    if (r < 6)
      ins = rng.pick(PIECES); // typing on at the cursor
    else if (r < 8 && cursor > 0) {
      const last = body.charCodeAt(cursor - 1);
      del = last >= 0xdc00 && last <= 0xdfff ? 2 : 1; // backspace (a whole pair)
      pos = cursor - del;
    } else if (r === 8) {
      // somewhere else, replacing a little
      pos = boundary(body, rng.int(body.length + 1));
      del = boundary(body, Math.min(body.length, pos + rng.int(4))) - pos;
      ins = rng.chance(0.5) ? rng.pick(PIECES) : '';
    } else {
      const items = notes.get('n')!.items;
      done.push(notes.spliceList('n', 'items', rng.int(items.length + 1), 0, [rng.int(9)]));
      continue;
    }
    if (del === 0 && ins === '') continue;
    done.push(notes.spliceText('n', 'body', pos, del, ins));
    body = body.slice(0, pos) + ins + body.slice(pos + del);
    cursor = pos + ins.length;
    expect(notes.get('n')!.body).toBe(body);
  }
  return done;
}

/** `pos`, moved back off the second half of a surrogate pair. */
function boundary(s: string, pos: number): number {
  const c = s.charCodeAt(pos);
  return pos > 0 && c >= 0xdc00 && c <= 0xdfff ? pos - 1 : pos;
}

async function runsOf(space: Space): Promise<Run[]> {
  await space.flush();
  return space.changesSince(new Map());
}

describe('continuation payloads', () => {
  test('typing in one tick is one run: the first change in full, the rest continuations of a few bytes', async () => {
    const { space, notes } = await replica('alice');
    await notes.insert({ id: 'n', body: 'Hello', items: [] });
    const text = ' world, typed one key at a time';
    for (let i = 0; i < text.length; i++) void notes.spliceText('n', 'body', 5 + i, 0, text[i]);
    // Out of range: refused, changing nothing; typing goes on as before.
    const refused = notes.spliceText('n', 'body', 5 + text.length, 1, '');
    for (let i = 0; i < 4; i++) void notes.spliceText('n', 'body', 4 + text.length - i, 1, '');
    await expect(refused).rejects.toThrow(InvalidPositionError);
    const runs = await runsOf(space);
    expect(runs).toHaveLength(2); // the insert (awaited), then the typing
    const [first, ...rest] = runs[1]!.changes;
    expect(tagOf(first!.payload)).toBe(Tag.docChange);
    expect(rest).toHaveLength(text.length - 1 + 4);
    for (const c of rest) {
      expect(tagOf(c.payload)).toBe(Tag.docChangeNext);
      expect(c.payload.length).toBeLessThanOrEqual(9);
    }
    const b = await replica('bob');
    await b.space.receive(runs);
    expect(b.notes.get('n')!.body).toBe(`Hello${text.slice(0, -4)}`);
    // Each keystroke is a change of its own, with its own seq and stamp.
    const history = await space.documentHistory('notes', 'n');
    expect(history).toHaveLength(1 + text.length + 4);
    expect(new Set(history.map((h) => h.seq)).size).toBe(history.length);
    expect(new Set(history.map((h) => `${h.wall}.${h.logical}`)).size).toBe(history.length);
  });

  test('a run starts in full: after a seal, a transaction or a change from elsewhere', async () => {
    const a = await replica('alice');
    const b = await replica('bob');
    await a.notes.insert({ id: 'n', body: '', items: [] });
    await b.space.receive(a.space.changesSince(new Map()));
    const type = (s: string) => {
      for (const ch of s)
        void a.notes.spliceText('n', 'body', a.notes.get('n')!.body.length, 0, ch);
    };
    type('ab');
    a.space.heads(); // seals the open run
    type('cd');
    void a.space.transact(() => {
      void a.notes.spliceText('n', 'body', 0, 0, '<');
    });
    type('ef');
    void b.notes.spliceText('n', 'body', 0, 0, 'B');
    await a.space.receive(b.space.changesSince(a.space.versionVector()));
    type('gh');
    const own = (await runsOf(a.space)).filter((r) => r.actor === 'alice');
    const tags = own.map((r) => r.changes.map((c) => tagOf(c.payload)));
    const [full, next] = [Tag.docChange, Tag.docChangeNext];
    expect(tags).toEqual([[full], [full, next], [full, next, full, full, next], [full, next]]);
    const c = await replica('carol');
    await c.space.receive(await runsOf(a.space));
    const body = a.notes.get('n')!.body;
    expect([...body].sort().join('')).toBe('<Babcdefgh');
    expect(body.replace('B', '')).toBe('<abcdefgh');
    expect(c.notes.get('n')!.body).toBe(body);
  });

  test('a continuation with no change before it in its run is refused, changing nothing', async () => {
    const a = await replica('alice');
    await a.notes.insert({ id: 'n', body: '', items: [] });
    for (const ch of 'abc')
      void a.notes.spliceText('n', 'body', a.notes.get('n')!.body.length, 0, ch);
    const run = (await runsOf(a.space)).at(-1);
    const next = run!.changes.find((c) => tagOf(c.payload) === Tag.docChangeNext)!;
    expect(() => new RunEditsReader('alice', new SpaceState()).next(next.payload)).toThrow(
      DecodeError,
    );
    // As the start of a run of its own (a valid run otherwise), and after an insert.
    const alone = sealRun({ actor: 'mallory', seq: 1, deps: [], changes: [{ ...next }] });
    const b = await replica('bob');
    await b.space.receive(a.space.changesSince(new Map()));
    await expect(b.space.receive([alone])).rejects.toThrow(DecodeError);
    expect(b.notes.get('n')!.body).toBe('abc');
    expect(b.space.versionVector().get('mallory')).toBeUndefined();
  });

  test('the decoder reads the one canonical form and refuses the others', () => {
    // After an insert of 1 unit whose left origin was alice:5, right origin the end: the next
    // left origin is predicted to be alice:6.
    const context = () => {
      const ctx = new EditContext('alice');
      ctx.start('notes', 'n', ['body'], 1, 'editText');
      ctx.noteInsert('alice', 5, 1, null, 0);
      return ctx;
    };
    const x = [1, 120]; // the content 'x'
    const read = (...body: number[]) =>
      readNextEdits(new Uint8Array([1, Tag.docChangeNext, ...body]), context());
    const left = (bytes: number[]) => {
      const op = read(...bytes)[0]!.ops[0]!;
      return op.kind === 'editText' && op.edits[0]!.kind === 'insert' ? op.edits[0]!.left : 'none';
    };
    expect(left([0, 1, 2, ...x])).toEqual({ actor: 'alice', seq: 6 }); // predicted
    expect(left([0, 1, 4, 0, 2, ...x])).toEqual({ actor: 'alice', seq: 7 }); // written: +1
    expect(left([1, 3, 98, 111, 98, 1, 4, 1, 1, ...x])).toEqual({ actor: 'bob', seq: 5 });
    for (const refused of [
      [0, 1, 4, 0, 0, ...x], // written out where it is predicted
      [0, 1, 2 | 8, ...x], // a repeated right origin with none before
      [1, 5, 97, 108, 105, 99, 101, 1, 2, ...x], // the author in the table
      [1, 3, 98, 111, 98, 1, 2, ...x], // a table entry never used
      [2, 1, 98, 1, 99, 1, 4, 2, 0, ...x], // table not in order of first use
      [0, 1, 64, ...x], // unknown kind bits
      [0, 1, 2, 0], // an insert of nothing
      [0, 0], // no edits
      [0, 1, 2, ...x, 0], // trailing bytes
    ]) {
      expect(() => read(...refused), JSON.stringify(refused)).toThrow(DecodeError);
    }
  });

  test('random typing in bursts on two replicas converges, through storage and bytes', async () => {
    for (let round = 0; round < iterations(10, 500); round++) {
      const seed = round === 0 && process.env.WEFT_SEED ? Number(process.env.WEFT_SEED) : undefined;
      await withSeedAsync(
        FILE,
        'random typing in bursts',
        async (rng) => {
          const a = await replica('alice');
          const b = await replica('bob');
          await a.notes.insert({ id: 'n', body: 'start', items: [] });
          await b.space.receive(a.space.changesSince(new Map()));
          for (let step = 0; step < 12; step++) {
            const x = rng.chance(0.5) ? a : b;
            await Promise.all(burst(rng, x.notes, 1 + rng.int(30)));
            if (rng.chance(0.4)) {
              const y = x === a ? b : a;
              // Through bytes, as sync sends them.
              await y.space.receive(
                decodeRuns(encodeRuns(x.space.changesSince(y.space.versionVector()))),
              );
            }
          }
          await b.space.receive(
            decodeRuns(encodeRuns(a.space.changesSince(b.space.versionVector()))),
          );
          await a.space.receive(
            decodeRuns(encodeRuns(b.space.changesSince(a.space.versionVector()))),
          );
          expect(b.notes.get('n')).toEqual(a.notes.get('n'));
          // Reopened from storage: its log read back, runs of continuations included.
          await a.space.flush();
          const reopened = await replica('alice', a.storage);
          expect(reopened.notes.get('n')).toEqual(a.notes.get('n'));
          const continued = changesOf(await runsOf(a.space)).filter(
            (c) => tagOf(c.payload) === Tag.docChangeNext,
          );
          expect(continued.length).toBeGreaterThan(0);
        },
        seed,
      );
    }
  });
});

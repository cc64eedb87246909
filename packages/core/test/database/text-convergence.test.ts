import { expect, test } from 'vitest';
import type { Collection, Space } from '../../src/index.js';
import { MemoryStorage, openDatabase } from '../../src/index.js';
import { iterations, type Prng, withSeedAsync } from '../helpers/prng.js';
import { exchange } from './helpers.js';

// Text and list fields under random concurrent editing: every local edit must read back as the
// plain splice of what the writer saw (the model), and after a full exchange every replica —
// including one reopened from storage and one started from a snapshot — must read the same.

const FILE = 'packages/core/test/database/text-convergence.test.ts';
const OPTIONS = { fields: { body: 'text', items: 'list' } } as const;

interface Note {
  body: string;
  items: unknown[];
  title?: string;
}

async function replica(actor: string, rng: Prng) {
  let time = 1_000;
  const storage = new MemoryStorage();
  const db = await openDatabase({
    storage,
    actor,
    now: () => (time += rng.int(3)),
    persist: { snapshotMinBytes: 2_000 },
  });
  const space = await db.space('sim');
  return { actor, db, storage, space, notes: space.collection<Note>('notes', OPTIONS) };
}

const PIECES = ['a', 'bc', 'xyz', '😀', ' ', 'é', 'long piece '];

function splicedText(s: string, pos: number, del: number, ins: string): string {
  return s.slice(0, pos) + ins + s.slice(pos + del);
}

/** A position that does not fall inside a surrogate pair. */
function boundary(rng: Prng, s: string): number {
  let pos = rng.int(s.length + 1);
  if (pos > 0 && pos < s.length && s.charCodeAt(pos) >= 0xdc00 && s.charCodeAt(pos) <= 0xdfff)
    pos -= 1;
  return pos;
}

async function randomEdit(rng: Prng, space: Space, notes: Collection<Note>): Promise<void> {
  const id = `n${rng.int(3)}`;
  const doc = notes.get(id);
  if (!doc || rng.chance(0.03)) {
    await notes.put({ id, body: rng.pick(PIECES), items: [rng.int(5)], title: 't' });
    return;
  }
  const r = rng.int(10);
  if (r < 5) {
    const pos = boundary(rng, doc.body);
    const end = boundary(rng, doc.body.slice(pos)) + pos;
    const ins = rng.chance(0.7) ? rng.pick(PIECES) : '';
    await notes.spliceText(id, 'body', pos, end - pos, ins);
    expect(notes.get(id)!.body).toBe(splicedText(doc.body, pos, end - pos, ins));
  } else if (r < 7) {
    const pos = rng.int(doc.items.length + 1);
    const del = rng.int(doc.items.length - pos + 1);
    const values = rng.chance(0.7) ? [rng.int(9), { k: rng.int(3) }].slice(0, 1 + rng.int(2)) : [];
    await notes.spliceList(id, 'items', pos, del, values);
    const expected = [...doc.items];
    expected.splice(pos, del, ...values);
    expect(notes.get(id)!.items).toEqual(expected);
  } else if (r === 7) {
    // A whole new value through update(): only the changed span is edited.
    const body = rng.chance(0.5) ? doc.body.toUpperCase() : `${rng.pick(PIECES)}${doc.body}`;
    const after = await notes.update(id, { body, items: [...doc.items, 'u'] });
    expect(after.body).toBe(body);
  } else if (r === 8) {
    // Several edits in one transaction, which sometimes aborts.
    const abort = rng.chance(0.3);
    const done = space.transact(() => {
      notes.spliceText(id, 'body', 0, 0, '<');
      notes.spliceText(id, 'body', notes.get(id)!.body.length, 0, '>');
      if (abort) throw new Error('abort');
    });
    await done.catch(() => {});
    expect(notes.get(id)!.body).toBe(abort ? doc.body : `<${doc.body}>`);
  } else if (rng.chance(0.5)) {
    await typing(rng, notes, id, doc.body);
  } else if (rng.chance(0.3)) {
    await notes.delete(id);
  }
}

/**
 * Keystrokes in one tick (one run: continuations after its first change), at a cursor that
 * moves as it types and backspaces, each read back as the plain splice.
 */
async function typing(rng: Prng, notes: Collection<Note>, id: string, body: string) {
  const done: Promise<void>[] = [];
  let cursor = boundary(rng, body);
  for (let n = 1 + rng.int(15); n > 0; n--) {
    let pos = cursor;
    let del = 0;
    let ins = '';
    if (rng.chance(0.7)) ins = rng.pick(PIECES);
    else if (cursor > 0) {
      const low = body.charCodeAt(cursor - 1);
      del = low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
      pos = cursor - del;
    } else continue;
    done.push(notes.spliceText(id, 'body', pos, del, ins));
    body = splicedText(body, pos, del, ins);
    cursor = pos + ins.length;
    expect(notes.get(id)!.body).toBe(body);
  }
  await Promise.all(done);
}

test('random text and list edits on three replicas converge (and survive reopening)', async () => {
  for (let round = 0; round < iterations(25, 3_000); round++) {
    const seed = round === 0 && process.env.WEFT_SEED ? Number(process.env.WEFT_SEED) : undefined;
    await withSeedAsync(
      FILE,
      'random text and list edits',
      async (rng) => {
        const replicas = await Promise.all(['a', 'b', 'c'].map((id) => replica(id, rng)));
        for (let step = 0; step < 120; step++) {
          const r = rng.pick(replicas);
          if (rng.chance(0.75)) await randomEdit(rng, r.space, r.notes);
          else await exchange(rng, r.space, rng.pick(replicas).space, true);
        }
        for (const x of replicas)
          for (const y of replicas) await exchange(rng, x.space, y.space, false);
        const expected = replicas[0]!.notes.find({ orderBy: 'id' });
        for (const r of replicas) {
          expect(r.notes.find({ orderBy: 'id' })).toEqual(expected);
          expect(r.space.heads()).toEqual(replicas[0]!.space.heads());
        }
        // Reopened from storage (snapshots included), and started from a snapshot.
        await replicas[1]!.space.flush();
        const reopened = await openDatabase({ storage: replicas[1]!.storage, actor: 'b' });
        const space = await reopened.space('sim');
        expect(space.collection<Note>('notes', OPTIONS).find({ orderBy: 'id' })).toEqual(expected);
        const fresh = await replica('d', rng);
        await fresh.space.adoptSnapshot(replicas[2]!.space.snapshotForPeer().snapshot);
        expect(fresh.notes.find({ orderBy: 'id' })).toEqual(expected);
        // And everyone keeps editing from there.
        for (const r of [fresh, replicas[0]!]) await randomEdit(rng, r.space, r.notes);
        await exchange(rng, fresh.space, replicas[0]!.space, false);
        await exchange(rng, replicas[0]!.space, fresh.space, false);
        expect(fresh.notes.find({ orderBy: 'id' })).toEqual(
          replicas[0]!.notes.find({ orderBy: 'id' }),
        );
      },
      seed,
    );
  }
});

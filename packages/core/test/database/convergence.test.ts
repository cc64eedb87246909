import { expect, test } from 'vitest';
import type { Collection } from '../../src/index.js';
import { MemoryStorage, openDatabase } from '../../src/index.js';
import { iterations, type Prng, withSeedAsync } from '../helpers/prng.js';
import { exchange } from './helpers.js';

const FILE = 'packages/core/test/database/convergence.test.ts';

interface Item {
  title?: string;
  votes?: number;
  tags?: string[];
  meta?: { color?: string; size?: number; deep?: { x?: number } };
}

const OPTIONS = {
  fields: { votes: 'counter', tags: 'set' },
  indexes: [['title'], ['meta.color', 'votes']],
} as const;

async function replica(actor: string, rng: Prng) {
  let time = 1_000;
  const storage = new MemoryStorage();
  const db = await openDatabase({
    storage,
    actor,
    now: () => (time += rng.int(3)),
    persist: { snapshotMinBytes: 3_000 },
  });
  const space = await db.space('sim');
  return { actor, db, storage, space, items: space.collection<Item>('items', OPTIONS) };
}

function randomEdit(rng: Prng, items: Collection<Item>): Promise<unknown> {
  const id = `d${rng.int(6)}`;
  const exists = items.get(id) !== undefined;
  const r = rng.int(10);
  if (!exists || r === 0) {
    return items.put({
      id,
      title: rng.pick(['a', 'b', 'c']),
      votes: rng.int(3),
      tags: rng.chance(0.5) ? ['x'] : [],
      meta: { color: rng.pick(['red', 'blue']) },
    });
  }
  if (r === 1) return items.delete(id);
  if (r === 2)
    return items.update(id, (d) => {
      d.votes = (d.votes ?? 0) + rng.int(5) - 2;
    });
  if (r === 3)
    return items.update(id, (d) => {
      d.tags = rng.chance(0.5)
        ? [...(d.tags ?? []), rng.pick(['x', 'y', 'z'])]
        : (d.tags ?? []).slice(1);
    });
  if (r === 4) return items.update(id, { meta: { size: rng.int(10), deep: { x: rng.int(3) } } });
  if (r === 5) return items.update(id, { meta: undefined });
  if (r === 6)
    return items.update(id, {
      title: rng.chance(0.2) ? undefined : rng.pick(['a', 'b', 'c', 'd']),
    });
  return items.update(id, { meta: { color: rng.pick(['red', 'blue', 'green']) } });
}

test('random document edits on three replicas, synced at random, converge (and survive reopening)', async () => {
  for (let round = 0; round < iterations(40, 4_000); round++) {
    const seed = round === 0 && process.env.WEFT_SEED ? Number(process.env.WEFT_SEED) : undefined;
    await withSeedAsync(
      FILE,
      'random document edits',
      async (rng) => {
        const replicas = await Promise.all(['a', 'b', 'c'].map((id) => replica(id, rng)));
        for (let step = 0; step < 80; step++) {
          const r = rng.pick(replicas);
          if (rng.chance(0.7)) await randomEdit(rng, r.items).catch(() => {});
          else await exchange(rng, r.space, rng.pick(replicas).space, true);
        }
        for (const x of replicas)
          for (const y of replicas) await exchange(rng, x.space, y.space, false);
        const expected = replicas[0]!.items.find({ orderBy: 'id' });
        for (const r of replicas) {
          expect(r.items.find({ orderBy: 'id' })).toEqual(expected);
          expect(r.space.heads()).toEqual(replicas[0]!.space.heads());
          // Indexed and unindexed plans agree.
          const titled = r.items.find({ where: { title: 'a' }, orderBy: 'id' });
          expect(titled).toEqual(expected.filter((d) => d.title === 'a'));
        }
        // Reopen one replica from its storage: same documents, same heads.
        const reopened = await openDatabase({ storage: replicas[1]!.storage, actor: 'b' });
        const space = await reopened.space('sim');
        expect(space.collection<Item>('items', OPTIONS).find({ orderBy: 'id' })).toEqual(expected);
        expect(space.heads()).toEqual(replicas[0]!.space.heads());
      },
      seed,
    );
  }
});

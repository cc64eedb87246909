import { describe, expect, test } from 'vitest';
import { applyOps, unpack } from '../../src/document/apply.js';
import { insertOps } from '../../src/document/diff.js';
import { docDots, emptyDoc, packedDoc } from '../../src/document/node.js';
import { readDoc } from '../../src/document/read.js';
import { MemoryStorage, openDatabase, storageKeys } from '../../src/index.js';
import { iterations, withSeed } from '../helpers/prng.js';

const FILE = 'packages/core/test/database/packed.test.ts';

describe('packed documents', () => {
  test('unpacking a packed insert gives exactly the tree the insert operations build', () => {
    for (let round = 0; round < iterations(300, 30_000); round++) {
      withSeed(FILE, 'unpacking a packed insert', (rng) => {
        const keys = ['b', 'a', '10', '9', 'z', 'é', 'A'];
        const make = (depth: number): Record<string, unknown> => {
          const out: Record<string, unknown> = {};
          for (const k of keys) {
            if (!rng.chance(0.5)) continue;
            const r = rng.int(5);
            out[k] =
              r === 0 && depth < 3
                ? make(depth + 1)
                : r === 1
                  ? {}
                  : r === 2
                    ? [rng.int(9)]
                    : rng.int(100);
          }
          return out;
        };
        const fields = make(0) as Record<string, never>;
        const ops = insertOps(undefined, fields, {}, 0);
        let counter = 41;
        const tree = emptyDoc();
        applyOps(tree, ops, { actorId: 'me', wall: 7, logical: 3, nextDot: () => ++counter });
        const names = () => 'me';
        const doc = readDoc(tree, 'x', names)!;
        const packed = packedDoc({
          base: 42,
          wall: 7,
          logical: 3,
          fields: ops.length - 1,
          stamps: undefined,
          doc,
        });
        expect(docDots(packed).sort()).toEqual(docDots(tree).sort());
        unpack(packed);
        expect(packed.root).toEqual(tree.root);
        expect(packed.alive).toEqual(tree.alive);
      });
    }
  });

  test('documents packed in a snapshot keep their dots: later edits merge on every replica', async () => {
    const storage = new MemoryStorage();
    const options = { persist: { snapshotMinBytes: 1 } };
    const a = await (await openDatabase({ storage, actor: 'a', ...options })).space('s');
    const b = await (await openDatabase({ actor: 'b' })).space('s');
    await a
      .collection('c')
      .insert({ id: 'x', z: 1, a: 2, m: { k: 1, b: 2 }, '10': 'ten', '9': 'nine' });
    await a.collection('c').insert({ id: 'y', q: 1 }); // the second batch is followed by a snapshot
    await new Promise((r) => setTimeout(r, 20));
    await a.flush();
    expect(await storage.get(storageKeys.snapshot('s'))).toBeDefined();
    await b.receive(a.changesSince(b.versionVector()));
    // Reopen a from its snapshot: x and y are packed again.
    const reopened = await (await openDatabase({ storage, actor: 'a' })).space('s');
    const ca = reopened.collection<Record<string, unknown>>('c');
    const cb = b.collection<Record<string, unknown>>('c');
    expect(ca.get('x')).toEqual(cb.get('x'));
    await ca.update('x', { z: 10, m: { k: 5 } });
    await cb.update('x', { a: 20, '9': 'NINE' });
    await cb.update('x', { m: { b: 7 } });
    await reopened.receive(b.changesSince(reopened.versionVector()));
    await b.receive(reopened.changesSince(b.versionVector()));
    const expected = { id: 'x', z: 10, a: 20, m: { k: 5, b: 7 }, '10': 'ten', '9': 'NINE' };
    expect(ca.get('x')).toEqual(expected);
    expect(cb.get('x')).toEqual(expected);
    for (const field of ['z', 'a', '10', '9', 'm.k', 'm.b']) {
      expect(ca.conflicts('x', field)).toHaveLength(1);
      expect(cb.conflicts('x', field)).toHaveLength(1);
    }
  });
});

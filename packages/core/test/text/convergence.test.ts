import { expect, test } from 'vitest';
import { ListCrdt, type ListOp, TextCrdt, type TextOp } from '../../src/index.js';
import { iterations, type Prng, withSeed } from '../helpers/prng.js';
import { randomEdit } from './helpers/edits.js';
import { CausalNetwork } from './helpers/network.js';
import { ReferenceText } from './helpers/reference.js';

const FILE = 'packages/core/test/text/convergence.test.ts';

/**
 * 2–5 replicas edit concurrently; ops travel in random causal orders (with duplicates); at the
 * end everyone has everything. All replicas must hold the same text as the naive reference
 * FugueMax fed every op in creation order, and survive an encode/decode round trip.
 */
function textRound(rng: Prng): void {
  const n = 2 + rng.int(4);
  const docs = Array.from({ length: n }, (_, i) => new TextCrdt(`r${i}-${rng.int(1000)}`));
  const net = new CausalNetwork<TextOp>(n);
  const reference = new ReferenceText();
  const steps = 20 + rng.int(60);
  for (let step = 0; step < steps; step++) {
    const i = rng.int(n);
    const roll = rng.next();
    if (roll < 0.5) {
      for (const op of randomEdit(rng, docs[i]!)) {
        net.send(i, op);
        reference.apply(op);
      }
    } else if (roll < 0.9) {
      const count = 1 + rng.int(4);
      for (let k = 0; k < count; k++) net.deliverOne(i, rng, (op) => docs[i]!.apply(op));
    } else {
      const dup = net.anyApplied(i, rng);
      if (dup !== undefined) expect(docs[i]!.apply(dup)).toBe(false);
    }
  }
  net.flush(rng, (to, op) => docs[to]!.apply(op));
  const expected = reference.toString();
  for (const doc of docs) {
    expect(doc.toString()).toBe(expected);
    expect(doc.length).toBe(expected.length);
    const bytes = doc.encode();
    const loaded = TextCrdt.decode(bytes, doc.actor);
    expect(loaded.toString()).toBe(expected);
    expect(loaded.encode()).toEqual(bytes);
  }
}

test('text: random concurrent edits on 2–5 replicas converge to the reference', () => {
  withSeed(FILE, 'text: random concurrent edits', (rng) => {
    for (let round = 0; round < iterations(300, 5000); round++) textRound(rng);
  });
});

test('text: a replica loaded from bytes goes on editing and merging', () => {
  withSeed(FILE, 'text: a replica loaded from bytes', (rng) => {
    for (let round = 0; round < iterations(100, 1000); round++) {
      const a = new TextCrdt('a');
      const b = new TextCrdt('b');
      const ops: TextOp[] = [];
      for (let k = 0; k < 30; k++) ops.push(...randomEdit(rng, a));
      for (const op of ops) b.apply(op);
      // b restarts from its bytes, both edit concurrently, then exchange.
      const b2 = TextCrdt.decode(b.encode(), 'b');
      const fromA: TextOp[] = [];
      const fromB: TextOp[] = [];
      for (let k = 0; k < 10; k++) {
        fromA.push(...randomEdit(rng, a));
        fromB.push(...randomEdit(rng, b2));
      }
      for (const op of fromB) a.apply(op);
      for (const op of fromA) b2.apply(op);
      expect(b2.toString()).toBe(a.toString());
    }
  });
});

test('list: random concurrent edits converge', () => {
  withSeed(FILE, 'list: random concurrent edits', (rng) => {
    for (let round = 0; round < iterations(150, 2000); round++) {
      const n = 2 + rng.int(4);
      const lists = Array.from({ length: n }, (_, i) => new ListCrdt<number | string>(`l${i}`));
      const net = new CausalNetwork<ListOp<number | string>>(n);
      for (let step = 0; step < 60; step++) {
        const i = rng.int(n);
        const list = lists[i]!;
        if (rng.chance(0.5)) {
          let op: ListOp<number | string> | undefined;
          if (list.length > 0 && rng.chance(0.3)) {
            const pos = rng.int(list.length);
            op = list.delete(pos, 1 + rng.int(Math.min(3, list.length - pos)));
          } else {
            const values = Array.from({ length: 1 + rng.int(3) }, () =>
              rng.chance(0.5) ? rng.int(100) : `v${rng.int(100)}`,
            );
            op = list.insert(rng.int(list.length + 1), values);
          }
          if (op) net.send(i, op);
        } else net.deliverOne(i, rng, (op) => list.apply(op));
      }
      net.flush(rng, (to, op) => lists[to]!.apply(op));
      const expected = lists[0]!.toArray();
      for (const list of lists) {
        expect(list.toArray()).toEqual(expected);
        expect(ListCrdt.decode(list.encode(), 'x').toArray()).toEqual(expected);
      }
    }
  });
});

test('text: replicas that sync by deltas (encodeSince / applyDelta) converge', () => {
  withSeed(FILE, 'text: replicas that sync by deltas', (rng) => {
    for (let round = 0; round < iterations(200, 3000); round++) {
      const n = 2 + rng.int(3);
      const docs = Array.from({ length: n }, (_, i) => new TextCrdt(`d${i}`));
      const reference = new ReferenceText();
      for (let step = 0; step < 40; step++) {
        const i = rng.int(n);
        if (rng.chance(0.6)) {
          for (const op of randomEdit(rng, docs[i]!)) reference.apply(op);
        } else {
          // j sends i what i lacks; sometimes a stale version (repeats are no-ops).
          const j = rng.int(n);
          const version = rng.chance(0.2) ? {} : docs[i]!.version();
          const delta = docs[j]!.encodeSince(version);
          docs[i]!.applyDelta(delta);
          if (rng.chance(0.2)) expect(docs[i]!.applyDelta(delta)).toBe(false);
        }
      }
      // Everyone pulls from everyone.
      for (let k = 0; k < 2; k++) {
        for (const to of docs)
          for (const from of docs) to.applyDelta(from.encodeSince(to.version()));
      }
      const expected = reference.toString();
      for (const doc of docs) expect(doc.toString()).toBe(expected);
    }
  });
});

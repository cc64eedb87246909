import { describe, expect, test } from 'vitest';
import {
  ChangeRejectedError,
  CrdtReplica,
  DecodeError,
  mvRegisterStore,
  mvRegisterValues,
  mvRegisterWrite,
  ORSetType,
  orMapGet,
  orMapKind,
  orMapRemove,
  orMapUpdate,
  orSetAdd,
  orSetRemove,
  orSetValues,
  type Run,
  sealRun,
} from '../src/index.js';
import { iterations, withSeed } from './helpers/prng.js';

const FILE = 'packages/core/test/crdt-replica.test.ts';

// A document-like nested map: rows → fields → multi-value registers.
const fields = orMapKind(mvRegisterStore);
const rows = orMapKind(fields.store);
type Rows = ReturnType<typeof rows.type.empty>;

describe('CrdtReplica', () => {
  test('two replicas merge: add-wins set over the change log', () => {
    const alice = new CrdtReplica(ORSetType, 'alice');
    const bob = new CrdtReplica(ORSetType, 'bob');
    alice.update((s) => orSetAdd(s, 'alice', 'milk'));
    bob.update((s) => orSetAdd(s, 'bob', 'eggs'));
    alice.syncWith(bob);
    // Concurrently: alice removes milk, bob adds it again. The add wins.
    alice.update((s) => orSetRemove(s, 'milk'));
    bob.update((s) => orSetAdd(s, 'bob', 'milk'));
    alice.syncWith(bob);
    expect(orSetValues(alice.state)).toEqual(['eggs', 'milk']);
    expect(ORSetType.equals(alice.state, bob.state)).toBe(true);
    expect(alice.log.getHeads()).toEqual(bob.log.getHeads());
  });

  test('a transaction is one change', () => {
    const r = new CrdtReplica(ORSetType, 'r');
    r.transact((state, apply) => {
      apply(orSetAdd(state(), 'r', 1));
      apply(orSetAdd(state(), 'r', 2));
      apply(orSetRemove(state(), 1));
    });
    expect(orSetValues(r.state)).toEqual([2]);
    expect(r.log.changeCount).toBe(1);
  });

  test('a run with a payload of the wrong type is refused and changes nothing', () => {
    const r = new CrdtReplica(ORSetType, 'r');
    const bad = sealRun({
      actor: 'x',
      seq: 1,
      deps: [],
      changes: [{ wall: 1, logical: 0, payload: new Uint8Array([1, 99]) }],
    });
    expect(() => r.receive([bad])).toThrow(DecodeError);
    expect(r.log.runCount).toBe(0);
    const good = sealRun({
      ...bad,
      changes: [{ wall: 1, logical: 0, payload: ORSetType.encode(ORSetType.empty()) }],
    });
    const tampered: Run = { ...good, hash: '0'.repeat(64) };
    expect(() => r.receive([tampered])).toThrow(ChangeRejectedError);
    expect(r.log.runCount).toBe(0);
    r.receive([good]);
    expect(r.log.runCount).toBe(1);
  });

  test('random nested-map edits, delivered out of order, converge', () => {
    for (let round = 0; round < iterations(100, 10_000); round++) {
      withSeed(FILE, 'random nested-map edits', (rng) => {
        let time = 0;
        const now = () => (time += 1);
        const replicas = ['a', 'b', 'c'].map((id) => new CrdtReplica(rows.type, id, { now }));
        const edit = (r: CrdtReplica<Rows>) => {
          const row = rng.pick(['r1', 'r2', 'r3']);
          const field = rng.pick(['title', 'done']);
          if (rng.chance(0.15)) return r.update((s) => orMapRemove(rows, s, row));
          if (rng.chance(0.15)) {
            return r.update((s) =>
              orMapUpdate(rows, s, row, (rowState) => orMapRemove(fields, rowState, field)),
            );
          }
          const value = rng.int(100);
          r.update((s) =>
            orMapUpdate(rows, s, row, (rowState) =>
              orMapUpdate(fields, rowState, field, (reg) => mvRegisterWrite(reg, r.actor, value)),
            ),
          );
        };
        for (let step = 0; step < 60; step++) {
          const r = rng.pick(replicas);
          if (rng.chance(0.7)) edit(r);
          else {
            // Partial, shuffled delivery: some runs wait for their deps.
            const to = rng.pick(replicas);
            const runs = r.changesSince(to.log.versionVector()).filter(() => rng.chance(0.7));
            to.receive(rng.shuffle(runs));
          }
        }
        for (const x of replicas) for (const y of replicas) x.syncWith(y);
        const [first, ...rest] = replicas;
        for (const r of rest) {
          expect(rows.type.equals(r.state, first!.state)).toBe(true);
          expect(r.log.getHeads()).toEqual(first!.log.getHeads());
        }
        // A fresh replica fed every run in random order reaches the same state.
        const fresh = new CrdtReplica(rows.type, 'fresh', { now });
        fresh.receive(rng.shuffle(first!.log.runs()));
        expect(rows.type.equals(fresh.state, first!.state)).toBe(true);
        // Reading works at every level.
        for (const row of ['r1', 'r2', 'r3']) {
          const rowState = orMapGet(rows, fresh.state, row);
          for (const field of ['title', 'done'])
            mvRegisterValues(orMapGet(fields, rowState, field));
        }
      });
    }
  });
});

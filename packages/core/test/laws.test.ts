// The laws every CRDT type must obey, checked on reachable states (see helpers/arbitraries.ts),
// and a few semantic checks that tell a right implementation from a wrong but lawful one.
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import {
  type CrdtType,
  causalCounterAdd,
  causalCounterValue,
  compareHlc,
  GCounterType,
  GSetType,
  gCounterValue,
  gSetHas,
  LWWRegisterType,
  lwwRegisterSet,
  MVRegisterType,
  mvRegisterValues,
  mvRegisterWrite,
  ORSetType,
  orMapGet,
  orMapKeys,
  orMapRemove,
  orMapUpdate,
  orSetAdd,
  orSetHas,
  orSetRemove,
  orSetValues,
  PNCounterType,
  pnCounterValue,
  Reader,
  TwoPSetType,
  twoPSetAdd,
  twoPSetHas,
  twoPSetRemove,
  type Value,
  valueEquals,
  valueKey,
  Writer,
} from '../src/index.js';
import {
  ACTORS,
  CausalCounterType,
  causalCounterModel,
  counterMapModel,
  counterMapStoreModel,
  deltaOrdersArb,
  elementArb,
  gCounterModel,
  gSetModel,
  historyArb,
  innerMapStoreModel,
  lwwRegisterModel,
  type Model,
  mvRegisterModel,
  nestedMapModel,
  nestedMapStoreModel,
  nextOpArb,
  orSetMapModel,
  orSetMapStoreModel,
  orSetModel,
  pnCounterModel,
  replay,
  type SetOp,
  stateArb,
  statesArb,
  stepArb,
  twoPSetModel,
  twoReplicasArb,
} from './helpers/arbitraries.js';
import { checkProperty } from './helpers/property.js';

function fold<S>(type: CrdtType<S>, states: readonly S[]): S {
  return states.reduce((acc, s) => type.join(acc, s), type.empty());
}

/** Throws, showing both states, unless `type.equals` says they are equal. */
function expectEquals<S>(type: CrdtType<S>, actual: S, expected: S, what: string): void {
  if (type.equals(actual, expected)) return;
  throw new Error(
    `${type.name}: ${what}\n  actual:   ${fc.stringify(actual)}\n  expected: ${fc.stringify(expected)}`,
  );
}

/** A snapshot of a state, to check that nothing mutated it. */
function snapshot<S>(type: CrdtType<S>, s: S): string {
  return fc.stringify(type.encode(s));
}

function writeRead<S>(type: CrdtType<S>, s: S): S {
  const w = new Writer();
  type.write(w, s);
  const r = new Reader(w.finish());
  r.actors = [...w.actors];
  const back = type.read(r);
  r.end();
  return back;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function laws<S, Op>(m: Model<S, Op>): void {
  const { type } = m;
  const join = (a: S, b: S) => type.join(a, b);

  describe(m.name, () => {
    checkProperty('join is commutative', statesArb(m), ([a, b]) => {
      const [sa, sb] = [snapshot(type, a), snapshot(type, b)];
      expectEquals(type, join(a, b), join(b, a), 'join(a, b) ≠ join(b, a)');
      expect([snapshot(type, a), snapshot(type, b)], 'join mutated its arguments').toEqual([
        sa,
        sb,
      ]);
    });

    checkProperty('join is associative', statesArb(m), ([a, b, c]) => {
      expectEquals(type, join(join(a, b), c), join(a, join(b, c)), '(a ⊔ b) ⊔ c ≠ a ⊔ (b ⊔ c)');
    });

    checkProperty('join is idempotent', stateArb(m), (s) => {
      expectEquals(type, join(s, s), s, 's ⊔ s ≠ s');
    });

    checkProperty('empty is the identity of join', stateArb(m), (s) => {
      expectEquals(type, join(s, type.empty()), s, 's ⊔ ⊥ ≠ s');
      expectEquals(type, join(type.empty(), s), s, '⊥ ⊔ s ≠ s');
    });

    for (const pair of m.mutators) {
      checkProperty(`${pair.delta} agrees with ${pair.full}`, nextOpArb(m, pair.op), (next) => {
        const replica = next.history.replicas[next.at]!;
        const s = replica.state;
        const before = snapshot(type, s);
        const mutation = m.mutation(next.op, replica);
        const delta = mutation.delta(s);
        expectEquals(type, join(s, delta), mutation.full(s), 's ⊔ delta(s) ≠ full(s)');
        expect(snapshot(type, s), 'a mutator mutated its state').toBe(before);
      });
    }

    checkProperty(
      'deltas join to one state in any order, duplicated or grouped',
      deltaOrdersArb(m),
      ({ history, shuffled, groups }) => {
        const { deltas, replicas } = history;
        const inOrder = fold(type, deltas);
        const pick = (indices: number[]) => indices.map((i) => deltas[i]!);
        expectEquals(type, fold(type, pick(shuffled)), inOrder, 'shuffled and duplicated');
        const grouped = groups.map((g) => fold(type, pick(g))).reverse();
        expectEquals(type, fold(type, grouped), inOrder, 'joined in groups');
        // Every replica's state is made of deltas, so together they are all of them.
        const states = replicas.map((r) => r.state);
        expectEquals(type, fold(type, states), inOrder, 'the replicas together');
      },
    );

    checkProperty('encode/decode round-trips', stateArb(m), (s) => {
      expectEquals(type, type.decode(type.encode(s)), s, 'decode(encode(s)) ≠ s');
    });

    checkProperty('write/read round-trips', stateArb(m), (s) => {
      expectEquals(type, writeRead(type, s), s, 'read(write(s)) ≠ s');
    });

    checkProperty('equal states encode to equal bytes', statesArb(m), ([a, b]) => {
      expect(bytesEqual(type.encode(join(a, b)), type.encode(join(b, a)))).toBe(true);
    });
  });
}

laws(gCounterModel);
laws(pnCounterModel);
laws(lwwRegisterModel);
laws(mvRegisterModel);
laws(gSetModel);
laws(twoPSetModel);
laws(orSetModel);
laws(nestedMapModel);
laws(orSetMapModel);
laws(counterMapModel);
laws(causalCounterModel);

// ---------------------------------------------------------------------------------------
// Semantics

const hasValue = (values: Value[], v: Value) => values.some((x) => valueEquals(x, v));

describe('semantics', () => {
  checkProperty('GCounter value is the sum of the increments', historyArb(gCounterModel), (h) => {
    const all = fold(
      GCounterType,
      h.replicas.map((r) => r.state),
    );
    expect(gCounterValue(all)).toBe(h.ops.reduce((sum, { op }) => sum + op, 0));
  });

  checkProperty('PNCounter value is the sum of the increments', historyArb(pnCounterModel), (h) => {
    const all = fold(
      PNCounterType,
      h.replicas.map((r) => r.state),
    );
    expect(pnCounterValue(all)).toBe(h.ops.reduce((sum, { op }) => sum + op, 0));
  });

  checkProperty(
    'CausalCounter value is the sum of the increments',
    historyArb(causalCounterModel),
    (h) => {
      const all = fold(
        CausalCounterType,
        h.replicas.map((r) => r.state),
      );
      expect(causalCounterValue(all)).toBe(h.ops.reduce((sum, { op }) => sum + op.add, 0));
    },
  );

  checkProperty(
    'LWWRegister keeps the write with the greatest stamp',
    historyArb(lwwRegisterModel),
    (h) => {
      const all = fold(
        LWWRegisterType,
        h.replicas.map((r) => r.state),
      );
      const last = h.deltas.reduce(
        (best, d) => (best.stamp === null || compareHlc(d.stamp!, best.stamp) > 0 ? d : best),
        LWWRegisterType.empty(),
      );
      expect(LWWRegisterType.equals(all, last)).toBe(true);
    },
  );

  checkProperty(
    'LWWRegister join is commutative even when two writes share a stamp',
    elementArb,
    elementArb,
    fc.record({ wall: fc.nat(2), logical: fc.nat(2), actor: fc.constantFrom('a', 'b') }),
    (x, y, stamp) => {
      const empty = LWWRegisterType.empty();
      const [a, b] = [lwwRegisterSet(empty, x, stamp), lwwRegisterSet(empty, y, stamp)];
      const join = LWWRegisterType.join;
      expectEquals(LWWRegisterType, join(a, b), join(b, a), 'join(a, b) ≠ join(b, a)');
    },
  );

  checkProperty(
    'LWWRegister write made after receiving a value wins over it',
    historyArb(lwwRegisterModel),
    twoReplicasArb,
    elementArb,
    fc.integer({ min: -1000, max: 3 }),
    (h, [i, j], value, tick) => {
      const [ra, rb] = [h.replicas[i]!, h.replicas[j]!];
      lwwRegisterModel.observe!(rb, ra.state);
      const seen = LWWRegisterType.join(rb.state, ra.state);
      const write = lwwRegisterModel.mutation({ value, tick }, rb).delta(seen);
      const merged = LWWRegisterType.join(ra.state, LWWRegisterType.join(seen, write));
      expect(valueEquals(merged.value, value)).toBe(true);
    },
  );

  checkProperty(
    'MVRegister keeps concurrent writes; a later write replaces them all',
    historyArb(mvRegisterModel),
    elementArb,
    elementArb,
    elementArb,
    (h, x, y, z) => {
      const join = MVRegisterType.join;
      const [ra, rb, rc] = [h.replicas[0]!, h.replicas[1]!, h.replicas[2]!];
      const wa = join(ra.state, mvRegisterWrite(ra.state, ra.actor, x));
      const wb = join(rb.state, mvRegisterWrite(rb.state, rb.actor, y));
      const concurrent = mvRegisterValues(join(wa, wb));
      expect(concurrent).toHaveLength(valueEquals(x, y) ? 1 : 2);
      expect(hasValue(concurrent, x) && hasValue(concurrent, y)).toBe(true);
      const seen = join(rc.state, join(wa, wb));
      const later = join(seen, mvRegisterWrite(seen, rc.actor, z));
      const everything = fold(MVRegisterType, [...h.pool, wa, wb, later]);
      const values = mvRegisterValues(everything);
      expect(values).toHaveLength(1);
      expect(valueEquals(values[0]!, z)).toBe(true);
    },
  );

  checkProperty(
    'MVRegister on one replica holds the last write',
    fc.array(elementArb, { minLength: 1, maxLength: 8 }),
    (writes) => {
      let s = MVRegisterType.empty();
      for (const v of writes) s = MVRegisterType.join(s, mvRegisterWrite(s, 'a', v));
      const values = mvRegisterValues(s);
      expect(values).toHaveLength(1);
      expect(valueEquals(values[0]!, writes.at(-1)!)).toBe(true);
    },
  );

  checkProperty('GSet holds every added element', historyArb(gSetModel), (h) => {
    const all = fold(
      GSetType,
      h.replicas.map((r) => r.state),
    );
    expect(h.ops.every(({ op }) => gSetHas(all, op))).toBe(true);
  });

  checkProperty(
    'TwoPSet: a removed element never comes back',
    stateArb(twoPSetModel),
    elementArb,
    (s, e) => {
      const join = TwoPSetType.join;
      const added = join(s, twoPSetAdd(s, e));
      expect(twoPSetHas(added, e)).toBe(!s.removed.has(valueKey(e)));
      const removed = join(added, twoPSetRemove(added, e));
      expect(twoPSetHas(removed, e)).toBe(false);
      const again = join(removed, twoPSetAdd(removed, e));
      expect(twoPSetHas(join(s, again), e)).toBe(false);
    },
  );

  checkProperty(
    'ORSet add wins over a concurrent remove',
    historyArb(orSetModel),
    twoReplicasArb,
    elementArb,
    fc.boolean(),
    (h, [i, j], e, synced) => {
      const join = ORSetType.join;
      const [ra, rb] = [h.replicas[i]!, h.replicas[j]!];
      // `synced`: both replicas start from the same state, so the remove saw every add.
      const sa = synced ? join(ra.state, rb.state) : ra.state;
      const sb = synced ? sa : rb.state;
      const removed = join(sa, orSetRemove(sa, e));
      const added = join(sb, orSetAdd(sb, rb.actor, e));
      expect(orSetHas(removed, e)).toBe(false);
      expect(orSetHas(join(removed, added), e)).toBe(true);
      expect(orSetHas(join(added, removed), e)).toBe(true);
    },
  );

  checkProperty(
    'ORSet remove that saw every add removes the element',
    historyArb(orSetModel),
    elementArb,
    (h, e) => {
      const all = fold(
        ORSetType,
        h.replicas.map((r) => r.state),
      );
      const removed = ORSetType.join(all, orSetRemove(all, e));
      expect(orSetHas(fold(ORSetType, [...h.pool, removed]), e)).toBe(false);
    },
  );

  checkProperty(
    'ORSet on one replica behaves as a plain set',
    fc.array(orSetModel.op, { maxLength: 12 }),
    (ops: SetOp[]) => {
      let s = ORSetType.empty();
      const reference = new Map<string, Value>();
      for (const op of ops) {
        if ('add' in op) {
          s = ORSetType.join(s, orSetAdd(s, 'a', op.add));
          reference.set(valueKey(op.add), op.add);
        } else {
          s = ORSetType.join(s, orSetRemove(s, op.remove));
          reference.delete(valueKey(op.remove));
        }
      }
      const keys = orSetValues(s).map(valueKey).sort();
      expect(keys).toEqual([...reference.keys()].sort());
    },
  );

  const outer = nestedMapStoreModel.kind;
  const inner = innerMapStoreModel.kind;
  checkProperty(
    'ORMap<ORMap<MVRegister>> update wins over a concurrent remove',
    historyArb(nestedMapModel),
    twoReplicasArb,
    fc.constantFrom('x', 'y'),
    fc.constantFrom('p', 'é'),
    elementArb,
    fc.boolean(),
    (h, [i, j], row, field, value, synced) => {
      const join = outer.type.join;
      const [ra, rb] = [h.replicas[i]!, h.replicas[j]!];
      const sa = synced ? join(ra.state, rb.state) : ra.state;
      const sb = synced ? sa : rb.state;
      const removed = join(sa, orMapRemove(outer, sa, row));
      const updated = join(
        sb,
        orMapUpdate(outer, sb, row, (fields) =>
          orMapUpdate(inner, fields, field, (reg) => mvRegisterWrite(reg, rb.actor, value)),
        ),
      );
      expect(orMapKeys(removed)).not.toContain(row);
      for (const merged of [join(removed, updated), join(updated, removed)]) {
        const values = mvRegisterValues(orMapGet(inner, orMapGet(outer, merged, row), field));
        expect(values).toHaveLength(1);
        expect(valueEquals(values[0]!, value)).toBe(true);
      }
    },
  );

  checkProperty(
    'ORMap<ORSet> add wins over a concurrent remove of its key',
    historyArb(orSetMapModel),
    twoReplicasArb,
    fc.constantFrom('x', 'y'),
    elementArb,
    (h, [i, j], key, e) => {
      const kind = orSetMapStoreModel.kind;
      const [ra, rb] = [h.replicas[i]!, h.replicas[j]!];
      const removed = kind.type.join(ra.state, orMapRemove(kind, ra.state, key));
      const added = kind.type.join(
        rb.state,
        orMapUpdate(kind, rb.state, key, (set) => orSetAdd(set, rb.actor, e)),
      );
      const merged = kind.type.join(removed, added);
      expect(orSetHas(orMapGet(kind, merged, key), e)).toBe(true);
    },
  );

  checkProperty(
    'ORMap<CausalCounter> increment wins over a concurrent remove of its key',
    historyArb(counterMapModel),
    twoReplicasArb,
    fc.constantFrom('x', 'y'),
    fc.integer({ min: -5, max: 5 }),
    (h, [i, j], key, n) => {
      const kind = counterMapStoreModel.kind;
      const [ra, rb] = [h.replicas[i]!, h.replicas[j]!];
      const all = fold(
        kind.type,
        h.replicas.map((r) => r.state),
      );
      // After seeing everything and removing the key, the counter restarts from zero.
      const removedAll = kind.type.join(all, orMapRemove(kind, all, key));
      expect(causalCounterValue(orMapGet(kind, removedAll, key))).toBe(0);
      const removed = kind.type.join(ra.state, orMapRemove(kind, ra.state, key));
      const bumped = kind.type.join(
        rb.state,
        orMapUpdate(kind, rb.state, key, (c) => causalCounterAdd(c, rb.actor, n)),
      );
      expect(orMapKeys(kind.type.join(removed, bumped))).toContain(key);
    },
  );

  checkProperty(
    'a history replays to the same replicas',
    fc.array(stepArb(orSetModel.op), { maxLength: 12 }),
    (steps) => {
      const [h1, h2] = [replay(orSetModel, steps), replay(orSetModel, steps)];
      ACTORS.forEach((_, i) => {
        expect(ORSetType.equals(h1.replicas[i]!.state, h2.replicas[i]!.state)).toBe(true);
      });
    },
  );
});

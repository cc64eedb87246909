// Arbitraries of *reachable* CRDT states. A history is a random run of three replicas
// ('a', 'b', 'c'), each with its own actor and fake-wall-clock HLC: replicas make operations
// (applying their own deltas), join each other's states, and receive single deltas from the
// log in any order. Every state a replica passes through, and every delta, goes into a pool
// of mutually consistent states (same dots, same stamps) for the laws to combine.
import fc from 'fast-check';
import {
  type ActorId,
  type Causal,
  type CrdtType,
  causalCounterAdd,
  causalCounterAddFull,
  causalCounterStore,
  causalType,
  type DotFun,
  type DotMap,
  type DotSet,
  type DotStoreType,
  GCounterType,
  GSetType,
  gCounterInc,
  gCounterIncFull,
  gSetAdd,
  gSetAddFull,
  HybridClock,
  type LWWRegister,
  LWWRegisterType,
  lwwRegisterSet,
  lwwRegisterSetFull,
  MVRegisterType,
  mvRegisterStore,
  mvRegisterWrite,
  mvRegisterWriteFull,
  type ORMapKind,
  ORSetType,
  orMapKind,
  orMapRemove,
  orMapRemoveFull,
  orMapUpdate,
  orMapUpdateFull,
  orSetAdd,
  orSetAddFull,
  orSetRemove,
  orSetRemoveFull,
  orSetStore,
  PNCounterType,
  pnCounterAdd,
  pnCounterAddFull,
  Tag,
  type Tally,
  TwoPSetType,
  twoPSetAdd,
  twoPSetAddFull,
  twoPSetRemove,
  twoPSetRemoveFull,
  type Value,
} from '../../src/index.js';

// ---------------------------------------------------------------------------------------
// Values

const leafValue: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 3 }),
  fc.integer(),
  fc.double(), // -0, NaN and ±Infinity included
  fc.constantFrom(-0, Number.NaN, 2 ** 52, -(2 ** 60)),
  fc.string({ maxLength: 4 }),
  fc.string({ unit: 'grapheme', maxLength: 3 }),
  fc.string({ minLength: 60, maxLength: 70 }), // around the writer's short-ASCII cutoff
  fc.uint8Array({ maxLength: 4 }),
);

const objectKey = fc.constantFrom('a', 'b', 'é', '');

/** JSON-ish values plus bytes, nested up to three levels. */
export const valueArb: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 2, withCrossShrink: true },
    leafValue,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(objectKey, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Mostly a few fixed values, so that replicas add and remove the same elements. */
export const elementArb: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Value>('x', 0) },
  { weight: 3, arbitrary: fc.constantFrom<Value>(-0, null, [1], { a: 'x' }, new Uint8Array([1])) },
  { weight: 1, arbitrary: valueArb },
);

// ---------------------------------------------------------------------------------------
// Models: how to drive each type with random operations

export const ACTORS: readonly ActorId[] = ['a', 'b', 'c'];

/** One replica: its actor, its clock over a fake wall clock, and its current state. */
export interface Replica<S> {
  readonly actor: ActorId;
  readonly clock: HybridClock;
  /** What the fake wall clock reads now; operations move it, sometimes backwards. */
  wall: number;
  state: S;
}

/** A mutator applied two ways: as a delta to join in, and to the whole state. */
export interface Mutation<S> {
  delta(state: S): S;
  full(state: S): S;
}

/** A pair of mutators (delta and full-state reference) with the operations they take. */
export interface MutatorPair<Op> {
  readonly delta: string;
  readonly full: string;
  readonly op: fc.Arbitrary<Op>;
}

export interface Model<S, Op> {
  readonly name: string;
  readonly type: CrdtType<S>;
  readonly mutators: readonly MutatorPair<Op>[];
  /** Any operation of any mutator. */
  readonly op: fc.Arbitrary<Op>;
  mutation(op: Op, replica: Replica<S>): Mutation<S>;
  /** Called when a replica joins in a state it received (an LWW clock reads the stamp). */
  observe?(replica: Replica<S>, received: S): void;
}

function model<S, Op>(
  name: string,
  type: CrdtType<S>,
  mutators: MutatorPair<Op>[],
  mutation: (op: Op, replica: Replica<S>) => Mutation<S>,
  observe?: (replica: Replica<S>, received: S) => void,
): Model<S, Op> {
  const op = fc.oneof(...mutators.map((m) => m.op));
  return { name, type, mutators, op, mutation, ...(observe ? { observe } : {}) };
}

const amount = fc.oneof({ weight: 4, arbitrary: fc.nat(5) }, { weight: 1, arbitrary: fc.nat() });

export const gCounterModel = model(
  'GCounter',
  GCounterType,
  [{ delta: 'gCounterInc', full: 'gCounterIncFull', op: amount }],
  (n, r) => ({
    delta: (s) => gCounterInc(s, r.actor, n),
    full: (s) => gCounterIncFull(s, r.actor, n),
  }),
);

export const pnCounterModel = model(
  'PNCounter',
  PNCounterType,
  [
    {
      delta: 'pnCounterAdd',
      full: 'pnCounterAddFull',
      op: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: -5, max: 5 }) },
        { weight: 1, arbitrary: fc.integer() },
      ),
    },
  ],
  (n, r) => ({
    delta: (s) => pnCounterAdd(s, r.actor, n),
    full: (s) => pnCounterAddFull(s, r.actor, n),
  }),
);

/** A write moves the writer's wall clock by `tick` ms first: mostly forward, sometimes back. */
export interface LwwOp {
  readonly value: Value;
  readonly tick: number;
}

export const lwwRegisterModel = model<LWWRegister, LwwOp>(
  'LWWRegister',
  LWWRegisterType,
  [
    {
      delta: 'lwwRegisterSet',
      full: 'lwwRegisterSetFull',
      op: fc.record({
        value: elementArb,
        tick: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constantFrom(0, -1000, 1000)),
      }),
    },
  ],
  (op, r) => {
    r.wall += op.tick;
    const stamp = r.clock.now();
    return {
      delta: (s) => lwwRegisterSet(s, op.value, stamp),
      full: (s) => lwwRegisterSetFull(s, op.value, stamp),
    };
  },
  (r, received) => {
    if (received.stamp !== null) r.clock.receive(received.stamp);
  },
);

export const gSetModel = model(
  'GSet',
  GSetType,
  [{ delta: 'gSetAdd', full: 'gSetAddFull', op: elementArb }],
  (e) => ({ delta: (s) => gSetAdd(s, e), full: (s) => gSetAddFull(s, e) }),
);

export type SetOp = { readonly add: Value } | { readonly remove: Value };
const addOp = elementArb.map((add): SetOp => ({ add }));
const removeOp = elementArb.map((remove): SetOp => ({ remove }));

export const twoPSetModel = model(
  'TwoPSet',
  TwoPSetType,
  [
    { delta: 'twoPSetAdd', full: 'twoPSetAddFull', op: addOp },
    { delta: 'twoPSetRemove', full: 'twoPSetRemoveFull', op: removeOp },
  ],
  (op) =>
    'add' in op
      ? { delta: (s) => twoPSetAdd(s, op.add), full: (s) => twoPSetAddFull(s, op.add) }
      : { delta: (s) => twoPSetRemove(s, op.remove), full: (s) => twoPSetRemoveFull(s, op.remove) },
);

// ---------------------------------------------------------------------------------------
// Causal types: dot stores that nest inside OR-maps

/** Operations on a dot store, as mutators of a causal state (a map value shares the map's context). */
export interface StoreModel<S, Op> {
  readonly name: string;
  readonly store: DotStoreType<S>;
  readonly mutators: readonly MutatorPair<Op>[];
  mutation(op: Op, actor: ActorId): Mutation<Causal<S>>;
}

export const mvRegisterStoreModel: StoreModel<DotFun<Value>, { write: Value }> = {
  name: 'MVRegister',
  store: mvRegisterStore,
  mutators: [
    {
      delta: 'mvRegisterWrite',
      full: 'mvRegisterWriteFull',
      op: elementArb.map((write) => ({ write })),
    },
  ],
  mutation: (op, actor) => ({
    delta: (s) => mvRegisterWrite(s, actor, op.write),
    full: (s) => mvRegisterWriteFull(s, actor, op.write),
  }),
};

export const orSetStoreModel: StoreModel<DotMap<DotSet>, SetOp> = {
  name: 'ORSet',
  store: orSetStore,
  mutators: [
    { delta: 'orSetAdd', full: 'orSetAddFull', op: addOp },
    { delta: 'orSetRemove', full: 'orSetRemoveFull', op: removeOp },
  ],
  mutation: (op, actor) =>
    'add' in op
      ? { delta: (s) => orSetAdd(s, actor, op.add), full: (s) => orSetAddFull(s, actor, op.add) }
      : { delta: (s) => orSetRemove(s, op.remove), full: (s) => orSetRemoveFull(s, op.remove) },
};

export const causalCounterStoreModel: StoreModel<DotFun<Tally>, { add: number }> = {
  name: 'CausalCounter',
  store: causalCounterStore,
  mutators: [
    {
      delta: 'causalCounterAdd',
      full: 'causalCounterAddFull',
      op: fc.integer({ min: -5, max: 5 }).map((add) => ({ add })),
    },
  ],
  mutation: (op, actor) => ({
    delta: (s) => causalCounterAdd(s, actor, op.add),
    full: (s) => causalCounterAddFull(s, actor, op.add),
  }),
};

export type MapOp<Op> =
  | { readonly key: string; readonly update: Op }
  | { readonly key: string; readonly remove: true };

/** An OR-map over `inner`, with keys from `keys` (few, so replicas collide on them). */
export function orMapStoreModel<S, Op>(
  inner: StoreModel<S, Op>,
  keys: readonly string[],
): StoreModel<DotMap<S>, MapOp<Op>> & { kind: ORMapKind<S> } {
  const kind = orMapKind(inner.store);
  const key = fc.constantFrom(...keys);
  return {
    name: `ORMap<${inner.name}>`,
    store: kind.store,
    kind,
    mutators: [
      ...inner.mutators.map((m) => ({
        delta: `orMapUpdate(${m.delta})`,
        full: `orMapUpdateFull(${m.full})`,
        op: fc.record({ key, update: m.op }),
      })),
      {
        delta: 'orMapRemove',
        full: 'orMapRemoveFull',
        op: fc.record({ key, remove: fc.constant(true as const) }),
      },
    ],
    mutation(op, actor) {
      if ('remove' in op) {
        return {
          delta: (s) => orMapRemove(kind, s, op.key),
          full: (s) => orMapRemoveFull(s, op.key),
        };
      }
      const m = inner.mutation(op.update, actor);
      return {
        delta: (s) => orMapUpdate(kind, s, op.key, m.delta),
        full: (s) => orMapUpdateFull(kind, s, op.key, m.full),
      };
    },
  };
}

/** The top-level model of a causal type. */
export function causalModel<S, Op>(
  inner: StoreModel<S, Op>,
  type: CrdtType<Causal<S>>,
): Model<Causal<S>, Op> {
  return model(inner.name, type, [...inner.mutators], (op, r) => inner.mutation(op, r.actor));
}

export const mvRegisterModel = causalModel(mvRegisterStoreModel, MVRegisterType);
export const orSetModel = causalModel(orSetStoreModel, ORSetType);

/** The causal counter has no CrdtType of its own (it lives in maps); this one is for tests. */
export const CausalCounterType = causalType('CausalCounter', Tag.orMap, causalCounterStore);
export const causalCounterModel = causalModel(causalCounterStoreModel, CausalCounterType);

/** ORMap<ORMap<MVRegister>>: three levels of dot stores sharing one context. */
export const innerMapStoreModel = orMapStoreModel(mvRegisterStoreModel, ['p', 'é']);
export const nestedMapStoreModel = orMapStoreModel(innerMapStoreModel, ['x', 'y']);
export const nestedMapModel = causalModel(nestedMapStoreModel, nestedMapStoreModel.kind.type);

export const orSetMapStoreModel = orMapStoreModel(orSetStoreModel, ['x', 'y']);
export const orSetMapModel = causalModel(orSetMapStoreModel, orSetMapStoreModel.kind.type);

export const counterMapStoreModel = orMapStoreModel(causalCounterStoreModel, ['x', 'y']);
export const counterMapModel = causalModel(counterMapStoreModel, counterMapStoreModel.kind.type);

// ---------------------------------------------------------------------------------------
// Histories

export type Step<Op> =
  /** Replica `at` makes an operation and joins its own delta. */
  | { readonly at: number; readonly op: Op }
  /** Replica `at` joins replica `from`'s whole state. */
  | { readonly at: number; readonly from: number }
  /** Replica `at` joins one delta of the log (index modulo its length): any order, any replica. */
  | { readonly at: number; readonly delta: number };

export interface History<S, Op> {
  readonly steps: readonly Step<Op>[];
  readonly replicas: Replica<S>[];
  /** Every delta, in the order the replicas made them. */
  readonly deltas: S[];
  /** The operations, in the same order, with who made them. */
  readonly ops: { readonly actor: ActorId; readonly op: Op }[];
  /** Every state any replica passed through, and every delta: mutually consistent states. */
  readonly pool: S[];
}

function newReplica<S>(actor: ActorId, state: S, wall: number): Replica<S> {
  const replica: Replica<S> = {
    actor,
    clock: new HybridClock(actor, { now: () => replica.wall }),
    wall,
    state,
  };
  return replica;
}

/** Runs the steps on fresh replicas. */
export function replay<S, Op>(m: Model<S, Op>, steps: readonly Step<Op>[]): History<S, Op> {
  const { type } = m;
  const replicas = ACTORS.map((actor, i) => newReplica(actor, type.empty(), 1000 - 5 * i));
  const deltas: S[] = [];
  const ops: { actor: ActorId; op: Op }[] = [];
  const pool: S[] = [type.empty()];
  const receive = (r: Replica<S>, received: S) => {
    m.observe?.(r, received);
    r.state = type.join(r.state, received);
  };
  for (const step of steps) {
    const r = replicas[step.at % replicas.length]!;
    if ('op' in step) {
      const delta = m.mutation(step.op, r).delta(r.state);
      r.state = type.join(r.state, delta);
      deltas.push(delta);
      ops.push({ actor: r.actor, op: step.op });
      pool.push(delta);
    } else if ('from' in step) {
      receive(r, replicas[step.from % replicas.length]!.state);
    } else if (deltas.length > 0) {
      receive(r, deltas[step.delta % deltas.length]!);
    }
    pool.push(r.state);
  }
  return { steps, replicas, deltas, ops, pool };
}

const replicaIndex = fc.nat(ACTORS.length - 1);

export function stepArb<Op>(op: fc.Arbitrary<Op>): fc.Arbitrary<Step<Op>> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ at: replicaIndex, op }) },
    { weight: 2, arbitrary: fc.record({ at: replicaIndex, from: replicaIndex }) },
    { weight: 2, arbitrary: fc.record({ at: replicaIndex, delta: fc.nat() }) },
  );
}

/** A random history (printed as its steps, which replay it exactly). */
export function historyArb<S, Op>(m: Model<S, Op>, maxSteps = 24): fc.Arbitrary<History<S, Op>> {
  return fc.array(stepArb(m.op), { maxLength: maxSteps, size: 'medium' }).map((steps) => {
    const history = replay(m, steps);
    return Object.assign(history, { [fc.toStringMethod]: () => `history(${fc.stringify(steps)})` });
  });
}

/** Three states from one history's pool (some may be the same state). */
export function statesArb<S, Op>(m: Model<S, Op>): fc.Arbitrary<[S, S, S]> {
  return fc.tuple(historyArb(m), fc.nat(), fc.nat(), fc.nat()).map(([h, i, j, k]) => {
    const pick = (n: number) => h.pool[n % h.pool.length]!;
    return [pick(i), pick(j), pick(k)];
  });
}

/** A reachable state: a replica's state at some point of a history, or a join of states. */
export function stateArb<S, Op>(m: Model<S, Op>): fc.Arbitrary<S> {
  return fc.oneof(
    statesArb(m).map(([a]) => a),
    statesArb(m).map(([a, b, c]) => m.type.join(m.type.join(a, b), c)),
  );
}

/** A history, one of its replicas, and an operation that replica makes next. */
export function nextOpArb<S, Op>(
  m: Model<S, Op>,
  op: fc.Arbitrary<Op> = m.op,
): fc.Arbitrary<{ history: History<S, Op>; at: number; op: Op }> {
  return fc.record({ history: historyArb(m), at: replicaIndex, op });
}

/**
 * A history's deltas in other orders: `shuffled` is a permutation of their indices with
 * duplicates inserted; `groups` splits `shuffled` into runs (to join first, then fold).
 */
export function deltaOrdersArb<S, Op>(
  m: Model<S, Op>,
): fc.Arbitrary<{ history: History<S, Op>; shuffled: number[]; groups: number[][] }> {
  return historyArb(m).chain((history) => {
    const n = history.deltas.length;
    const indices = [...Array(n).keys()];
    const duplicates =
      n === 0 ? fc.constant([]) : fc.array(fc.tuple(fc.nat(n - 1), fc.nat()), { maxLength: 6 });
    return fc
      .record({
        order: fc.shuffledSubarray(indices, { minLength: n, maxLength: n }),
        duplicates,
        cuts: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      })
      .map(({ order, duplicates, cuts }) => {
        const shuffled = [...order];
        for (const [index, at] of duplicates) shuffled.splice(at % (shuffled.length + 1), 0, index);
        const groups: number[][] = [[]];
        shuffled.forEach((index, i) => {
          if (cuts[i % cuts.length]) groups.push([]);
          groups.at(-1)!.push(index);
        });
        return { history, shuffled, groups };
      });
  });
}

/** Two different replica indices. */
export const twoReplicasArb: fc.Arbitrary<[number, number]> = fc
  .tuple(replicaIndex, fc.integer({ min: 1, max: ACTORS.length - 1 }))
  .map(([i, d]) => [i, (i + d) % ACTORS.length]);

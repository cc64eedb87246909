// Hybrid logical clocks, version vectors and causal contexts: examples and properties.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readCausalContext, writeCausalContext } from '../src/clocks/causal-context.js';
import { MAX_LOGICAL } from '../src/clocks/hlc.js';
import {
  type CausalContext,
  ClockDriftError,
  compareHlc,
  ctxAdd,
  ctxAddAll,
  ctxClone,
  ctxEquals,
  ctxFromDots,
  ctxHas,
  ctxMax,
  ctxNextDot,
  ctxUnion,
  type Dot,
  decodeCausalContext,
  decodeEnvelope,
  decodeHlc,
  decodeVersionVector,
  emptyContext,
  encodeCausalContext,
  encodeEnvelope,
  encodeHlc,
  encodeVersionVector,
  type Hlc,
  HybridClock,
  hlcEquals,
  maxHlc,
  type Ordering,
  Tag,
  type VersionVector,
  vvCompare,
  vvCovers,
  vvEquals,
  vvMerge,
} from '../src/index.js';
import { checkProperty } from './helpers/property.js';

const actorArb = fc.constantFrom('a', 'b', 'c');

/** A clock over a fake wall clock that the test moves by hand. */
function fakeClock(actor: string, start = 1000, maxDriftMs?: number) {
  const time = { now: start };
  const clock = new HybridClock(actor, {
    now: () => time.now,
    ...(maxDriftMs === undefined ? {} : { maxDriftMs }),
  });
  return { clock, time };
}

// ---------------------------------------------------------------------------------------
// Hybrid logical clock

/** One thing that happens to a clock: its wall clock moves (maybe back), it stamps, it receives. */
type ClockEvent =
  | { readonly move: number }
  | { readonly now: true }
  | {
      readonly receive: {
        readonly ahead: number;
        readonly logical: number;
        readonly actor: string;
      };
    };

const clockEventArb: fc.Arbitrary<ClockEvent> = fc.oneof(
  fc.record({
    move: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -5000, max: 5000 })),
  }),
  fc.constant({ now: true as const }),
  fc.record({
    receive: fc.record({
      ahead: fc.integer({ min: -50, max: 50 }),
      logical: fc.oneof(fc.nat(3), fc.constant(MAX_LOGICAL - 1)),
      actor: actorArb,
    }),
  }),
);

const hlcArb: fc.Arbitrary<Hlc> = fc.record({
  wall: fc.nat(3),
  logical: fc.nat(3),
  actor: fc.constantFrom('a', 'b', 'c', 'aa'),
});

describe('HybridClock', () => {
  test('stamps within one millisecond count up; a new millisecond resets the count', () => {
    const { clock, time } = fakeClock('a', 1000);
    expect(clock.now()).toEqual({ wall: 1000, logical: 0, actor: 'a' });
    expect(clock.now()).toEqual({ wall: 1000, logical: 1, actor: 'a' });
    time.now = 999; // the wall clock went back
    expect(clock.now()).toEqual({ wall: 1000, logical: 2, actor: 'a' });
    time.now = 1001.7;
    expect(clock.now()).toEqual({ wall: 1001, logical: 0, actor: 'a' });
  });

  test('receive moves the clock past a remote stamp', () => {
    const { clock } = fakeClock('a', 1000);
    clock.receive({ wall: 1500, logical: 7, actor: 'b' });
    expect(clock.now()).toEqual({ wall: 1500, logical: 8, actor: 'a' });
  });

  test('the logical counter never reaches MAX_LOGICAL: it borrows a millisecond', () => {
    const { clock } = fakeClock('a', 1000);
    clock.receive({ wall: 1000, logical: MAX_LOGICAL - 1, actor: 'b' });
    expect(clock.now()).toEqual({ wall: 1001, logical: 0, actor: 'a' });
  });

  test('a remote clock too far ahead is refused with ClockDriftError', () => {
    const { clock } = fakeClock('a', 1000, 100);
    clock.receive({ wall: 1100, logical: 0, actor: 'b' }); // exactly the allowed drift
    expect(() => clock.receive({ wall: 1201, logical: 0, actor: 'c' })).toThrow(ClockDriftError);
    try {
      clock.receive({ wall: 1201, logical: 0, actor: 'c' });
    } catch (error) {
      expect((error as ClockDriftError).code).toBe('clock-drift');
    }
    expect(clock.now()).toEqual({ wall: 1100, logical: 1, actor: 'a' });
  });

  checkProperty(
    'HybridClock now() is strictly monotonic and later than every stamp received',
    fc.array(clockEventArb, { maxLength: 40 }),
    (events) => {
      const { clock, time } = fakeClock('a', 10_000);
      let last: Hlc | null = null;
      let received: Hlc | null = null;
      for (const event of events) {
        if ('move' in event) time.now = Math.max(0, time.now + event.move);
        else if ('receive' in event) {
          const { ahead, logical, actor } = event.receive;
          const remote = { wall: Math.max(0, time.now + ahead), logical, actor };
          clock.receive(remote);
          received = received === null ? remote : maxHlc(received, remote);
        } else {
          const stamp = clock.now();
          expect(stamp.actor).toBe('a');
          expect(stamp.logical).toBeLessThan(MAX_LOGICAL);
          if (last) expect(compareHlc(stamp, last)).toBe(1);
          if (received) expect(compareHlc(stamp, received)).toBe(1);
          last = stamp;
        }
      }
    },
  );

  checkProperty(
    'HybridClock receive makes the next now() greater than the remote stamp',
    fc.array(clockEventArb, { maxLength: 10 }),
    fc.integer({ min: -10_000, max: 10_000 }),
    fc.nat(MAX_LOGICAL - 1),
    actorArb,
    (history, ahead, logical, actor) => {
      const { clock, time } = fakeClock('b', 50_000);
      for (const event of history) {
        if ('move' in event) time.now += event.move;
        else if ('now' in event) clock.now();
      }
      const remote = { wall: Math.max(0, time.now + ahead), logical, actor };
      clock.receive(remote);
      expect(compareHlc(clock.now(), remote)).toBe(1);
    },
  );

  checkProperty(
    'HybridClock refuses a remote stamp beyond maxDriftMs and is left unchanged',
    fc.array(clockEventArb, { maxLength: 10 }),
    fc.integer({ min: 0, max: 10_000 }),
    fc.integer({ min: 1, max: 10_000 }),
    fc.nat(MAX_LOGICAL - 1),
    (history, maxDriftMs, beyond, logical) => {
      // Two clocks with one history; only one of them sees the remote stamp.
      const a = fakeClock('a', 20_000, maxDriftMs);
      const twin = fakeClock('a', 20_000, maxDriftMs);
      for (const event of history) {
        for (const { clock, time } of [a, twin]) {
          if ('move' in event) time.now += event.move;
          else if ('now' in event) clock.now();
          else {
            const remote = { ...event.receive, wall: Math.max(0, time.now + event.receive.ahead) };
            if (remote.wall - time.now <= maxDriftMs) clock.receive(remote);
          }
        }
      }
      const remote = { wall: a.time.now + maxDriftMs + beyond, logical, actor: 'z' };
      expect(() => a.clock.receive(remote)).toThrow(ClockDriftError);
      expect(a.clock.now()).toEqual(twin.clock.now());
      // Exactly maxDriftMs ahead is still fine.
      a.clock.receive({ ...remote, wall: a.time.now + maxDriftMs });
    },
  );

  checkProperty(
    'compareHlc is antisymmetric and zero only for equal stamps',
    hlcArb,
    hlcArb,
    (a, b) => {
      expect(Math.sign(compareHlc(a, b)) + Math.sign(compareHlc(b, a))).toBe(0);
      const same = a.wall === b.wall && a.logical === b.logical && a.actor === b.actor;
      expect(compareHlc(a, b) === 0).toBe(same);
      expect(hlcEquals(a, b)).toBe(same);
      expect(compareHlc(maxHlc(a, b), a)).toBeGreaterThanOrEqual(0);
      expect(compareHlc(maxHlc(a, b), b)).toBeGreaterThanOrEqual(0);
    },
  );

  checkProperty('compareHlc is transitive', hlcArb, hlcArb, hlcArb, (a, b, c) => {
    if (compareHlc(a, b) <= 0 && compareHlc(b, c) <= 0)
      expect(compareHlc(a, c)).toBeLessThanOrEqual(0);
    // And it sorts like (wall, logical, actor) in lexicographic order.
    const key = (h: Hlc) => [h.wall, h.logical, h.actor] as const;
    const [ka, kb] = [key(a), key(b)];
    const lexicographic =
      ka[0] - kb[0] || ka[1] - kb[1] || (ka[2] < kb[2] ? -1 : ka[2] > kb[2] ? 1 : 0);
    expect(Math.sign(compareHlc(a, b))).toBe(Math.sign(lexicographic));
  });

  checkProperty(
    'HLC encode/decode round-trips',
    fc.record({
      wall: fc.maxSafeNat(),
      logical: fc.nat(MAX_LOGICAL - 1),
      actor: fc.string({ minLength: 1, maxLength: 20 }),
    }),
    (stamp) => {
      expect(decodeHlc(encodeHlc(stamp))).toEqual(stamp);
    },
  );
});

// ---------------------------------------------------------------------------------------
// Version vectors

const vvArb: fc.Arbitrary<VersionVector> = fc
  .array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.nat(3)), { maxLength: 5 })
  .map((entries) => new Map(entries));

/** vvCompare by its definition: pointwise ≤ in both directions, absent entries being 0. */
function referenceCompare(a: VersionVector, b: VersionVector): Ordering {
  const actors = new Set([...a.keys(), ...b.keys()]);
  const le = (x: VersionVector, y: VersionVector) =>
    [...actors].every((k) => (x.get(k) ?? 0) <= (y.get(k) ?? 0));
  const [ab, ba] = [le(a, b), le(b, a)];
  return ab && ba ? 'equal' : ab ? 'before' : ba ? 'after' : 'concurrent';
}

const mirror: Record<Ordering, Ordering> = {
  equal: 'equal',
  before: 'after',
  after: 'before',
  concurrent: 'concurrent',
};

describe('version vectors', () => {
  test('examples', () => {
    const vv = (o: Record<string, number>) => new Map(Object.entries(o));
    expect(vvCompare(vv({ a: 1, b: 2 }), vv({ a: 1, b: 2 }))).toBe('equal');
    expect(vvCompare(vv({ a: 1 }), vv({ a: 1, b: 2 }))).toBe('before');
    expect(vvCompare(vv({ a: 2, b: 2 }), vv({ a: 1, b: 2 }))).toBe('after');
    expect(vvCompare(vv({ a: 2 }), vv({ b: 1 }))).toBe('concurrent');
    expect(vvCompare(vv({ a: 0 }), vv({}))).toBe('equal');
    expect(vvCovers(vv({ a: 3, b: 1 }), vv({ a: 2 }))).toBe(true);
  });

  checkProperty('vvCompare agrees with its pointwise definition', vvArb, vvArb, (a, b) => {
    expect(vvCompare(a, b)).toBe(referenceCompare(a, b));
    expect(vvCompare(b, a)).toBe(mirror[vvCompare(a, b)]);
    expect(vvEquals(a, b)).toBe(vvCompare(a, b) === 'equal');
  });

  checkProperty('vvMerge is the least upper bound', vvArb, vvArb, vvArb, (a, b, c) => {
    const m = vvMerge(a, b);
    expect(vvCovers(m, a) && vvCovers(m, b)).toBe(true);
    expect(vvEquals(m, vvMerge(b, a))).toBe(true);
    expect(vvEquals(vvMerge(m, c), vvMerge(a, vvMerge(b, c)))).toBe(true);
    // Anything that covers both covers the merge.
    if (vvCovers(c, a) && vvCovers(c, b)) expect(vvCovers(c, m)).toBe(true);
  });

  checkProperty('version vector encode/decode round-trips', vvArb, (vv) => {
    expect(vvEquals(decodeVersionVector(encodeVersionVector(vv)), vv)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// Causal context

const dotArb: fc.Arbitrary<Dot> = fc.record({
  actor: actorArb,
  counter: fc.integer({ min: 1, max: 12 }),
});
const dotsArb = fc.array(dotArb, { maxLength: 30 });
const ctxArb: fc.Arbitrary<CausalContext> = dotsArb.map(ctxFromDots);

const dotSet = (dots: Iterable<Dot>) => new Set([...dots].map((d) => `${d.counter}@${d.actor}`));

/** Every dot in a context, by brute force (counters are small). */
function dotsOf(ctx: CausalContext): Set<string> {
  const out = new Set<string>();
  for (const actor of ['a', 'b', 'c']) {
    for (let c = 1; c <= 20; c++) if (ctxHas(ctx, actor, c)) out.add(`${c}@${actor}`);
  }
  return out;
}

/** The compact form: the vector holds each contiguous prefix, the cloud only what is beyond a gap. */
function expectCompact(ctx: CausalContext): void {
  for (const [actor, set] of ctx.cloud) {
    const top = ctx.vv.get(actor) ?? 0;
    expect(set.size, `empty cloud entry for ${actor}`).toBeGreaterThan(0);
    expect(set.has(top + 1), `${top + 1}@${actor} should have folded into the vector`).toBe(false);
    for (const c of set) expect(c, `${c}@${actor} is covered by the vector`).toBeGreaterThan(top);
  }
  for (const n of ctx.vv.values()) expect(n).toBeGreaterThan(0);
}

function roundTrip(ctx: CausalContext): CausalContext {
  return decodeEnvelope(
    encodeEnvelope(Tag.causalContext, (w) => writeCausalContext(w, ctx)),
    Tag.causalContext,
    readCausalContext,
  );
}

describe('causal context', () => {
  test('ctxAdd folds the cloud into the vector once the gap fills', () => {
    const ctx = emptyContext();
    ctxAdd(ctx, 'a', 3);
    ctxAdd(ctx, 'a', 4);
    ctxAdd(ctx, 'a', 6);
    expect(ctx.vv.get('a')).toBeUndefined();
    expect([...ctx.cloud.get('a')!].sort()).toEqual([3, 4, 6]);
    ctxAdd(ctx, 'a', 1);
    ctxAdd(ctx, 'a', 2);
    expect(ctx.vv.get('a')).toBe(4);
    expect([...ctx.cloud.get('a')!]).toEqual([6]);
    ctxAdd(ctx, 'a', 5);
    expect(ctx.vv.get('a')).toBe(6);
    expect(ctx.cloud.has('a')).toBe(false);
    expect(ctxNextDot(ctx, 'a')).toEqual({ actor: 'a', counter: 7 });
  });

  checkProperty(
    'ctxAdd in any order gives the compact context of the dots',
    dotsArb,
    fc.nat(),
    (dots, seed) => {
      const ctx = emptyContext();
      for (const d of dots) ctxAdd(ctx, d.actor, d.counter);
      expectCompact(ctx);
      expect(dotsOf(ctx)).toEqual(dotSet(dots));
      // Another order (a rotation, reversed), with every dot twice: the same context.
      const other = emptyContext();
      const k = dots.length === 0 ? 0 : seed % dots.length;
      const reordered = [...dots.slice(k), ...dots.slice(0, k)].reverse();
      for (const d of [...reordered, ...dots]) ctxAdd(other, d.actor, d.counter);
      expect(ctxEquals(ctx, other)).toBe(true);
      expect(other).toEqual(ctx);
      for (const actor of ['a', 'b', 'c']) {
        const own = dots.filter((d) => d.actor === actor).map((d) => d.counter);
        expect(ctxMax(ctx, actor)).toBe(Math.max(0, ...own));
        const next = ctxNextDot(ctx, actor);
        expect(ctxHas(ctx, actor, next.counter)).toBe(false);
      }
    },
  );

  checkProperty(
    'ctxUnion is commutative, associative and idempotent',
    ctxArb,
    ctxArb,
    ctxArb,
    (a, b, c) => {
      const before = [ctxClone(a), ctxClone(b)];
      const ab = ctxUnion(a, b);
      expect(ctxEquals(ab, ctxUnion(b, a))).toBe(true);
      expect(ctxEquals(ctxUnion(ab, c), ctxUnion(a, ctxUnion(b, c)))).toBe(true);
      expect(ctxEquals(ctxUnion(a, a), a)).toBe(true);
      expect(ctxEquals(ctxUnion(a, emptyContext()), a)).toBe(true);
      expect([a, b]).toEqual(before);
    },
  );

  checkProperty('ctxUnion holds exactly the dots of both, compactly', ctxArb, ctxArb, (a, b) => {
    const u = ctxUnion(a, b);
    expectCompact(u);
    expect(dotsOf(u)).toEqual(new Set([...dotsOf(a), ...dotsOf(b)]));
    const target = ctxClone(a);
    ctxAddAll(target, b);
    expect(ctxEquals(target, u)).toBe(true);
  });

  checkProperty('causal context encode/decode round-trips', ctxArb, (ctx) => {
    expect(ctxEquals(roundTrip(ctx), ctx)).toBe(true);
    expect(ctxEquals(decodeCausalContext(encodeCausalContext(ctx)), ctx)).toBe(true);
  });
});

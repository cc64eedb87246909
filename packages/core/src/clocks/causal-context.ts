import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import type { ActorId } from '../kernel/actor.js';
import { type Dot, type DotKey, parseDotKey } from './dot.js';
import {
  readVersionVector,
  type VersionVector,
  vvEntries,
  writeVersionVector,
} from './version-vector.js';

/**
 * The set of dots a replica has seen, stored compactly: a version vector (every dot up to
 * `vv[actor]`) plus the `cloud` of dots seen out of order. Functions named `ctxAdd…` mutate;
 * the rest return new contexts.
 */
export interface CausalContext {
  readonly vv: VersionVector;
  readonly cloud: Map<ActorId, Set<number>>;
}

export function emptyContext(): CausalContext {
  return { vv: new Map(), cloud: new Map() };
}

export function ctxClone(ctx: CausalContext): CausalContext {
  const cloud = new Map<ActorId, Set<number>>();
  for (const [actor, set] of ctx.cloud) cloud.set(actor, new Set(set));
  return { vv: new Map(ctx.vv), cloud };
}

export function ctxHas(ctx: CausalContext, actor: ActorId, counter: number): boolean {
  return counter <= (ctx.vv.get(actor) ?? 0) || (ctx.cloud.get(actor)?.has(counter) ?? false);
}

export function ctxHasKey(ctx: CausalContext, key: DotKey): boolean {
  const { actor, counter } = parseDotKey(key);
  return ctxHas(ctx, actor, counter);
}

/** The highest counter of `actor` in the context. */
export function ctxMax(ctx: CausalContext, actor: ActorId): number {
  let max = ctx.vv.get(actor) ?? 0;
  for (const c of ctx.cloud.get(actor) ?? []) if (c > max) max = c;
  return max;
}

/** The next fresh dot of `actor`: one past everything it has seen of its own. */
export function ctxNextDot(ctx: CausalContext, actor: ActorId): Dot {
  return { actor, counter: ctxMax(ctx, actor) + 1 };
}

/** Adds one dot (mutates), folding the cloud into the vector where it becomes contiguous. */
export function ctxAdd(ctx: CausalContext, actor: ActorId, counter: number): void {
  const base = ctx.vv.get(actor) ?? 0;
  if (counter <= base) return;
  if (counter === base + 1) {
    compact(ctx, actor, counter);
    return;
  }
  const set = ctx.cloud.get(actor);
  if (set) set.add(counter);
  else ctx.cloud.set(actor, new Set([counter]));
}

function compact(ctx: CausalContext, actor: ActorId, upTo: number): void {
  let top = upTo;
  const set = ctx.cloud.get(actor);
  if (set) {
    while (set.delete(top + 1)) top++;
    for (const c of set) if (c <= top) set.delete(c);
    if (set.size === 0) ctx.cloud.delete(actor);
  }
  ctx.vv.set(actor, top);
}

/** Adds every dot of `other` into `ctx` (mutates `ctx`). */
export function ctxAddAll(ctx: CausalContext, other: CausalContext): void {
  for (const [actor, n] of other.vv) {
    if (n > (ctx.vv.get(actor) ?? 0)) compact(ctx, actor, n);
  }
  for (const [actor, set] of other.cloud) for (const c of set) ctxAdd(ctx, actor, c);
}

export function ctxUnion(a: CausalContext, b: CausalContext): CausalContext {
  const out = ctxClone(a);
  ctxAddAll(out, b);
  return out;
}

export function ctxFromDots(dots: Iterable<Dot>): CausalContext {
  const ctx = emptyContext();
  for (const d of dots) ctxAdd(ctx, d.actor, d.counter);
  return ctx;
}

export function ctxEquals(a: CausalContext, b: CausalContext): boolean {
  const va = vvEntries(a.vv);
  const vb = vvEntries(b.vv);
  if (va.length !== vb.length || va.some(([x, n], i) => vb[i]![0] !== x || vb[i]![1] !== n)) {
    return false;
  }
  const ca = [...a.cloud].filter(([, s]) => s.size > 0);
  const cb = [...b.cloud].filter(([, s]) => s.size > 0);
  if (ca.length !== cb.length) return false;
  return ca.every(([actor, set]) => {
    const other = b.cloud.get(actor);
    return other !== undefined && other.size === set.size && [...set].every((c) => other.has(c));
  });
}

export function writeCausalContext(w: Writer, ctx: CausalContext): void {
  writeVersionVector(w, ctx.vv);
  const actors = [...ctx.cloud].filter(([, s]) => s.size > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  w.varuint(actors.length);
  for (const [actor, set] of actors) {
    w.actor(actor);
    const counters = [...set].sort((x, y) => x - y);
    w.varuint(counters.length);
    // Gaps from the vector's top, then from the previous dot: small numbers, short varints.
    let previous = ctx.vv.get(actor) ?? 0;
    for (const c of counters) {
      w.varuint(c - previous - 1);
      previous = c;
    }
  }
}

export function readCausalContext(r: Reader): CausalContext {
  const vv = readVersionVector(r);
  const cloud = new Map<ActorId, Set<number>>();
  const n = r.count(2);
  for (let i = 0; i < n; i++) {
    const actor = r.actor();
    if (cloud.has(actor)) r.fail('duplicate actor in causal context');
    const count = r.count();
    if (count === 0) r.fail('empty dot cloud entry');
    const set = new Set<number>();
    let previous = vv.get(actor) ?? 0;
    for (let j = 0; j < count; j++) {
      const c = previous + r.varuint() + 1;
      if (!Number.isSafeInteger(c)) r.fail('dot counter out of range');
      // The first cloud dot must leave a gap, or the vector would have absorbed it.
      if (j === 0 && c === (vv.get(actor) ?? 0) + 1) r.fail('cloud dot adjacent to the vector');
      set.add(c);
      previous = c;
    }
    cloud.set(actor, set);
  }
  return { vv, cloud };
}

export function encodeCausalContext(ctx: CausalContext): Uint8Array {
  return encodeEnvelope(Tag.causalContext, (w) => writeCausalContext(w, ctx));
}

export function decodeCausalContext(bytes: Uint8Array): CausalContext {
  return decodeEnvelope(bytes, Tag.causalContext, readCausalContext);
}

import { ctxAdd, ctxClone, ctxNextDot } from '../clocks/causal-context.js';
import { dotKey, parseDotKey } from '../clocks/dot.js';
import type { ActorId } from '../kernel/actor.js';
import { type Causal, storeContext } from './causal.js';
import { type DotFun, dotFun, type ValueCodec } from './dot-store.js';

/**
 * A PN-counter that can live inside an OR-map. Each actor keeps one dot whose value is its
 * running total of increments and decrements; an update replaces the actor's previous dot.
 * Removing the map key removes the totals it had seen; an actor's later increment carries its
 * whole running total back (the known "counter in a map" caveat, as in Riak's maps).
 */
export interface Tally {
  readonly inc: number;
  readonly dec: number;
}
export type CausalCounter = Causal<DotFun<Tally>>;

const tallyCodec: ValueCodec<Tally> = {
  write(w, t) {
    w.varuint(t.inc);
    w.varuint(t.dec);
  },
  read: (r) => ({ inc: r.varuint(), dec: r.varuint() }),
  equals: (a, b) => a.inc === b.inc && a.dec === b.dec,
};

export const causalCounterStore = dotFun(tallyCodec);

function ownTally(state: CausalCounter, actor: ActorId): { tally: Tally; dots: DotFun<Tally> } {
  let inc = 0;
  let dec = 0;
  const dots = new Map<string, Tally>();
  for (const [key, t] of state.store) {
    if (parseDotKey(key).actor !== actor) continue;
    inc = Math.max(inc, t.inc);
    dec = Math.max(dec, t.dec);
    dots.set(key, t);
  }
  return { tally: { inc, dec }, dots };
}

function bumped(t: Tally, amount: number): Tally {
  return amount >= 0 ? { inc: t.inc + amount, dec: t.dec } : { inc: t.inc, dec: t.dec - amount };
}

export function causalCounterAdd(
  state: CausalCounter,
  actor: ActorId,
  amount: number,
): CausalCounter {
  const { tally, dots } = ownTally(state, actor);
  const dot = ctxNextDot(state.ctx, actor);
  return {
    store: new Map([[dotKey(actor, dot.counter), bumped(tally, amount)]]),
    ctx: storeContext(causalCounterStore, dots, dot),
  };
}

export function causalCounterAddFull(
  state: CausalCounter,
  actor: ActorId,
  amount: number,
): CausalCounter {
  const { tally, dots } = ownTally(state, actor);
  const dot = ctxNextDot(state.ctx, actor);
  const store = new Map(state.store);
  for (const key of dots.keys()) store.delete(key);
  store.set(dotKey(actor, dot.counter), bumped(tally, amount));
  const ctx = ctxClone(state.ctx);
  ctxAdd(ctx, actor, dot.counter);
  return { store, ctx };
}

export function causalCounterValue(state: CausalCounter): number {
  let total = 0;
  for (const t of state.store.values()) total += t.inc - t.dec;
  return total;
}
